/* survey_open and its helpers: questionnaire and roster to the database
 * (docs/ARCHITECTURE.md §2.1); survey_reissue, the one later invitation. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "koe/holder.h"
#include "koe/invite.h"
#include "koe/mail.h"
#include "koe/survey.h"


char *
survey_base_url(const char *url)
{
	size_t len = strlen(url);
	const char *host;

	if (strncmp(url, "https://", 8) == 0)
		host = url + 8;
	else if (strncmp(url, "http://", 7) == 0)
		host = url + 7;
	else
		return NULL;
	if (*host == '\0' || *host == '/' || strpbrk(url, " \t\r\n?#\"'<>\\") != NULL || len > 512)
		return NULL;
	while (len > 0 && url[len - 1] == '/')
		len--;
	return strndup(url, len);
}

bool
survey_base_url_insecure(const char *url)
{
	const char *h = strstr(url, "://");
	if (strncmp(url, "http://", 7) != 0 || h == NULL)
		return false;
	h += 3;
	return !(strncmp(h, "localhost", 9) == 0 || strncmp(h, "127.", 4) == 0 ||
	         strncmp(h, "[::1]", 5) == 0);
}

enum koe_err
survey_holder_check(const char *survey, const char *label, const char *text, size_t len,
                    const struct seal_holder *prev, const char *const *prev_labels,
                    size_t nprev, struct seal_holder *out, struct koe_msg *msg)
{
	char sid[HOLDER_SURVEY_MAX];
	struct koe_msg why;
	enum koe_err err = holder_parse(text, len, sid, out, &why);

	if (err != KOE_OK)
		return koe_msg_set(msg, err, "%s: %s", label, why.text);
	if (strcmp(sid, survey) != 0)
		return koe_msg_set(msg, KOE_EINVAL,
		                   "%s: made for survey '%s', not '%s'; ask %s to run "
		                   "'koe holder %s --name ...' again",
		                   label, sid, survey, out->name, survey);
	if (seal_holder_verify(survey, out) != KOE_OK)
		return koe_msg_set(msg, KOE_EVERIFY,
		                   "%s: the proof does not verify (the file was altered or is not "
		                   "%s's); ask the holder to make it again",
		                   label, out->name);
	for (size_t j = 0; j < nprev; j++)
		if (strcmp(out->name, prev[j].name) == 0 ||
		    memcmp(out->pub, prev[j].pub, SEAL_PK_BYTES) == 0)
			return koe_msg_set(msg, KOE_EEXIST, "%s and %s are the same key holder (%s); "
			                   "every holder makes their own share",
			                   prev_labels[j], label, out->name);
	return KOE_OK;
}

/* Step 3: the k-anonymous groups, before any link exists (§4.2). */
enum koe_err
survey_groups(const struct qn_survey *s, const struct roster *ro, struct seg_table **out,
              struct koe_msg *msg)
{
	const char **values = calloc(ro->nrows * (s->nsegments ? s->nsegments : 1), sizeof(*values));
	enum koe_err err;

	if (values == NULL)
		return koe_msg_set(msg, KOE_ENOMEM, "out of memory");
	for (size_t r = 0; r < ro->nrows; r++)
		for (size_t g = 0; g < s->nsegments; g++)
			values[r * s->nsegments + g] = ro->rows[r].segments[g];
	err = seg_build(values, ro->nrows, s->nsegments, (size_t)s->min_group, out);
	free(values);
	if (err == KOE_EINVAL)
		return koe_msg_set(msg, err,
		                   "the roster has %zu people; a survey needs at least %d (MinGroup) "
		                   "so that no answer can be traced to anyone",
		                   ro->nrows, s->min_group);
	if (err != KOE_OK)
		return koe_msg_set(msg, err, "out of memory");
	return KOE_OK;
}

