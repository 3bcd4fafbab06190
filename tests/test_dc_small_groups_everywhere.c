/* No output names a group below k together with a figure: every string of
 * the report JSON (not a fixed list of keys), every line of the PDF text
 * (pdftotext), comments, hot spots, and `koe status` / `koe remind`, for an
 * interim and a final release, end to end with MinGroup 3 and MinGroup 7.
 *
 * Each run has a group below k (法務部), a group where nobody opened a link
 * (総務部, 0 answers) and so a group hidden by complement (人事部); the
 * hidden ones answer very differently from everyone else and write
 * comments. 開発部 is shown but has fewer than MinGroupComments (10)
 * respondents with k = 3, so its comment must not carry its name.
 *
 * On the code before include/koe/dc.h, `koe status` showed 人事部's count
 * (two hidden groups, one of them empty, and nothing more hidden) and the
 * report named 開発部 under its comment. */
#include "dc_testlib.h"

struct run {
	int k;
	int n[5]; /* respondents of 営業部, 開発部, 法務部, 人事部, 総務部 */
};

#define NG 5
static const char *const label[NG] = {"営業部", "開発部", "法務部", "人事部", "総務部"};
static const char *const code[NG] = {"g01", "g02", "g03", "g04", "g05"};
static const bool hidden[NG] = {false, false, true, true, true};
static const char *const comment[NG] = {"コメントあ", "コメントい", "コメントう", "コメントえ",
                                        "コメントお"};
/* Groups whose comments may not carry their name (fewer than
 * MinGroupComments respondents, or hidden). */
static bool unnamed[NG];

static struct fixture f;
static int cur_k;

struct scan {
	json_t *root;
	int bad;
};

static bool
names_hidden(const char *s)
{
	for (int g = 0; g < NG; g++)
		if (hidden[g] && (strstr(s, label[g]) || strcmp(s, code[g]) == 0))
			return true;
	return false;
}

static bool
names_unnamed(const char *s)
{
	for (int g = 0; g < NG; g++)
		if (unnamed[g] && strstr(s, label[g]))
			return true;
	return false;
}

/* A string naming a hidden group may only be the code or label of its own
 * segments[] entry, which must then hold nothing but code, label and
 * shown = false, or an entry of method.suppressed_segments. */
static void
scan_string(const char *path, json_t *v, void *ctx)
{
	struct scan *s = ctx;
	const char *str = json_string_value(v);
	if (str && strncmp(path, "comments.items[", 15) == 0 && strstr(path, ".segment") &&
	    names_unnamed(str)) {
		fprintf(stderr, "  k=%d: %s names a group below MinGroupComments: %s\n", cur_k, path,
		        str);
		s->bad++;
		return;
	}
	if (str == NULL || !names_hidden(str))
		return;
	if (strncmp(path, "method.suppressed_segments[", 27) == 0)
		return;
	size_t i;
	if (sscanf(path, "segments[%zu]", &i) == 1) {
		json_t *seg = json_array_get(json_object_get(s->root, "segments"), i);
		const char *rest = strchr(path, ']') + 1;
		if ((strcmp(rest, ".code") == 0 || strcmp(rest, ".label") == 0) &&
		    json_object_size(seg) == 3 && json_is_false(json_object_get(seg, "shown")))
			return;
	}
	fprintf(stderr, "  k=%d: %s names a hidden group: %s\n", cur_k, path, str);
	s->bad++;
}

static void
check_json(const char *name)
{
	json_t *j = rt_json(&f, name);
	struct scan s = {j, 0};
	CHECK(j != NULL);
	if (j == NULL)
		return;
	dc_walk_all(j, scan_string, &s);
	CHECK_INT(s.bad, 0);
	/* Both hidden groups are really hidden, the others shown. */
	size_t i;
	json_t *seg;
	json_array_foreach(json_object_get(j, "segments"), i, seg)
		CHECK(json_is_true(json_object_get(seg, "shown")) == !hidden[i]);
	json_decref(j);
}

/* Every line of the PDF text that names a hidden group holds no figure
 * (no digit, no %) and is not a comment's group line ("— 法務部"). */
