/* Drivers of support: Pearson correlations with Fisher z intervals, and an
 * OLS fit on standardized variables.
 *
 * The OLS works on the correlation matrix: with every variable standardized
 * the normal equations are Rxx·β = rxy and R² = rxy·β, so one pass over the
 * complete cases builds a (p+1)² matrix and GSL solves a p×p system. That is
 * O(n·p²) time and O(p²) memory, where a design-matrix SVD would copy n×p. */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>

#include "stats_internal.h"

/* Below this reciprocal condition number the drivers are so collinear that
 * their separate coefficients mean nothing, even if the matrix inverts. */
#define OLS_MIN_RCOND 1e-10

enum koe_err
stats_corr(const double *x, const double *y, size_t n, struct stats_corr *out)
{
	double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
	double xmin = INFINITY, xmax = -INFINITY, ymin = INFINITY, ymax = -INFINITY;
	size_t m = 0;

	stats_init();
	*out = (struct stats_corr){.r = NAN, .lo = NAN, .hi = NAN, .p = NAN,
	                           .status = STATS_NO_DATA};
	if (n > STATS_MAX_RESPONDENTS)
		return KOE_ETOOBIG;
	for (size_t i = 0; i < n; i++) {
		if (isnan(x[i]) || isnan(y[i]))
			continue;
		if (!isfinite(x[i]) || !isfinite(y[i]))
			return KOE_EINVAL;
		sx += x[i];
		sy += y[i];
		xmin = fmin(xmin, x[i]);
		xmax = fmax(xmax, x[i]);
		ymin = fmin(ymin, y[i]);
		ymax = fmax(ymax, y[i]);
		m++;
	}
	out->n = m;
	if (m == 0)
		return KOE_OK;
	out->status = STATS_TOO_FEW;
	if (m < 4)
		return KOE_OK;
	if (xmin == xmax || ymin == ymax) {
		out->status = STATS_NO_VARIANCE;
		return KOE_OK;
	}
	double mx = sx / (double)m, my = sy / (double)m;
	for (size_t i = 0; i < n; i++) {
		if (isnan(x[i]) || isnan(y[i]))
			continue;
		double dx = x[i] - mx, dy = y[i] - my;
		sxx += dx * dx;
		syy += dy * dy;
		sxy += dx * dy;
	}
	double r = fmax(-1.0, fmin(1.0, sxy / sqrt(sxx * syy)));
	out->r = r;
	if (fabs(r) == 1) {
		/* A perfect line: the interval collapses and the test is
		 * certain; the general formulas would divide by zero. */
		out->lo = out->hi = r;
		out->p = 0;
		out->status = STATS_OK;
		return KOE_OK;
	}

	double z = atanh(r), half = stats_z975() / sqrt((double)(m - 3));
	double df = (double)(m - 2);
	double t = r * sqrt(df / (1 - r * r));
	double p = 2 * gsl_cdf_tdist_Q(fabs(t), df);
	if (!isfinite(half) || !isfinite(p))
		return KOE_EINVAL;
	out->lo = tanh(z - half);
	out->hi = tanh(z + half);
	out->p = fmin(p, 1.0);
	out->status = STATS_OK;
	return KOE_OK;
}

/* Variable 0 is y, variable i + 1 is x[i]. */
static double
var_at(const double *y, const double *const *x, size_t v, size_t r)
{
	return v == 0 ? y[r] : x[v - 1][r];
}

static bool
complete(const double *y, const double *const *x, size_t npred, size_t r)
{
	for (size_t v = 0; v <= npred; v++)
		if (isnan(var_at(y, x, v, r)))
			return false;
	return true;
}

/* The centred cross products of the complete cases (variable 0 is y, then
 * the drivers), upper triangle of cross[nv * nv]; *ncc receives their
 * number. Sets out->status to STATS_TOO_FEW or STATS_NO_VARIANCE, and
 * returns 1, when no regression can be fitted; 0 when cross is ready. */
