/* Statistics: the GSL boundary, proportions, tests, multiple-testing
 * correction and suppression. Figures of items, scales and drivers live in
 * stats_item.c, stats_scale.c and stats_drivers.c; stats_report.c puts them
 * together. */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <threads.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_sort_double.h>

#include "koe/dc.h"
#include "stats_internal.h"

static once_flag gsl_once = ONCE_FLAG_INIT;

/* GSL's default handler aborts the process on any domain error; koe wants
 * error values instead, and checks every result itself. */
static void
gsl_quiet(void)
{
	gsl_set_error_handler_off();
}

void
stats_init(void)
{
	call_once(&gsl_once, gsl_quiet);
}

const char *
stats_status_name(enum stats_status s)
{
	switch (s) {
	case STATS_OK:          return "ok";
	case STATS_NO_DATA:     return "no_data";
	case STATS_TOO_FEW:     return "too_few";
	case STATS_NO_VARIANCE: return "no_variance";
	case STATS_SINGULAR:    return "singular";
	}
	return "unknown";
}

const char *
stats_shown_name(enum stats_shown s)
{
	switch (s) {
	case STATS_SHOWN:                return "shown";
	case STATS_HIDDEN_BELOW_K:       return "below_k";
	case STATS_HIDDEN_COMPLEMENTARY: return "complementary";
	case STATS_HIDDEN_INTERIM:       return "interim";
	}
	return "unknown";
}

double
stats_z975(void)
{
	stats_init();
	return gsl_cdf_ugaussian_Pinv(0.975);
}

enum koe_err
stats_t_ci(double mean, double sd, size_t n, double *lo, double *hi)
{
	stats_init();
	if (n < 2 || !isfinite(mean) || !isfinite(sd))
		return KOE_EINVAL;
	double t = gsl_cdf_tdist_Pinv(0.975, (double)(n - 1));
	if (!isfinite(t))
		return KOE_EINVAL;
	double half = t * sd / sqrt((double)n);
	*lo = mean - half;
	*hi = mean + half;
	return KOE_OK;
}

void
stats_prop_empty(struct stats_prop *p)
{
	*p = (struct stats_prop){.p = NAN, .lo = NAN, .hi = NAN,
	                         .status = STATS_NO_DATA};
}

void
stats_test_empty(struct stats_test *t, enum stats_status why)
{
	*t = (struct stats_test){.diff = NAN, .stat = NAN, .df = NAN, .p = NAN,
	                         .q = NAN, .status = why};
}

enum koe_err
stats_proportion(size_t x, size_t n, struct stats_prop *out)
{
	if (x > n)
		return KOE_EINVAL;
	stats_prop_empty(out);
	out->x = x;
	out->n = n;
	if (n == 0)
		return KOE_OK;

	double z = stats_z975();
	if (!isfinite(z))
		return KOE_EINVAL;
	double nn = (double)n, p = (double)x / nn, z2 = z * z;
	double denom = 1 + z2 / nn;
	double centre = (p + z2 / (2 * nn)) / denom;
	double half = z * sqrt(p * (1 - p) / nn + z2 / (4 * nn * nn)) / denom;
	out->p = p;
	/* At the edges the interval touches 0 or 1 exactly; the formula would
	 * leave rounding noise there. */
	out->lo = x == 0 ? 0.0 : centre - half;
	out->hi = x == n ? 1.0 : centre + half;
	out->status = STATS_OK;
	return KOE_OK;
}

enum koe_err
stats_welch(const struct stats_moments *a, const struct stats_moments *b,
            struct stats_test *out)
{
	stats_init();
	stats_test_empty(out, STATS_TOO_FEW);
	if (a->n < 2 || b->n < 2)
		return KOE_OK;
	if (!isfinite(a->mean) || !isfinite(b->mean) || !(a->var >= 0) ||
	    !(b->var >= 0) || !isfinite(a->var) || !isfinite(b->var))
		return KOE_EINVAL;

