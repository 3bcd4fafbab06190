/* koe — report statistics (docs/ARCHITECTURE.md §7) over an in-memory answer matrix.
 *
 * Pure functions: arrays in, structs out; no I/O, no database, no global state
 * beyond GSL's error handler, which stats_init() switches off once (every
 * function here calls it, so callers need not). This is the only module that
 * calls GSL; every GSL failure is converted to an enum koe_err or a figure
 * status at this boundary.
 *
 * NaN never stands for "not computable" on its own: every figure that can be
 * undefined comes with an enum stats_status saying why, and each struct
 * documents which fields its status covers. NaN in the *input* matrix means
 * "not answered".
 *
 * A report holds nothing of a hidden group: the figures of a group that
 * suppression hides are wiped (counts 0, values NaN, status STATS_NO_DATA,
 * shown says why), so no writer can leak them by mistake.
 *
 * Decisions docs/ARCHITECTURE.md §7 leaves open:
 *
 *  - Reverse items. Item figures (n, mean, SD, CI, counts per point) describe
 *    the answers as given, so a chart labelled with the answer texts shows what
 *    people ticked. Favorable/unfavorable are in the scored direction: the top
 *    two points, or the bottom two for a reverse item, which is the top two
 *    after rescoring N+1−x. Scale scores, α and everything built on them use
 *    the rescored values. On 2- and 3-point items the "top two" would reach
 *    the midpoint or the whole scale, so there it is the top point.
 *  - All answers equal: SD 0 is a valid figure and its t CI is the single
 *    point [mean, mean]; α, r, the OLS and the Welch test divide by that
 *    variance and report STATS_NO_VARIANCE instead.
 *  - NPS items also fill the Likert-style fields: fav = promoters (9–10),
 *    unfav = detractors (0–6), neutral = passives, so rejoin attitude can
 *    treat an NPS item like a Likert item. NPS items never enter scale scores.
 *    The NPS CI is clamped to [−100, 100].
 *  - Disclosure control is include/koe/dc.h; stats_suppress is its
 *    dc_suppress. Scale scores, α and drivers use each scale's complete
 *    cases; an item of a scale is computed over those complete cases when
 *    its own respondents are 1..k−1 more (item_on_cc); a comparison with
 *    the rest of the company is computed only when the rest has ≥ k.
 *  - Suppression (stats_suppress): groups with n < k are hidden; then, while
 *    the hidden groups together hold between 1 and k−1 respondents, the
 *    smallest shown group (lowest index on ties) is hidden too. The union of
 *    the hidden groups is itself recoverable as total − shown, so it must hold
 *    at least k people as well; this covers "exactly one hidden group" and
 *    "several tiny hidden groups". Empty groups are hidden (nothing to show)
 *    but protect nobody. With two groups, one hidden hides both. In
 *    stats_report the sizes are the n of the figure in question (answers to
 *    that item, respondents with that scale score), so an optional item may
 *    hide a cell that a required one shows.
 *  - Segment comparison tests a shown segment against the rest of the
 *    company (all other respondents with a score), not against the company
 *    total, which would contain the segment itself.
 *  - Morale hot spots: pooled two-proportion z-test of the segment's risk
 *    share against the rest of the company, one-sided (H1: segment > rest),
 *    because the report only names segments *above* the company rate. It is
 *    what R's prop.test(alternative = "greater", correct = FALSE) computes.
 *    The Benjamini–Hochberg family of a report is every Welch test and every
 *    hot-spot test it computes; a hot spot is q < 0.05.
 *  - Drivers: Pearson r of support with every other scale and every NPS item
 *    (pairwise complete); the OLS uses the other scales only, on complete
 *    cases, and only with at least 10 complete cases per driver.
 *
 * One report uses one breakdown (one group index per respondent). Computing
 * several overlapping breakdowns (department, and department × tenure) from
 * the same responses needs suppression across them, which this module does
 * not do: complementary suppression protects within a breakdown only. */
#ifndef KOE_STATS_H
#define KOE_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "koe/err.h"

#define STATS_MAX_POINTS      11        /* Likert 1..11 or NPS 0..10 */
#define STATS_MAX_RESPONDENTS 10000000  /* bounds every count and allocation */
#define STATS_MAX_ITEMS       10000
#define STATS_MAX_SCALES      1000
#define STATS_MAX_GROUPS      100000
#define STATS_OLS_PER_DRIVER  10        /* complete cases needed per driver */
#define STATS_DOMINANCE_MAX   8         /* dominance analysis: 2^8 subsets */

