/* survey_close, survey_unlock_*, survey_report: the operations after a
 * survey is open (docs/ARCHITECTURE.md §2.3, §4.3, §4.5). */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "koe/report.h"
#include "koe/resp.h"
#include "koe/survey.h"

struct digest {
	crypto_hash_sha256_state st;
	int64_t n;
};

/* The receipt digest: SHA-256 over every receipt in lowercase hex followed
 * by a newline, receipts sorted. Anyone holding the published list can
 * recompute it with `sha256sum`. */
static int
add_receipt(void *ctx, const uint8_t r[DB_HASH_BYTES])
{
	struct digest *d = ctx;
	char hex[DB_HASH_BYTES * 2 + 2];
	sodium_bin2hex(hex, sizeof(hex), r, DB_HASH_BYTES);
	hex[DB_HASH_BYTES * 2] = '\n';
	crypto_hash_sha256_update(&d->st, (const uint8_t *)hex, DB_HASH_BYTES * 2 + 1);
	d->n++;
	return 0;
}

enum koe_err
survey_close(struct db *db, const char *survey_id, struct survey_close_result *res,
             struct koe_msg *msg)
{
	struct digest dg;
	uint8_t sum[crypto_hash_sha256_BYTES];

	memset(res, 0, sizeof(*res));
	if (db_begin(db) != KOE_OK)
		goto dberr;
	crypto_hash_sha256_init(&dg.st);
	dg.n = 0;
	if (db_receipts_foreach(db, survey_id, add_receipt, &dg) != KOE_OK)
		goto rollback;
	crypto_hash_sha256_final(&dg.st, sum);
	sodium_bin2hex(res->digest, sizeof(res->digest), sum, sizeof(sum));
	if (db_survey_close(db, survey_id, dg.n, res->digest) != KOE_OK || db_commit(db) != KOE_OK)
		goto rollback;
	res->count = dg.n;
	/* Deleted rows must not linger in free pages or the WAL (§4.5). */
	res->compacted = db_compact(db) == KOE_OK;
	if (!res->compacted)
		koe_msg_set(&res->warning, KOE_EDB, "%s", db_errmsg(db));
	return KOE_OK;
rollback:
	koe_msg_set(msg, KOE_EDB, "cannot close: %s; nothing was changed", db_errmsg(db));
	db_rollback(db);
	memset(res, 0, sizeof(*res));
	return KOE_EDB;
dberr:
	return koe_msg_set(msg, KOE_EDB, "cannot close: %s; nothing was changed", db_errmsg(db));
}

enum koe_err
survey_unlock_begin(struct survey_unlock *u, struct db *db, const char *survey_id,
                    struct koe_msg *msg)
{
	memset(u, 0, sizeof(*u));
	if (db_holders_get(db, survey_id, u->holders, SEAL_HOLDERS_MAX, &u->nholders) != KOE_OK ||
	    u->nholders == 0)
		return koe_msg_set(msg, KOE_EDB, "cannot read the key holders of survey '%s': %s",
		                   survey_id, db_errmsg(db));
	return KOE_OK;
}

enum koe_err
survey_unlock_try(struct survey_unlock *u, size_t holder, const char *pass, size_t len,
                  size_t *which)
{
	uint8_t x[SEAL_SK_BYTES];
	enum koe_err err = KOE_EVERIFY;

	for (size_t i = 0; i < u->nholders; i++) {
		if (u->opened[i] || (holder < u->nholders && i != holder))
			continue;
		err = resp_holder_secret(&u->holders[i], pass, len, x);
		if (err == KOE_OK) {
			seal_secret_add(u->sk, x);
			u->opened[i] = true;
			*which = i;
			break;
		}
		if (err != KOE_EVERIFY)
			break;
	}
	sodium_memzero(x, sizeof(x));
	return err;
}

enum koe_err
survey_unlock_finish(struct survey_unlock *u, const struct db_survey *rec, struct koe_msg *msg)
{
	for (size_t i = 0; i < u->nholders; i++)
		if (!u->opened[i])
			return koe_msg_set(msg, KOE_EVERIFY, "the passphrase of %s is missing",
			                   u->holders[i].name);
	if (!seal_secret_matches(u->sk, rec->report_pk))
		return koe_msg_set(msg, KOE_EVERIFY,
		                   "the key holders' secrets do not add up to the survey's key; "
		                   "nothing was written");
	return KOE_OK;
}

void
survey_unlock_wipe(struct survey_unlock *u)
{
	sodium_memzero(u->sk, sizeof(u->sk));
	memset(u->opened, 0, sizeof(u->opened));
}

struct report_load {
	struct db_segment *segs;
	size_t nsegs;
	struct qn_survey *q;
	struct resp_table *t;
	struct seal_holder holders[SEAL_HOLDERS_MAX];
	size_t nholders;
};

static void
report_load_free(struct report_load *l)
{
	resp_table_free(l->t);
	qn_survey_free(l->q);
	db_segments_free(l->segs, l->nsegs);
}

/* resp_open_all's progress has no context argument: the request being
 * served by this thread stands in for it. */
static _Thread_local const struct survey_report_req *progress_req;

static void
open_progress(size_t done, size_t total)
{
	progress_req->progress(progress_req->ctx, done, total);
}

/* Everything the report is computed from: the segments, the stored
 * questionnaire and the answer table, read after req->ready allowed it. */
