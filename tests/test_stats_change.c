/* Changes since an earlier survey (include/koe/stats.h): the share,
 * mean and NPS changes with their intervals and tests agree with R
 * (tests/data/stats/change.R, run once, its output committed as
 * change.txt), edge cases included: shares of 0 and 1 in one or both
 * waves, a wave of fewer than k people, constant answers, a single answer.
 * Each case's inputs come from the same file, so nothing here restates a
 * result. */
#include <math.h>

#include "harness.h"
#include "koe/stats.h"

#define REL 1e-9

static bool
near(double got, double want)
{
	if (isnan(want))
		return isnan(got);
	return fabs(got - want) <= REL * fmax(1.0, fabs(want));
}

static enum stats_status
status_of(const char *s)
{
	return strcmp(s, "ok") == 0            ? STATS_OK
	       : strcmp(s, "no_variance") == 0 ? STATS_NO_VARIANCE
	                                       : STATS_TOO_FEW;
}

static double
num(const char *s)
{
	return strcmp(s, "NA") == 0 ? NAN : strtod(s, NULL);
}

/* Splits a line into at most max space-separated fields (in place). */
static size_t
fields(char *line, char **f, size_t max)
{
	size_t n = 0;
	for (char *t = strtok(line, " \n"); t && n < max; t = strtok(NULL, " \n"))
		f[n++] = t;
	return n;
}

static void
check_case(char **f, size_t nf, size_t *cases)
{
	struct stats_change c;
	const char *kind = f[0];
	size_t n1 = (size_t)num(f[4]), n2 = (size_t)num(f[7]);
	if (strcmp(kind, "share") == 0 && nf == 12) {
		CHECK_INT(stats_change_share(num(f[2]), (size_t)num(f[3]), num(f[4]),
		                             (size_t)num(f[5]), &c), KOE_OK);
		double want[5] = {num(f[6]), num(f[7]), num(f[8]), num(f[9]), num(f[10])};
		double got[5] = {c.diff, c.lo, c.hi, c.stat, c.p};
		for (int i = 0; i < 5; i++)
			if (!near(got[i], want[i])) {
				fprintf(stderr, "share %s field %d: %.17g, R %.17g\n", f[1], i, got[i],
				        want[i]);
				CHECK(false);
			}
		CHECK_INT(c.status, status_of(f[11]));
		CHECK(c.marked == (c.status == STATS_OK && (want[1] > 0 || want[2] < 0)));
	} else if (strcmp(kind, "mean") == 0 && nf == 15) {
		struct stats_moments a = {n1, num(f[2]), num(f[3])};
		struct stats_moments b = {n2, num(f[5]), num(f[6])};
		CHECK_INT(stats_change_mean(&a, &b, &c), KOE_OK);
		double want[6] = {num(f[8]), num(f[9]), num(f[10]), num(f[11]), num(f[12]),
		                  num(f[13])};
		double got[6] = {c.diff, c.lo, c.hi, c.stat, c.df, c.p};
		for (int i = 0; i < 6; i++)
			if (!near(got[i], want[i])) {
				fprintf(stderr, "mean %s field %d: %.17g, R %.17g\n", f[1], i, got[i],
				        want[i]);
				CHECK(false);
			}
		CHECK_INT(c.status, status_of(f[14]));
	} else if (strcmp(kind, "nps") == 0 && nf == 14) {
		CHECK_INT(stats_change_nps(num(f[2]), num(f[3]), n1, num(f[5]), num(f[6]), n2, &c),
		          KOE_OK);
		double want[5] = {num(f[8]), num(f[9]), num(f[10]), num(f[11]), num(f[12])};
		double got[5] = {c.diff, c.lo, c.hi, c.stat, c.p};
		for (int i = 0; i < 5; i++)
			if (!near(got[i], want[i])) {
				fprintf(stderr, "nps %s field %d: %.17g, R %.17g\n", f[1], i, got[i],
				        want[i]);
				CHECK(false);
			}
		CHECK_INT(c.status, status_of(f[13]));
	} else {
		fprintf(stderr, "change.txt: unreadable case '%s' (%zu fields)\n", kind, nf);
		CHECK(false);
		return;
	}
	(*cases)++;
}

static void
every_case_matches_r(void)
{
	FILE *fp = fopen(data_path("stats/change.txt"), "r");
	char line[1024];
	size_t cases = 0;
	CHECK(fp != NULL);
	if (fp == NULL)
		return;
	while (fgets(line, sizeof(line), fp)) {
		char *f[16];
		size_t nf = fields(line, f, 16);
		if (nf > 0)
			check_case(f, nf, &cases);
	}
	fclose(fp);
	CHECK(cases >= 20);
}

/* A share outside [0, 1] or an impossible NPS split is bad input, never a
 * figure. */
static void
impossible_inputs_refused(void)
{
	struct stats_change c;
	struct stats_moments a = {10, 3, -1}, b = {10, 3, 1};
	CHECK_INT(stats_change_share(1.5, 10, 0.5, 10, &c), KOE_EINVAL);
	CHECK_INT(stats_change_share(NAN, 10, 0.5, 10, &c), KOE_EINVAL);
	CHECK_INT(stats_change_nps(0.7, 0.5, 10, 0.5, 0.1, 10, &c), KOE_EINVAL);
	CHECK_INT(stats_change_mean(&a, &b, &c), KOE_EINVAL);
	CHECK_INT(stats_change_share(0.5, 0, 0.5, 10, &c), KOE_OK);
	CHECK_INT(c.status, STATS_TOO_FEW);
	CHECK(!c.marked && isnan(c.lo));
}

int
main(void)
{
	RUN(every_case_matches_r);
	RUN(impossible_inputs_refused);
	return harness_done();
}