/* Why a figure is missing; each struct says which of its fields are NaN for
 * which status. */
enum stats_status {
	STATS_OK = 0,
	STATS_NO_DATA,     /* no observations at all */
	STATS_TOO_FEW,     /* fewer observations than the figure needs (SD: 2,
	                      CI of r: 4, α: 2 items and 2 complete cases, OLS:
	                      STATS_OLS_PER_DRIVER per driver) */
	STATS_NO_VARIANCE, /* a variance it divides by is zero (e.g. everyone
	                      gave the same answer) */
	STATS_SINGULAR,    /* drivers are (nearly) collinear: no unique OLS fit */
};

/* Whether a group's figure may be shown (k-anonymity of the report). */
enum stats_shown {
	STATS_SHOWN = 0,
	STATS_HIDDEN_BELOW_K,       /* the group has fewer than k respondents */
	STATS_HIDDEN_COMPLEMENTARY, /* hidden so that no hidden group can be
	                               recovered by subtraction from the total */
	STATS_HIDDEN_INTERIM,       /* an answer figure of an interim report,
	                               which releases participation only */
};

enum stats_kind {
	STATS_LIKERT, /* integer answers 1..npoints */
	STATS_NPS,    /* integer answers 0..10 */
};

enum stats_role {
	STATS_ROLE_NONE = 0,
	STATS_ROLE_SUPPORT,
	STATS_ROLE_REJOIN,
	STATS_ROLE_MORALE,
};

struct stats_item_meta {
	enum stats_kind kind;
	int npoints;          /* Likert: 2..STATS_MAX_POINTS; ignored for NPS */
	bool reverse;         /* Likert: scored npoints + 1 − x */
	int scale;            /* Likert: index of its scale, or −1; NPS: −1 */
	enum stats_role role; /* NPS: e.g. a rejoin NPS item; Likert: ignored
	                         (the scale's role applies) */
};

/* The answers of a survey. Everything is borrowed for the duration of the
 * call it is passed to. */
struct stats_data {
	size_t nresp;
	size_t nitems;
	/* Column-major nresp × nitems: the answer of respondent r to item j is
	 * x[j * nresp + r], as given (not reverse coded); NaN = not answered. */
	const double *x;
	const struct stats_item_meta *items; /* nitems */
	size_t nscales;
	const enum stats_role *scale_role;   /* nscales; each role at most once */
	/* Breakdown: group[r] in [0, ngroups) is respondent r's segment. May be
	 * NULL when ngroups is 0 (no breakdown). */
	const int *group;
	size_t ngroups;
	size_t k; /* minimum group size, at least 1 */
};

/* A share with its 95% Wilson score interval. */
struct stats_prop {
	size_t x, n;
	double p, lo, hi;
	enum stats_status status; /* STATS_NO_DATA when n == 0 */
};

/* Figures of one item (Likert or NPS) over one group of respondents. */
struct stats_item {
	enum stats_kind kind;
	enum stats_shown shown;
	size_t n;                         /* answers */
	size_t counts[STATS_MAX_POINTS];  /* Likert: [x − 1]; NPS: [x] */
	/* Raw answers; 95% t interval. status NO_DATA (n == 0): all NaN;
	 * TOO_FEW (n == 1): mean set, sd and CI NaN; OK: all set, and SD 0 (all
	 * answers equal) gives the degenerate CI ci_lo == ci_hi == mean. */
	double mean, sd, ci_lo, ci_hi;
	enum stats_status status;
	/* Likert: the top two scored points (top one on a 2- or 3-point item,
	 * where two would reach the midpoint); NPS: promoters. */
	struct stats_prop fav;
	struct stats_prop unfav;          /* bottom two (one) / detractors */
	double neutral;                   /* 1 − fav − unfav; NaN when n == 0 */
	/* NPS only (NaN for Likert): 100·(p_P − p_D) and its 95% CI. */
	double nps, nps_lo, nps_hi;
	bool fpc;                         /* intervals carry the finite-population
	                                     correction (stats_item_fpc) */
};

/* Figures of one scale score over one group of respondents. */
struct stats_scale {
	enum stats_shown shown;
	int npoints;
	size_t n;                      /* respondents with a score */
	double mean, sd, ci_lo, ci_hi; /* as for stats_item */
	enum stats_status status;
	struct stats_prop fav;         /* score ≥ neutral + 0.5 */
	struct stats_prop unfav;       /* score ≤ neutral − 0.5 (morale risk) */
	bool fpc;                      /* intervals carry the finite-population
	                                  correction (stats_scale_fpc) */
};