/* Step 4: an id is opened once. */
static enum koe_err
refuse_existing(const struct survey_open_req *req, struct koe_msg *msg)
{
	struct db_survey old;
	const char *id = req->survey->id;
	enum koe_err err = db_survey_get(req->db, id, &old);

	db_survey_clear(&old);
	if (err == KOE_OK)
		return koe_msg_set(msg, KOE_EEXIST,
		                   "survey '%s' is already open in %s; nothing was changed "
		                   "(see 'koe status %s'; give the questionnaire a new [[Survey:...]] "
		                   "id to run it again)",
		                   id, req->db_name, id);
	if (err != KOE_ENOTFOUND)
		return koe_msg_set(msg, err, "cannot read the database: %s", db_errmsg(req->db));
	return KOE_OK;
}

/* Step 7's writes, inside the caller's transaction: the survey, its
 * holders, storage for every answer, the groups and one invitation per
 * roster row, whose link goes to the caller and nowhere else. */
static enum koe_err
write_survey(const struct survey_open_req *req, const struct db_survey *rec,
             const struct survey_open_result *res, const uint8_t inv_key[INVITE_KEY_BYTES],
             struct koe_msg *msg)
{
	const struct qn_survey *s = req->survey;
	const struct roster *ro = req->roster;
	const struct seg_table *segs = req->groups;
	struct db *db = req->db;

	if (db_survey_insert(db, rec) != KOE_OK)
		return KOE_EDB;
	for (size_t i = 0; i < res->nholders; i++)
		if (db_holder_insert(db, s->id, (int)i, &res->holders[i]) != KOE_OK)
			return KOE_EDB;
	/* Room for every answer before any arrives (db.h). */
	if (db_storage_reserve_for(db, s->id, (int64_t)ro->nrows) != KOE_OK)
		return KOE_EDB;
	for (size_t g = 0; g < segs->ngroups; g++)
		if (db_segment_insert(db, s->id, segs->groups[g].code, segs->groups[g].label,
		                      (int64_t)segs->groups[g].count) != KOE_OK)
			return KOE_EDB;
	for (size_t r = 0; r < ro->nrows; r++) {
		const struct roster_row *row = &ro->rows[r];
		char code[INVITE_CODE_LEN + 1], link[INVITE_CODE_LEN + 520];
		uint8_t hash[INVITE_HASH_BYTES];
		int rc;

		invite_new(code);
		/* invite_new() makes well-formed codes. */
		KOE_ASSERT(invite_hash(inv_key, s->id, code, hash) == KOE_OK);
		if (db_invitation_insert(db, s->id, hash, row->employee_id, row->email, row->name,
		                         segs->groups[segs->row_group[r]].code) != KOE_OK)
			return KOE_EDB;
		snprintf(link, sizeof(link), "%s/s/%s", req->base_url, code);
		rc = req->links.link ? req->links.link(req->links.ctx, row, link) : 0;
		sodium_memzero(code, sizeof(code));
		sodium_memzero(link, sizeof(link));
		if (rc != 0)
			return koe_msg_set(msg, KOE_EIO, "%s", "");
		if (req->progress)
			req->progress(req->ctx, r + 1, ro->nrows);
	}
	return KOE_OK;
}

/* Steps 5 and 6: the survey key, the invite-hash key and the report key
 * from the holders' public parts. Fills rec's keys and res. */
static enum koe_err
make_keys(const struct survey_open_req *req, struct db_survey *rec,
          struct survey_open_result *res, uint8_t inv_key[INVITE_KEY_BYTES], struct koe_msg *msg)
{
	const char *id = req->survey->id;
	uint8_t seed[TOK_SEED_BYTES];
	struct tok_survey_key key = {0};
	int created = 0;
	enum koe_err err;

	/* The key file's own message says what is wrong with it. */
	err = tok_seed_load_or_create(req->key_path, seed, &created, msg);
	if (err != KOE_OK)
		return err;
	res->key_created = created != 0;
	err = tok_survey_key_derive(seed, id, &key);
	if (err == KOE_OK)
		invite_key_derive(seed, inv_key);
	sodium_memzero(seed, sizeof(seed));
	if (err != KOE_OK)
		return koe_msg_set(msg, err, "cannot derive the survey key");
	memcpy(rec->public_key, key.pk, sizeof(rec->public_key));
	memcpy(rec->key_id, key.key_id, sizeof(rec->key_id));
	memcpy(res->key_id, key.key_id, sizeof(res->key_id));
	tok_survey_key_wipe(&key);

