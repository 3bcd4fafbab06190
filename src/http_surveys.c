/* Surveys as the server sees them: loading and keys at start, the manifest
 * (GET /api/v1/surveys/{sid}) and the receipt list after close
 * (GET /api/v1/surveys/{sid}/receipts). */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "http_internal.h"
#include "koe/b64.h"

long
http_segment_index(const struct http_survey *sv, const char *code)
{
	for (size_t i = 0; i < sv->nseg; i++)
		if (strcmp(sv->seg_codes[i], code) == 0)
			return (long)i;
	return -1;
}

struct http_survey *
http_survey_find(struct http_server *s, const char *id)
{
	for (size_t i = 0; i < s->nsv; i++)
		if (strcmp(s->sv[i].rec.id, id) == 0)
			return &s->sv[i];
	return NULL;
}

static const char *
type_name(const struct qn_question *q)
{
	switch (q->type) {
	case QN_MC_SINGLE: return "single";
	case QN_MC_MULTI: return "multiple";
	case QN_MATRIX: return "matrix";
	case QN_TE_LINE:
	case QN_TE_ESSAY: return "text";
	case QN_DB: return "descriptive";
	case QN_NPS: return "nps";
	}
	return "descriptive";
}

static json_t *
str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *
choices_json(const struct qn_choice *v, size_t n, const char *qid, bool keys)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_pack("{s:i, s:s, s:o}", "value", v[i].recode, "text", v[i].text,
		                      "text_en", str_or_null(v[i].text_en));
		if (keys) {
			char key[QN_MAX_ID_LEN + 16];
			snprintf(key, sizeof(key), "%s.%d", qid, v[i].recode);
			json_object_set_new(o, "key", json_string(key));
		}
		json_array_append_new(a, o);
	}
	return a;
}

/* A display condition as the page evaluates it: the compiled nodes in
 * postfix order, tests naming their answer key (docs/ARCHITECTURE.md §5.2).
 * The last node is the condition. */
static json_t *
cond_json(const struct qn_survey *q, const struct qn_cond *c)
{
	json_t *nodes = json_array();
	for (size_t i = 0; c && i < c->nnodes; i++) {
		const struct qn_cond_node *n = &c->nodes[i];
		json_t *o;
		if (n->op == QN_COND_TEST) {
			json_t *ranges = json_array();
			for (size_t r = 0; r < n->nranges; r++)
				json_array_append_new(ranges, json_pack("[i,i]", n->ranges[r].lo,
				                                        n->ranges[r].hi));
			o = json_pack("{s:s, s:o}", "key", q->items[n->item].key, "in", ranges);
		} else {
			o = json_pack("{s:s, s:[I,I]}", "op", n->op == QN_COND_AND ? "and" : "or",
			              "of", (json_int_t)n->left, (json_int_t)n->right);
		}
		json_array_append_new(nodes, o);
	}
	return c ? nodes : (json_decref(nodes), json_null());
}

/* The manifest lists what a browser needs to show the survey and check the
 * server: the public key and its fingerprint, the segments (with invitee
 * counts, all at least k) and the questions with their answer keys. */
