/* k-anonymous generalization of roster segments; see include/koe/seg.h. */
#define _GNU_SOURCE /* qsort_r */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "koe/seg.h"

struct work {
	const char *const *values;
	size_t nrows, ndims;
	size_t *level;   /* [nrows]: how many leading dimensions stay specific */
	size_t *order;   /* [nrows]: row indices sorted by current key */
};

/* Compares two rows by their current keys: the first level[r] values, then
 * wildcards. A wildcard sorts after every value at the same position. */
static int
cmp_rows(const void *pa, const void *pb, void *arg)
{
	const struct work *w = arg;
	size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
	for (size_t d = 0; d < w->ndims; d++) {
		int wa = d >= w->level[a], wb = d >= w->level[b];
		if (wa != wb)
			return wa - wb;
		if (wa)
			continue;
		int c = strcmp(w->values[a * w->ndims + d], w->values[b * w->ndims + d]);
		if (c)
			return c;
	}
	return (a > b) - (a < b); /* stable and deterministic */
}

static int
same_key(const struct work *w, size_t a, size_t b)
{
	if (w->level[a] != w->level[b])
		return 0;
	for (size_t d = 0; d < w->level[a]; d++)
		if (strcmp(w->values[a * w->ndims + d], w->values[b * w->ndims + d]) != 0)
			return 0;
	return 1;
}

static void
sort_rows(struct work *w)
{
	qsort_r(w->order, w->nrows, sizeof(*w->order), cmp_rows, w);
}

/* One round: every group smaller than k loses its last specific dimension.
 * Returns the number of rows changed. */
static size_t
generalize_round(struct work *w, size_t k)
{
	size_t changed = 0;
	sort_rows(w);
	for (size_t i = 0; i < w->nrows;) {
		size_t j = i + 1;
		while (j < w->nrows && same_key(w, w->order[i], w->order[j]))
			j++;
		if (j - i < k && w->level[w->order[i]] > 0) {
			for (size_t m = i; m < j; m++)
				w->level[w->order[m]]--;
			changed += j - i;
		}
		i = j;
	}
	return changed;
}

/* Folds the smallest specific group into the all-wildcard group while that
 * group is non-empty but smaller than k. Returns 1 if it changed anything. */
static int
fold_round(struct work *w, size_t k)
{
	size_t wild = 0, best_i = 0, best_n = SIZE_MAX;
	sort_rows(w);
	for (size_t i = 0; i < w->nrows;) {
		size_t j = i + 1;
		while (j < w->nrows && same_key(w, w->order[i], w->order[j]))
			j++;
		if (w->level[w->order[i]] == 0)
			wild = j - i;
		else if (j - i < best_n) {
			best_n = j - i;
			best_i = i;
		}
		i = j;
	}
	if (wild == 0 || wild >= k || best_n == SIZE_MAX)
		return 0;
	for (size_t m = best_i; m < best_i + best_n; m++)
		w->level[w->order[m]] = 0;
	return 1;
}

static char *
join_label(const struct work *w, size_t row)
{
	size_t len = 1;
	char *s, *p;
	for (size_t d = 0; d < w->ndims; d++)
		len += (d < w->level[row] ? strlen(w->values[row * w->ndims + d]) : 1) + 3;
	if (w->ndims == 0)
		len += 1;
	s = malloc(len);
	if (s == NULL)
		return NULL;
	p = s;
	if (w->ndims == 0)
		*p++ = '*';
	for (size_t d = 0; d < w->ndims; d++) {
		const char *v = d < w->level[row] ? w->values[row * w->ndims + d] : SEG_WILDCARD;
		size_t vl = strlen(v);
		if (d) {
			memcpy(p, " / ", 3);
			p += 3;
		}
		memcpy(p, v, vl);
		p += vl;
	}
	*p = '\0';
	return s;
}

static int
cmp_perm(const void *pa, const void *pb, void *arg)
{
	const struct seg_group *base = arg;
	const struct seg_group *a = &base[*(const size_t *)pa];
	const struct seg_group *b = &base[*(const size_t *)pb];
	if (a->generalized != b->generalized)
		return (a->generalized > b->generalized) - (a->generalized < b->generalized);
	return strcmp(a->label, b->label);
}