	msg->text[0] = '\0';
	if (req->holders(req->ctx, id, res->holders, &res->nholders, msg) != 0)
		return KOE_EINVAL;
	KOE_ASSERT(res->nholders >= 1 && res->nholders <= SEAL_HOLDERS_MAX);
	if (seal_holders_key(res->holders, res->nholders, rec->report_pk) != KOE_OK)
		return koe_msg_set(msg, KOE_EVERIFY,
		                   "the key holders' public parts do not add up to a usable key "
		                   "(one cancels another); ask each holder to make theirs again");
	return KOE_OK;
}

/* Step 7: one transaction; the caller's links are in place just before
 * the commit, so a failure leaves neither a half database nor a links
 * file that does not work. */
static enum koe_err
commit_survey(const struct survey_open_req *req, const struct db_survey *rec,
              const struct survey_open_result *res, const uint8_t inv_key[INVITE_KEY_BYTES],
              struct koe_msg *msg)
{
	struct db *db = req->db;
	enum koe_err err;

	msg->text[0] = '\0';
	if (req->links.begin && req->links.begin(req->links.ctx, msg) != 0)
		return KOE_EIO;
	if (db_begin(db) != KOE_OK)
		return koe_msg_set(msg, KOE_EDB, "the database is busy or read-only: %s",
		                   db_errmsg(db));
	err = write_survey(req, rec, res, inv_key, msg);
	if (err == KOE_EDB)
		koe_msg_set(msg, err, "cannot save the survey: %s; nothing was changed", db_errmsg(db));
	if (err == KOE_OK && req->links.before_commit &&
	    req->links.before_commit(req->links.ctx, msg) != 0)
		err = KOE_EIO;
	if (err != KOE_OK) {
		db_rollback(db);
		return err;
	}
	if (db_commit(db) != KOE_OK) {
		koe_msg_set(msg, KOE_EDB, "cannot save the survey: %s; nothing was changed",
		            db_errmsg(db));
		db_rollback(db);
		return KOE_EDB;
	}
	return KOE_OK;
}

enum koe_err
survey_open(const struct survey_open_req *req, struct survey_open_result *res,
            struct koe_msg *msg)
{
	const struct qn_survey *s = req->survey;
	struct db_survey rec = {0};
	uint8_t inv_key[INVITE_KEY_BYTES];
	enum koe_err err;

	memset(res, 0, sizeof(*res));
	msg->text[0] = '\0';
	err = refuse_existing(req, msg);
	if (err == KOE_OK)
		err = make_keys(req, &rec, res, inv_key, msg);
	if (err == KOE_OK) {
		rec.id = (char *)s->id;
		rec.title = (char *)s->title;
		rec.base_url = (char *)req->base_url;
		rec.source = (uint8_t *)req->source;
		rec.source_len = req->source_len;
		rec.invited = (int64_t)req->roster->nrows;
		err = commit_survey(req, &rec, res, inv_key, msg);
	}
	sodium_memzero(inv_key, sizeof(inv_key));
	return err;
}

/* The new invitation of a reissue, in one transaction. */
static enum koe_err
reissue_write(struct db *db, const char *id, const struct db_invitation *inv,
              const uint8_t hash[INVITE_HASH_BYTES], bool count, struct koe_msg *msg)
{
	if (db_begin(db) != KOE_OK)
		goto dberr;
	if (db_invitation_revoke(db, id, inv->hash) != KOE_OK ||
	    db_invitation_insert(db, id, hash, inv->employee_id, inv->email, inv->name,
	                         inv->segment) != KOE_OK ||
	    (count && db_survey_add_reissued(db, id) != KOE_OK) || db_commit(db) != KOE_OK) {
		koe_msg_set(msg, KOE_EDB, "cannot save: %s; nothing was changed", db_errmsg(db));
		db_rollback(db);
		return KOE_EDB;
	}
	return KOE_OK;
dberr:
	return koe_msg_set(msg, KOE_EDB, "cannot save: %s; nothing was changed", db_errmsg(db));
}