char *
http_manifest_build(const struct http_survey *sv, const struct db_segment *segs, size_t nsegs,
                    const struct seal_holder *holders, size_t nholders, size_t *len)
{
	const struct qn_survey *q = sv->q;
	char pk[B64URL_ENCODED_LEN(32) + 1];
	json_t *m, *segments = json_array(), *blocks = json_array(), *questions = json_array();
	json_t *names = json_array();
	char *text;

	b64url_encode(pk, sizeof(pk), sv->rec.public_key, 32);
	for (size_t i = 0; i < nsegs; i++)
		json_array_append_new(segments,
		                      json_pack("{s:s, s:s, s:I}", "code", segs[i].code, "label",
		                                segs[i].label, "invited", (json_int_t)segs[i].invited));
	for (size_t i = 0; i < q->nblocks; i++)
		json_array_append_new(blocks, json_pack("{s:s, s:o, s:o}", "name", q->blocks[i].name,
		                                        "name_en", str_or_null(q->blocks[i].name_en),
		                                        "show_if", cond_json(q, q->blocks[i].show_if)));
	for (size_t i = 0; i < q->nquestions; i++) {
		const struct qn_question *qq = &q->questions[i];
		json_t *o = json_pack("{s:s, s:s, s:s, s:o, s:I, s:I}", "id", qq->id, "type",
		                      type_name(qq), "text", qq->text, "text_en",
		                      str_or_null(qq->text_en), "block", (json_int_t)qq->block, "page",
		                      (json_int_t)qq->page);
		json_object_set_new(o, "show_if", cond_json(q, qq->show_if));
		if (qq->type != QN_DB) {
			json_object_set_new(o, "required", json_boolean(qq->required));
			if (qq->type != QN_MATRIX)
				json_object_set_new(o, "key", json_string(qq->id));
		}
		switch (qq->type) {
		case QN_MC_SINGLE:
		case QN_MC_MULTI:
			json_object_set_new(o, "layout",
			                    json_string(qq->layout == QN_HORIZONTAL ? "horizontal"
			                                : qq->layout == QN_DROPDOWN ? "dropdown"
			                                                            : "vertical"));
			json_object_set_new(o, "choices", choices_json(qq->choices, qq->nchoices, qq->id, false));
			break;
		case QN_MATRIX:
			json_object_set_new(o, "rows", choices_json(qq->choices, qq->nchoices, qq->id, true));
			json_object_set_new(o, "columns",
			                    choices_json(qq->answers, qq->nanswers, qq->id, false));
			break;
		case QN_TE_LINE:
		case QN_TE_ESSAY:
			json_object_set_new(o, "multiline", json_boolean(qq->type == QN_TE_ESSAY));
			json_object_set_new(o, "max_chars", json_integer(QN_MAX_ANSWER_CHARS));
			break;
		default:
			break;
		}
		json_array_append_new(questions, o);
	}
	m = json_pack("{s:s, s:s, s:o, s:s, s:i, s:o, s:s, s:s, s:o, s:o, s:I, s:o}", "survey",
	              q->id, "title", q->title, "title_en", str_or_null(q->title_en), "language",
	              q->language, "min_group", q->min_group, "closes", str_or_null(q->closes),
	              "public_key", pk, "key_id", sv->rec.key_id, "segments", segments, "blocks",
	              blocks, "pages", (json_int_t)q->npages, "questions", questions);
	if (m == NULL) {
		json_decref(names);
		return NULL;
	}
	/* Who must come together to read any answer: the page tells the
	 * employee (docs/ARCHITECTURE.md §4.3). */
	for (size_t i = 0; names && i < nholders; i++)
		json_array_append_new(names, json_string(holders[i].name));
	json_object_set_new(m, "key_holders", names ? names : json_array());
	text = json_dumps(m, JSON_COMPACT);
	json_decref(m);
	if (text)
		*len = strlen(text);
	return text;
}

