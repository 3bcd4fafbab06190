/* Page 1's figures (README, "Page 1: findings"): for each role its scale's
 * pooled item-level shares (stats_report.pooled), the same pooled over the
 * groups sharing a value of each breakdown dimension (margins, disclosure
 * control by include/koe/dc.h rule 5), and the largest differences between
 * margins, chosen by the rule below. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "koe/dc.h"
#include "report_internal.h"

#define SEP " / "

double
report_role_share(enum report_role role, const struct stats_pooled *p)
{
	return role == REPORT_MORALE ? p->unfav : p->fav;
}

/* The first number in s (digits, optionally with a decimal point), or
 * false. */
static bool
first_number(const char *s, double *v)
{
	for (; *s; s++)
		if (*s >= '0' && *s <= '9') {
			*v = strtod(s, NULL);
			return true;
		}
	return false;
}

/* −1 for "less than N" labels, +1 for "N or more", else 0. */
static int
bound_side(const char *s)
{
	if (strstr(s, "未満") || strstr(s, "以下") || strstr(s, "under") || strstr(s, "Under") ||
	    strstr(s, "less than") || strstr(s, "<"))
		return -1;
	if (strstr(s, "以上") || strstr(s, "超") || strstr(s, "or more") || strstr(s, "+") ||
	    strstr(s, "over") || strstr(s, "Over"))
		return 1;
	return 0;
}

int
report_value_cmp(const char *a, const char *b)
{
	bool sa = strcmp(a, "*") == 0, sb = strcmp(b, "*") == 0;
	double va, vb;
	if (sa || sb)
		return sa - sb;
	bool na = first_number(a, &va), nb = first_number(b, &vb);
	if (na != nb)
		return na ? -1 : 1;
	if (na) {
		if (va != vb)
			return va < vb ? -1 : 1;
		int ba = bound_side(a), bb = bound_side(b);
		if (ba != bb)
			return ba < bb ? -1 : 1;
	}
	return strcmp(a, b);
}

/* Part d of a stored label ("営業部 / 1-3年"), copied to the arena. */
static const char *
label_part(struct report *r, const char *label, size_t d)
{
	const char *p = label;
	for (size_t i = 0; i < d; i++) {
		const char *e = strstr(p, SEP);
		if (e == NULL)
			return "*";
		p = e + strlen(SEP);
	}
	const char *e = strstr(p, SEP);
	return arena_strndup(&r->arena, p, e ? (size_t)(e - p) : strlen(p));
}

static const char *
dim_display(const struct report *r, const char *key)
{
	if (strcmp(key, "department") == 0)
		return REPORT_TR(r, "部署", "Department");
	if (strcmp(key, "tenure") == 0)
		return REPORT_TR(r, "勤続年数", "Tenure");
	return key;
}

static int
margin_cmp(const void *a, const void *b)
{
	const struct report_margin *x = a, *y = b;
	if (x->dim != y->dim)
		return x->dim < y->dim ? -1 : 1;
	return report_value_cmp(x->value, y->value);
}

static int
finding_cmp(const void *a, const void *b)
{
	const struct report_finding *x = a, *y = b;
	if (x->gap != y->gap)
		return x->gap > y->gap ? -1 : 1;
	if (x->role != y->role)
		return x->role < y->role ? -1 : 1;
	return (x->dim > y->dim) - (x->dim < y->dim);
}

/* The rule of the README: in each role and dimension, order the shown
 * margins by the role's share; the one that stands out is the top (gap to
 * the second) or the bottom (gap to the one above it), whichever gap is
 * larger. It is named when the gap is at least REPORT_MIN_GAP, the margin
 * has at least REPORT_MIN_COMPARE people and its conservative interval
 * excludes the nearest other margin's share. */
