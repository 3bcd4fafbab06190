/* Helpers for the disclosure-control attack tests (test_dc_*.c): walking
 * every value of a report's JSON, and reading `koe status` output. Built on
 * report_testlib.h. */
#ifndef KOE_DC_TESTLIB_H
#define KOE_DC_TESTLIB_H

#include "report_testlib.h"

/* Calls fn(path, value, ctx) for every leaf (number, string, bool, null) of
 * j; path is the JSON path ("segments[2].scales[0].n"). */
typedef void (*dc_leaf_fn)(const char *path, json_t *v, void *ctx);

static inline void
dc_walk(json_t *j, char *path, size_t len, size_t cap, dc_leaf_fn fn, void *ctx)
{
	if (json_is_object(j)) {
		const char *k;
		json_t *v;
		json_object_foreach(j, k, v) {
			int n = snprintf(path + len, cap - len, "%s%s", len ? "." : "", k);
			if (n > 0 && (size_t)n < cap - len)
				dc_walk(v, path, len + (size_t)n, cap, fn, ctx);
			path[len] = '\0';
		}
	} else if (json_is_array(j)) {
		size_t i;
		json_t *v;
		json_array_foreach(j, i, v) {
			int n = snprintf(path + len, cap - len, "[%zu]", i);
			if (n > 0 && (size_t)n < cap - len)
				dc_walk(v, path, len + (size_t)n, cap, fn, ctx);
			path[len] = '\0';
		}
	} else {
		fn(path, j, ctx);
	}
}

static inline void
dc_walk_all(json_t *j, dc_leaf_fn fn, void *ctx)
{
	char path[1024] = "";
	dc_walk(j, path, 0, sizeof(path), fn, ctx);
}

/* Every integer leaf of a JSON tree, by path, to compare two releases. */
struct dc_ints {
	char **path;
	long long *v;
	size_t n, cap;
};

static inline void
dc_ints_collect(const char *path, json_t *v, void *ctx)
{
	struct dc_ints *s = ctx;
	if (!json_is_integer(v))
		return;
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 64;
		s->path = realloc(s->path, s->cap * sizeof(*s->path));
		s->v = realloc(s->v, s->cap * sizeof(*s->v));
		if (s->path == NULL || s->v == NULL)
			exit(2);
	}
	s->path[s->n] = strdup(path);
	s->v[s->n++] = (long long)json_integer_value(v);
}

static inline void
dc_ints_free(struct dc_ints *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->path[i]);
	free(s->path);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

/* Counts the integer leaves present in both a and b whose values differ by
 * 1..k−1, printing each; paths matching skip (a prefix) are ignored. */
static inline int
dc_ints_small_diffs(const struct dc_ints *a, const struct dc_ints *b, long long k,
                    const char *const *skip, size_t nskip)
{
	int bad = 0;
	for (size_t i = 0; i < a->n; i++)
		for (size_t j = 0; j < b->n; j++) {
			if (strcmp(a->path[i], b->path[j]) != 0)
				continue;
			bool skipped = false;
			for (size_t s = 0; s < nskip; s++)
				skipped |= strncmp(a->path[i], skip[s], strlen(skip[s])) == 0;
			long long d = llabs(a->v[i] - b->v[j]);
			if (!skipped && d >= 1 && d < k) {
				fprintf(stderr, "  %s: %lld then %lld\n", a->path[i], a->v[i], b->v[j]);
				bad++;
			}
		}
	return bad;
}

/* Every non-null number under the given top-level keys of a report. */
struct dc_numbers {
	int n;
	const char *where;
};

static inline void
dc_numbers_count(const char *path, json_t *v, void *ctx)
{
	struct dc_numbers *s = ctx;
	size_t l = strlen(path);
	/* The questionnaire's own numbers are no answer figures. */
	if (l >= 7 && strcmp(path + l - 7, "npoints") == 0)
		return;
	if (json_is_number(v)) {
		if (s->n++ < 5)
			fprintf(stderr, "  answer figure in %s: %s\n", s->where, path);
	}
}

/* The number of answer figures (numbers) a report's JSON holds about
 * answers: scales, items, choices, drivers, comments, the summary's answer
 * figures, and the scale columns of every group. */
static inline int
dc_answer_figures(json_t *j)
{
	static const char *const keys[] = {"scales", "items", "choices", "drivers", "comments"};
	struct dc_numbers s = {0};
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		s.where = keys[i];
		dc_walk_all(json_object_get(j, keys[i]), dc_numbers_count, &s);
	}
	json_t *sum = json_object_get(j, "summary");
	s.where = "summary";
	dc_walk_all(sum, dc_numbers_count, &s);
	size_t g;
	json_t *seg;
	json_array_foreach(json_object_get(j, "segments"), g, seg) {
		s.where = "segments[].scales/morale_risk";
		dc_walk_all(json_object_get(seg, "scales"), dc_numbers_count, &s);
		dc_walk_all(json_object_get(seg, "morale_risk"), dc_numbers_count, &s);
	}
	return s.n;
}

#endif
