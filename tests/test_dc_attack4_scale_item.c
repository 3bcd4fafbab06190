/* Attack 4: differencing a scale against its own items inside one report.
 * A scale averages the items a person answered. The offboarding scale is
 * cut to two optional rows here (offboarding.1, offboarding.2).
 *
 *  A. One person P answers offboarding.2, which nobody else does. The item
 *     is hidden (n = 1), but the scale's n, mean and SD together with
 *     offboarding.1's counts give two equations, b − a = 2(S − A) and
 *     ((a+b)/2)² − a² = Q − Q_A, whose only solution is P's two answers.
 *  B. Twelve people answer both rows and P answers only offboarding.1.
 *     Then 2·(scale sum) − sum(item 1) − sum(item 2) = P's answer.
 *
 * Both solves use only the report JSON. After the fix the figures a solve
 * needs are missing or not over the sets the equations assume, and the
 * solve must not produce P's answers. */
#include "dc_testlib.h"

#define ROWS34                                                                                 \
	"退職する人は、職場とよい関係のまま去っていた\n[[En:People left on good terms with their "   \
	"team]]\n退職を伝えた人が、職場で居づらい思いをしていた\n[[En:People who announced they " \
	"were leaving were made to feel unwelcome]]\n[[Reverse]]\n"

struct person {
	const char *seg;
	int off1, off2; /* 0: not answered */
};

static void
respond(struct fixture *f, const struct person *p, size_t n)
{
	struct seal_key b;
	struct ans_set a;
	fixture_seal_key(f, &b);
	if (ans_set_new(f->s, &a) != KOE_OK)
		exit(2);
	for (size_t k = 0; k < n; k++) {
		memset(a.v, 0, a.n * sizeof(*a.v));
		rt_scale(f, &a, "support", 4);
		rt_scale(f, &a, "rejoin", 3);
		rt_scale(f, &a, "acceptance", 3);
		rt_scale(f, &a, "morale", 4);
		rt_set(f, &a, "enps", 7);
		rt_set(f, &a, "rehire_terms", 1);
		if (p[k].off1)
			rt_set(f, &a, "offboarding.1", p[k].off1);
		if (p[k].off2)
			rt_set(f, &a, "offboarding.2", p[k].off2);
		if (fixture_respond(f, &b, p[k].seg, &a) != KOE_OK)
			exit(2);
	}
	ans_set_free(&a);
	seal_key_wipe(&b);
}

static void
setup(struct fixture *f)
{
	static const struct rt_group groups[] = {{"g01", "営業部", 20}, {"g02", "開発部", 20}};
	size_t len;
	char *src = rt_survey_source(ROWS34, "", &len);
	if (strstr(src, "職場とよい関係") != NULL) {
		fprintf(stderr, "could not cut the offboarding rows\n");
		exit(2);
	}
	rt_up(f, src, len, groups, 2);
}

static json_t *
find(json_t *arr, const char *field, const char *value)
{
	size_t i;
	json_t *o;
	json_array_foreach(arr, i, o) {
		const char *v = json_string_value(json_object_get(o, field));
		if (v && strcmp(v, value) == 0)
			return o;
	}
	return NULL;
}

/* Σx and Σx² of an item from its shown counts; false when not shown. */
static bool
item_sums(json_t *it, double *n, double *s1, double *s2)
{
	json_t *c = json_object_get(it, "counts");
	size_t i;
	json_t *v;
	*n = *s1 = *s2 = 0;
	if (it == NULL || !json_is_true(json_object_get(it, "shown")) || !json_is_array(c))
		return false;
	json_array_foreach(c, i, v) {
		double x = (double)(i + 1), k = (double)json_integer_value(v);
		*n += k;
		*s1 += k * x;
		*s2 += k * x * x;
	}
	return true;
}

/* A: P alone answers offboarding.2 (a = 2, b = 5). */
static void
lone_optional_item(void)
{
	struct fixture f;
	struct person p[21];
	size_t n = 0;
	setup(&f);
	for (int k = 0; k < 20; k++)
		p[n++] = (struct person){k % 2 ? "g01" : "g02", 1 + (k * 7) % 5, 0};
	p[n++] = (struct person){"g01", 2, 5};
	respond(&f, p, n);
	rt_close(&f);
	CHECK_INT(rt_report(&f, NULL), 0);
	json_t *j = rt_json(&f, "out.json");
	CHECK(j != NULL);
	json_t *sc = find(json_object_get(j, "scales"), "name", "offboarding");
	json_t *i1 = find(json_object_get(j, "items"), "key", "offboarding.1");
	double in, A, QA;
	int solutions = 0, sa = 0, sb = 0;
	if (sc && json_is_true(json_object_get(sc, "shown")) && item_sums(i1, &in, &A, &QA) &&
	    json_is_number(json_object_get(sc, "sd"))) {
		double sn = (double)json_integer_value(json_object_get(sc, "n"));
		double mean = json_number_value(json_object_get(sc, "mean"));
		double sd = json_number_value(json_object_get(sc, "sd"));
		double S = sn * mean, Q = (sn - 1) * sd * sd + sn * mean * mean;
		for (int a = 1; a <= 5; a++)
			for (int b = 1; b <= 5; b++)
				if (fabs((b - a) - 2 * (S - A)) < 1e-3 &&
				    fabs((a + b) * (a + b) / 4.0 - a * a - (Q - QA)) < 1e-3) {
					solutions++;
					sa = a;
					sb = b;
				}
	}
	if (solutions == 1 && sa == 2 && sb == 5)
		fprintf(stderr, "  solved P's answers from the JSON: offboarding.1 = %d, .2 = %d\n", sa,
		        sb);
	CHECK(!(solutions == 1 && sa == 2 && sb == 5));
	json_decref(j);
	rt_down(&f);
}

/* B: twelve answer both rows, P answers only offboarding.1 (= 1). */
static void
skipped_item(void)
{
	struct fixture f;
	struct person p[13];
	size_t n = 0;
	setup(&f);
	for (int k = 0; k < 12; k++)
		p[n++] = (struct person){k % 2 ? "g01" : "g02", 3 + k % 3, 2 + k % 4};
	p[n++] = (struct person){"g02", 1, 0};
	respond(&f, p, n);
	rt_close(&f);
	CHECK_INT(rt_report(&f, NULL), 0);
	json_t *j = rt_json(&f, "out.json");
	CHECK(j != NULL);
	json_t *sc = find(json_object_get(j, "scales"), "name", "offboarding");
	json_t *i1 = find(json_object_get(j, "items"), "key", "offboarding.1");
	json_t *i2 = find(json_object_get(j, "items"), "key", "offboarding.2");
	double n1, A1, Q1, n2, A2, Q2;
	bool solved = false;
	if (sc && json_is_true(json_object_get(sc, "shown")) && item_sums(i1, &n1, &A1, &Q1) &&
	    item_sums(i2, &n2, &A2, &Q2)) {
		double sn = (double)json_integer_value(json_object_get(sc, "n"));
		double S = sn * json_number_value(json_object_get(sc, "mean"));
		double a = 2 * S - A1 - A2;
		solved = fabs(a - 1) < 1e-3;
		if (solved)
			fprintf(stderr, "  solved P's answer from the JSON: offboarding.1 = %.0f\n", a);
	}
	CHECK(!solved);
	/* The item is still reported, over the scale's complete cases. */
	CHECK(i1 && json_is_true(json_object_get(i1, "shown")));
	json_decref(j);
	rt_down(&f);
}

int
main(void)
{
	RUN(lone_optional_item);
	RUN(skipped_item);
	return harness_done();
}