/* Cronbach's α of a scale on complete cases. */
struct stats_alpha {
	size_t m;                 /* items */
	size_t n;                 /* complete cases */
	double alpha;
	enum stats_status status; /* TOO_FEW when m < 2 or n < 2; NO_VARIANCE
	                             when the total score does not vary */
};

/* Mean and sample variance of a group, the input of stats_welch(). */
struct stats_moments {
	size_t n;
	double mean, var;
};

/* A two-sample test. For Welch: stat = t, df = Welch–Satterthwaite degrees
 * of freedom, two-sided p. For the proportion test: stat = z, df = NaN,
 * one-sided p. q and flagged are filled by stats_bh over the report. */
struct stats_test {
	double diff;  /* first group minus second */
	double stat, df, p, q;
	bool flagged; /* q < 0.05 */
	enum stats_status status; /* TOO_FEW (a group with n < 2 for Welch, 0
	                             for proportions), NO_VARIANCE */
};

/* Pearson correlation with its 95% Fisher z interval. */
struct stats_corr {
	size_t n;                 /* pairwise complete cases */
	double r, lo, hi, p;      /* p: two-sided test of r = 0 (t, n − 2 df) */
	enum stats_status status; /* TOO_FEW when n < 4, NO_VARIANCE */
};

/* OLS of a standardized outcome on standardized predictors. */
struct stats_ols {
	size_t npred;
	size_t n;        /* complete cases */
	size_t needed;   /* STATS_OLS_PER_DRIVER × npred */
	double r2;       /* NaN unless status is STATS_OK */
	enum stats_status status; /* NO_DATA: no predictors; TOO_FEW: not
	                             computed, n < needed; NO_VARIANCE;
	                             SINGULAR */
};

enum stats_driver_kind { STATS_DRIVER_SCALE, STATS_DRIVER_NPS };

struct stats_driver {
	enum stats_driver_kind kind;
	size_t index;           /* scale index or item index */
	struct stats_corr corr; /* with the support scale score */
	double beta;            /* standardized OLS coefficient; NaN for NPS
	                           drivers and when the OLS was not computed */
	double dominance_lo, dominance_hi; /* its 95% percentile bootstrap
	                                      interval, or NaN */
	double dominance;       /* general dominance weight (share of the OLS
	                           R² this driver accounts for, averaged over
	                           all subsets of the other drivers); NaN for
	                           NPS drivers, without an OLS, or with more
	                           than STATS_DOMINANCE_MAX scale drivers */
};

/* The segment comparison of one scale and one group: that group against
 * everyone else with a score. */
struct stats_compare {
	enum stats_shown shown;  /* of the group's scale figures; the test is
	                            only computed (and in the BH family) when
	                            shown */
	struct stats_moments group, rest;
	struct stats_test welch;
};

/* Morale risk of one group: its share of respondents with an unfavorable
 * morale score against the rest, one-sided. */
struct stats_hotspot {
	enum stats_shown shown;
	struct stats_prop share;
	struct stats_test test;  /* diff = share − rest share */
	bool hot;                /* test.flagged */
};

/* Pooled item-level shares of a scale over a set of respondents: every
 * answer to the scale's items counts once (an item computed over the
 * scale's complete cases, item_on_cc, counts only for them), so fav is the
 * answer-weighted mean of the item shares. The Wilson intervals are taken
 * at the pooled share with n = people (the worst-case design effect: one
 * person's answers to a scale go together), so they are conservative. */
struct stats_pooled {
	enum stats_shown shown;
	size_t nitems;          /* items of the scale */
	size_t answers;         /* answers pooled */
	size_t people;          /* respondents with at least one pooled answer */
	size_t fav_x, unfav_x;  /* favorable / unfavorable answers */
	double fav, neutral, unfav;                 /* shares of the answers */
	double fav_lo, fav_hi, unfav_lo, unfav_hi;  /* 95% Wilson at n = people */
	enum stats_status status; /* NO_DATA when answers == 0 (shares NaN) */
	bool fpc;               /* intervals carry the finite-population
	                           correction (stats_pooled_fpc) */
};

/* Pooled counts of one group. */
struct stats_pool_acc {
	size_t answers, fav, unfav, people;
};

