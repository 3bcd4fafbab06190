/* docs/ARCHITECTURE.md §7–8: no figure of a group below k appears anywhere, in the PDF
 * or in the JSON. Group g03 has 2 respondents (below k = 5), so it is
 * hidden, and g04 (6) is hidden with it: otherwise g03 could be recovered
 * by subtracting the shown groups from the company. Their comments appear
 * without a group name. */
#include "report_testlib.h"

static struct fixture f;

static void
respond(void)
{
	struct rt_resp r[30];
	size_t n = 0;
	for (int k = 0; k < 12; k++)
		r[n++] = (struct rt_resp){"g01", 4, 4, 3, 4, 3, 8, 0, 1, k == 0 ? "営業からの意見です" : NULL};
	for (int k = 0; k < 10; k++)
		r[n++] = (struct rt_resp){"g02", 5, 2, 3, 3, 3, 9, 0, 2, NULL};
	/* The small group answers in a way no other group does. */
	for (int k = 0; k < 2; k++)
		r[n++] = (struct rt_resp){"g03", 1, 1, 1, 1, 1, 0, 0, 5, k == 0 ? "法務からの意見です" : NULL};
	for (int k = 0; k < 6; k++)
		r[n++] = (struct rt_resp){"g04", 2, 5, 3, 4, 3, 7, 0, 3, k == 0 ? "人事からの意見です" : NULL};
	rt_respond(&f, r, n);
}

/* A hidden group is only its code, its label and "shown": false. */
static void
json_has_nothing_of_hidden_groups(void)
{
	json_t *j = rt_json(&f, "out.json"), *segs, *s;
	size_t i;
	CHECK(j != NULL);
	if (j == NULL)
		return;
	segs = json_object_get(j, "segments");
	CHECK_INT(json_array_size(segs), 4);
	json_array_foreach(segs, i, s) {
		const char *code = json_string_value(json_object_get(s, "code"));
		bool hidden = strcmp(code, "g03") == 0 || strcmp(code, "g04") == 0;
		CHECK(json_is_boolean(json_object_get(s, "shown")));
		CHECK(json_is_true(json_object_get(s, "shown")) == !hidden);
		if (hidden)
			CHECK_INT(json_object_size(s), 3);
		else
			CHECK(json_object_get(s, "responded") != NULL);
	}
	/* Comments of hidden groups carry no group. */
	json_t *items = json_object_get(json_object_get(j, "comments"), "items"), *c;
	CHECK_INT(json_array_size(items), 3);
	json_array_foreach(items, i, c) {
		const char *text = json_string_value(json_object_get(c, "text"));
		json_t *seg = json_object_get(c, "segment");
		if (strstr(text, "営業"))
			CHECK_STR(json_string_value(seg), "営業部");
		else
			CHECK(json_is_null(seg));
	}
	/* The method section names the hidden groups, without figures. */
	json_t *hid = json_object_get(json_object_get(j, "method"), "suppressed_segments");
	CHECK_INT(json_array_size(hid), 2);
	CHECK_STR(json_string_value(json_array_get(hid, 0)), "法務部 / *");
	CHECK_STR(json_string_value(json_array_get(hid, 1)), "人事部");
	/* The company as a whole still counts everyone. */
	CHECK_INT(json_integer_value(json_object_get(json_object_get(j, "responses"), "responded")),
	          30);
	json_decref(j);
}

/* In the heatmap, a hidden group's row is its label and dashes only. */
static void
pdf_rows_of_hidden_groups_are_dashes(void)
{
	char *text = rt_pdftext(&f, "out.pdf", true);
	int rows = 0;
	/* The scan below cuts the text into lines in place. */
	CHECK(text != NULL);
	for (char *line = text; line && *line;) {
		char *end = strchr(line, '\n');
		if (end)
			*end = '\0';
		const char *label = strstr(line, "法務部 / （統合）");
		if (label == NULL)
			label = strstr(line, "人事部");
		/* The heatmap row: the label at the start of the line. */
		if (label && label == line + strspn(line, " ") && strstr(line, "—")) {
			rows++;
			const char *rest = label + strlen(strncmp(label, "人事部", 9) == 0 ? "人事部"
			                                                               : "法務部 / （統合）");
			for (; *rest; rest++)
				if (*rest != ' ' && strncmp(rest, "—", 3) != 0) {
					fprintf(stderr, "figure in a hidden row: %s\n", line);
					CHECK(0);
					break;
				} else if (*rest != ' ') {
					rest += 2;
				}
		}
		line = end ? end + 1 : NULL;
	}
	CHECK_INT(rows, 2);
	free(text);
	/* Comments of hidden groups appear, but never with their name. */
	text = rt_pdftext(&f, "out.pdf", false);
	CHECK(rt_has(text, "法務からの意見です"));
	CHECK(rt_has(text, "— 営業部"));
	CHECK(!rt_has(text, "— 法務部"));
	CHECK(!rt_has(text, "— 人事部"));
	free(text);
}

int
main(void)
{
	static const struct rt_group groups[] = {
		{"g01", "営業部", 20}, {"g02", "開発部", 20}, {"g03", "法務部 / *", 6}, {"g04", "人事部", 8}};
	rt_up_alumni(&f, groups, 4);
	respond();
	rt_close(&f);
	CHECK_INT(rt_report(&f, NULL), 0);
	RUN(json_has_nothing_of_hidden_groups);
	RUN(pdf_rows_of_hidden_groups_are_dashes);
	rt_down(&f);
	return harness_done();
}