static void
find_differences(struct report *r, struct report_finding *cand, size_t *ncand)
{
	for (int role = 0; role < REPORT_NROLES; role++) {
		if (r->role_scale[role] < 0)
			continue;
		for (size_t d = 0; d < r->ndims; d++) {
			long hi = -1, hi2 = -1, lo = -1, lo2 = -1;
			size_t nshown = 0;
			for (size_t m = 0; m < r->nmargins; m++) {
				const struct report_margin *mg = &r->margins[m];
				if (mg->dim != d || mg->pool[role].shown != STATS_SHOWN ||
				    mg->pool[role].status != STATS_OK)
					continue;
				double v = report_role_share((enum report_role)role, &mg->pool[role]);
				nshown++;
				if (hi < 0 || v > report_role_share((enum report_role)role,
				                                    &r->margins[hi].pool[role])) {
					hi2 = hi;
					hi = (long)m;
				} else if (hi2 < 0 || v > report_role_share((enum report_role)role,
				                                            &r->margins[hi2].pool[role])) {
					hi2 = (long)m;
				}
				if (lo < 0 || v < report_role_share((enum report_role)role,
				                                    &r->margins[lo].pool[role])) {
					lo2 = lo;
					lo = (long)m;
				} else if (lo2 < 0 || v < report_role_share((enum report_role)role,
				                                            &r->margins[lo2].pool[role])) {
					lo2 = (long)m;
				}
			}
			if (nshown < 2)
				continue;
#define SH(i) report_role_share((enum report_role)role, &r->margins[i].pool[role])
			double gap_hi = SH(hi) - SH(hi2), gap_lo = SH(lo2) - SH(lo);
			bool high = gap_hi >= gap_lo || nshown == 2;
			long m = high ? hi : lo, near = high ? hi2 : lo2;
			const struct stats_pooled *p = &r->margins[m].pool[role];
			double plo = role == REPORT_MORALE ? p->unfav_lo : p->fav_lo;
			double phi = role == REPORT_MORALE ? p->unfav_hi : p->fav_hi;
			struct report_finding f = {.role = (enum report_role)role, .dim = d,
			                           .margin = (size_t)m, .high = high, .share = SH(m),
			                           .gap = high ? gap_hi : gap_lo,
			                           .others_lo = INFINITY, .others_hi = -INFINITY,
			                           .nothers = nshown - 1};
			if (f.gap < REPORT_MIN_GAP || p->people < REPORT_MIN_COMPARE ||
			    (SH(near) >= plo && SH(near) <= phi))
				continue;
			for (size_t o = 0; o < r->nmargins; o++) {
				const struct report_margin *mg = &r->margins[o];
				if (o == (size_t)m || mg->dim != d || mg->pool[role].shown != STATS_SHOWN ||
				    mg->pool[role].status != STATS_OK)
					continue;
				f.others_lo = fmin(f.others_lo, SH(o));
				f.others_hi = fmax(f.others_hi, SH(o));
			}
#undef SH
			cand[(*ncand)++] = f;
		}
	}
}

/* Post-stratification to the invited headcounts: strata are the groups
 * whose pooled figure of the scale is shown, plus one stratum of every
 * other group together (its share follows from the company's and the
 * shown groups' figures, so it releases nothing new). Each stratum's share
 * is weighted by its share of the invitations. NaN when a stratum with
 * invitations has no answers, or no invitation counts are known. */
static double
reweight(const struct report *r, int s, enum report_role role)
{
	const struct stats_report *st = r->st;
	size_t ng = r->nsegs;
	double inv_total = 0, inv_rest = 0, sum = 0;
	struct stats_pool_acc rest = {0};
	for (size_t g = 0; g < ng; g++) {
		double inv = r->segs[g].invited > 0 ? (double)r->segs[g].invited : 0;
		const struct stats_pooled *p = &r->seg_pool[(size_t)s * ng + g];
		inv_total += inv;
		if (p->shown == STATS_SHOWN && p->status == STATS_OK) {
			sum += inv * report_role_share(role, p);
		} else {
			const struct stats_pool_acc *a = &st->pool_by_group[(size_t)s * ng + g];
			inv_rest += inv;
			rest.answers += a->answers;
			rest.fav += a->fav;
			rest.unfav += a->unfav;
		}
	}
	if (!(inv_total > 0))
		return NAN;
	if (inv_rest > 0) {
		if (rest.answers == 0)
			return NAN;
		sum += inv_rest * (double)(role == REPORT_MORALE ? rest.unfav : rest.fav) /
		       (double)rest.answers;
	}
	return sum / inv_total;
}

/* Whether group g is shown in every item column of scale s (and so in the
 * heatmap): only such groups go into a margin. */
static bool
group_shown_in_scale(const struct report *r, int s, size_t g, size_t ng)
{
	const struct stats_report *st = r->st;
	for (size_t j = 0; j < r->nstats; j++)
		if (r->meta[j].kind == STATS_LIKERT && r->meta[j].scale == s &&
		    st->items_by_group[j * ng + g].shown != STATS_SHOWN)
			return false;
	return true;
}

/* Role scales, direct items, the company's pooled figures (with the
 * finite-population correction) and every group's pooled cell, hidden as
 * its item cells are. *more: whether margins and findings follow (a final
 * report with groups). */