static enum koe_err
load_one(struct http_server *s, struct http_survey *sv, const char *id,
         const uint8_t seed[TOK_SEED_BYTES], struct koe_msg *msg)
{
	struct koe_diags d = {0};
	struct db_segment *segs = NULL;
	size_t nsegs = 0;
	enum koe_err err;

	if ((err = db_survey_get(s->db, id, &sv->rec)) != KOE_OK ||
	    (err = db_segments_get(s->db, id, &segs, &nsegs)) != KOE_OK) {
		koe_msg_set(msg, KOE_OK, "cannot read survey '%s': %s", id, db_errmsg(s->db));
		goto done;
	}
	atomic_store(&sv->state, sv->rec.state);
	/* The id stands in for the file name: a questionnaire without
	 * [[Survey:...]] took its id from the name `koe open` was given. */
	err = qn_parse((const char *)sv->rec.source, sv->rec.source_len, id, &sv->q, &d);
	if (err != KOE_OK) {
		koe_msg_set(msg, KOE_OK, "the stored questionnaire of '%s' does not load", id);
		goto done;
	}
	sv->key = sodium_malloc(sizeof(*sv->key));
	sv->segkeys = sodium_allocarray(nsegs ? nsegs : 1, sizeof(*sv->segkeys));
	sv->seg_codes = calloc(nsegs ? nsegs : 1, sizeof(*sv->seg_codes));
	if (sv->key == NULL || sv->segkeys == NULL || sv->seg_codes == NULL) {
		err = KOE_ENOMEM;
		koe_msg_set(msg, KOE_OK, "out of memory");
		goto done;
	}
	if ((err = tok_survey_key_derive(seed, id, sv->key)) != KOE_OK ||
	    sodium_memcmp(sv->key->pk, sv->rec.public_key, 32) != 0) {
		err = KOE_EVERIFY;
		koe_msg_set(msg, KOE_OK,
		         "the key file does not belong to survey '%s' (its public key differs); "
		         "use the koe.key that 'koe open' created",
		         id);
		goto done;
	}
	/* Precompute each segment's tweaked key once; requests then pay only
	 * for the scalar multiplications they need. */
	for (size_t i = 0; i < nsegs; i++) {
		uint8_t info[TOK_INFO_MAX];
		size_t infolen;
		sv->seg_codes[i] = segs[i].code;
		segs[i].code = NULL;
		sv->nseg = i + 1;
		if ((err = tok_info_build(id, sv->seg_codes[i], info, sizeof(info), &infolen)) !=
		            KOE_OK ||
		    (err = tok_segment_key_init(&sv->segkeys[i], sv->key, info, infolen)) != KOE_OK) {
			koe_msg_set(msg, KOE_OK, "cannot derive the key of segment %s", sv->seg_codes[i]);
			goto done;
		}
	}
	for (size_t i = 0; i < nsegs; i++)
		segs[i].code = sv->seg_codes[i]; /* borrowed for the manifest */
	{
		struct seal_holder holders[SEAL_HOLDERS_MAX];
		size_t nholders = 0;
		if (db_holders_get(s->db, id, holders, SEAL_HOLDERS_MAX, &nholders) != KOE_OK)
			nholders = 0;
		sv->manifest = http_manifest_build(sv, segs, nsegs, holders, nholders, &sv->manifest_len);
	}
	for (size_t i = 0; i < nsegs; i++)
		segs[i].code = NULL;
	if (sv->manifest == NULL) {
		err = KOE_ENOMEM;
		koe_msg_set(msg, KOE_OK, "out of memory");
		goto done;
	}
	/* This run's sealing key, stored before any answer is sealed with it
	 * so no answer is ever sealed under a key the report cannot find. */
	if (sv->rec.state == DB_OPEN) {
		if ((sv->seal = sodium_malloc(sizeof(*sv->seal))) == NULL ||
		    seal_key_new(sv->seal, sv->rec.report_pk) != KOE_OK) {
			err = KOE_ECRYPTO;
			koe_msg_set(msg, KOE_OK, "cannot make the sealing key of survey '%s'", id);
			goto done;
		}
		if ((err = db_begin(s->db)) != KOE_OK ||
		    (err = db_seal_key_insert(s->db, id, sv->seal->epk)) != KOE_OK ||
		    (err = db_commit(s->db)) != KOE_OK) {
			db_rollback(s->db);
			koe_msg_set(msg, KOE_OK, "cannot store the sealing key: %s", db_errmsg(s->db));
			goto done;
		}
	}
done:
	db_segments_free(segs, nsegs);
	koe_diags_free(&d);
	return err;
}

