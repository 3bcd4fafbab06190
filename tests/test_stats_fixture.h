/* Shared by the tests/test_stats_*.c files: loads the fixtures of
 * tests/data/stats/ (see reference.R there for how they were made) into a
 * struct stats_data, reads the R reference values, and compares floats at a
 * relative tolerance. */
#ifndef KOE_TEST_STATS_FIXTURE_H
#define KOE_TEST_STATS_FIXTURE_H

#include <math.h>
#include <stdarg.h>

#include "harness.h"
#include "koe/stats.h"

#define FX_MAX_COLS 64
#define FX_MAX_ROWS 256
#define FX_MAX_REFS 4096

/* Reference figures agree with R to rounding error; 1e-9 leaves room for
 * GSL's and R's different t and normal quantile algorithms. */
#define REL_TOL 1e-9

struct fixture {
	size_t nresp, nitems, nscales, ngroups;
	char keys[FX_MAX_COLS][32];
	struct stats_item_meta items[FX_MAX_COLS];
	char scale_names[FX_MAX_COLS][32];
	enum stats_role roles[FX_MAX_COLS];
	char group_names[FX_MAX_ROWS][32];
	int group[FX_MAX_ROWS];
	double *x; /* column-major nresp × nitems */
	struct stats_data d;
};

/* Splits a line at commas in place; returns the number of fields. */
static inline size_t
fx_split(char *line, char **f, size_t max)
{
	size_t n = 0;
	char *p = line;
	line[strcspn(line, "\r\n")] = '\0';
	for (;;) {
		if (n < max)
			f[n++] = p;
		p = strchr(p, ',');
		if (p == NULL)
			return n;
		*p++ = '\0';
	}
}

/* Calls fn for every data line of a CSV fixture (header skipped). */
static inline void
fx_lines(const char *name, void (*fn)(char **f, size_t n, void *arg), void *arg,
         char **header, size_t *nheader, char *hbuf)
{
	size_t len;
	char *buf = slurp(data_path(name), &len), *save = NULL;
	char *line = strtok_r(buf, "\n", &save);
	if (header != NULL) {
		strcpy(hbuf, line);
		*nheader = fx_split(hbuf, header, FX_MAX_COLS + 1);
	}
	while ((line = strtok_r(NULL, "\n", &save)) != NULL) {
		char *f[FX_MAX_COLS + 1];
		size_t n = fx_split(line, f, FX_MAX_COLS + 1);
		fn(f, n, arg);
	}
	free(buf);
}

static inline enum stats_role
fx_role(const char *s)
{
	if (strcmp(s, "support") == 0) return STATS_ROLE_SUPPORT;
	if (strcmp(s, "rejoin") == 0) return STATS_ROLE_REJOIN;
	if (strcmp(s, "morale") == 0) return STATS_ROLE_MORALE;
	return STATS_ROLE_NONE;
}

static inline void
fx_scale_line(char **f, size_t n, void *arg)
{
	struct fixture *fx = arg;
	snprintf(fx->scale_names[fx->nscales], 32, "%s", f[0]);
	fx->roles[fx->nscales++] = n > 1 ? fx_role(f[1]) : STATS_ROLE_NONE;
}

static inline int
fx_scale_index(const struct fixture *fx, const char *name)
{
	for (size_t s = 0; s < fx->nscales; s++)
		if (strcmp(fx->scale_names[s], name) == 0)
			return (int)s;
	return -1;
}

static inline void
fx_item_line(char **f, size_t n, void *arg)
{
	struct fixture *fx = arg;
	struct stats_item_meta *m = &fx->items[fx->nitems];
	if (n < 5) {
		fprintf(stderr, "bad items.csv line\n");
		exit(2);
	}
	snprintf(fx->keys[fx->nitems], 32, "%s", f[0]);
	m->kind = strcmp(f[1], "nps") == 0 ? STATS_NPS : STATS_LIKERT;
	m->npoints = atoi(f[2]);
	m->reverse = atoi(f[3]) != 0;
	m->scale = f[4][0] ? fx_scale_index(fx, f[4]) : -1;
	m->role = n > 5 ? fx_role(f[5]) : STATS_ROLE_NONE;
	fx->nitems++;
}

struct fx_rows {
	struct fixture *fx;
	size_t max;
	char seg[FX_MAX_ROWS][32];
	double v[FX_MAX_ROWS][FX_MAX_COLS];
	size_t n;
};

static inline void
fx_answer_line(char **f, size_t n, void *arg)
{
	struct fx_rows *rows = arg;
	if (rows->n >= rows->max)
		return;
	if (n != rows->fx->nitems + 1) {
		fprintf(stderr, "answer line has %zu fields\n", n);
		exit(2);
	}
	snprintf(rows->seg[rows->n], 32, "%s", f[0]);
	for (size_t j = 0; j < rows->fx->nitems; j++)
		rows->v[rows->n][j] = f[j + 1][0] ? strtod(f[j + 1], NULL) : NAN;
	rows->n++;
}

