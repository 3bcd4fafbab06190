/* Attack 7: the base of a conditioned question tells who gave the
 * triggering answer. The offboarding battery is shown only to people who
 * answered saw_leave = 1 ([[ShowIf]]), so in any group its n is how many
 * people in that group have seen a colleague leave (less a few who skipped).
 *
 * Three groups of ten respondents: in 営業部 two have seen a colleague leave,
 * in 開発部 all ten, in 人事部 six. The attacker reads the report JSON and
 * wants 営業部's count (2): directly (the group's offboarding n, or an
 * "asked" count per group), or by subtraction (the company's offboarding n
 * minus the groups shown). Each must fail, while 営業部 itself is shown (its
 * other figures are released, so the attack had a target). The company's
 * "asked" count follows the cell rule: shown at 18, withheld at 1..k−1. */
#include "dc_testlib.h"

#define K 5

static const struct rt_group groups[] = {
	{"g01", "営業部", 12}, {"g02", "開発部", 12}, {"g03", "人事部", 12}};

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

/* Respondents: per group, how many saw a colleague leave. */
static void
respond(struct fixture *f, const int saw[3], int per_group)
{
	struct rt_resp r[64];
	size_t n = 0;
	for (int g = 0; g < 3; g++)
		for (int i = 0; i < per_group; i++)
			r[n++] = (struct rt_resp){.seg = groups[g].code, .support = 4, .rejoin = 3,
			                          .acceptance = 3, .morale = 4,
			                          .offboarding = i < saw[g] ? 2 + i % 3 : 0, .enps = 7,
			                          .terms = 1};
	rt_respond(f, r, n);
}

static void
no_asked_per_group(const char *path, json_t *v, void *ctx)
{
	(void)v;
	if (strncmp(path, "segments", 8) == 0 && strstr(path, "asked") != NULL) {
		fprintf(stderr, "  a group's asked count is released: %s\n", path);
		*(int *)ctx += 1;
	}
}

static void
group_trigger_count_not_released(void)
{
	struct fixture f;
	static const int saw[3] = {2, 10, 6};
	rt_up_alumni(&f, groups, 3);
	respond(&f, saw, 10);
	rt_close(&f);
	CHECK_INT(rt_report(&f, NULL), 0);
	json_t *j = rt_json(&f, "out.json");
	CHECK(j != NULL);
	json_t *segs = json_object_get(j, "segments");

	/* The target group is shown: its support figures are released. */
	json_t *sales = find(segs, "code", "g01");
	CHECK(json_is_true(json_object_get(sales, "shown")));
	CHECK(json_is_true(json_object_get(find(json_object_get(sales, "scales"), "scale", "support"),
	                                   "shown")));

	/* Directly: 営業部's offboarding n would be 2. */
	json_t *off = find(json_object_get(sales, "scales"), "scale", "offboarding");
	CHECK(off != NULL);
	CHECK(!json_is_true(json_object_get(off, "shown")));
	CHECK(json_object_get(off, "n") == NULL);

	/* By subtraction: the company's offboarding n minus every group's
	 * shown n is what the hidden groups hold together. */
	json_t *sc = find(json_object_get(j, "scales"), "name", "offboarding");
	CHECK(json_is_true(json_object_get(sc, "shown")));
	json_int_t total = json_integer_value(json_object_get(sc, "n")), shown_sum = 0;
	CHECK_INT(total, 18);
	size_t i;
	json_t *g;
	json_array_foreach(segs, i, g) {
		json_t *o = find(json_object_get(g, "scales"), "scale", "offboarding");
		if (o && json_is_true(json_object_get(o, "shown")))
			shown_sum += json_integer_value(json_object_get(o, "n"));
	}
	json_int_t hidden = total - shown_sum;
	if (hidden >= 1 && hidden < K)
		fprintf(stderr, "  solved: the hidden groups hold %lld who saw a colleague leave\n",
		        (long long)hidden);
	CHECK(hidden == 0 || hidden >= K);

	/* No "asked" count per group anywhere. */
	char path[512] = "";
	int leaks = 0;
	dc_walk(j, path, 0, sizeof(path), no_asked_per_group, &leaks);
	CHECK_INT(leaks, 0);

	/* The company's: who was asked, and how many (18 of 30; 12 were not). */
	json_t *asked = json_object_get(find(json_object_get(j, "items"), "key", "offboarding.1"),
	                                "asked");
	CHECK_STR(json_string_value(json_object_get(asked, "label")), "同僚の退職を見聞きした人");
	CHECK_INT(json_integer_value(json_object_get(asked, "n")), 18);
	CHECK_INT(json_integer_value(json_object_get(json_object_get(sc, "asked"), "n")), 18);
	/* And the PDF says it above the battery's figures. */
	char *pdf = rt_pdftext(&f, "out.pdf", false);
	CHECK(pdf && rt_has(pdf, "対象: 同僚の退職を見聞きした人 n = 18"));
	free(pdf);
	json_decref(j);
	rt_down(&f);
}

/* Below k asked in the whole company: the count is withheld like any cell
 * below k, and the battery's figures are hidden. */
static void
few_asked_count_withheld(void)
{
	struct fixture f;
	static const int saw[3] = {1, 1, 1};
	rt_up_alumni(&f, groups, 3);
	respond(&f, saw, 10);
	rt_close(&f);
	CHECK_INT(rt_report(&f, NULL), 0);
	json_t *j = rt_json(&f, "out.json");
	json_t *sc = find(json_object_get(j, "scales"), "name", "offboarding");
	json_t *asked = json_object_get(sc, "asked");
	CHECK(json_is_object(asked));
	CHECK(json_is_null(json_object_get(asked, "n")));
	CHECK(!json_is_true(json_object_get(sc, "shown")));
	char *pdf = rt_pdftext(&f, "out.pdf", false);
	CHECK(pdf && rt_has(pdf, "対象: 同僚の退職を見聞きした人（人数は"));
	free(pdf);
	json_decref(j);
	rt_down(&f);
}

int
main(void)
{
	RUN(group_trigger_count_not_released);
	RUN(few_asked_count_withheld);
	return harness_done();
}