static enum koe_err
pools(struct report *r, bool *more)
{
	const struct stats_report *st = r->st;
	size_t ng = r->nsegs;
	enum koe_err err;

	for (int role = 0; role < REPORT_NROLES; role++)
		r->reweighted[role] = NAN;
	r->role_scale[REPORT_SUPPORT] = st->support_scale;
	r->role_scale[REPORT_REJOIN] = st->rejoin_scale;
	r->role_scale[REPORT_MORALE] = st->morale_scale;
	/* The direct item: the scale's first item, when it is not reverse
	 * coded (a questionnaire puts the headline question first). */
	for (int role = 0; role < REPORT_NROLES; role++) {
		r->direct[role] = -1;
		for (size_t j = 0; j < r->nstats && r->role_scale[role] >= 0; j++)
			if (r->meta[j].kind == STATS_LIKERT && r->meta[j].scale == r->role_scale[role]) {
				if (!r->meta[j].reverse)
					r->direct[role] = (long)j;
				break;
			}
	}
	if (r->rounded || st->shown != STATS_SHOWN)
		return KOE_OK; /* *more stays false */
	/* Page 1's company figures describe this company's employees: their
	 * intervals carry the finite-population correction over everyone
	 * invited (README, "Who answered"). */
	for (size_t s = 0; s < st->nscales; s++)
		if (st->pooled[s].status == STATS_OK && r->rec->invited > 0 &&
		    !report_scale_conditioned(r, s) &&
		    (double)r->rec->invited >= (double)st->pooled[s].people &&
		    (err = stats_pooled_fpc(&r->st->pooled[s], (double)r->rec->invited)) != KOE_OK)
			return err;
	if (ng == 0)
		return KOE_OK; /* *more stays false */
	if ((r->seg_pool = calloc(st->nscales * ng + 1, sizeof(*r->seg_pool))) == NULL)
		return KOE_ENOMEM;
	for (size_t s = 0; s < st->nscales; s++)
		for (size_t g = 0; g < ng; g++) {
			struct stats_pooled *sp = &r->seg_pool[s * ng + g];
			bool shown = st->scales_by_group[s * ng + g].shown == STATS_SHOWN;
			for (size_t j = 0; j < r->nstats && shown; j++)
				if (r->meta[j].kind == STATS_LIKERT && r->meta[j].scale == (int)s)
					shown = st->items_by_group[j * ng + g].shown == STATS_SHOWN;
			if ((err = stats_pooled_from(&st->pool_by_group[s * ng + g], st->pooled[s].nitems,
			                             sp)) != KOE_OK)
				return err;
			if (!shown)
				*sp = (struct stats_pooled){.shown = STATS_HIDDEN_BELOW_K, .fav = NAN,
				                            .neutral = NAN, .unfav = NAN, .fav_lo = NAN,
				                            .fav_hi = NAN, .unfav_lo = NAN, .unfav_hi = NAN,
				                            .status = STATS_NO_DATA};
		}
	*more = true;
	return KOE_OK;
}

/* The distinct values of every dimension (the margins, in natural order)
 * and each group's value in each dimension (parts[g * ndims + d]). -1 when
 * a label cannot be split. */
static int
collect_margins(struct report *r, const char **parts)
{
	size_t ng = r->nsegs;
	for (size_t d = 0; d < r->ndims; d++)
		for (size_t g = 0; g < ng; g++) {
			const char *v = label_part(r, r->segs[g].label, d);
			size_t m;
			if (v == NULL)
				return -1;
			parts[g * r->ndims + d] = v;
			for (m = 0; m < r->nmargins; m++)
				if (r->margins[m].dim == d && strcmp(r->margins[m].value, v) == 0)
					break;
			if (m == r->nmargins)
				r->margins[r->nmargins++] = (struct report_margin){.dim = d, .value = v};
		}
	qsort(r->margins, r->nmargins, sizeof(*r->margins), margin_cmp);
	for (size_t m = 0; m < r->nmargins; m++)
		r->margins[m].rank = (long)m;
	return 0;
}