void
seg_table_free(struct seg_table *t)
{
	if (t == NULL)
		return;
	for (size_t g = 0; g < t->ngroups; g++) {
		free(t->groups[g].code);
		free(t->groups[g].label);
		if (t->groups[g].values)
			for (size_t d = 0; d < t->ndims; d++)
				free(t->groups[g].values[d]);
		free(t->groups[g].values);
	}
	free(t->groups);
	free(t->row_group);
	free(t);
}

enum koe_err
seg_build(const char *const *values, size_t nrows, size_t ndims, size_t k,
          struct seg_table **out)
{
	enum koe_err err = KOE_ENOMEM;
	struct work w = {.values = values, .nrows = nrows, .ndims = ndims};
	struct seg_table *t = NULL;
	size_t *remap = NULL, *perm = NULL;
	struct seg_group *sorted = NULL;

	*out = NULL;
	if (nrows < k || nrows == 0)
		return KOE_EINVAL;
	w.level = malloc(nrows * sizeof(*w.level));
	w.order = malloc(nrows * sizeof(*w.order));
	t = calloc(1, sizeof(*t));
	if (w.level == NULL || w.order == NULL || t == NULL)
		goto fail;
	for (size_t r = 0; r < nrows; r++) {
		w.level[r] = ndims;
		w.order[r] = r;
	}
	/* Each round lowers at least one row's level, so this ends after at
	 * most nrows * ndims rounds; in practice after ndims. */
	while (generalize_round(&w, k) > 0)
		;
	while (fold_round(&w, k))
		;

	/* Collect the final groups (w.order is sorted by the last round). */
	sort_rows(&w);
	t->ndims = ndims;
	t->nrows = nrows;
	t->row_group = malloc(nrows * sizeof(*t->row_group));
	t->groups = calloc(nrows, sizeof(*t->groups));
	if (t->row_group == NULL || t->groups == NULL)
		goto fail;
	for (size_t i = 0; i < nrows;) {
		size_t j = i + 1, row = w.order[i];
		struct seg_group *g = &t->groups[t->ngroups];
		while (j < nrows && same_key(&w, row, w.order[j]))
			j++;
		g->count = j - i;
		g->generalized = ndims - w.level[row];
		g->label = join_label(&w, row);
		g->values = calloc(ndims ? ndims : 1, sizeof(*g->values));
		t->ngroups++;
		if (g->label == NULL || g->values == NULL)
			goto fail;
		for (size_t d = 0; d < ndims; d++) {
			g->values[d] = strdup(d < w.level[row] ? values[row * ndims + d] : SEG_WILDCARD);
			if (g->values[d] == NULL)
				goto fail;
		}
		for (size_t m = i; m < j; m++)
			t->row_group[w.order[m]] = t->ngroups - 1;
		i = j;
	}
	/* Stable presentation order and codes: most specific groups first, then
	 * by label; the codes follow that order. The groups are sorted through
	 * a permutation so rows can be renumbered afterwards. */
	perm = malloc(t->ngroups * sizeof(*perm));
	remap = malloc(t->ngroups * sizeof(*remap));
	sorted = calloc(t->ngroups, sizeof(*sorted));
	if (perm == NULL || remap == NULL || sorted == NULL)
		goto fail;
	for (size_t g = 0; g < t->ngroups; g++)
		perm[g] = g;
	qsort_r(perm, t->ngroups, sizeof(*perm), cmp_perm, t->groups);
	for (size_t g = 0; g < t->ngroups; g++) {
		sorted[g] = t->groups[perm[g]];
		remap[perm[g]] = g;
	}
	free(t->groups);
	t->groups = sorted;
	sorted = NULL;
	for (size_t r = 0; r < nrows; r++)
		t->row_group[r] = remap[t->row_group[r]];
	/* Zero-padded to a common width so codes sort as they are numbered. */
	int width = 2;
	for (size_t n = t->ngroups; n >= 100 && width < 20; n /= 10)
		width++;
	for (size_t g = 0; g < t->ngroups; g++) {
		char code[64];
		snprintf(code, sizeof(code), "g%0*zu", width, g + 1);
		t->groups[g].code = strdup(code);
		if (t->groups[g].code == NULL)
			goto fail;
	}
	*out = t;
	t = NULL;
	err = KOE_OK;
fail:
	seg_table_free(t);
	free(sorted);
	free(perm);
	free(remap);
	free(w.level);
	free(w.order);
	return err;
}
