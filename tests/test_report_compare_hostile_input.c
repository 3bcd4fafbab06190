/* The previous report of `koe report --compare` is a file HR controls
 * (src/report_compare.c reads it as hostile input): every broken,
 * truncated, retyped or oversized variant of a real report's JSON is
 * refused with "FILE: error: ..." or read as valid figures, never a crash
 * (this test also runs under ASan + UBSan). Fixtures: tests/data/compare/
 * previous.json and interim.json are wave 1 of test_report_compare
 * (KOE_TEST_KEEP=1 keeps its directory): a final and an interim report of
 * survey alumni-readiness-2025. */
#include <jansson.h>

#include "harness.h"
#include "koe/report.h"

#define THIS_ID "alumni-readiness-2026"

static char *good;
static size_t good_len;

/* Reads text; returns the error, and checks that a refusal names the file
 * and says what is wrong. */
static enum koe_err
try_read(const char *text, size_t len)
{
	struct report_prev *p = NULL;
	struct koe_msg msg = {{0}};
	enum koe_err err = report_prev_read(text, len, "prev.json", THIS_ID, &p, &msg);
	if (err == KOE_OK) {
		CHECK(p != NULL);
	} else {
		CHECK(p == NULL);
		CHECK_INT(err, KOE_EINVAL);
		CHECK(strncmp(msg.text, "prev.json", 9) == 0 && strstr(msg.text, "error: "));
	}
	report_prev_free(p);
	return err;
}

static enum koe_err
try_json(json_t *j)
{
	char *s = json_dumps(j, JSON_COMPACT);
	enum koe_err err;
	if (s == NULL)
		exit(2);
	err = try_read(s, strlen(s));
	free(s);
	return err;
}

static void
real_report_is_read(void)
{
	CHECK_INT(try_read(good, good_len), KOE_OK);
}

static void
truncated_files_refused(void)
{
	size_t refused = 0, tried = 0;
	for (size_t cut = 0; cut + 1 < good_len; cut += 61, tried++)
		refused += try_read(good, cut) == KOE_EINVAL;
	CHECK_INT(refused, tried);
}

/* Every value of the document replaced by each hostile one, in turn. */
static size_t nodes, refused_nodes;

static void mutate_walk(json_t *root, json_t *parent, const char *key, size_t index);

/* The members of obj, each in turn. The keys are copied first: deleting
 * and re-adding a member moves it to the end of the object's order. */
static void
walk_members(json_t *root, json_t *obj)
{
	size_t n = json_object_size(obj), i = 0;
	char **keys = calloc(n + 1, sizeof(*keys));
	const char *k;
	json_t *c;
	if (keys == NULL)
		exit(2);
	json_object_foreach(obj, k, c) keys[i++] = strdup(k);
	for (i = 0; i < n; i++) {
		if (keys[i] == NULL)
			exit(2);
		mutate_walk(root, obj, keys[i], 0);
		free(keys[i]);
	}
	free(keys);
}

static void
mutate_walk(json_t *root, json_t *parent, const char *key, size_t index)
{
	json_t *v = key ? json_object_get(parent, key) : json_array_get(parent, index);
	json_t *const bad[] = {json_null(), json_string("x"), json_integer(-1), json_real(1e300),
	                       json_object()};
	for (size_t b = 0; b < sizeof(bad) / sizeof(bad[0]); b++) {
		json_t *keep = json_incref(v);
		if (key)
			json_object_set(parent, key, bad[b]);
		else
			json_array_set(parent, index, bad[b]);
		nodes++;
		refused_nodes += try_json(root) != KOE_OK;
		if (key)
			json_object_set_new(parent, key, keep);
		else
			json_array_set_new(parent, index, keep);
	}
	for (size_t b = 0; b < sizeof(bad) / sizeof(bad[0]); b++)
		json_decref(bad[b]);
	if (key) { /* and the member missing */
		json_t *keep = json_incref(v);
		json_object_del(parent, key);
		refused_nodes += try_json(root) != KOE_OK;
		nodes++;
		json_object_set_new(parent, key, keep);
	}
	if (json_is_object(v))
		walk_members(root, v);
	else if (json_is_array(v)) {
		for (size_t i = 0; i < json_array_size(v) && i < 2; i++)
			mutate_walk(root, v, NULL, i);
	}
}

