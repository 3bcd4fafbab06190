/* Attack 5: differencing across releases. Two releases of one survey taken
 * a few answers apart subtract to those answers. While the survey is open,
 * interim reports and `koe status` may release participation only, with
 * responded counts rounded down to steps of k, so that
 *
 *   - interim vs interim and status vs status never differ by 1..k−1 in any
 *     count, and
 *   - an interim report holds no answer figure at all, so nothing in it can
 *     be subtracted from the final report (interim vs final).
 *
 * The survey has 20 answers, then 22 (two more in 営業部), then closes. */
#include "dc_testlib.h"

static struct fixture f;

static void
more(int n, int first)
{
	struct rt_resp r[40];
	for (int k = 0; k < n; k++) {
		int i = first + k;
		r[k] = (struct rt_resp){i % 2 ? "g01" : "g02", 1 + i % 5, 1 + (i * 3) % 5, 3,
		                        1 + (i * 2) % 5, 2, i % 11, 0, 1 + i % 6,
		                        i % 4 == 0 ? "もっと柔軟な制度を" : NULL};
	}
	rt_respond(&f, r, (size_t)n);
}

static void
snapshot(const char *tag)
{
	char cmd[300];
	snprintf(cmd, sizeof(cmd),
	         "SOURCE_DATE_EPOCH=" RT_EPOCH " $KOE report --interim --db koe.db --passphrase-file "
	         "pass.txt --out i%s.pdf --json i%s.json && $KOE status --db koe.db > s%s.txt && "
	         "$KOE surveys --db koe.db >> s%s.txt",
	         tag, tag, tag, tag);
	CHECK_INT(rt_sh(&f, "%s", cmd), 0);
}

/* The integer tokens of a text, in order. */
static size_t
ints_of(const char *s, long long *out, size_t cap)
{
	size_t n = 0;
	for (const char *p = s; *p && n < cap;) {
		if (*p >= '0' && *p <= '9' && (p == s || !((p[-1] >= '0' && p[-1] <= '9') || p[-1] == '.'))) {
			char *end;
			long long v = strtoll(p, &end, 10);
			if (*end != '.')
				out[n++] = v;
			p = end;
			while (*p >= '0' && *p <= '9')
				p++;
		} else {
			p++;
		}
	}
	return n;
}

static void
interim_vs_interim(void)
{
	json_t *a = rt_json(&f, "i1.json"), *b = rt_json(&f, "i2.json");
	struct dc_ints ia = {0}, ib = {0};
	static const char *const skip[] = {"survey.", "method."};
	CHECK(a && b);
	if (!a || !b)
		return;
	dc_walk_all(a, dc_ints_collect, &ia);
	dc_walk_all(b, dc_ints_collect, &ib);
	CHECK_INT(dc_ints_small_diffs(&ia, &ib, 5, skip, 2), 0);
	CHECK_INT(dc_answer_figures(a), 0);
	CHECK_INT(dc_answer_figures(b), 0);
	dc_ints_free(&ia);
	dc_ints_free(&ib);
	json_decref(a);
	json_decref(b);
}

static void
interim_vs_final(void)
{
	json_t *fin = rt_json(&f, "out.json");
	CHECK(fin != NULL);
	/* The final report is complete: it has answer figures... */
	CHECK(fin && dc_answer_figures(fin) > 0);
	/* ...and its exact count. */
	CHECK_INT(json_integer_value(json_object_get(json_object_get(fin, "responses"), "responded")),
	          22);
	json_decref(fin);
	/* The interim PDFs say they hold participation only. */
	char *t = rt_pdftext(&f, "i2.pdf", false);
	CHECK(rt_has(t, "切り捨て"));
	CHECK(!rt_has(t, "主な懸念"));
	free(t);
}

static void
status_vs_status(void)
{
	char *a = rt_read(&f, "s1.txt", NULL), *b = rt_read(&f, "s2.txt", NULL);
	long long va[200], vb[200];
	CHECK(a && b);
	if (!a || !b)
		return;
	size_t na = ints_of(a, va, 200), nb = ints_of(b, vb, 200);
	CHECK_INT(na, nb);
	for (size_t i = 0; i < na && i < nb; i++) {
		long long d = llabs(va[i] - vb[i]);
		if (d >= 1 && d < 5)
			fprintf(stderr, "  status number #%zu: %lld then %lld\n", i, va[i], vb[i]);
		CHECK(!(d >= 1 && d < 5));
	}
	free(a);
	free(b);
}

int
main(void)
{
	static const struct rt_group groups[] = {{"g01", "営業部", 20}, {"g02", "開発部", 20}};
	rt_up_alumni(&f, groups, 2);
	more(20, 0);
	snapshot("1");
	struct rt_resp two[2] = {{"g01", 1, 1, 1, 1, 1, 0, 0, 6, "一人だけの意見"},
	                         {"g01", 1, 1, 1, 1, 1, 0, 0, 6, NULL}};
	rt_respond(&f, two, 2);
	snapshot("2");
	rt_close(&f);
	CHECK_INT(rt_report(&f, NULL), 0);
	RUN(interim_vs_interim);
	RUN(interim_vs_final);
	RUN(status_vs_status);
	rt_down(&f);
	return harness_done();
}
