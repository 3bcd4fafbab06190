/* README, "Comments": near-identical comments are one text. Two comments
 * to one question join when their words are the same once case, full-width
 * forms and punctuation are ignored, or when both have at least eight words
 * and one word was changed, added or dropped — never when that word is a
 * negation, and never for short texts, where one word is the meaning. The
 * cluster is built around its most frequent wording and takes only texts
 * one edit from it (no chains). It is printed once, with that wording, the count and
 * "ほぼ同じ記述"; the JSON's groups[] says how many wordings it joined. */
#include "report_testlib.h"

static struct fixture f;

#define EARLY_A "新しい制度の詳細をもっと早く社員に知らせてほしい"
#define EARLY_B "新しい制度の詳細をもっと早く社員に知らせて欲しい"
#define EARLY_C "新しい制度の詳細をもっと早く全社員に知らせて欲しい"
#define YES_EN "I do support the alumni program for everyone"
#define NO_EN "I do not support the alumni program for everyone"
#define FOR_JA "アルムナイ制度には賛成です"
#define AGAINST_JA "アルムナイ制度には反対です"
#define FAIR "復職する人の処遇が公平なら問題はありません"
#define UNFAIR "復職する人の処遇が不公平なら問題はありません"
#define NOTHING_A "特になし"
#define NOTHING_B "特にない"

static char long_a[1200], long_b[1200];

static const char *texts[] = {
	long_a, long_b,                /* 200 words, the last changed: two texts */
	EARLY_A, EARLY_A, EARLY_B,     /* one cluster of 3, two wordings */
	EARLY_C,                       /* one edit from B, two from A: no chain */
	YES_EN, NO_EN,                 /* a negation added: two texts */
	FOR_JA, AGAINST_JA,            /* two characters changed: two texts */
	FAIR, UNFAIR,                  /* 不 added: two texts */
	NOTHING_A, NOTHING_B,          /* four words, one changed: two texts */
	"賛成、です", "賛成です",      /* punctuation only: one text */
	"ＯＫ です！", "ok です",      /* width and case only: one text */
};
#define NTEXTS (sizeof(texts) / sizeof(texts[0]))

static void
respond(void)
{
	/* Longer than the 160 words compared word by word: matched whole. */
	for (size_t i = 0; i < 199; i++)
		memcpy(long_a + 3 * i, i % 2 ? "い" : "あ", 3);
	memcpy(long_b, long_a, 3 * 199);
	memcpy(long_a + 3 * 199, "う", 4);
	memcpy(long_b + 3 * 199, "え", 4);
	static struct rt_resp r[60];
	static const char *const code[] = {"g01", "g02", "g03"};
	size_t n = 0;
	for (int g = 0; g < 3; g++)
		for (int k = 0; k < 20; k++) {
			/* Spread over the groups, in an order unlike the texts'. */
			size_t t = (size_t)k * 3 + (size_t)g;
			const char *c = t < NTEXTS ? texts[(t * 7) % NTEXTS] : NULL;
			r[n++] = (struct rt_resp){code[g], 4, 3, 3, 3, 3, 7, 0, 1, c};
		}
	rt_respond(&f, r, n);
}

/* The groups[] entry whose text is t, or NULL. */
static json_t *
group_of(json_t *groups, const char *t)
{
	size_t i;
	json_t *e;
	json_array_foreach(groups, i, e)
		if (strcmp(json_string_value(json_object_get(e, "text")), t) == 0)
			return e;
	return NULL;
}

static json_int_t
num(json_t *e, const char *key)
{
	return e ? json_integer_value(json_object_get(e, key)) : -1;
}

static void
near_identical_comments_join_but_opposites_do_not(void)
{
	CHECK_INT(rt_report(&f, NULL), 0);
	json_t *j = rt_json(&f, "out.json");
	json_t *c = json_object_get(j, "comments");
	CHECK_INT(json_array_size(json_object_get(c, "items")), NTEXTS);
	json_t *g = json_object_get(c, "groups");
	/* 18 comments: 2 + 2 + 2 + 2 + 2 + 2 + 1 + 1 texts. */
	CHECK_INT(json_array_size(g), 14);
	CHECK_INT(num(group_of(g, long_a), "count"), 1);
	CHECK_INT(num(group_of(g, long_b), "count"), 1);

	json_t *early = group_of(g, EARLY_A);
	CHECK_INT(num(early, "count"), 3);
	CHECK_INT(num(early, "variants"), 2);
	CHECK(group_of(g, EARLY_B) == NULL); /* printed in the commoner wording */
	CHECK_INT(num(group_of(g, EARLY_C), "count"), 1);

	static const char *const apart[] = {YES_EN, NO_EN, FOR_JA, AGAINST_JA,
	                                    FAIR, UNFAIR, NOTHING_A, NOTHING_B};
	for (size_t i = 0; i < sizeof(apart) / sizeof(apart[0]); i++) {
		CHECK_INT(num(group_of(g, apart[i]), "count"), 1);
		CHECK_INT(num(group_of(g, apart[i]), "variants"), 1);
	}
	json_t *yes = group_of(g, "賛成、です") ? group_of(g, "賛成、です") : group_of(g, "賛成です");
	CHECK_INT(num(yes, "count"), 2);
	CHECK_INT(num(yes, "variants"), 2);
	json_t *ok = group_of(g, "ＯＫ です！") ? group_of(g, "ＯＫ です！") : group_of(g, "ok です");
	CHECK_INT(num(ok, "count"), 2);
	json_decref(j);

	char *text = rt_pdftext(&f, "out.pdf", false);
	CHECK(rt_has(text, "18 件、異なる記述 14 種類"));
	CHECK(rt_has(text, "ほぼ同じ記述 3 件"));
	const char *list = text ? strstr(text, "異なる記述 14 種類") : NULL;
	CHECK(list && strstr(list, EARLY_B) == NULL);
	CHECK(list && strstr(list, NO_EN) != NULL && strstr(list, UNFAIR) != NULL);
	free(text);
}

int
main(void)
{
	rt_up_three_departments(&f);
	respond();
	rt_close(&f);
	RUN(near_identical_comments_join_but_opposites_do_not);
	rt_down(&f);
	return harness_done();
}