static void
every_value_retyped(void)
{
	json_t *j = json_loadb(good, good_len, 0, NULL);
	const char *skip[] = {"drivers", "comments", "margins", "method"};
	CHECK(j != NULL);
	if (j == NULL)
		return;
	/* The sections the comparison does not read are left alone (each is
	 * still parsed as JSON); the rest is mutated everywhere. */
	for (size_t s = 0; s < 4; s++)
		json_object_del(j, skip[s]);
	walk_members(j, j);
	json_decref(j);
	fprintf(stderr, "%zu mutations, %zu refused\n", nodes, refused_nodes);
	CHECK(nodes > 500);
	/* Many break a field the comparison reads (the others change a field
	 * it does not read, or one within its range). */
	CHECK(refused_nodes > nodes / 5);
}

static void
hostile_documents_refused(void)
{
	static const char *const docs[] = {
		"", "null", "[]", "\"koe-report/1\"", "{}", "{\"schema\": \"koe-report/2\"}",
		"{\"schema\": \"koe-report/1\", \"schema\": \"koe-report/1\"}",
		"{\"schema\": \"koe-report/1\", \"survey\": {\"id\": \"a\\u0000b\"}}",
		"{\"schema\": \"koe-report/1\", \"survey\": {\"id\": \"\xff\xfe\"}}",
		"\xef\xbb\xbf{\"schema\": \"koe-report/1\"}",
	};
	for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++)
		CHECK_INT(try_read(docs[i], strlen(docs[i])), KOE_EINVAL);
	/* Deep nesting. */
	size_t n = 200000;
	char *deep = malloc(2 * n + 1);
	if (deep == NULL)
		exit(2);
	memset(deep, '[', n);
	memset(deep + n, ']', n);
	CHECK_INT(try_read(deep, 2 * n), KOE_EINVAL);
	free(deep);
}

/* Twenty thousand groups: bounded, refused with a message. */
static void
too_many_groups_refused(void)
{
	json_t *j = json_loadb(good, good_len, 0, NULL), *segs = json_array();
	for (int i = 0; i < 20000; i++) {
		char label[32];
		snprintf(label, sizeof(label), "g%d", i);
		json_array_append_new(segs, json_pack("{s:s, s:s, s:b}", "code", label, "label", label,
		                                      "shown", 0));
	}
	json_object_set_new(j, "segments", segs);
	char *s = json_dumps(j, JSON_COMPACT);
	struct report_prev *p = NULL;
	struct koe_msg msg = {{0}};
	CHECK_INT(report_prev_read(s, strlen(s), "prev.json", THIS_ID, &p, &msg), KOE_EINVAL);
	CHECK(strstr(msg.text, "more than 10000 groups") != NULL);
	free(s);
	json_decref(j);
}

static void
same_survey_and_interim_refused(void)
{
	struct report_prev *p = NULL;
	struct koe_msg msg = {{0}};
	size_t len;
	char *interim = slurp(data_path("compare/interim.json"), &len);
	CHECK_INT(report_prev_read(interim, len, "i.json", THIS_ID, &p, &msg), KOE_EINVAL);
	CHECK(strstr(msg.text, "i.json: error: this is an interim report") == msg.text);
	free(interim);
	CHECK_INT(report_prev_read(good, good_len, "prev.json", "alumni-readiness-2025", &p, &msg),
	          KOE_EINVAL);
	CHECK(strstr(msg.text, "same survey 'alumni-readiness-2025'") != NULL);
	CHECK(p == NULL);
}

/* What the previous report hid is not in it: a hidden group is its code,
 * label and "shown" only, so nothing can be compared with its figures. */
static void
hidden_groups_carry_no_figure(void)
{
	json_t *j = json_loadb(good, good_len, 0, NULL), *s;
	size_t i, hidden = 0;
	json_array_foreach(json_object_get(j, "segments"), i, s)
		if (!json_is_true(json_object_get(s, "shown"))) {
			hidden++;
			CHECK_INT(json_object_size(s), 3);
		}
	CHECK(hidden >= 1);
	json_decref(j);
}

int
main(void)
{
	good = slurp(data_path("compare/previous.json"), &good_len);
	RUN(real_report_is_read);
	RUN(truncated_files_refused);
	RUN(hostile_documents_refused);
	RUN(too_many_groups_refused);
	RUN(same_survey_and_interim_refused);
	RUN(hidden_groups_carry_no_figure);
	RUN(every_value_retyped);
	free(good);
	return harness_done();
}
