/* Suppression: a group below k is hidden, and while the hidden groups
 * together hold fewer than k people the smallest shown group is hidden too,
 * so nothing hidden can be recovered as total minus shown. Pinned on hand
 * cases (one hidden, all hidden, two groups, ties, empty groups) and on the
 * fixture, where 'hr' is hidden only by complementary suppression and its
 * figures are wiped from the report. */
#include "test_stats_fixture.h"

#define S STATS_SHOWN
#define B STATS_HIDDEN_BELOW_K
#define C STATS_HIDDEN_COMPLEMENTARY

static void
expect(const size_t *sizes, size_t n, size_t k, const enum stats_shown *want)
{
	enum stats_shown got[16];
	CHECK_INT(stats_suppress(sizes, n, k, got), KOE_OK);
	for (size_t g = 0; g < n; g++) {
		harness_checks++;
		if (got[g] != want[g]) {
			harness_failures++;
			fprintf(stderr, "%s: group %zu (size %zu, k %zu) is %s, want %s\n",
			        harness_current, g, sizes[g], k,
			        stats_shown_name(got[g]), stats_shown_name(want[g]));
		}
	}
}

static void
nothing_small_nothing_hidden(void)
{
	size_t sz[] = {5, 12, 40};
	enum stats_shown want[] = {S, S, S};
	expect(sz, 3, 5, want);
}

static void
one_small_group_hides_the_next_smallest(void)
{
	size_t sz[] = {30, 3, 9, 12};
	enum stats_shown want[] = {S, B, C, S};
	expect(sz, 4, 5, want);
}

static void
two_small_groups_that_add_up_to_k_protect_each_other(void)
{
	size_t sz[] = {30, 3, 9, 2};
	enum stats_shown want[] = {S, B, S, B};
	expect(sz, 4, 5, want);
}

static void
tiny_groups_that_stay_below_k_together_need_a_partner(void)
{
	/* 1 + 2 = 3 people: total − shown would reveal them as a group. */
	size_t sz[] = {1, 20, 2, 7};
	enum stats_shown want[] = {B, S, B, C};
	expect(sz, 4, 5, want);
}

static void
two_groups_one_small_hides_both(void)
{
	size_t sz[] = {40, 4};
	enum stats_shown want[] = {C, B};
	expect(sz, 2, 5, want);
}

static void
all_groups_small_all_hidden(void)
{
	size_t sz[] = {4, 1, 3};
	enum stats_shown want[] = {B, B, B};
	expect(sz, 3, 5, want);
}

static void
ties_go_to_the_lowest_index(void)
{
	size_t sz[] = {9, 7, 7, 2, 7};
	enum stats_shown want[] = {S, C, S, B, S};
	expect(sz, 5, 5, want);
}

static void
empty_groups_protect_nobody(void)
{
	/* An empty group has nothing to show, but hiding it beside a group
	 * of 3 would still reveal the 3. */
	size_t sz[] = {0, 3, 10, 8};
	enum stats_shown want[] = {B, B, S, C};
	expect(sz, 4, 5, want);
	/* Only empty groups hidden: nothing to protect. */
	size_t sz2[] = {0, 10, 8};
	enum stats_shown want2[] = {B, S, S};
	expect(sz2, 3, 5, want2);
}

static void
exactly_k_is_shown(void)
{
	size_t sz[] = {5, 5};
	enum stats_shown want[] = {S, S};
	expect(sz, 2, 5, want);
}

static void
zero_k_is_invalid(void)
{
	size_t sz[] = {1};
	enum stats_shown got[1];
	CHECK_INT(stats_suppress(sz, 1, 0, got), KOE_EINVAL);
	CHECK_INT(stats_suppress(NULL, 0, 5, NULL), KOE_OK);
}

static void
fixture_hides_hr_by_complement(void)
{
	struct fixture *fx = fx_load("stats/survey.csv", 1000, 5);
	struct stats_report *r = NULL;
	int hr = fx_group(fx, "hr"), legal = fx_group(fx, "legal");
	CHECK_INT(stats_report_compute(&fx->d, &r), KOE_OK);
	if (r == NULL)
		goto out;
	CHECK_INT(r->shown, STATS_SHOWN);
	CHECK_INT(r->group_shown[legal], B);
	CHECK_INT(r->group_shown[hr], C);
	CHECK_INT(r->group_n[legal], 0);
	CHECK_INT(r->group_n[hr], 0);
	CHECK_INT(r->group_n[fx_group(fx, "sales")], 15);
	for (size_t j = 0; j < fx->nitems; j++) {
		const struct stats_item *h = &r->items_by_group[j * fx->ngroups + (size_t)hr];
		/* Below k on items counted over their scale's complete cases,
		 * complementary on the others: hidden either way. */
		CHECK(h->shown == C || (r->item_on_cc[j] && h->shown == B));
		CHECK(h->n == 0 && h->counts[0] == 0 && h->counts[3] == 0);
		CHECK(isnan(h->mean) && isnan(h->fav.p) && h->fav.x == 0);
		CHECK_INT(h->status, STATS_NO_DATA);
	}
	for (size_t s = 0; s < fx->nscales; s++) {
		const struct stats_scale *h = &r->scales_by_group[s * fx->ngroups + (size_t)hr];
		const struct stats_compare *c = &r->compare[s * fx->ngroups + (size_t)hr];
		/* Scale figures are over complete cases, where hr may have
		 * fewer than k: hidden below k then, else by complement. */
		CHECK(h->shown == C || h->shown == B);
		CHECK(h->n == 0 && isnan(h->mean) && h->unfav.x == 0);
		CHECK(c->group.n == 0 && c->rest.n == 0 && isnan(c->welch.diff));
		CHECK_INT(r->scales_by_group[s * fx->ngroups + (size_t)legal].shown, B);
	}
	CHECK(r->hotspots[hr].shown == C || r->hotspots[hr].shown == B);
	CHECK(r->hotspots[hr].share.x == 0 && !r->hotspots[hr].hot);
out:
	stats_report_free(r);
	fx_free(fx);
}

int
main(void)
{
	RUN(nothing_small_nothing_hidden);
	RUN(one_small_group_hides_the_next_smallest);
	RUN(two_small_groups_that_add_up_to_k_protect_each_other);
	RUN(tiny_groups_that_stay_below_k_together_need_a_partner);
	RUN(two_groups_one_small_hides_both);
	RUN(all_groups_small_all_hidden);
	RUN(ties_go_to_the_lowest_index);
	RUN(empty_groups_protect_nobody);
	RUN(exactly_k_is_shown);
	RUN(zero_k_is_invalid);
	RUN(fixture_hides_hr_by_complement);
	ref_free();
	return harness_done();
}