static int
centred_cross(const double *y, const double *const *x, size_t npred, size_t n, double *cross,
              double *mean, double *dev, struct stats_ols *out, enum koe_err *err)
{
	size_t nv = npred + 1, ncc = 0;
	bool constant[STATS_MAX_SCALES + 1];
	double first[STATS_MAX_SCALES + 1];

	for (size_t v = 0; v < nv; v++)
		constant[v] = true;
	for (size_t r = 0; r < n; r++) {
		if (!complete(y, x, npred, r))
			continue;
		for (size_t v = 0; v < nv; v++) {
			double val = var_at(y, x, v, r);
			if (!isfinite(val)) {
				*err = KOE_EINVAL;
				return 1;
			}
			if (ncc == 0)
				first[v] = val;
			else if (val != first[v])
				constant[v] = false;
			mean[v] += val;
		}
		ncc++;
	}
	out->n = ncc;
	out->status = STATS_TOO_FEW;
	if (ncc < out->needed || ncc < 2)
		return 1;
	for (size_t v = 0; v < nv; v++) {
		if (constant[v]) {
			out->status = STATS_NO_VARIANCE;
			return 1;
		}
		mean[v] /= (double)ncc;
	}
	for (size_t r = 0; r < n; r++) {
		if (!complete(y, x, npred, r))
			continue;
		for (size_t v = 0; v < nv; v++)
			dev[v] = var_at(y, x, v, r) - mean[v];
		for (size_t a = 0; a < nv; a++)
			for (size_t c = a; c < nv; c++)
				cross[a * nv + c] += dev[a] * dev[c];
	}
	return 0;
}

/* Standardized coefficients from the cross products: solves Rxx b = rxy
 * by Cholesky, refusing a (near-)singular Rxx. */
static enum koe_err
solve_standardized(const double *cross, size_t npred, double *beta, struct stats_ols *out)
{
	size_t nv = npred + 1;
	enum koe_err err = KOE_OK;
	gsl_matrix *rxx = gsl_matrix_alloc(npred, npred);
	gsl_vector *rxy = gsl_vector_alloc(npred), *b = gsl_vector_alloc(npred);
	gsl_vector *work = gsl_vector_alloc(3 * npred);
	double rcond, r2 = 0;
	int st;

	if (rxx == NULL || rxy == NULL || b == NULL || work == NULL) {
		err = KOE_ENOMEM;
		goto out;
	}
	for (size_t a = 0; a < npred; a++) {
		double sa = sqrt(cross[(a + 1) * nv + a + 1]);
		gsl_vector_set(rxy, a, cross[a + 1] / (sa * sqrt(cross[0])));
		for (size_t c = 0; c < npred; c++) {
			size_t i = a < c ? a : c, j = a < c ? c : a;
			double sc = sqrt(cross[(c + 1) * nv + c + 1]);
			gsl_matrix_set(rxx, a, c,
			               a == c ? 1.0 : cross[(i + 1) * nv + j + 1] / (sa * sc));
		}
	}
	st = gsl_linalg_cholesky_decomp1(rxx);
	if (st == GSL_EDOM) {
		out->status = STATS_SINGULAR;
		goto out;
	}
	if (st != GSL_SUCCESS || gsl_linalg_cholesky_rcond(rxx, &rcond, work) != GSL_SUCCESS) {
		err = KOE_EINVAL;
		goto out;
	}
	if (!(rcond >= OLS_MIN_RCOND)) {
		out->status = STATS_SINGULAR;
		goto out;
	}
	if (gsl_linalg_cholesky_solve(rxx, rxy, b) != GSL_SUCCESS) {
		err = KOE_EINVAL;
		goto out;
	}
	for (size_t a = 0; a < npred; a++) {
		beta[a] = gsl_vector_get(b, a);
		r2 += beta[a] * gsl_vector_get(rxy, a);
	}
	out->r2 = r2;
	out->status = STATS_OK;
out:
	gsl_vector_free(work);
	gsl_vector_free(b);
	gsl_vector_free(rxy);
	gsl_matrix_free(rxx);
	return err;
}

enum koe_err
stats_ols(const double *y, const double *const *x, size_t npred, size_t n,
          double *beta, struct stats_ols *out)
{
	enum koe_err err = KOE_OK;
	size_t nv = npred + 1;
	double *mean = NULL, *cross = NULL, *dev = NULL;

	stats_init();
	*out = (struct stats_ols){.npred = npred, .r2 = NAN,
	                          .needed = STATS_OLS_PER_DRIVER * npred,
	                          .status = STATS_NO_DATA};
	for (size_t i = 0; i < npred; i++)
		beta[i] = NAN;
	if (n > STATS_MAX_RESPONDENTS || npred > STATS_MAX_SCALES)
		return KOE_ETOOBIG;
	if (npred == 0)
		return KOE_OK;
	mean = calloc(nv, sizeof(*mean));
	cross = calloc(nv * nv, sizeof(*cross));
	dev = malloc(nv * sizeof(*dev));
	if (mean == NULL || cross == NULL || dev == NULL)
		err = KOE_ENOMEM;
	else if (centred_cross(y, x, npred, n, cross, mean, dev, out, &err) == 0)
		err = solve_standardized(cross, npred, beta, out);
	free(dev);
	free(cross);
	free(mean);
	if (err != KOE_OK || out->status != STATS_OK)
		for (size_t i = 0; i < npred; i++)
			beta[i] = NAN;
	return err;
}

