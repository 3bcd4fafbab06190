/* Changes between two waves of a survey (include/koe/stats.h, "Changes
 * since an earlier survey"): the arithmetic only. The two waves are
 * different surveys answered independently, so each change is a
 * two-sample comparison of summary figures both reports released. */
#include <math.h>

#include "stats_internal.h"

static void
change_empty(struct stats_change *out, double prev, double cur)
{
	*out = (struct stats_change){.prev = prev, .cur = cur, .diff = cur - prev, .lo = NAN,
	                             .hi = NAN, .stat = NAN, .df = NAN, .p = NAN,
	                             .status = STATS_TOO_FEW};
}

static bool
is_share(double p)
{
	return isfinite(p) && p >= 0 && p <= 1;
}

/* Wilson's 95% score interval of a share p of n (n > 0). */
static void
wilson(double p, double n, double z, double *lo, double *hi)
{
	double z2 = z * z, denom = 1 + z2 / n;
	double centre = (p + z2 / (2 * n)) / denom;
	double half = z * sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denom;
	*lo = p == 0 ? 0.0 : fmax(0.0, centre - half);
	*hi = p == 1 ? 1.0 : fmin(1.0, centre + half);
}

static void
finish(struct stats_change *out)
{
	out->marked = out->status == STATS_OK && (out->lo > 0 || out->hi < 0);
}

enum koe_err
stats_change_share(double p1, size_t n1, double p2, size_t n2, struct stats_change *out)
{
	change_empty(out, p1, p2);
	if (!is_share(p1) || !is_share(p2))
		return KOE_EINVAL;
	if (n1 == 0 || n2 == 0)
		return KOE_OK;
	double z = stats_z975(), l1, u1, l2, u2, m1 = (double)n1, m2 = (double)n2;
	if (!isfinite(z))
		return KOE_EINVAL;
	wilson(p1, m1, z, &l1, &u1);
	wilson(p2, m2, z, &l2, &u2);
	/* Newcombe (1998), method 10: each end of the difference's interval
	 * combines the near ends of the two Wilson intervals. */
	out->lo = out->diff - sqrt((p2 - l2) * (p2 - l2) + (u1 - p1) * (u1 - p1));
	out->hi = out->diff + sqrt((u2 - p2) * (u2 - p2) + (p1 - l1) * (p1 - l1));
	double pooled = (p1 * m1 + p2 * m2) / (m1 + m2);
	double se = sqrt(pooled * (1 - pooled) * (1 / m1 + 1 / m2));
	if (!(se > 0)) {
		out->status = STATS_NO_VARIANCE;
		return KOE_OK;
	}
	out->stat = out->diff / se;
	out->p = stats_two_sided_p(out->stat, NAN);
	out->status = STATS_OK;
	finish(out);
	return KOE_OK;
}

enum koe_err
stats_change_mean(const struct stats_moments *prev, const struct stats_moments *cur,
                  struct stats_change *out)
{
	struct stats_test t;
	enum koe_err err;

	change_empty(out, prev->mean, cur->mean);
	if (!isfinite(prev->mean) || !isfinite(cur->mean) || !(prev->var >= 0) ||
	    !(cur->var >= 0) || !isfinite(prev->var) || !isfinite(cur->var))
		return KOE_EINVAL;
	/* stats_welch tests its first group minus its second: now − before. */
	if ((err = stats_welch(cur, prev, &t)) != KOE_OK)
		return err;
	if (t.status != STATS_OK) {
		out->status = t.status;
		return KOE_OK;
	}
	double q = stats_t975(t.df);
	if (!isfinite(q))
		return KOE_EINVAL;
	double se = sqrt(cur->var / (double)cur->n + prev->var / (double)prev->n);
	out->lo = out->diff - q * se;
	out->hi = out->diff + q * se;
	out->stat = t.stat;
	out->df = t.df;
	out->p = t.p;
	out->status = STATS_OK;
	finish(out);
	return KOE_OK;
}

enum koe_err
stats_change_nps(double pro1, double det1, size_t n1, double pro2, double det2, size_t n2,
                 struct stats_change *out)
{
	change_empty(out, 100 * (pro1 - det1), 100 * (pro2 - det2));
	if (!is_share(pro1) || !is_share(det1) || !is_share(pro2) || !is_share(det2) ||
	    pro1 + det1 > 1 + 1e-9 || pro2 + det2 > 1 + 1e-9)
		return KOE_EINVAL;
	if (n1 == 0 || n2 == 0)
		return KOE_OK;
	/* Each person scores +100, 0 or −100; the NPS is their mean, whose
	 * variance is the multinomial one over n. */
	double v1 = (pro1 + det1 - (pro1 - det1) * (pro1 - det1)) / (double)n1;
	double v2 = (pro2 + det2 - (pro2 - det2) * (pro2 - det2)) / (double)n2;
	double se = 100 * sqrt(fmax(0.0, v1) + fmax(0.0, v2)), z = stats_z975();
	if (!(se > 0)) {
		out->status = STATS_NO_VARIANCE;
		return KOE_OK;
	}
	out->lo = out->diff - z * se;
	out->hi = out->diff + z * se;
	out->stat = out->diff / se;
	out->p = stats_two_sided_p(out->stat, NAN);
	out->status = STATS_OK;
	finish(out);
	return KOE_OK;
}