static enum koe_err
report_load(const struct survey_report_req *req, struct report_load *l, bool *interim,
            struct koe_msg *msg)
{
	const struct db_survey *rec = req->rec;
	struct koe_diags d = {0};
	uint8_t sk[SEAL_SK_BYTES];
	enum koe_err err;

	if (db_segments_get(req->db, rec->id, &l->segs, &l->nsegs) != KOE_OK)
		return koe_msg_set(msg, KOE_EDB, "cannot read the database: %s", db_errmsg(req->db));
	if (rec->state == DB_OPEN && !req->interim)
		return koe_msg_set(msg, KOE_ESTATE,
		                   "survey '%s' is still open; close it first ('koe close %s'), or add "
		                   "--interim for an interim report marked as such on every page",
		                   rec->id, rec->id);
	*interim = rec->state == DB_OPEN;
	err = qn_parse((const char *)rec->source, rec->source_len, rec->id, &l->q, &d);
	koe_diags_free(&d);
	if (err != KOE_OK)
		return koe_msg_set(msg, KOE_EINVAL,
		                   "the questionnaire stored with survey '%s' does not load; was the "
		                   "database made by another version of koe?",
		                   rec->id);
	msg->text[0] = '\0';
	if (req->ready(req->ctx, *interim, !*interim && req->interim, *interim ? NULL : sk, msg) != 0)
		return KOE_EINVAL;
	/* An interim report releases participation only, so it opens nothing
	 * and needs no key holder: answers stay sealed until the survey is
	 * closed (include/koe/dc.h, rule 3). */
	if (*interim) {
		err = resp_participation_table(req->db, rec, l->q, &l->t);
	} else {
		progress_req = req;
		err = resp_open_all(req->db, rec, l->q, sk, req->progress ? open_progress : NULL,
		                    &l->t);
		progress_req = NULL;
		sodium_memzero(sk, sizeof(sk));
	}
	if (err != KOE_OK)
		return koe_msg_set(msg, err, "cannot open the responses: %s%s", koe_strerror(err),
		                   err == KOE_EVERIFY ? " (a stored response was altered or sealed to "
		                                        "another key); nothing was written"
		                                      : "; nothing was written");
	if (db_holders_get(req->db, rec->id, l->holders, SEAL_HOLDERS_MAX, &l->nholders) != KOE_OK)
		l->nholders = 0;
	return KOE_OK;
}

/* --compare: the earlier report, read and checked (a final report of
 * another survey), for a final report only. */
static enum koe_err
report_prev_begin(const struct survey_report_req *req, struct report_prev **prev,
                  struct koe_msg *msg)
{
	if (req->rec->state == DB_OPEN)
		return koe_msg_set(msg, KOE_ESTATE,
		                   "--compare needs the final report: survey '%s' is still open, and "
		                   "an interim report shows participation only",
		                   req->rec->id);
	return report_prev_read(req->compare, req->compare_len,
	                        req->compare_name ? req->compare_name : "--compare", req->rec->id,
	                        prev, msg);
}

enum koe_err
survey_report(const struct survey_report_req *req, struct survey_report_result *res,
              struct koe_msg *msg)
{
	struct report_load l = {0};
	struct report_options ro = {.epoch = req->epoch};
	struct report *rep = NULL;
	struct report_prev *prev = NULL;
	struct koe_msg why;
	enum koe_err err;

	memset(res, 0, sizeof(*res));
	msg->text[0] = '\0';
	/* The earlier report is checked before anyone types a passphrase. */
	if (req->compare && (err = report_prev_begin(req, &prev, msg)) != KOE_OK)
		goto done;
	if ((err = report_load(req, &l, &ro.interim, msg)) != KOE_OK)
		goto done;
	struct report_source src = {.survey = l.q, .rec = req->rec, .segs = l.segs,
	                            .nsegs = l.nsegs, .table = l.t, .holders = l.holders,
	                            .nholders = l.nholders};
	if ((err = report_compute(&src, &ro, &rep)) != KOE_OK) {
		koe_msg_set(msg, err, "cannot compute the report: %s; nothing was written",
		            koe_strerror(err));
		goto done;
	}
	if (prev) {
		err = report_compare(rep, prev, &why);
		prev = NULL; /* report_compare took it */
		if (err != KOE_OK) {
			koe_msg_set(msg, err, "%s; nothing was written", why.text);
			goto done;
		}
	}
	if ((err = report_pdf(rep, &res->pdf, &res->pdf_len, &why)) != KOE_OK) {
		koe_msg_set(msg, err, "cannot lay out the PDF: %s; nothing was written", why.text);
		goto done;
	}
	if (req->json && (err = report_json(rep, &res->json, &res->json_len)) != KOE_OK) {
		koe_msg_set(msg, err, "cannot write the JSON: %s; nothing was written",
		            koe_strerror(err));
		goto done;
	}
	res->interim = ro.interim;
	res->responses = report_responses(rep);
	res->shown = report_shown(rep);
	res->min_group = l.q->min_group;
done:
	if (err != KOE_OK)
		survey_report_result_free(res);
	report_prev_free(prev);
	report_free(rep);
	report_load_free(&l);
	return err;
}

void
survey_report_result_free(struct survey_report_result *res)
{
	free(res->pdf);
	free(res->json);
	res->pdf = NULL;
	res->json = NULL;
}