/* Every figure of docs/ARCHITECTURE.md §7 for one data set and one breakdown. Arrays
 * indexed [a * ngroups + g] hold group g of item or scale a. All memory is
 * owned by the report; free it with stats_report_free(). */
struct stats_report {
	size_t nresp, nitems, nscales, ngroups, k;
	enum stats_shown shown;         /* the company as a whole: nresp ≥ k */
	size_t *group_n;                /* ngroups: respondents per group; 0
	                                   when the group is hidden */
	enum stats_shown *group_shown;  /* ngroups: by respondent counts */

	struct stats_item *items;          /* nitems, everyone */
	/* nitems: the item is computed over its scale's complete cases rather
	 * than its own respondents, in items[] and items_by_group[] alike
	 * (include/koe/dc.h, rule 2). */
	bool *item_on_cc;
	struct stats_item *items_by_group; /* nitems × ngroups */
	/* nitems × ngroups: each group's n of the item before suppression, for
	 * the margin rule of include/koe/dc.h (rule 5). Never write it out. */
	size_t *item_group_n;

	/* nscales × nresp, [s * nresp + r]; NaN = no score. Individual data,
	 * needed for drivers and distributions: never write it out. */
	double *scores;
	struct stats_scale *scales;          /* nscales */
	struct stats_scale *scales_by_group; /* nscales × ngroups */
	struct stats_alpha *alphas;          /* nscales; TOO_FEW also when
	                                        fewer than k complete cases */
	struct stats_compare *compare;       /* nscales × ngroups */

	int support_scale, rejoin_scale, morale_scale; /* or −1 */

	/* nscales: pooled item-level shares of the company (stats_pooled);
	 * shown as the company is. */
	struct stats_pooled *pooled;
	/* nscales × max(ngroups, 1), [s * ngroups + g]: pooled counts of every
	 * group, hidden ones too, for margins over groups that share a
	 * dimension value (the report applies include/koe/dc.h to those).
	 * Never write these out. */
	struct stats_pool_acc *pool_by_group;

	/* Rejoin attitude: the items of the rejoin scale, then every NPS item
	 * with role STATS_ROLE_REJOIN, as indices into items[] in item order.
	 * Their distributions and favorable shares are items[] and
	 * items_by_group[]; the scale's are scales[rejoin_scale] and
	 * scales_by_group[]. */
	size_t *rejoin_items;
	size_t nrejoin_items;

	/* Drivers of support: the other scales in scale order, then the NPS
	 * items in item order. Empty when there is no support scale. A
	 * correlation over fewer than k pairs is reported as STATS_TOO_FEW,
	 * and so is the OLS over fewer than k complete cases. */
	struct stats_driver *drivers;
	size_t ndrivers;
	struct stats_ols ols;

	/* Morale risk: overall is scales[morale_scale].unfav. Empty (NULL)
	 * when there is no morale scale. */
	struct stats_hotspot *hotspots; /* ngroups */

	size_t ntests; /* size of the Benjamini–Hochberg family */
};

/* Switches GSL's abort-on-error handler off, once per process; thread safe
 * and idempotent. Every stats_ function calls it itself. */
void stats_init(void);

/* x of n with a 95% Wilson score interval. KOE_EINVAL when x > n. n == 0
 * gives status STATS_NO_DATA. out is the caller's. */
enum koe_err stats_proportion(size_t x, size_t n, struct stats_prop *out);

/* Figures of one item over n answers col[0..n) (NaN = not answered).
 * col and meta are borrowed; out is the caller's and fully written (shown
 * is STATS_SHOWN: suppression is the caller's decision). KOE_EINVAL when an
 * answer is not an integer in the item's range or the metadata is bad. */
enum koe_err stats_item_compute(const double *col, size_t n,
                                const struct stats_item_meta *meta,
                                struct stats_item *out);

/* Writes the score of scale s for every respondent into scores[0..nresp):
 * the mean of its items after reverse coding for the scale's complete cases
 * (respondents who answered every item), else NaN (include/koe/dc.h,
 * rule 2). d is borrowed; scores is the caller's. */
enum koe_err stats_scale_scores(const struct stats_data *d, size_t scale,
                                double *scores);

/* Figures of a scale from n scores (NaN = none) on a 1..npoints scale.
 * scores is borrowed; out is the caller's (shown is STATS_SHOWN). */
enum koe_err stats_scale_compute(const double *scores, size_t n, int npoints,
                                 struct stats_scale *out);

