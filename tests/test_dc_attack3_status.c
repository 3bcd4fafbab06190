/* Attack 3: `koe status` after closing, with two groups below k (one of
 * them never opened a link, so it holds 0 answers). The response count of
 * the company minus the counts of the shown groups is the sum of the hidden
 * ones; it must never be a number of 1..k−1 people. The old status code
 * hid nothing more as soon as two groups were hidden, so 24 − 22 = 2 gave
 * away 法務部's count. Real CLI, real database. */
#include "dc_testlib.h"

static struct fixture f;

/* Parses `koe status` output: the company's responded count and the sum
 * of the responded column over the groups that show a number. */
static void
parse_status(const char *out, long long *total, long long *shown_sum, int *hidden)
{
	const char *p = strstr(out, "responded ");
	*total = p ? atoll(p + strlen("responded ")) : -1;
	*shown_sum = 0;
	*hidden = 0;
	for (const char *line = out; line && *line;) {
		const char *end = strchr(line, '\n');
		char code[16], inv[32], op[32], resp[64];
		if (sscanf(line, " %15s %31s %31s %63s", code, inv, op, resp) == 4 && code[0] == 'g' &&
		    code[1] >= '0' && code[1] <= '9') {
			if (resp[0] >= '0' && resp[0] <= '9')
				*shown_sum += atoll(resp);
			else
				(*hidden)++;
		}
		line = end ? end + 1 : NULL;
	}
}

static void
two_hidden_groups_do_not_subtract(void)
{
	long long total, sum;
	int hidden;
	CHECK_INT(rt_sh(&f, "$KOE status --db koe.db"), 0);
	char *out = rt_read(&f, "out", NULL);
	CHECK(out != NULL);
	if (out == NULL)
		return;
	parse_status(out, &total, &sum, &hidden);
	CHECK_INT(total, 24);
	CHECK(hidden >= 2);
	long long diff = total - sum;
	if (diff >= 1 && diff < 5)
		fprintf(stderr, "status:\n%s\ntotal %lld − shown %lld = %lld people of hidden groups\n",
		        out, total, sum, diff);
	CHECK(!(diff >= 1 && diff < 5));
	/* The hidden groups' rows show no responded number. */
	CHECK(!strstr(out, " 2  法務部"));
	free(out);
}

int
main(void)
{
	static const struct rt_group groups[] = {
		{"g01", "営業部", 20}, {"g02", "開発部", 20}, {"g03", "法務部 / *", 6}, {"g04", "人事部", 8}};
	struct rt_resp r[30];
	size_t n = 0;
	rt_up_alumni(&f, groups, 4);
	for (int k = 0; k < 12; k++)
		r[n++] = (struct rt_resp){"g01", 4, 4, 3, 4, 3, 8, 0, 1, NULL};
	for (int k = 0; k < 10; k++)
		r[n++] = (struct rt_resp){"g02", 5, 2, 3, 3, 3, 9, 0, 2, NULL};
	for (int k = 0; k < 2; k++)
		r[n++] = (struct rt_resp){"g03", 1, 1, 1, 1, 1, 0, 0, 5, NULL};
	/* g04 (人事部): nobody opened a link, nobody answered. */
	rt_respond(&f, r, n);
	rt_close(&f);
	RUN(two_hidden_groups_do_not_subtract);
	rt_down(&f);
	return harness_done();
}