enum koe_err
survey_reissue(struct db *db, const struct db_survey *rec, const char *employee, bool force,
               const char *key_path, struct survey_reissue_result *res, struct koe_msg *msg)
{
	const char *id = rec->id;
	char code[INVITE_CODE_LEN + 1];
	uint8_t seed[TOK_SEED_BYTES], key[INVITE_KEY_BYTES], hash[INVITE_HASH_BYTES];
	enum koe_err err;

	memset(res, 0, sizeof(*res));
	if (rec->state != DB_OPEN)
		return koe_msg_set(msg, KOE_ESTATE,
		                   "survey '%s' is closed; links can no longer be reissued", id);
	err = db_invitation_by_employee(db, id, employee, &res->inv);
	if (err == KOE_ENOTFOUND)
		return koe_msg_set(msg, err, "no employee '%s' in survey '%s'", employee, id);
	if (err != KOE_OK)
		return koe_msg_set(msg, err, "cannot read the database: %s", db_errmsg(db));
	if (res->inv.status == DB_INV_ISSUED && !force)
		err = koe_msg_set(msg, KOE_ESTATE,
		                  "the current link of '%s' has already fetched its answer token. If "
		                  "that token is still in their browser, a new link would let them "
		                  "answer twice. Reissue only if the device is lost (add --force); the "
		                  "report counts reissued links",
		                  employee);
	else
		err = tok_seed_load(key_path, seed, msg);
	if (err != KOE_OK) {
		survey_reissue_result_free(res);
		return err;
	}
	invite_key_derive(seed, key);
	sodium_memzero(seed, sizeof(seed));
	invite_new(code);
	/* invite_new() makes well-formed codes. */
	KOE_ASSERT(invite_hash(key, id, code, hash) == KOE_OK);
	sodium_memzero(key, sizeof(key));
	err = reissue_write(db, id, &res->inv, hash, true, msg);
	if (err == KOE_OK)
		snprintf(res->link, sizeof(res->link), "%s/s/%s", rec->base_url, code);
	else
		survey_reissue_result_free(res);
	sodium_memzero(code, sizeof(code));
	return err;
}

void
survey_reissue_result_free(struct survey_reissue_result *res)
{
	db_invitation_clear(&res->inv);
	sodium_memzero(res->link, sizeof(res->link));
}

/* ---- koe send, koe remind --smtp, koe open --smtp ---- */

struct ids {
	char **v;
	size_t n, cap;
	bool oom;
};

static int
collect(void *ctx, const struct db_invitation *inv)
{
	struct ids *ids = ctx;
	if (ids->n == ids->cap) {
		size_t cap = ids->cap ? ids->cap * 2 : 64;
		char **v = realloc(ids->v, cap * sizeof(*v));
		if (v == NULL) {
			ids->oom = true;
			return 1;
		}
		ids->v = v;
		ids->cap = cap;
	}
	ids->v[ids->n] = strdup(inv->employee_id);
	if (ids->v[ids->n] == NULL) {
		ids->oom = true;
		return 1;
	}
	ids->n++;
	return 0;
}

/* Takes back a replacement that was not delivered: the employee keeps the
 * link they had, and the failure is recorded on it. */
static void
undo_relink(struct db *db, const char *id, const struct db_invitation *old,
            const uint8_t hash[INVITE_HASH_BYTES], const char *reply, bool record)
{
	if (db_begin(db) != KOE_OK)
		return;
	if (db_invitation_revoke(db, id, hash) != KOE_OK ||
	    db_invitation_restore(db, id, old->hash) != KOE_OK ||
	    (record && db_invitation_mail_set(db, id, old->hash, DB_MAIL_FAILED, reply) != KOE_OK) ||
	    db_commit(db) != KOE_OK)
		db_rollback(db);
}

