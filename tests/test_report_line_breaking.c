/* README, "The report": every text box of the PDF breaks Japanese lines by
 * the JIS X 4051 rules — no line starts with 、。」』）ー or a small kana
 * (っ ゃ ッ …), ？！, and none ends with an opening bracket 「『（【; the
 * leaders …… stay together. Comments that put each of these at every
 * possible position of a line are printed, and every line pdftotext reads
 * from the whole report is checked. */
#include "report_testlib.h"

static struct fixture f;

/* A comment with the hard characters after n ordinary ones. */
static char *
comment(size_t n)
{
	static const char tail[] = "「ルール」、（案）ーっ。ッャ？！……【注】『例』です。"
	                           "アルムナイ制度（仮称）について、意見を述べます。";
	char *s = malloc(n * 3 + sizeof(tail) + 3);
	if (s == NULL)
		exit(2);
	size_t len = 0;
	/* Comments n and m differ in at least two characters (else the
	 * report would print them as one, README "Comments"). */
	static const char *const fill[] = {"あ", "イ", "う", "エ", "お"};
	for (size_t i = 0; i < n; i++) {
		memcpy(s + len, fill[n % 5], 3);
		len += 3;
	}
	memcpy(s + len, tail, sizeof(tail));
	return s;
}

static void
respond(void)
{
	static struct rt_resp r[60];
	static const char *const code[] = {"g01", "g02", "g03"};
	size_t n = 0;
	for (int g = 0; g < 3; g++)
		for (int k = 0; k < 20; k++)
			r[n++] = (struct rt_resp){code[g], 4, 3, 3, 3, 3, 7, 0, 1,
			                          comment((size_t)(g * 20 + k) + 2)};
	rt_respond(&f, r, n);
}

static bool
starts_with_any(const char *line, const char *const *set, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strncmp(line, set[i], strlen(set[i])) == 0)
			return true;
	return false;
}

static bool
ends_with_any(const char *line, size_t len, const char *const *set, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		size_t l = strlen(set[i]);
		if (len >= l && memcmp(line + len - l, set[i], l) == 0)
			return true;
	}
	return false;
}

static void
no_line_starts_or_ends_badly(void)
{
	static const char *const no_start[] = {"、", "。", "」", "』", "）", "】", "ー", "っ",
	                                       "ッ", "ャ", "？", "！", "，", "．"};
	static const char *const no_end[] = {"「", "『", "（", "【"};
	CHECK_INT(rt_report(&f, NULL), 0);
	char *text = rt_pdftext(&f, "out.pdf", false);
	CHECK(text != NULL);
	if (text == NULL)
		return;
	size_t lines = 0, bad = 0, leaders = 0;
	for (char *line = text, *next; line && *line; line = next) {
		next = strchr(line, '\n');
		size_t len = next ? (size_t)(next - line) : strlen(line);
		if (next)
			next++;
		while (len > 0 && line[len - 1] == ' ')
			len--;
		if (len == 0)
			continue;
		lines++;
		leaders += rt_memmem(line, len, "……", strlen("……")) != NULL;
		if (starts_with_any(line, no_start, sizeof(no_start) / sizeof(no_start[0])) ||
		    ends_with_any(line, len, no_end, sizeof(no_end) / sizeof(no_end[0]))) {
			if (bad++ < 10)
				fprintf(stderr, "bad line: %.*s\n", (int)len, line);
		}
	}
	fprintf(stderr, "%zu lines, %zu bad\n", lines, bad);
	CHECK(lines > 200);
	CHECK_INT(bad, 0);
	/* Every comment's …… printed whole on one line. */
	CHECK(leaders >= 60);
	free(text);
}

int
main(void)
{
	rt_up_three_departments(&f);
	respond();
	rt_close(&f);
	RUN(no_line_starts_or_ends_badly);
	rt_down(&f);
	return harness_done();
}