static void
check_pdf(const char *pdf)
{
	char *text = rt_pdftext(&f, pdf, true);
	int lines = 0;
	CHECK(text != NULL);
	for (char *line = text; line && *line;) {
		char *end = strchr(line, '\n');
		if (end)
			*end = '\0';
		bool named = false;
		const char *q = line + strspn(line, " ");
		for (int g = 0; g < NG; g++) {
			named |= hidden[g] && strstr(line, label[g]) != NULL;
			if (unnamed[g] && strncmp(q, "—", 3) == 0 && strstr(q, label[g]) &&
			    !strstr(q, "— —")) {
				fprintf(stderr, "  k=%d %s: comment named: %s\n", cur_k, pdf, line);
				CHECK(0);
			}
		}
		if (named) {
			lines++;
			const char *p = line + strspn(line, " ");
			bool figure = strpbrk(line, "0123456789%") != NULL;
			if (figure || (strncmp(p, "—", 3) == 0 && !strstr(p, "— —"))) {
				fprintf(stderr, "  k=%d %s: %s\n", cur_k, pdf, line);
				CHECK(0);
			}
		}
		line = end ? end + 1 : NULL;
	}
	CHECK(lines > 0); /* the hidden groups are listed as hidden */
	free(text);
}

/* `koe status`: a hidden group's row shows no responded count. */
static void
check_status(void)
{
	CHECK_INT(rt_sh(&f, "$KOE status --db koe.db"), 0);
	char *out = rt_read(&f, "out", NULL);
	for (char *line = out; line && *line;) {
		char *end = strchr(line, '\n');
		if (end)
			*end = '\0';
		for (int g = 0; g < NG; g++)
			if (hidden[g] && strstr(line, label[g]) && !strstr(line, "hidden")) {
				fprintf(stderr, "  k=%d status: %s\n", cur_k, line);
				CHECK(0);
			}
		line = end ? end + 1 : NULL;
	}
	free(out);
}

/* `koe remind` lists people and names no group at all. */
static void
check_remind(void)
{
	CHECK_INT(rt_sh(&f, "$KOE remind --db koe.db 2>&1"), 0);
	char *out = rt_read(&f, "out", NULL);
	for (int g = 0; g < NG; g++)
		CHECK(!rt_has(out, label[g]));
	free(out);
}

static void
one_run(const struct run *run)
{
	struct rt_group groups[NG];
	char from[] = "[[MinGroup:5]]", to[32];
	size_t len;
	cur_k = run->k;
	for (int g = 0; g < NG; g++) {
		groups[g] = (struct rt_group){code[g], label[g], run->n[g] + 5};
		unnamed[g] = hidden[g] || run->n[g] < (run->k > 10 ? run->k : 10);
	}
	snprintf(to, sizeof(to), "[[MinGroup:%d]]", run->k);
	char *src = rt_survey_source(from, to, &len);
	rt_up(&f, src, len, groups, NG);

	struct rt_resp r[100];
	size_t n = 0;
	for (int g = 0; g < NG; g++)
		for (int i = 0; i < run->n[g]; i++) {
			int v = hidden[g] ? 1 : 3 + (i + g) % 3;
			r[n++] = (struct rt_resp){code[g], v, v, v, hidden[g] ? 1 : 4, v,
			                          hidden[g] ? 0 : 8, 0, 1 + g,
			                          i == 0 ? comment[g] : NULL};
		}
	rt_respond(&f, r, n);

	CHECK_INT(rt_sh(&f, "SOURCE_DATE_EPOCH=" RT_EPOCH " $KOE report --interim --db koe.db "
	                    "--passphrase-file pass.txt --out i.pdf --json i.json"),
	          0);
	check_json("i.json");
	check_pdf("i.pdf");
	check_status();
	check_remind();
	rt_close(&f);
	CHECK_INT(rt_report(&f, NULL), 0);
	check_json("out.json");
	check_pdf("out.pdf");
	check_status();
	rt_down(&f);
}

static void
min_group_3(void)
{
	static const struct run run = {3, {12, 9, 2, 4, 0}};
	one_run(&run);
}

static void
min_group_7(void)
{
	static const struct run run = {7, {16, 11, 5, 8, 0}};
	one_run(&run);
}

int
main(void)
{
	RUN(min_group_3);
	RUN(min_group_7);
	return harness_done();
}