/* Cronbach's α of scale s on the respondents who answered all its items.
 * d is borrowed; out is the caller's. */
enum koe_err stats_alpha(const struct stats_data *d, size_t scale,
                         struct stats_alpha *out);

/* Welch's two-sided t-test of a against b from their moments. diff is
 * a.mean − b.mean. a, b borrowed; out is the caller's; q is NaN. */
enum koe_err stats_welch(const struct stats_moments *a,
                         const struct stats_moments *b, struct stats_test *out);

/* One-sided pooled two-proportion z-test of H1: x1/n1 > x2/n2. out is the
 * caller's; q is NaN. KOE_EINVAL when x > n. */
enum koe_err stats_prop_greater(size_t x1, size_t n1, size_t x2, size_t n2,
                                struct stats_test *out);

/* Benjamini–Hochberg adjusted p-values (R's p.adjust "BH") of p[0..n) into
 * q[0..n); p and q may be the same array. Both are the caller's. KOE_EINVAL
 * when a p is not in [0, 1]; KOE_ENOMEM. */
enum koe_err stats_bh(const double *p, size_t n, double *q);

/* Pearson r of x and y over the indices where both are not NaN, with Fisher
 * z CI. x, y borrowed (n each); out is the caller's. */
enum koe_err stats_corr(const double *x, const double *y, size_t n,
                        struct stats_corr *out);

/* OLS of y on the npred predictors x[0..npred) (each n values; NaN =
 * missing), all standardized on the complete cases, so the coefficients are
 * standardized betas and there is no intercept. Not computed (STATS_TOO_FEW,
 * betas NaN) with fewer than STATS_OLS_PER_DRIVER × npred complete cases.
 * y and x are borrowed; beta[0..npred) and out are the caller's.
 * KOE_ENOMEM. */
enum koe_err stats_ols(const double *y, const double *const *x, size_t npred,
                       size_t n, double *beta, struct stats_ols *out);

/* A percentile bootstrap: resamples of the complete cases, drawn with a
 * fixed generator from seed (0: a built-in seed), so a report is
 * reproducible. */
struct stats_boot {
	size_t resamples;
	uint64_t seed;
};

#define STATS_BOOT_RESAMPLES 200

/* General dominance weights (Azen & Budescu 2003) of the npred ≤
 * STATS_DOMINANCE_MAX predictors over the same complete cases and with the
 * same refusals as stats_ols (whose status, n and R² out receives): for
 * each predictor, the mean over subset sizes of its mean gain in R² over
 * the subsets of the others of that size. They add up to the full R².
 * freq[0..n) (or NULL: once each) counts each respondent that many times
 * (to check one resample against an independent computation). With boot,
 * lo/hi receive the 2.5% and 97.5% percentiles (R's quantile type 7) of
 * the weights over the resamples that are not degenerate; else NaN. More
 * predictors: status STATS_TOO_FEW, all NaN. gd, lo, hi (npred each) and
 * out are the caller's. KOE_ENOMEM. */
enum koe_err stats_dominance(const double *y, const double *const *x, size_t npred, size_t n,
                             const unsigned *freq, const struct stats_boot *boot, double *gd,
                             double *lo, double *hi, struct stats_ols *out);

/* R's quantile(v, prob, type = 7); sorts v[0..m) in place. KOE_EINVAL for
 * m == 0 or prob outside [0, 1]. */
enum koe_err stats_quantile7(double *v, size_t m, double prob, double *out);

/* Decides which groups of a breakdown may be shown (rule at the top of this
 * file). sizes[0..ngroups) borrowed; shown[0..ngroups) is the caller's.
 * KOE_EINVAL when k == 0. */
enum koe_err stats_suppress(const size_t *sizes, size_t ngroups, size_t k,
                            enum stats_shown *shown);

/* Computes every figure of the report. d and everything it points to are
 * borrowed for the call. On success *out is set; the caller frees it with
 * stats_report_free(). KOE_EINVAL for bad metadata or answers out of range,
 * KOE_ETOOBIG beyond the STATS_MAX_* limits, KOE_ENOMEM; *out is NULL then. */
enum koe_err stats_report_compute(const struct stats_data *d,
                                  struct stats_report **out);

/* 95% Wilson score interval of a share p with a (possibly fractional) base
 * n: R's prop.test(p * n, n, correct = FALSE) interval. n == 0 gives NaNs;
 * KOE_EINVAL for p outside [0, 1]. lo, hi are the caller's. */