/* R² of the standardized regression on the predictors in mask, from the
 * correlation matrix R (nv × nv, variable 0 the outcome). */
static enum koe_err
subset_r2(const gsl_matrix *R, size_t npred, unsigned mask, double *r2)
{
	size_t m = 0, idx[STATS_DOMINANCE_MAX];
	*r2 = 0;
	for (size_t a = 0; a < npred; a++)
		if (mask & (1u << a))
			idx[m++] = a + 1;
	if (m == 0)
		return KOE_OK;
	gsl_matrix *s = gsl_matrix_alloc(m, m);
	gsl_vector *v = gsl_vector_alloc(m), *b = gsl_vector_alloc(m);
	enum koe_err err = KOE_OK;
	if (s == NULL || v == NULL || b == NULL) {
		err = KOE_ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < m; i++) {
		gsl_vector_set(v, i, gsl_matrix_get(R, 0, idx[i]));
		for (size_t j = 0; j < m; j++)
			gsl_matrix_set(s, i, j, gsl_matrix_get(R, idx[i], idx[j]));
	}
	/* A principal submatrix of a positive definite matrix is positive
	 * definite: the full fit succeeded, so these do too. */
	if (gsl_linalg_cholesky_decomp1(s) != GSL_SUCCESS ||
	    gsl_linalg_cholesky_solve(s, v, b) != GSL_SUCCESS) {
		err = KOE_EINVAL;
		goto out;
	}
	for (size_t i = 0; i < m; i++)
		*r2 += gsl_vector_get(b, i) * gsl_vector_get(v, i);
out:
	gsl_vector_free(b);
	gsl_vector_free(v);
	gsl_matrix_free(s);
	return err;
}

/* Dominance weights of the complete-case rows rows[ncc × nv] (variable 0
 * the outcome), each row counted freq[r] times (NULL: once). */