enum koe_err
http_surveys_load(struct http_server *s, const uint8_t seed[TOK_SEED_BYTES], struct koe_msg *msg)
{
	char **ids = NULL;
	size_t n = 0;
	enum koe_err err;

	if ((err = db_survey_ids(s->db, &ids, &n)) != KOE_OK) {
		koe_msg_set(msg, KOE_OK, "cannot read the database: %s", db_errmsg(s->db));
		return err;
	}
	if (n == 0) {
		koe_msg_set(msg, KOE_OK, "the database has no surveys (start one with 'koe open')");
		free(ids);
		return KOE_ENOTFOUND;
	}
	s->sv = calloc(n, sizeof(*s->sv));
	if (s->sv == NULL)
		err = KOE_ENOMEM;
	for (size_t i = 0; i < n && err == KOE_OK; i++) {
		s->nsv = i + 1;
		err = load_one(s, &s->sv[i], ids[i], seed, msg);
	}
	for (size_t i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
	return err;
}

void
http_surveys_free(struct http_server *s)
{
	for (size_t i = 0; i < s->nsv; i++) {
		struct http_survey *sv = &s->sv[i];
		if (sv->key) {
			tok_survey_key_wipe(sv->key);
			sodium_free(sv->key);
		}
		if (sv->segkeys) {
			for (size_t g = 0; g < sv->nseg; g++)
				tok_segment_key_wipe(&sv->segkeys[g]);
			sodium_free(sv->segkeys);
		}
		if (sv->seal) {
			seal_key_wipe(sv->seal);
			sodium_free(sv->seal);
		}
		for (size_t g = 0; g < sv->nseg; g++)
			free(sv->seg_codes[g]);
		free(sv->seg_codes);
		free(sv->manifest);
		free(sv->receipts);
		qn_survey_free(sv->q);
		db_survey_clear(&sv->rec);
	}
	free(s->sv);
	s->sv = NULL;
	s->nsv = 0;
}

enum MHD_Result
http_manifest(struct http_server *s, struct MHD_Connection *c, const char *id)
{
	struct http_survey *sv = http_survey_find(s, id);
	if (sv == NULL)
		return http_reply_error(c, MHD_HTTP_NOT_FOUND, "not_found", "no such survey");
	return http_reply(c, MHD_HTTP_OK, "application/json; charset=utf-8", sv->manifest,
	                  sv->manifest_len, false, true);
}

struct receipts_acc {
	json_t *list;
};

static int
add_receipt(void *ctx, const uint8_t r[DB_HASH_BYTES])
{
	struct receipts_acc *a = ctx;
	char hex[DB_HASH_BYTES * 2 + 1];
	sodium_bin2hex(hex, sizeof(hex), r, DB_HASH_BYTES);
	return json_array_append_new(a->list, json_string(hex)) != 0;
}

enum job_result
http_receipts_build(struct http_server *s, struct http_survey *sv)
{
	struct receipts_acc a;
	struct db_survey rec;
	json_t *o;

	if (atomic_load(&sv->state) == DB_OPEN)
		return JR_OPEN;
	if (sv->receipts)
		return JR_OK;
	/* The digest was fixed by `koe close`; it is published as stored. */
	if (db_survey_get(s->db, sv->rec.id, &rec) != KOE_OK)
		return JR_ERROR;
	a.list = json_array();
	if (a.list == NULL || db_receipts_foreach(s->db, sv->rec.id, add_receipt, &a) != KOE_OK) {
		json_decref(a.list);
		db_survey_clear(&rec);
		return JR_ERROR;
	}
	o = json_pack("{s:I, s:o, s:s}", "count", (json_int_t)json_array_size(a.list), "receipts",
	              a.list, "digest", rec.receipts_digest ? rec.receipts_digest : "");
	db_survey_clear(&rec);
	if (o == NULL)
		return JR_ERROR;
	sv->receipts = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	if (sv->receipts == NULL)
		return JR_ERROR;
	sv->receipts_len = strlen(sv->receipts);
	return JR_OK;
}

enum MHD_Result
http_receipts(struct http_server *s, struct MHD_Connection *c, struct http_req *r,
              const char *id)
{
	struct http_survey *sv;

	if (r->queued) {
		sv = r->job.sv;
		if (r->job.result == JR_OPEN)
			return http_reply_error(c, MHD_HTTP_FORBIDDEN, "survey_open",
			                        "receipts are published when the survey closes");
		if (r->job.result != JR_OK)
			return http_reply_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "unavailable",
			                        "try again in a moment");
		return http_reply(c, MHD_HTTP_OK, "application/json; charset=utf-8", sv->receipts,
		                  sv->receipts_len, false, true);
	}
	sv = http_survey_find(s, id);
	if (sv == NULL)
		return http_reply_error(c, MHD_HTTP_NOT_FOUND, "not_found", "no such survey");
	r->job.kind = JOB_RECEIPTS;
	r->job.sv = sv;
	r->job.conn = c;
	http_submit(s, r);
	return MHD_YES;
}