enum koe_err
survey_mail(const struct survey_mail_req *req, struct survey_mail_result *res,
            struct koe_msg *msg)
{
	const char *id = req->rec->id;
	struct ids ids = {0};
	uint8_t seed[TOK_SEED_BYTES], key[INVITE_KEY_BYTES];
	enum koe_err err;

	memset(res, 0, sizeof(*res));
	if (req->rec->state != DB_OPEN)
		return koe_msg_set(msg, KOE_ESTATE, "survey '%s' is closed; nothing can be sent", id);
	err = req->kind == MAIL_REMINDER ? db_invitations_unopened(req->db, id, collect, &ids)
	                                 : db_invitations_unmailed(req->db, id, collect, &ids);
	if (err != KOE_OK || ids.oom) {
		err = koe_msg_set(msg, ids.oom ? KOE_ENOMEM : KOE_EDB, "cannot read the database: %s",
		                  ids.oom ? "out of memory" : db_errmsg(req->db));
		goto done;
	}
	err = tok_seed_load(req->key_path, seed, msg);
	if (err != KOE_OK)
		goto done;
	invite_key_derive(seed, key);
	sodium_memzero(seed, sizeof(seed));
	res->total = ids.n;
	for (size_t i = 0; i < ids.n; i++) {
		struct db_invitation inv;
		char code[INVITE_CODE_LEN + 1], link[560];
		uint8_t hash[INVITE_HASH_BYTES];
		char *subject = NULL, *body = NULL;
		struct koe_msg reply;
		enum mail_result r;

		if (req->stop && *req->stop) {
			res->stopped = true;
			koe_msg_set(&res->why, KOE_OK, "interrupted");
			break;
		}
		if (db_invitation_by_employee(req->db, id, ids.v[i], &inv) != KOE_OK)
			continue;
		if (inv.status != DB_INV_NEW) { /* opened meanwhile: no new link */
			db_invitation_clear(&inv);
			continue;
		}
		invite_new(code);
		KOE_ASSERT(invite_hash(key, id, code, hash) == KOE_OK);
		err = reissue_write(req->db, id, &inv, hash, false, msg);
		if (err != KOE_OK) {
			sodium_memzero(code, sizeof(code));
			db_invitation_clear(&inv);
			goto done;
		}
		snprintf(link, sizeof(link), "%s/s/%s", req->rec->base_url, code);
		sodium_memzero(code, sizeof(code));
		struct mail_vars v = {.name = inv.name[0] ? inv.name : inv.employee_id,
		                      .link = link, .title = req->rec->title,
		                      .closes = req->closes ? req->closes : "",
		                      .fingerprint = req->rec->key_id};
		if (mail_render(req->tmpl, &v, &subject, &body) != KOE_OK) {
			r = MAIL_STOP;
			koe_msg_set(&reply, KOE_ENOMEM, "out of memory");
		} else {
			r = mail_send(req->sender, inv.email, inv.name, subject, body, inv.employee_id,
			              &reply);
		}
		sodium_memzero(link, sizeof(link));
		if (subject) {
			sodium_memzero(body, strlen(body));
			free(subject);
			free(body);
		}
		if (r == MAIL_SENT) {
			res->sent++;
			if (!req->dry_run && db_invitation_mail_set(req->db, id, hash, DB_MAIL_SENT, NULL) !=
			                         KOE_OK) {
				err = koe_msg_set(msg, KOE_EDB, "cannot save: %s", db_errmsg(req->db));
				db_invitation_clear(&inv);
				goto done;
			}
		} else {
			undo_relink(req->db, id, &inv, hash, reply.text, !req->dry_run);
			res->failed++;
			if (r == MAIL_STOP) {
				res->stopped = true;
				res->why = reply;
			}
			if (req->failure)
				req->failure(req->ctx, inv.employee_id, inv.email, reply.text);
		}
		db_invitation_clear(&inv);
		if (req->progress)
			req->progress(req->ctx, res);
		if (res->stopped)
			break;
	}
	err = KOE_OK;
done:
	sodium_memzero(key, sizeof(key));
	for (size_t i = 0; i < ids.n; i++)
		free(ids.v[i]);
	free(ids.v);
	return err;
}
