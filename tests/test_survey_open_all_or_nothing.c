/* docs/ARCHITECTURE.md §2.1: survey_open stores everything or nothing. A
 * links sink that fails just before the commit leaves no survey; an id is
 * opened once, and refusing it asks nobody for a passphrase; close gives
 * the receipt digest of §3.4 and stops reissues. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "harness.h"
#include "koe/survey.h"

#define PASS "correct horse battery staple"

struct sink {
	size_t links, holders_asked;
	int fail_before_commit;
	int committed_links;
};

static int
holders(void *ctx, const char *survey, struct seal_holder *h, size_t *n, struct koe_msg *msg)
{
	struct sink *s = ctx;
	(void)msg;
	s->holders_asked++;
	*n = 1;
	return seal_holder_new(survey, "HR", PASS, strlen(PASS), &h[0]) == KOE_OK ? 0 : -1;
}

static int
link_cb(void *ctx, const struct roster_row *row, const char *url)
{
	struct sink *s = ctx;
	(void)row;
	s->links += strstr(url, "http://127.0.0.1:1/s/") == url;
	return 0;
}

static int
before_commit(void *ctx, struct koe_msg *msg)
{
	struct sink *s = ctx;
	if (s->fail_before_commit) {
		koe_msg_set(msg, KOE_EIO, "links file could not be renamed");
		return -1;
	}
	s->committed_links = 1;
	return 0;
}

static char dir[64], dbpath[128], keypath[128];
static struct db *db;
static struct qn_survey *q;
static struct roster *ro;
static struct seg_table *groups;
static char *source;
static size_t source_len;

static enum koe_err
open_once(struct sink *s, struct koe_msg *msg)
{
	struct survey_open_result res;
	struct survey_open_req req = {
		.survey = q, .source = source, .source_len = source_len, .roster = ro,
		.groups = groups, .base_url = "http://127.0.0.1:1", .db = db, .db_name = dbpath,
		.key_path = keypath, .holders = holders,
		.links = {.link = link_cb, .before_commit = before_commit, .ctx = s}, .ctx = s,
	};
	return survey_open(&req, &res, msg);
}

static void
failed_commit_leaves_nothing(void)
{
	struct sink s = {.fail_before_commit = 1};
	struct koe_msg msg;
	struct db_survey rec;

	CHECK_INT(open_once(&s, &msg), KOE_EIO);
	CHECK(strcmp(msg.text, "links file could not be renamed") == 0);
	CHECK_INT(s.links, ro->nrows);
	CHECK_INT(db_survey_get(db, q->id, &rec), KOE_ENOTFOUND);
	db_survey_clear(&rec);
}

static void
opens_once_and_asks_nobody_the_second_time(void)
{
	struct sink s = {0}, again = {0};
	struct koe_msg msg;
	struct db_survey rec = {0};

	CHECK_INT(open_once(&s, &msg), KOE_OK);
	CHECK_INT(s.committed_links, 1);
	CHECK_INT(s.holders_asked, 1);
	CHECK_INT(db_survey_get(db, q->id, &rec), KOE_OK);
	CHECK_INT(rec.invited, (int64_t)ro->nrows);
	db_survey_clear(&rec);
	CHECK_INT(open_once(&again, &msg), KOE_EEXIST);
	CHECK_INT(again.holders_asked, 0);
	CHECK_INT(again.links, 0);
	CHECK(strstr(msg.text, "is already open in") != NULL);
}

static void
close_gives_digest_and_stops_reissue(void)
{
	struct survey_close_result res;
	struct survey_reissue_result rr;
	struct db_survey rec = {0};
	struct koe_msg msg;

	CHECK_INT(survey_close(db, q->id, &res, &msg), KOE_OK);
	CHECK_INT(res.count, 0);
	/* SHA-256 of the empty receipt list. */
	CHECK(strcmp(res.digest,
	             "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855") == 0);
	CHECK_INT(db_survey_get(db, q->id, &rec), KOE_OK);
	CHECK_INT(survey_reissue(db, &rec, ro->rows[0].employee_id, true, keypath, &rr, &msg),
	          KOE_ESTATE);
	db_survey_clear(&rec);
}

int
main(void)
{
	struct koe_diags d = {0};
	struct koe_msg msg;
	struct koe_msg dbmsg;
	size_t rlen;
	char *rbytes;

	if (sodium_init() < 0)
		return 2;
	setenv("KOE_KDF_MEMLIMIT", "8388608", 1);
	snprintf(dir, sizeof(dir), "/tmp/koe-test-XXXXXX");
	if (mkdtemp(dir) == NULL)
		return 2;
	snprintf(dbpath, sizeof(dbpath), "%s/koe.db", dir);
	snprintf(keypath, sizeof(keypath), "%s/koe.key", dir);
	source = slurp(data_path("../../surveys/alumni-readiness.txt"), &source_len);
	rbytes = slurp(data_path("roster-lifecycle/roster.csv"), &rlen);
	if (qn_parse(source, source_len, "alumni-readiness.txt", &q, &d) != KOE_OK ||
	    roster_parse(rbytes, rlen, q->segments, q->nsegments, &ro, &d) != KOE_OK ||
	    survey_groups(q, ro, &groups, &msg) != KOE_OK ||
	    db_open(dbpath, DB_CREATE, &db, &dbmsg) != KOE_OK)
		return 2;
	RUN(failed_commit_leaves_nothing);
	RUN(opens_once_and_asks_nobody_the_second_time);
	RUN(close_gives_digest_and_stops_reissue);
	db_close(db);
	seg_table_free(groups);
	roster_free(ro);
	qn_survey_free(q);
	koe_diags_free(&d);
	free(source);
	free(rbytes);
	{
		char cmd[160];
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		if (system(cmd) != 0)
			return 2;
	}
	return harness_done();
}