enum koe_err
report_findings(struct report *r)
{
	const struct stats_report *st = r->st;
	size_t ng = r->nsegs, slots = ng ? ng : 1;
	enum koe_err err = KOE_ENOMEM;
	const char **parts = NULL;
	struct report_finding *cand = NULL;
	size_t ncand = 0, *msizes = NULL;
	bool *mforced = NULL;
	enum stats_shown *mshown = NULL;

	bool more = false;
	if ((err = pools(r, &more)) != KOE_OK || !more)
		return err;
	r->ndims = r->s->nsegments < REPORT_MAX_DIMS ? r->s->nsegments : REPORT_MAX_DIMS;
	for (size_t d = 0; d < r->ndims; d++) {
		r->dim_key[d] = r->s->segments[d];
		r->dim_name[d] = dim_display(r, r->s->segments[d]);
	}
	parts = calloc(ng * (r->ndims ? r->ndims : 1) + 1, sizeof(*parts));
	r->margins = calloc(ng * (r->ndims ? r->ndims : 1) + 1, sizeof(*r->margins));
	cand = calloc(REPORT_NROLES * (r->ndims + 1), sizeof(*cand));
	msizes = calloc(ng * (r->ndims ? r->ndims : 1) + 1, sizeof(*msizes));
	mforced = calloc(ng * (r->ndims ? r->ndims : 1) + 1, sizeof(*mforced));
	mshown = calloc(ng * (r->ndims ? r->ndims : 1) + 1, sizeof(*mshown));
	if (parts == NULL || r->margins == NULL || cand == NULL || !msizes || !mforced || !mshown)
		goto done;
	if (collect_margins(r, parts) != 0)
		goto done;

	for (int role = 0; role < REPORT_NROLES; role++) {
		int s = r->role_scale[role];
		for (size_t d = 0; d < r->ndims; d++) {
			size_t first = r->nmargins, nm = 0;
			for (size_t m = 0; m < r->nmargins; m++)
				if (r->margins[m].dim == d) {
					if (first == r->nmargins)
						first = m;
					nm++;
				}
			size_t *sizes = msizes;
			bool *forced = mforced;
			enum stats_shown *shown = mshown;
			for (size_t i = 0; i < nm; i++) {
				struct report_margin *mg = &r->margins[first + i];
				struct stats_pool_acc sum = {0};
				mg->pool[role] = (struct stats_pooled){.shown = STATS_HIDDEN_BELOW_K,
				                                       .fav = NAN, .neutral = NAN,
				                                       .unfav = NAN, .fav_lo = NAN,
				                                       .fav_hi = NAN, .unfav_lo = NAN,
				                                       .unfav_hi = NAN,
				                                       .status = STATS_NO_DATA};
				sizes[i] = 0;
				forced[i] = strcmp(mg->value, "*") == 0;
				if (s < 0)
					continue;
				for (size_t g = 0; g < ng; g++) {
					if (strcmp(parts[g * r->ndims + d], mg->value) != 0)
						continue;
					/* Only groups shown in every column of the scale:
					 * a margin that took in a hidden group would,
					 * minus the shown cells, give that group back, and
					 * with it whatever its complementary suppression
					 * protected (docs/ARCHITECTURE.md §7, rule 5). */
					if (!group_shown_in_scale(r, s, g, ng))
						continue;
					const struct stats_pool_acc *a = &st->pool_by_group[(size_t)s * slots + g];
					sum.answers += a->answers;
					sum.fav += a->fav;
					sum.unfav += a->unfav;
					sum.people += a->people;
				}
				/* Rule 5: in every item column of the scale, the
				 * hidden cells inside this margin hold 0 or ≥ k. */
				for (size_t j = 0; j < r->nstats; j++) {
					size_t hidden = 0;
					if (r->meta[j].kind != STATS_LIKERT || r->meta[j].scale != s)
						continue;
					for (size_t g = 0; g < ng; g++)
						if (strcmp(parts[g * r->ndims + d], mg->value) == 0 &&
						    st->items_by_group[j * ng + g].shown != STATS_SHOWN)
							hidden += st->item_group_n[j * ng + g];
					forced[i] |= dc_margin_inside_bad(hidden, st->k);
				}
				sizes[i] = sum.people;
				size_t nitems = st->pooled[s].nitems;
				if ((err = stats_pooled_from(&sum, nitems, &mg->pool[role])) != KOE_OK)
					goto done;
			}
			if (s < 0 || nm == 0)
				continue;
			if ((err = dc_suppress_margins(sizes, forced, nm, st->k, shown)) != KOE_OK)
				goto done;
			for (size_t i = 0; i < nm; i++) {
				struct report_margin *mg = &r->margins[first + i];
				if (shown[i] != STATS_SHOWN) {
					size_t nitems = mg->pool[role].nitems;
					mg->pool[role] = (struct stats_pooled){
						.shown = shown[i], .nitems = nitems, .fav = NAN,
						.neutral = NAN, .unfav = NAN, .fav_lo = NAN, .fav_hi = NAN,
						.unfav_lo = NAN, .unfav_hi = NAN, .status = STATS_NO_DATA};
				}
			}
		}
	}
	for (int role = 0; role < REPORT_NROLES; role++)
		if (r->role_scale[role] >= 0 && st->pooled[r->role_scale[role]].status == STATS_OK)
			r->reweighted[role] = reweight(r, r->role_scale[role], (enum report_role)role);
	find_differences(r, cand, &ncand);
	qsort(cand, ncand, sizeof(*cand), finding_cmp);
	for (size_t i = 0; i < ncand && r->nfindings < REPORT_NFINDINGS; i++)
		r->findings[r->nfindings++] = cand[i];
	err = KOE_OK;
done:
	free(parts);
	free(cand);
	free(msizes);
	free(mforced);
	free(mshown);
	return err;
}