static inline int
fx_cmp_str(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* Loads items.csv, scales.csv and the answers in name, at most max_rows of
 * them. Groups are the segment names sorted, as R's factor levels. Free with
 * fx_free(). */
static inline struct fixture *
fx_load(const char *name, size_t max_rows, size_t k)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	struct fx_rows *rows = calloc(1, sizeof(*rows));
	char *header[FX_MAX_COLS + 1], hbuf[4096];
	size_t nheader;

	rows->fx = fx;
	rows->max = max_rows < FX_MAX_ROWS ? max_rows : FX_MAX_ROWS;
	fx_lines("stats/scales.csv", fx_scale_line, fx, NULL, NULL, NULL);
	fx_lines("stats/items.csv", fx_item_line, fx, NULL, NULL, NULL);
	fx_lines(name, fx_answer_line, rows, header, &nheader, hbuf);
	if (nheader != fx->nitems + 1) {
		fprintf(stderr, "%s: header does not match items.csv\n", name);
		exit(2);
	}
	for (size_t j = 0; j < fx->nitems; j++)
		if (strcmp(header[j + 1], fx->keys[j]) != 0) {
			fprintf(stderr, "%s: column %s is not %s\n", name,
			        header[j + 1], fx->keys[j]);
			exit(2);
		}

	fx->nresp = rows->n;
	for (size_t r = 0; r < rows->n; r++) {
		size_t g;
		for (g = 0; g < fx->ngroups; g++)
			if (strcmp(fx->group_names[g], rows->seg[r]) == 0)
				break;
		if (g == fx->ngroups)
			snprintf(fx->group_names[fx->ngroups++], 32, "%s",
			         rows->seg[r]);
	}
	qsort(fx->group_names, fx->ngroups, 32, fx_cmp_str);
	for (size_t r = 0; r < rows->n; r++)
		for (size_t g = 0; g < fx->ngroups; g++)
			if (strcmp(fx->group_names[g], rows->seg[r]) == 0)
				fx->group[r] = (int)g;

	fx->x = malloc(fx->nresp * fx->nitems * sizeof(double) + 1);
	for (size_t j = 0; j < fx->nitems; j++)
		for (size_t r = 0; r < fx->nresp; r++)
			fx->x[j * fx->nresp + r] = rows->v[r][j];
	free(rows);

	fx->d = (struct stats_data){
		.nresp = fx->nresp, .nitems = fx->nitems, .x = fx->x,
		.items = fx->items, .nscales = fx->nscales,
		.scale_role = fx->roles, .group = fx->group,
		.ngroups = fx->ngroups, .k = k,
	};
	return fx;
}

static inline void
fx_free(struct fixture *fx)
{
	if (fx == NULL)
		return;
	free(fx->x);
	free(fx);
}

static inline int
fx_item(const struct fixture *fx, const char *key)
{
	for (size_t j = 0; j < fx->nitems; j++)
		if (strcmp(fx->keys[j], key) == 0)
			return (int)j;
	fprintf(stderr, "no item %s\n", key);
	exit(2);
}

static inline int
fx_group(const struct fixture *fx, const char *name)
{
	for (size_t g = 0; g < fx->ngroups; g++)
		if (strcmp(fx->group_names[g], name) == 0)
			return (int)g;
	fprintf(stderr, "no group %s\n", name);
	exit(2);
}

/* ---- reference values ---- */

struct ref_entry {
	char key[96];
	double v; /* NaN for "NA" */
};

static struct ref_entry *ref_tab;
static size_t ref_n;

static inline void
ref_load(void)
{
	size_t len;
	char *buf = slurp(data_path("stats/reference.txt"), &len), *save = NULL;
	ref_tab = calloc(FX_MAX_REFS, sizeof(*ref_tab));
	for (char *line = strtok_r(buf, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save)) {
		char *sp = strchr(line, ' ');
		if (sp == NULL || ref_n == FX_MAX_REFS) {
			fprintf(stderr, "bad reference line: %s\n", line);
			exit(2);
		}
		*sp = '\0';
		snprintf(ref_tab[ref_n].key, sizeof(ref_tab[ref_n].key), "%s", line);
		ref_tab[ref_n].v = strcmp(sp + 1, "NA") == 0 ? NAN
		                                             : strtod(sp + 1, NULL);
		ref_n++;
	}
	free(buf);
}

/* The reference value of a printf-formatted key; a missing key fails the
 * test. */
static inline bool ref_find(double *v, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static inline bool
ref_find(double *v, const char *fmt, ...)
{
	char key[96];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(key, sizeof(key), fmt, ap);
	va_end(ap);
	if (ref_tab == NULL)
		ref_load();
	for (size_t i = 0; i < ref_n; i++)
		if (strcmp(ref_tab[i].key, key) == 0) {
			*v = ref_tab[i].v;
			return true;
		}
	harness_failures++;
	fprintf(stderr, "%s: no reference value %s\n", harness_current, key);
	return false;
}

static inline bool
near_rel(double got, double want, double tol)
{
	if (isnan(want))
		return isnan(got);
	if (want == 0)
		return fabs(got) <= 1e-12;
	return fabs(got - want) <= tol * fabs(want);
}

#define CHECK_NEAR(got, want)                                                  \
	do {                                                                   \
		double g_ = (got), w_ = (want);                                \
		harness_checks++;                                              \
		if (!near_rel(g_, w_, REL_TOL)) {                              \
			harness_failures++;                                    \
			fprintf(stderr, "%s:%d: %s: %s == %.17g, want %.17g\n", \
			        __FILE__, __LINE__, harness_current, #got, g_, \
			        w_);                                           \
		}                                                              \
	} while (0)

/* Compares got with the reference value of a formatted key. */
#define CHECK_REF(got, ...)                                                    \
	do {                                                                   \
		double want_;                                                  \
		if (ref_find(&want_, __VA_ARGS__)) {                           \
			double g_ = (got);                                     \
			harness_checks++;                                      \
			if (!near_rel(g_, want_, REL_TOL)) {                   \
				harness_failures++;                            \
				fprintf(stderr, "%s:%d: %s: %s == %.17g, want %.17g (", \
				        __FILE__, __LINE__, harness_current,   \
				        #got, g_, want_);                      \
				fprintf(stderr, __VA_ARGS__);                  \
				fprintf(stderr, ")\n");                        \
			}                                                      \
		}                                                              \
	} while (0)

static inline void
ref_free(void)
{
	free(ref_tab);
	ref_tab = NULL;
	ref_n = 0;
}

#endif
