/* docs/ARCHITECTURE.md §4.2: every segment code stored with a response is shared by at
 * least k invitees. Rosters built to break that: a department of 1, a tenure
 * band of 2 inside a large department, a roster of k-1 people. */
#include <stdint.h>

#include "harness.h"
#include "koe/seg.h"

#define K 5

static void
check_invariant(const struct seg_table *t, size_t nrows)
{
	size_t total = 0;
	for (size_t g = 0; g < t->ngroups; g++) {
		CHECK(t->groups[g].count >= K);
		total += t->groups[g].count;
	}
	CHECK_INT(total, nrows);
	/* row_group agrees with the counts. */
	size_t *seen = calloc(t->ngroups, sizeof(*seen));
	for (size_t r = 0; r < nrows; r++)
		seen[t->row_group[r]]++;
	for (size_t g = 0; g < t->ngroups; g++)
		CHECK_INT(seen[g], t->groups[g].count);
	free(seen);
}

static const struct seg_group *
group_of(const struct seg_table *t, size_t row)
{
	return &t->groups[t->row_group[row]];
}

/* Fills rows: n copies of (dept, tenure). */
static size_t
add(const char **v, size_t at, size_t n, const char *dept, const char *tenure)
{
	for (size_t i = 0; i < n; i++) {
		v[(at + i) * 2] = dept;
		v[(at + i) * 2 + 1] = tenure;
	}
	return at + n;
}

static void
department_of_one(void)
{
	const char *v[2 * 64];
	size_t n = 0;
	struct seg_table *t = NULL;
	n = add(v, n, 10, "営業部", "1-3年");
	n = add(v, n, 12, "開発部", "3-5年");
	n = add(v, n, 1, "法務部", "10年以上"); /* the lone lawyer */
	CHECK_INT(seg_build(v, n, 2, K, &t), KOE_OK);
	if (!t)
		return;
	check_invariant(t, n);
	/* The lawyer is pooled into a fully generalized group with others. */
	const struct seg_group *g = group_of(t, n - 1);
	CHECK_STR(g->label, "* / *");
	CHECK_INT(g->generalized, 2);
	seg_table_free(t);
}

static void
tenure_band_of_two(void)
{
	const char *v[2 * 64];
	size_t n = 0;
	struct seg_table *t = NULL;
	n = add(v, n, 20, "営業部", "1-3年");
	n = add(v, n, 2, "営業部", "10年以上");
	n = add(v, n, 3, "営業部", "5-10年");
	n = add(v, n, 8, "開発部", "1-3年");
	CHECK_INT(seg_build(v, n, 2, K, &t), KOE_OK);
	if (!t)
		return;
	check_invariant(t, n);
	/* The two small bands become "営業部 / *" together (2 + 3 = 5): the
	 * department stays visible, the tenure does not. */
	CHECK_STR(group_of(t, 20)->label, "営業部 / *");
	CHECK_STR(group_of(t, 22)->label, "営業部 / *");
	CHECK_INT(group_of(t, 20)->count, 5);
	CHECK_STR(group_of(t, 0)->label, "営業部 / 1-3年");
	CHECK_STR(group_of(t, 30)->label, "開発部 / 1-3年");
	CHECK_INT(t->ngroups, 3);
	/* Codes are short, ASCII and in presentation order. */
	CHECK_STR(t->groups[0].code, "g01");
	seg_table_free(t);
}

static void
roster_of_k_minus_one(void)
{
	const char *v[2 * 8];
	size_t n = add(v, 0, K - 1, "営業部", "1-3年");
	struct seg_table *t = (struct seg_table *)1;
	CHECK_INT(seg_build(v, n, 2, K, &t), KOE_EINVAL);
	CHECK(t == NULL);
}

static void
roster_of_exactly_k_mixed(void)
{
	const char *v[2 * 8];
	size_t n = 0;
	struct seg_table *t = NULL;
	n = add(v, n, 1, "A", "x");
	n = add(v, n, 1, "B", "y");
	n = add(v, n, 1, "C", "z");
	n = add(v, n, 1, "D", "x");
	n = add(v, n, 1, "E", "y");
	CHECK_INT(seg_build(v, n, 2, K, &t), KOE_OK);
	if (!t)
		return;
	check_invariant(t, n);
	CHECK_INT(t->ngroups, 1);
	seg_table_free(t);
}

static void
no_segments_one_group(void)
{
	struct seg_table *t = NULL;
	CHECK_INT(seg_build(NULL, 7, 0, K, &t), KOE_OK);
	if (!t)
		return;
	CHECK_INT(t->ngroups, 1);
	CHECK_STR(t->groups[0].label, "*");
	CHECK_INT(t->groups[0].count, 7);
	seg_table_free(t);
}

/* A pseudo-random roster with many small combinations: the invariant holds
 * and no group is generalized more than needed (a group that could have kept
 * a dimension with k members is not wildcarded needlessly). */
static void
random_rosters(void)
{
	static const char *depts[] = {"営業部", "開発部", "人事部", "法務部", "経理部",
	                              "広報部", "品質保証部"};
	static const char *bands[] = {"1年未満", "1-3年", "3-5年", "5-10年", "10年以上"};
	static const char *sites[] = {"東京", "大阪", "福岡"};
	uint32_t x = 12345;
	for (int round = 0; round < 40; round++) {
		size_t n = 5 + (size_t)(round * 7 % 300);
		const char **v = malloc(n * 3 * sizeof(*v));
		struct seg_table *t = NULL;
		for (size_t r = 0; r < n; r++) {
			x = x * 1103515245u + 12345u;
			/* Skewed so some departments are tiny. */
			size_t dpt = (x >> 16) % 100 < 70 ? 0 : (x >> 8) % 7;
			v[r * 3] = depts[dpt];
			v[r * 3 + 1] = bands[(x >> 20) % 5];
			v[r * 3 + 2] = sites[(x >> 4) % 3];
		}
		CHECK_INT(seg_build(v, n, 3, K, &t), KOE_OK);
		if (t)
			check_invariant(t, n);
		seg_table_free(t);
		free(v);
	}
}

int
main(void)
{
	RUN(department_of_one);
	RUN(tenure_band_of_two);
	RUN(roster_of_k_minus_one);
	RUN(roster_of_exactly_k_mixed);
	RUN(no_segments_one_group);
	RUN(random_rosters);
	return harness_done();
}