enum koe_err stats_wilson(double p, double n, double *lo, double *hi);

/* Pooled counts of scale s per group of d (acc has d->ngroups entries, or
 * one when d->group is NULL). on_cc[nitems] (or NULL): items counted only
 * for the scale's complete cases, those with a score in scores[nresp].
 * *nitems receives the scale's item count. KOE_EINVAL for bad answers. */
enum koe_err stats_pool_counts(const struct stats_data *d, size_t scale, const bool *on_cc,
                               const double *scores, struct stats_pool_acc *acc,
                               size_t *nitems);

/* Applies the finite-population correction to p's intervals: Wilson at
 * the effective n = people · (N − 1) / (N − people), N = population (the
 * people the figure describes, e.g. everyone invited); with everyone
 * answering the interval is the share itself. KOE_EINVAL when p has no
 * figure or population < people. */
enum koe_err stats_pooled_fpc(struct stats_pooled *p, double population);

/* The same correction for a share (KOE_OK and unchanged when it has no
 * figure), an item (t interval, both shares, the NPS interval) and a scale
 * (t interval and both shares), each of n answers out of population
 * people; KOE_EINVAL when population < n. */
enum koe_err stats_prop_fpc(struct stats_prop *p, double population);
enum koe_err stats_item_fpc(struct stats_item *it, double population);
enum koe_err stats_scale_fpc(struct stats_scale *sc, double population);

/* The pooled shares of accumulated counts (shown: STATS_SHOWN). */
enum koe_err stats_pooled_from(const struct stats_pool_acc *a, size_t nitems,
                               struct stats_pooled *out);

/* Frees a report. Accepts NULL. */
void stats_report_free(struct stats_report *r);

/* Wipes every answer figure of r (items, scales, α, comparisons, hot spots,
 * drivers) and marks it STATS_HIDDEN_INTERIM, keeping only the respondent
 * counts per group and their suppression: what an interim report may show
 * (include/koe/dc.h, rule 3). */
void stats_report_participation_only(struct stats_report *r);

/* Short English names for logs and JSON: "ok", "no_data", …; "shown",
 * "below_k", "complementary". Static strings, never NULL. */
const char *stats_status_name(enum stats_status s);
const char *stats_shown_name(enum stats_shown s);

/* ---- Changes since an earlier survey (README, "Comparing with an earlier
 * survey"). Two waves are different surveys with independent samples; each
 * figure's change is now minus previous with a 95% interval, and marked
 * when the interval excludes zero. The inputs are figures both reports
 * released, never raw answers. */

struct stats_change {
	double prev, cur;         /* the two figures (shares as fractions) */
	double diff, lo, hi;      /* cur − prev and its 95% interval */
	double stat, df, p;       /* z (df NaN) or Welch t; two-sided p */
	enum stats_status status; /* TOO_FEW (a wave with n = 0, or n < 2 for
	                             a mean), NO_VARIANCE (the standard error
	                             is 0: both shares 0 or both 1, constant
	                             answers); diff is set even then, stat and
	                             p are NaN, and so is the interval except a
	                             share's (Newcombe's needs no variance) */
	bool marked;              /* OK and the interval excludes 0 */
};

/* A share p (0..1) of n people in each wave. Interval: Newcombe's hybrid
 * score interval (from the two Wilson intervals; sound at shares of 0 and
 * 1, where the Wald interval collapses); test: the pooled two-proportion z
 * test (R's prop.test(correct = FALSE)), with p·n as the count, so pooled
 * shares (whose n is the number of people) work too. KOE_EINVAL when a
 * share is outside [0, 1] or not finite. */
enum koe_err stats_change_share(double p1, size_t n1, double p2, size_t n2,
                                struct stats_change *out);

/* A mean of n answers with sample variance var in each wave: Welch's t
 * from the summary statistics, interval diff ± t(0.975, df)·se. KOE_EINVAL
 * for a negative or non-finite input. */
enum koe_err stats_change_mean(const struct stats_moments *prev,
                               const struct stats_moments *cur,
                               struct stats_change *out);

/* An NPS (−100..100) of n people with promoter and detractor shares in each
 * wave: the multinomial variance 100²·(P + D − (P − D)²)/n of each wave,
 * interval diff ± z·se, z test. KOE_EINVAL for shares outside [0, 1] or
 * P + D > 1. */
enum koe_err stats_change_nps(double pro1, double det1, size_t n1, double pro2,
                              double det2, size_t n2, struct stats_change *out);

#endif
