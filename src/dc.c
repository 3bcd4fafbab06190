/* Disclosure control; the rules and their reasons are in include/koe/dc.h. */
#include <stdio.h>
#include <string.h>

#include "koe/dc.h"

/* Rule 1's step, one implementation for cells and margins: the primary
 * status of each cell (below k, or forced by the caller), then, while the
 * hidden cells hold 1..k−1 people together (their sum is total − shown
 * cells), the smallest shown non-empty cell is hidden too. Hiding a shown
 * cell (≥ k) always ends the loop. */
static enum koe_err
suppress(const size_t *sizes, const bool *forced, size_t n, size_t k, enum stats_shown *shown)
{
	size_t hidden = 0;

	if (k == 0)
		return KOE_EINVAL;
	for (size_t g = 0; g < n; g++) {
		shown[g] = sizes[g] < k                ? STATS_HIDDEN_BELOW_K
		           : forced != NULL && forced[g] ? STATS_HIDDEN_COMPLEMENTARY
		                                         : STATS_SHOWN;
		if (shown[g] != STATS_SHOWN)
			hidden += sizes[g];
	}
	while (hidden > 0 && hidden < k) {
		size_t best = n;
		for (size_t g = 0; g < n; g++)
			if (shown[g] == STATS_SHOWN && sizes[g] > 0 &&
			    (best == n || sizes[g] < sizes[best]))
				best = g;
		if (best == n)
			break; /* nothing left to hide: the total itself is < k */
		shown[best] = STATS_HIDDEN_COMPLEMENTARY;
		hidden += sizes[best];
	}
	return KOE_OK;
}

enum koe_err
dc_suppress(const size_t *sizes, size_t n, size_t k, enum stats_shown *shown)
{
	return suppress(sizes, NULL, n, k, shown);
}

enum koe_err
dc_suppress_margins(const size_t *sizes, const bool *forced, size_t n, size_t k,
                    enum stats_shown *shown)
{
	return suppress(sizes, forced, n, k, shown);
}

bool
dc_margin_inside_bad(size_t hidden_inside, size_t k)
{
	return hidden_inside > 0 && hidden_inside < k;
}

bool
dc_rest_ok(size_t total_n, size_t group_n, size_t k)
{
	return group_n <= total_n && total_n - group_n >= k;
}

bool
dc_item_on_complete_cases(size_t own, size_t complete, size_t k)
{
	if (complete >= own)
		return false; /* the same set */
	return own - complete < k;
}

size_t
dc_floor(size_t n, size_t k)
{
	return k ? n / k * k : n;
}

const char *
dc_count_text(size_t n, size_t k, bool exact, bool en, char *buf, size_t cap)
{
	if (cap == 0)
		return buf;
	if (exact || n == 0)
		snprintf(buf, cap, "%zu", n);
	else if (n < k)
		snprintf(buf, cap, en ? "fewer than %zu" : "%zu未満", k);
	else
		snprintf(buf, cap, "%zu+", dc_floor(n, k));
	return buf;
}

#define DC_MAX_DIMS 16
#define DC_SEP " / "

/* Splits a label into its dimensions (pointers into s, lengths). */
static size_t
split(const char *s, const char **part, size_t *len)
{
	size_t n = 0;
	for (;;) {
		const char *end = strstr(s, DC_SEP);
		if (n == DC_MAX_DIMS)
			return 0;
		part[n] = s;
		len[n++] = end ? (size_t)(end - s) : strlen(s);
		if (end == NULL)
			return n;
		s = end + strlen(DC_SEP);
	}
}

static bool
is_star(const char *p, size_t l)
{
	return l == 1 && p[0] == '*';
}

bool
dc_comment_label(const char *const *labels, const size_t *resp, size_t n, size_t g,
                 bool shown_own, size_t min_comments, char *buf, size_t cap)
{
	const char *pat[DC_MAX_DIMS], *oth[DC_MAX_DIMS];
	size_t plen[DC_MAX_DIMS], olen[DC_MAX_DIMS];
	bool star[DC_MAX_DIMS];
	size_t nd;
	bool own = true;

	if (g >= n || labels[g] == NULL || (nd = split(labels[g], pat, plen)) == 0)
		return false;
	for (size_t d = 0; d < nd; d++)
		star[d] = is_star(pat[d], plen[d]);
	for (;;) {
		size_t count = 0, last = nd;
		bool all = true;
		for (size_t d = 0; d < nd; d++)
			if (!star[d]) {
				all = false;
				last = d;
			}
		if (all)
			return false;
		if (own) {
			count = resp[g];
		} else {
			for (size_t h = 0; h < n; h++) {
				bool match = labels[h] && split(labels[h], oth, olen) == nd;
				for (size_t d = 0; match && d < nd; d++)
					match = star[d] || (olen[d] == plen[d] &&
					                    memcmp(oth[d], pat[d], plen[d]) == 0);
				if (match)
					count += resp[h];
			}
		}
		if (count >= min_comments && (!own || shown_own))
			break;
		star[last] = true;
		own = false;
	}
	size_t len = 0;
	for (size_t d = 0; d < nd; d++) {
		const char *p = star[d] ? "*" : pat[d];
		size_t l = star[d] ? 1 : plen[d];
		size_t sl = d ? strlen(DC_SEP) : 0;
		if (len + sl + l + 1 > cap)
			return false;
		memcpy(buf + len, DC_SEP, sl);
		len += sl;
		memcpy(buf + len, p, l);
		len += l;
	}
	buf[len] = '\0';
	return true;
}
