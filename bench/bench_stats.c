/* Times stats_report_compute() on the report target of docs/ARCHITECTURE.md §9:
 * 100,000 respondents × 40 items (five 1..5 scales of 36 items with reverse
 * items, two unscaled Likert items, an eNPS and a rejoin NPS item), 30
 * segments, 5% of the answers missing.
 *
 *   bench_stats [respondents] [repetitions]
 *
 * Prints the CPU time of the fastest repetition; generating the answers is
 * not timed. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "koe/stats.h"

#define NITEMS  40
#define NSCALES 5
#define NGROUPS 30

static uint64_t rng = 0x9e3779b97f4a7c15u;

/* xorshift64*: fast and good enough for made-up answers. */
static double
uniform(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return (double)((rng * 0x2545f4914f6cdd1du) >> 11) / 9007199254740992.0;
}

static double
cpu_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	size_t nresp = argc > 1 ? strtoul(argv[1], NULL, 10) : 100000;
	int reps = argc > 2 ? atoi(argv[2]) : 5;
	static const int scale_items[NSCALES] = {8, 6, 6, 8, 8};
	static const enum stats_role roles[NSCALES] = {
		STATS_ROLE_SUPPORT, STATS_ROLE_REJOIN, STATS_ROLE_NONE,
		STATS_ROLE_MORALE, STATS_ROLE_NONE};
	struct stats_item_meta items[NITEMS];
	double *x = malloc(nresp * NITEMS * sizeof(*x));
	double *att = malloc(nresp * sizeof(*att));
	int *group = malloc(nresp * sizeof(*group));

	if (x == NULL || att == NULL || group == NULL || reps < 1) {
		fprintf(stderr, "bench_stats: out of memory or bad arguments\n");
		return 1;
	}
	size_t j = 0;
	for (int s = 0; s < NSCALES; s++)
		for (int i = 0; i < scale_items[s]; i++, j++)
			items[j] = (struct stats_item_meta){
				.kind = STATS_LIKERT, .npoints = 5, .scale = s,
				.reverse = i % 4 == 3};
	items[j++] = (struct stats_item_meta){.kind = STATS_LIKERT, .npoints = 5, .scale = -1};
	items[j++] = (struct stats_item_meta){.kind = STATS_LIKERT, .npoints = 7, .scale = -1};
	items[j++] = (struct stats_item_meta){.kind = STATS_NPS, .scale = -1};
	items[j++] = (struct stats_item_meta){.kind = STATS_NPS, .scale = -1,
	                                      .role = STATS_ROLE_REJOIN};

	for (size_t r = 0; r < nresp; r++) {
		group[r] = (int)(uniform() * uniform() * NGROUPS); /* uneven sizes */
		att[r] = uniform() + uniform() - 1;
	}
	for (j = 0; j < NITEMS; j++) {
		const struct stats_item_meta *m = &items[j];
		double lo = m->kind == STATS_NPS ? 0 : 1;
		double hi = m->kind == STATS_NPS ? 10 : m->npoints;
		for (size_t r = 0; r < nresp; r++) {
			double v = (lo + hi) / 2 + (hi - lo) * (0.6 * att[r] +
			           0.5 * (uniform() - 0.5));
			if (m->reverse)
				v = lo + hi - v;
			v = fmin(hi, fmax(lo, round(v)));
			x[j * nresp + r] = uniform() < 0.05 ? NAN : v;
		}
	}

	struct stats_data d = {.nresp = nresp, .nitems = NITEMS, .x = x,
	                       .items = items, .nscales = NSCALES,
	                       .scale_role = roles, .group = group,
	                       .ngroups = NGROUPS, .k = 5};
	double best = INFINITY;
	struct stats_report *rep = NULL;
	for (int i = 0; i < reps; i++) {
		double t0 = cpu_seconds();
		enum koe_err err = stats_report_compute(&d, &rep);
		double t = cpu_seconds() - t0;
		if (err != KOE_OK) {
			fprintf(stderr, "bench_stats: %s\n", koe_strerror(err));
			return 1;
		}
		if (t < best)
			best = t;
		if (i + 1 < reps)
			stats_report_free(rep);
	}
	printf("stats_report_compute: %zu respondents x %d items, %d segments: "
	       "%.1f ms CPU (best of %d)\n", nresp, NITEMS, NGROUPS, best * 1e3,
	       reps);
	printf("  support %.3f (alpha %.3f), morale risk %.3f, OLS R2 %.3f, "
	       "%zu tests\n", rep->scales[0].mean, rep->alphas[0].alpha,
	       rep->scales[3].unfav.p, rep->ols.r2, rep->ntests);
	stats_report_free(rep);
	free(group);
	free(att);
	free(x);
	return 0;
}
