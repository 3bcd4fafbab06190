/* The rules of include/koe/dc.h, one by one, on small hand-made inputs. */
#include "harness.h"
#include "koe/dc.h"

#define S STATS_SHOWN
#define B STATS_HIDDEN_BELOW_K
#define C STATS_HIDDEN_COMPLEMENTARY

/* Whatever is hidden, the hidden cells' sum (total − shown) is 0 or ≥ k. */
static size_t
hidden_sum(const size_t *sizes, const enum stats_shown *sh, size_t n)
{
	size_t h = 0;
	for (size_t i = 0; i < n; i++)
		h += sh[i] != S ? sizes[i] : 0;
	return h;
}

static void
suppress_two_small_groups(void)
{
	/* The old `koe status` rule hid nothing more with two hidden groups. */
	size_t sizes[] = {12, 10, 2, 0};
	enum stats_shown sh[4];
	CHECK_INT(dc_suppress(sizes, 4, 5, sh), KOE_OK);
	CHECK_INT(sh[0], S);
	CHECK_INT(sh[1], C);
	CHECK_INT(sh[2], B);
	CHECK_INT(sh[3], B);
	CHECK(hidden_sum(sizes, sh, 4) >= 5);
}

static void
suppress_empty_cells_protect_nobody(void)
{
	/* One tiny cell and empty ones: still needs a complement. */
	size_t sizes[] = {0, 0, 1, 7, 9};
	enum stats_shown sh[5];
	CHECK_INT(dc_suppress(sizes, 5, 5, sh), KOE_OK);
	CHECK_INT(sh[3], C);
	CHECK_INT(sh[4], S);
	/* Only empty cells hidden: nothing to protect. */
	size_t z[] = {0, 6, 8};
	CHECK_INT(dc_suppress(z, 3, 5, sh), KOE_OK);
	CHECK_INT(sh[0], B);
	CHECK_INT(sh[1], S);
	CHECK_INT(sh[2], S);
}

static void
suppress_every_small_column(void)
{
	/* Exhaustive over 4 cells of 0..8 with k = 3, 5 and 7. */
	size_t k_values[] = {3, 5, 7};
	for (size_t ki = 0; ki < 3; ki++)
		for (size_t code = 0; code < 9 * 9 * 9 * 9; code++) {
			size_t sizes[4], c = code, k = k_values[ki];
			enum stats_shown sh[4];
			for (int i = 0; i < 4; i++) {
				sizes[i] = c % 9;
				c /= 9;
			}
			CHECK_INT(dc_suppress(sizes, 4, k, sh), KOE_OK);
			size_t h = hidden_sum(sizes, sh, 4), total = 0;
			for (int i = 0; i < 4; i++) {
				total += sizes[i];
				if (sh[i] == S && sizes[i] < k)
					CHECK(0);
			}
			/* Only a company below k can leave a small remainder,
			 * and then everything is hidden anyway. */
			if (h > 0 && h < k && total >= k) {
				fprintf(stderr, "k %zu: %zu %zu %zu %zu\n", k, sizes[0], sizes[1],
				        sizes[2], sizes[3]);
				CHECK(0);
			}
		}
	CHECK_INT(dc_suppress(NULL, 0, 0, NULL), KOE_EINVAL);
}

static void
rest_needs_k(void)
{
	CHECK(dc_rest_ok(30, 25, 5));
	CHECK(!dc_rest_ok(30, 26, 5));
	CHECK(!dc_rest_ok(3, 5, 5));
}

static void
item_base(void)
{
	CHECK(!dc_item_on_complete_cases(20, 20, 5)); /* the same people */
	CHECK(dc_item_on_complete_cases(21, 20, 5));  /* one more: differencing */
	CHECK(dc_item_on_complete_cases(24, 20, 5));
	CHECK(!dc_item_on_complete_cases(25, 20, 5)); /* k more */
	CHECK(dc_item_on_complete_cases(1, 0, 5));
	CHECK(!dc_item_on_complete_cases(9, 0, 5));
}

static void
counts_while_open(void)
{
	char b[32];
	CHECK_INT(dc_floor(14, 5), 10);
	CHECK_INT(dc_floor(15, 5), 15);
	CHECK_INT(dc_floor(6, 7), 0);
	CHECK_STR(dc_count_text(0, 5, false, false, b, sizeof(b)), "0");
	CHECK_STR(dc_count_text(3, 5, false, false, b, sizeof(b)), "5未満");
	CHECK_STR(dc_count_text(3, 5, false, true, b, sizeof(b)), "fewer than 5");
	CHECK_STR(dc_count_text(14, 5, false, true, b, sizeof(b)), "10+");
	CHECK_STR(dc_count_text(22, 7, false, false, b, sizeof(b)), "21+");
	CHECK_STR(dc_count_text(14, 5, true, true, b, sizeof(b)), "14");
}

static void
comment_labels(void)
{
	static const char *const labels[] = {
		"営業部 / 1-3年", "営業部 / 3-5年", "開発部 / 1-3年", "法務部 / *", "* / *",
	};
	size_t resp[] = {12, 6, 7, 3, 5};
	char b[128];
	CHECK(dc_comment_label(labels, resp, 5, 0, true, 10, b, sizeof(b)));
	CHECK_STR(b, "営業部 / 1-3年");
	/* Its own group's figures hidden: coarser even with enough people. */
	CHECK(dc_comment_label(labels, resp, 5, 0, false, 10, b, sizeof(b)));
	CHECK_STR(b, "営業部 / *");
	CHECK(dc_comment_label(labels, resp, 5, 1, true, 10, b, sizeof(b)));
	CHECK_STR(b, "営業部 / *");
	CHECK(!dc_comment_label(labels, resp, 5, 2, true, 10, b, sizeof(b)));
	CHECK(!dc_comment_label(labels, resp, 5, 3, true, 10, b, sizeof(b)));
	CHECK(!dc_comment_label(labels, resp, 5, 4, true, 1, b, sizeof(b)));
	/* Three dimensions: the last specific one goes first. */
	static const char *const three[] = {"A / x / 1", "A / x / 2", "A / y / 1"};
	size_t r3[] = {4, 4, 4};
	CHECK(dc_comment_label(three, r3, 3, 0, true, 8, b, sizeof(b)));
	CHECK_STR(b, "A / x / *");
	CHECK(dc_comment_label(three, r3, 3, 2, true, 8, b, sizeof(b)));
	CHECK_STR(b, "A / * / *");
	/* A buffer too small gives no label rather than a cut one. */
	CHECK(!dc_comment_label(three, r3, 3, 0, true, 8, b, 4));
}

int
main(void)
{
	RUN(suppress_two_small_groups);
	RUN(suppress_empty_cells_protect_nobody);
	RUN(suppress_every_small_column);
	RUN(rest_needs_k);
	RUN(item_base);
	RUN(counts_while_open);
	RUN(comment_labels);
	return harness_done();
}