	double va = a->var / (double)a->n, vb = b->var / (double)b->n;
	double se2 = va + vb;
	out->diff = a->mean - b->mean;
	if (se2 == 0) {
		out->status = STATS_NO_VARIANCE;
		return KOE_OK;
	}
	/* R's t.test() refuses data that are constant up to rounding; the
	 * same test keeps a noise-sized standard error from producing an
	 * astronomic t. */
	if (sqrt(se2) < 10 * DBL_EPSILON * fmax(fabs(a->mean), fabs(b->mean))) {
		out->status = STATS_NO_VARIANCE;
		return KOE_OK;
	}
	double t = out->diff / sqrt(se2);
	double df = se2 * se2 / (va * va / (double)(a->n - 1) +
	                         vb * vb / (double)(b->n - 1));
	double p = 2 * gsl_cdf_tdist_Q(fabs(t), df);
	if (!isfinite(p))
		return KOE_EINVAL;
	out->stat = t;
	out->df = df;
	out->p = fmin(p, 1.0);
	out->status = STATS_OK;
	return KOE_OK;
}

enum koe_err
stats_prop_greater(size_t x1, size_t n1, size_t x2, size_t n2,
                   struct stats_test *out)
{
	stats_init();
	if (x1 > n1 || x2 > n2)
		return KOE_EINVAL;
	stats_test_empty(out, STATS_TOO_FEW);
	if (n1 == 0 || n2 == 0)
		return KOE_OK;

	double p1 = (double)x1 / (double)n1, p2 = (double)x2 / (double)n2;
	double pooled = (double)(x1 + x2) / (double)(n1 + n2);
	out->diff = p1 - p2;
	if (x1 + x2 == 0 || x1 + x2 == n1 + n2) {
		out->status = STATS_NO_VARIANCE;
		return KOE_OK;
	}
	double se = sqrt(pooled * (1 - pooled) *
	                 (1 / (double)n1 + 1 / (double)n2));
	double z = out->diff / se;
	double p = gsl_cdf_ugaussian_Q(z);
	if (!isfinite(p))
		return KOE_EINVAL;
	out->stat = z;
	out->p = p;
	out->status = STATS_OK;
	return KOE_OK;
}

enum koe_err
stats_bh(const double *p, size_t n, double *q)
{
	enum koe_err err = KOE_OK;
	size_t *order = NULL;

	stats_init();
	if (n == 0)
		goto out;
	for (size_t i = 0; i < n; i++)
		if (!(p[i] >= 0 && p[i] <= 1)) {
			err = KOE_EINVAL;
			goto out;
		}
	if (n > SIZE_MAX / sizeof(*order) ||
	    (order = malloc(n * sizeof(*order))) == NULL) {
		err = KOE_ENOMEM;
		goto out;
	}
	gsl_sort_index(order, p, 1, n);

	/* q of the i-th smallest p is min over j ≥ i of n/j·p_(j), capped at 1;
	 * walking down from the largest keeps the running minimum. Every p is
	 * read before its own q is written, so p and q may alias. */
	double running = 1.0;
	for (size_t i = n; i-- > 0;) {
		double v = (double)n / (double)(i + 1) * p[order[i]];
		if (v < running)
			running = v;
		q[order[i]] = running;
	}
out:
	free(order);
	return err;
}

enum koe_err
stats_suppress(const size_t *sizes, size_t ngroups, size_t k,
               enum stats_shown *shown)
{
	/* The rule lives in the disclosure-control module, so that the report
	 * and `koe status` apply the same one. */
	return dc_suppress(sizes, ngroups, k, shown);
}

double
stats_t975(double df)
{
	stats_init();
	return df > 0 ? gsl_cdf_tdist_Pinv(0.975, df) : NAN;
}

double
stats_two_sided_p(double stat, double df)
{
	stats_init();
	double p = isfinite(df) ? 2 * gsl_cdf_tdist_Q(fabs(stat), df)
	                        : 2 * gsl_cdf_ugaussian_Q(fabs(stat));
	return fmin(p, 1.0);
}