static enum koe_err
dom_core(const double *rows, size_t ncc, size_t nv, const unsigned *freq, double *gd,
         double *r2full, enum stats_status *status)
{
	size_t npred = nv - 1;
	enum koe_err err = KOE_OK;
	double *mean = calloc(nv, sizeof(*mean)), *cross = calloc(nv * nv, sizeof(*cross));
	double *r2 = calloc((size_t)1 << npred, sizeof(*r2)), wsum = 0;
	gsl_matrix *R = gsl_matrix_alloc(nv, nv);
	gsl_matrix *rxx = gsl_matrix_alloc(npred, npred);
	gsl_vector *work = gsl_vector_alloc(3 * npred);

	*status = STATS_NO_VARIANCE;
	if (!mean || !cross || !r2 || !R || !rxx || !work) {
		err = KOE_ENOMEM;
		goto done;
	}
	for (size_t r = 0; r < ncc; r++) {
		double w = freq ? freq[r] : 1;
		wsum += w;
		for (size_t v = 0; v < nv; v++)
			mean[v] += w * rows[r * nv + v];
	}
	for (size_t v = 0; v < nv; v++)
		mean[v] /= wsum;
	for (size_t r = 0; r < ncc; r++) {
		double w = freq ? freq[r] : 1, dev[STATS_DOMINANCE_MAX + 1];
		if (w == 0)
			continue;
		for (size_t v = 0; v < nv; v++)
			dev[v] = rows[r * nv + v] - mean[v];
		for (size_t a = 0; a < nv; a++)
			for (size_t c = a; c < nv; c++)
				cross[a * nv + c] += w * dev[a] * dev[c];
	}
	for (size_t v = 0; v < nv; v++)
		if (!(cross[v * nv + v] > 0))
			goto done;
	for (size_t a = 0; a < nv; a++)
		for (size_t c = 0; c < nv; c++) {
			size_t i = a < c ? a : c, j = a < c ? c : a;
			gsl_matrix_set(R, a, c,
			               a == c ? 1.0
			                      : cross[i * nv + j] /
			                            sqrt(cross[i * nv + i] * cross[j * nv + j]));
		}
	/* The full set must be well conditioned, as for stats_ols. */
	double rcond;
	for (size_t a = 0; a < npred; a++)
		for (size_t c = 0; c < npred; c++)
			gsl_matrix_set(rxx, a, c, gsl_matrix_get(R, a + 1, c + 1));
	if (gsl_linalg_cholesky_decomp1(rxx) != GSL_SUCCESS ||
	    gsl_linalg_cholesky_rcond(rxx, &rcond, work) != GSL_SUCCESS ||
	    !(rcond >= OLS_MIN_RCOND)) {
		*status = STATS_SINGULAR;
		goto done;
	}
	for (unsigned mask = 1; mask < (1u << npred); mask++)
		if ((err = subset_r2(R, npred, mask, &r2[mask])) != KOE_OK)
			goto done;
	/* General dominance (Azen & Budescu 2003): the mean over subset sizes
	 * of the mean gain in R² from adding the predictor to the subsets of
	 * that size without it. The weights add up to the full R². */
	for (size_t i = 0; i < npred; i++) {
		double total = 0;
		for (size_t k = 0; k < npred; k++) {
			double sum = 0;
			size_t cnt = 0;
			for (unsigned mask = 0; mask < (1u << npred); mask++) {
				if (mask & (1u << i) || (size_t)__builtin_popcount(mask) != k)
					continue;
				sum += r2[mask | (1u << i)] - r2[mask];
				cnt++;
			}
			total += sum / (double)cnt;
		}
		gd[i] = total / (double)npred;
	}
	*r2full = r2[(1u << npred) - 1];
	*status = STATS_OK;
done:
	gsl_vector_free(work);
	gsl_matrix_free(rxx);
	gsl_matrix_free(R);
	free(r2);
	free(cross);
	free(mean);
	return err;
}

/* A complete case, padded to the largest size, so rows sort without a
 * context argument (qsort has none in C17). */
struct drow {
	double v[STATS_DOMINANCE_MAX + 1];
	size_t index;
};

static int
drow_cmp(const void *a, const void *b)
{
	const struct drow *x = a, *y = b;
	for (size_t v = 0; v <= STATS_DOMINANCE_MAX; v++)
		if (x->v[v] != y->v[v])
			return x->v[v] < y->v[v] ? -1 : 1;
	return (x->index > y->index) - (x->index < y->index);
}

/* The complete cases of y and x as rows, sorted by their values so that
 * the bootstrap draws (and every sum) do not depend on the order the
 * answers were stored in; *rows and *index (each row's respondent) are
 * malloc'ed (NULL when there are none). npred ≤ STATS_DOMINANCE_MAX. */
static enum koe_err
gather_rows(const double *y, const double *const *x, size_t npred, size_t n, double **rows,
            size_t *ncc, size_t **index)
{
	size_t nv = npred + 1, m = 0;
	*rows = NULL;
	*index = NULL;
	*ncc = 0;
	for (size_t r = 0; r < n; r++)
		m += complete(y, x, npred, r);
	if (m == 0)
		return KOE_OK;
	struct drow *d = calloc(m, sizeof(*d));
	*rows = malloc(m * nv * sizeof(**rows));
	*index = malloc(m * sizeof(**index));
	if (d == NULL || *rows == NULL || *index == NULL) {
		free(d);
		free(*rows);
		free(*index);
		*rows = NULL;
		*index = NULL;
		return KOE_ENOMEM;
	}
	for (size_t r = 0, k = 0; r < n; r++) {
		if (!complete(y, x, npred, r))
			continue;
		for (size_t v = 0; v < nv; v++) {
			double val = var_at(y, x, v, r);
			if (!isfinite(val)) {
				free(d);
				free(*rows);
				free(*index);
				*rows = NULL;
				*index = NULL;
				return KOE_EINVAL;
			}
			d[k].v[v] = val;
		}
		d[k++].index = r;
	}
	qsort(d, m, sizeof(*d), drow_cmp);
	for (size_t k = 0; k < m; k++) {
		for (size_t v = 0; v < nv; v++)
			(*rows)[k * nv + v] = d[k].v[v];
		(*index)[k] = d[k].index;
	}
	free(d);
	*ncc = m;
	return KOE_OK;
}

