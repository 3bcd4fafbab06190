/* koe — disclosure control: the one place that decides which numbers about
 * answers or participation may be released. "Nothing released subtracts to
 * fewer than k people", k being the questionnaire's [[MinGroup]].
 *
 * Pure functions, no I/O, no allocation. Used by the report (stats_report.c
 * and report.c, so the PDF and the JSON), `koe status` and `koe report`'s
 * summary line. Every rule below is applied identically wherever a number
 * is printed.
 *
 * Rules, each with the reason:
 *
 *  1. Complementary suppression (dc_suppress). Per breakdown column (the
 *     groups' respondent counts; per scale, the scale's n in each group; per
 *     item, the item's n in each group): a cell with 0 < n < k is hidden, an
 *     empty cell is hidden too (nothing to show) but protects nobody; then,
 *     while the hidden cells together hold 1..k−1 respondents, the smallest
 *     shown non-empty cell (lowest index on ties) is hidden as well. Reason:
 *     the hidden cells' sum is always recoverable as total − shown cells, so
 *     it is itself a figure and must be about 0 or at least k people. One
 *     step is always enough (a shown cell has at least k), but the loop does
 *     not rely on it. A group may be shown in one column and hidden in
 *     another.
 *
 *     A group's comparison with the rest of the company (diff, p, q, flag,
 *     hot spot) is released only when the rest also has at least k people
 *     (dc_rest_ok): "the rest" is a group too, and its figures follow from
 *     the company's and the group's by subtraction.
 *
 *  2. Differencing inside a report (dc_item_base). A scale score is the mean
 *     of its items over the scale's complete cases (respondents who answered
 *     every item of the scale). Scale figures, α and the drivers use exactly
 *     those respondents. An item of a scale is shown over its own respondents
 *     only when that set is the complete cases themselves, or has at least k
 *     more people; otherwise the item is computed over the complete cases
 *     (JSON "base": "scale"). Reason: a scale figure and an item figure over
 *     two sets that differ by 1..k−1 people subtract to those people's
 *     answers (a person who alone answered an optional item, or who alone
 *     skipped one, is solved exactly from n, mean and SD). Complete cases
 *     are a subset of every item's respondents, so the only difference a
 *     reader can form is own − complete, which this rule keeps at 0 or ≥ k.
 *
 *  3. Differencing across releases (dc_floor, dc_count_text). While a survey
 *     is open, interim reports release participation only (invited,
 *     responded, rate, per shown group) and no answer figure, and every
 *     responded count is rounded down to a multiple of k ("5未満" / "fewer
 *     than 5" for 1..k−1, "10+" for 10..14 with k = 5). Reason: two releases
 *     a few answers apart subtract to those answers; rounded counts of two
 *     releases differ by 0 or at least k, and an interim release holds no
 *     answer figure that the final report could be subtracted from. After
 *     `koe close` figures are exact, with the suppression of rule 1.
 *
 *  4. Comments (dc_comment_label). A comment is one person's own words, so
 *     naming its group needs [[MinGroupComments]] respondents (default 10,
 *     never below k). A comment from a smaller group carries the next
 *     coarser label whose matching groups together reach that many
 *     respondents (the last specific dimension becomes "*"), or no label.
 *
 *  5. Margins (dc_suppress_margins). A margin pools the *shown* groups
 *     that share one value of a breakdown dimension (営業部 over every
 *     tenure band): margin − shown cells would otherwise give the hidden
 *     cells back, and with them what their complementary suppression
 *     protected, so a group hidden in any column of the scale is left out
 *     (report_findings.c). A margin is hidden when it has fewer than k
 *     people itself (or, kept as a second guard, when hidden cells inside
 *     it would hold 1..k−1 people). Groups merged in
 *     that dimension ("*") form a margin that is never shown but counts
 *     as hidden. Then, per dimension, rule 1's complementary step: while
 *     the hidden margins hold 1..k−1 people, the smallest shown margin is
 *     hidden too.
 *
 * What this cannot hide: when everyone in a shown group gives the same
 * answer, the figure reveals each member's answer (README, threat model). */
#ifndef KOE_DC_H
#define KOE_DC_H

#include <stdbool.h>
#include <stddef.h>

#include "koe/err.h"
#include "koe/stats.h"

/* The default of [[MinGroupComments]]. */
#define DC_MIN_GROUP_COMMENTS_DEFAULT 10

/* Rule 1 over one column. sizes[0..n) borrowed; shown[0..n) is the
 * caller's. KOE_EINVAL when k == 0. */
enum koe_err dc_suppress(const size_t *sizes, size_t n, size_t k, enum stats_shown *shown);

/* Rule 5 over the margins of one dimension: sizes[0..n) the margins'
 * people, forced[0..n) margins hidden whatever their size (merged "*", or
 * hidden cells inside holding 1..k−1 people). shown[0..n) is the
 * caller's. KOE_EINVAL when k == 0. */
enum koe_err dc_suppress_margins(const size_t *sizes, const bool *forced, size_t n, size_t k,
                                 enum stats_shown *shown);

/* Rule 5: whether the hidden cells inside one margin, in one column, hold
 * 1..k−1 people. */
bool dc_margin_inside_bad(size_t hidden_inside, size_t k);

/* Rule 1: whether a comparison of a group of group_n people against the
 * other total_n − group_n may be released. */
bool dc_rest_ok(size_t total_n, size_t group_n, size_t k);

/* Rule 2: whether an item of a scale is computed over the scale's complete
 * cases (true) or over its own respondents (false). own: respondents of the
 * item; complete: the scale's complete cases (a subset of them). */
bool dc_item_on_complete_cases(size_t own, size_t complete, size_t k);

/* Rule 3: n rounded down to a multiple of k (k == 0: n). */
size_t dc_floor(size_t n, size_t k);

/* Rule 3: a responded count as people read it. exact: the number itself.
 * Otherwise (survey open): "0", "5未満" / "fewer than 5" for 1..k−1, else
 * the count rounded down to a multiple of k with "+" ("10+"). Writes at most
 * cap bytes into buf and returns buf. */
const char *dc_count_text(size_t n, size_t k, bool exact, bool en, char *buf, size_t cap);

/* Rule 4: the label a comment from group g may carry. labels[0..n) are the
 * groups' stored labels (dimension values joined with " / ", "*" where
 * generalized); resp[0..n) their respondent counts; min_comments is
 * [[MinGroupComments]]. Starting from g's own label, while the groups
 * matching the label (equal in every dimension that is not "*") hold fewer
 * than min_comments respondents, the last dimension that is not "*" becomes
 * "*". Writes the label into buf and returns true, or returns false: no
 * label (every dimension generalized, or buf too small). A label equal to
 * g's own is only used when shown_own says g's figures are shown. */
bool dc_comment_label(const char *const *labels, const size_t *resp, size_t n, size_t g,
                      bool shown_own, size_t min_comments, char *buf, size_t cap);

#endif
