/* Helpers shared by the stats_*.c files; not part of the module's API. */
#ifndef KOE_STATS_INTERNAL_H
#define KOE_STATS_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "koe/stats.h"

/* Scale scores are means of small integers, so a score that equals a
 * threshold mathematically equals it in floating point too; the tolerance
 * only guards against a future change in how scores are summed. */
#define STATS_EPS 1e-9

/* The 0.975 quantile of the standard normal (1.959963984540054). */
double stats_z975(void);

/* 95% Student t interval mean ± t(0.975, n − 1)·sd/√n for n ≥ 2.
 * KOE_EINVAL when GSL cannot compute the quantile. */
enum koe_err stats_t_ci(double mean, double sd, size_t n, double *lo,
                        double *hi);

/* The 0.975 quantile of Student's t with df (> 0, not necessarily whole)
 * degrees of freedom; NaN otherwise. */
double stats_t975(double df);

/* Two-sided p of a t statistic with df degrees of freedom, or of a z
 * statistic when df is NaN. */
double stats_two_sided_p(double stat, double df);

/* KOE_OK when the item metadata is usable. */
enum koe_err stats_meta_check(const struct stats_item_meta *m);

/* Index of answer v in the counts of stats_item (Likert: v − 1, NPS: v), or
 * false when v is not an integer answer of the item. v must not be NaN. */
static inline bool
stats_answer_index(const struct stats_item_meta *m, double v, size_t *idx)
{
	double lo = m->kind == STATS_NPS ? 0 : 1;
	double hi = m->kind == STATS_NPS ? 10 : m->npoints;
	if (!(v >= lo && v <= hi) || v != (double)(int)v)
		return false;
	*idx = (size_t)(v - lo);
	return true;
}

/* Fills out from the answer counts of one group. counts has
 * STATS_MAX_POINTS entries; m is borrowed and valid. */
enum koe_err stats_item_from_counts(const size_t *counts,
                                    const struct stats_item_meta *m,
                                    struct stats_item *out);

/* Wipes every figure of a hidden group (see stats.h). */
void stats_item_hide(struct stats_item *it, enum stats_shown why);
void stats_scale_hide(struct stats_scale *sc, enum stats_shown why);
void stats_prop_empty(struct stats_prop *p);
void stats_test_empty(struct stats_test *t, enum stats_status why);

/* Running sums of the scores of one group, shifted by a common centre c so
 * that the variance of any union or difference of groups can be formed
 * without cancellation (see stats_scale.c). */
struct stats_acc {
	size_t n, fav, unfav;
	double s1, s2;      /* Σ(x − c), Σ(x − c)² */
	double min, max;    /* to recognise a variance of exactly zero */
};

/* Figures of a scale from accumulated sums. c is the centre the sums were
 * shifted by. */
enum koe_err stats_scale_from_acc(const struct stats_acc *a, double c,
                                  int npoints, struct stats_scale *out);

/* Moments (n, mean, sample variance) from accumulated sums. */
void stats_moments_from_acc(const struct stats_acc *a, double c,
                            struct stats_moments *out);

/* Score thresholds of a 1..npoints scale. */
static inline double
stats_fav_threshold(int npoints)
{
	return (npoints + 1) / 2.0 + 0.5;
}

static inline double
stats_unfav_threshold(int npoints)
{
	return (npoints + 1) / 2.0 - 0.5;
}

/* Lists in idx[0..*m) the Likert items of scale s and sets *npoints; idx has
 * room for d->nitems. Checks the metadata of every item (KOE_EINVAL), not
 * the answers. */
enum koe_err stats_scale_items(const struct stats_data *d, size_t scale,
                               size_t *idx, size_t *m, int *npoints);

/* Cronbach's α of the m items idx[0..m) on complete cases; cnt and total are
 * scratch arrays of d->nresp entries. Answers must already be validated. */
enum koe_err stats_alpha_of(const struct stats_data *d, const size_t *idx,
                            size_t m, unsigned *cnt, double *total,
                            struct stats_alpha *out);

/* Scale score of every respondent for scale s, whose m items are listed in
 * idx[0..m). Answers must already be validated. out has nresp entries. */
void stats_scores_of(const struct stats_data *d, const size_t *idx, size_t m,
                     double *out, unsigned *cnt);

#endif