/* R's quantile(type = 7) of the sorted v[0..m). */
static double
quantile7(const double *v, size_t m, double prob)
{
	double h = (double)(m - 1) * prob;
	size_t lo = (size_t)floor(h);
	if (lo + 1 >= m)
		return v[m - 1];
	return v[lo] + (h - (double)lo) * (v[lo + 1] - v[lo]);
}

static int
dbl_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

enum koe_err
stats_quantile7(double *v, size_t m, double prob, double *out)
{
	if (m == 0 || !(prob >= 0 && prob <= 1))
		return KOE_EINVAL;
	qsort(v, m, sizeof(*v), dbl_cmp);
	*out = quantile7(v, m, prob);
	return KOE_OK;
}

enum koe_err
stats_dominance(const double *y, const double *const *x, size_t npred, size_t n,
                const unsigned *freq, const struct stats_boot *boot, double *gd,
                double *lo, double *hi, struct stats_ols *out)
{
	enum koe_err err = KOE_OK;
	size_t nv = npred + 1, ncc = 0, *index = NULL;
	double *rows = NULL, *draws = NULL;
	unsigned *f = NULL;

	stats_init();
	*out = (struct stats_ols){.npred = npred, .r2 = NAN,
	                          .needed = STATS_OLS_PER_DRIVER * npred,
	                          .status = STATS_NO_DATA};
	for (size_t i = 0; i < npred; i++)
		gd[i] = lo[i] = hi[i] = NAN;
	if (n > STATS_MAX_RESPONDENTS)
		return KOE_ETOOBIG;
	if (npred == 0)
		return KOE_OK;
	if (npred > STATS_DOMINANCE_MAX) {
		out->status = STATS_TOO_FEW;
		return KOE_OK;
	}
	if ((err = gather_rows(y, x, npred, n, &rows, &ncc, &index)) != KOE_OK)
		return err;
	out->n = ncc;
	out->status = STATS_TOO_FEW;
	if (ncc < out->needed || ncc < 2)
		goto done;
	if ((f = calloc(ncc, sizeof(*f))) == NULL) {
		err = KOE_ENOMEM;
		goto done;
	}
	for (size_t k = 0; k < ncc; k++)
		f[k] = freq ? freq[index[k]] : 1;
	if ((err = dom_core(rows, ncc, nv, f, gd, &out->r2, &out->status)) != KOE_OK ||
	    out->status != STATS_OK)
		goto done;
	if (boot == NULL || boot->resamples == 0)
		goto done;
	/* Percentile bootstrap over the complete cases, with a fixed seed so
	 * the same answers give the same report. */
	if ((draws = malloc(boot->resamples * npred * sizeof(*draws))) == NULL) {
		err = KOE_ENOMEM;
		goto done;
	}
	uint64_t state = boot->seed ? boot->seed : 0x9e3779b97f4a7c15u;
	size_t ok = 0;
	for (size_t b = 0; b < boot->resamples; b++) {
		double g[STATS_DOMINANCE_MAX], r2;
		enum stats_status st;
		memset(f, 0, ncc * sizeof(*f));
		for (size_t k = 0; k < ncc; k++) {
			/* xorshift64*, then Lemire's multiply-shift to [0, ncc). */
			state ^= state >> 12;
			state ^= state << 25;
			state ^= state >> 27;
			uint64_t u = (state * 0x2545f4914f6cdd1du) >> 32;
			f[(size_t)((u * (uint64_t)ncc) >> 32)]++;
		}
		if ((err = dom_core(rows, ncc, nv, f, g, &r2, &st)) != KOE_OK)
			goto done;
		if (st != STATS_OK)
			continue; /* a degenerate resample: left out */
		for (size_t i = 0; i < npred; i++)
			draws[i * boot->resamples + ok] = g[i];
		ok++;
	}
	for (size_t i = 0; ok >= 2 && i < npred; i++) {
		double *v = draws + i * boot->resamples;
		stats_quantile7(v, ok, 0.025, &lo[i]);
		hi[i] = quantile7(v, ok, 0.975);
	}
done:
	free(draws);
	free(f);
	free(index);
	free(rows);
	if (err != KOE_OK || out->status != STATS_OK)
		for (size_t i = 0; i < npred; i++)
			gd[i] = lo[i] = hi[i] = NAN;
	return err;
}
