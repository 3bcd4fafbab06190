/* The database worker: the only thread that touches the database while the
 * server runs. It takes every job queued at the moment, runs them in one
 * transaction and commits once (group commit), then wakes their
 * connections. Each job that writes runs inside its own savepoint so one
 * failure (a spent token) never undoes the others. */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "http_internal.h"
#include "koe/resp.h"

/* Finds the invitation behind a code: the code is hashed per survey, since
 * the hash includes the survey id. */
static enum job_result
find_invite(struct http_server *s, struct job *j, struct db_invitation *inv)
{
	for (size_t i = 0; i < s->nsv; i++) {
		struct http_survey *sv = &s->sv[i];
		uint8_t hash[INVITE_HASH_BYTES];
		enum koe_err err;
		if (invite_hash(s->invite_key, sv->rec.id, j->invite, hash) != KOE_OK)
			return JR_NOT_FOUND;
		err = db_invitation_by_hash(s->db, sv->rec.id, hash, inv);
		if (err == KOE_ENOTFOUND) {
			bool closed = false;
			if (db_invite_was_closed(s->db, sv->rec.id, hash, &closed) != KOE_OK)
				return JR_ERROR;
			if (closed) {
				j->found = sv;
				return JR_CLOSED;
			}
			continue;
		}
		if (err != KOE_OK)
			return JR_ERROR;
		j->found = sv;
		if (inv->status == DB_INV_REVOKED) {
			db_invitation_clear(inv);
			/* Only the page tells "replaced" apart; the API says 404. */
			return j->kind == JOB_LOOKUP ? JR_REPLACED : JR_NOT_FOUND;
		}
		long seg = http_segment_index(sv, inv->segment);
		if (seg < 0) {
			db_invitation_clear(inv);
			return JR_ERROR;
		}
		j->found_seg = (size_t)seg;
		if (atomic_load(&sv->state) != DB_OPEN) {
			db_invitation_clear(inv);
			return JR_CLOSED;
		}
		return JR_OK;
	}
	return JR_NOT_FOUND;
}

static void
run_lookup(struct http_server *s, struct job *j)
{
	struct db_invitation inv;
	j->result = find_invite(s, j, &inv);
	if (j->result == JR_OK)
		db_invitation_clear(&inv);
}

static void
run_issue(struct http_server *s, struct job *j)
{
	struct db_invitation inv;
	uint8_t hash[INVITE_HASH_BYTES];
	enum koe_err err;

	j->result = find_invite(s, j, &inv);
	if (j->result != JR_OK)
		return;
	memcpy(hash, inv.hash, sizeof(hash));
	db_invitation_clear(&inv);
	err = db_invitation_issue(s->db, j->found->rec.id, hash, j->blinded);
	j->result = err == KOE_OK ? JR_OK
	          : err == KOE_EEXIST ? JR_CONFLICT
	          : err == KOE_ENOTFOUND ? JR_NOT_FOUND : JR_ERROR;
}

static void
run_respond(struct http_server *s, struct job *j)
{
	struct http_survey *sv = j->sv;
	uint8_t *boxes = NULL;
	size_t nboxes = 0;
	enum koe_err err;

	if (atomic_load(&sv->state) != DB_OPEN || sv->seal == NULL) {
		j->result = JR_CLOSED;
		return;
	}
	/* The same sealing code the tests and the report's reader use. */
	if (resp_seal_plain(sv->seal, sv->rec.id, sv->seg_codes[j->seg], j->plain, j->plainlen,
	                    &boxes, &nboxes) != KOE_OK) {
		j->result = JR_ERROR;
		return;
	}
	if (db_savepoint(s->db) != KOE_OK) {
		free(boxes);
		j->result = JR_ERROR;
		return;
	}
	err = db_response_store(s->db, sv->rec.id, j->receipt, sv->seg_codes[j->seg], boxes,
	                        nboxes);
	if (err == KOE_OK && db_release(s->db) == KOE_OK) {
		j->result = JR_OK;
	} else {
		db_rollback_to(s->db);
		j->result = err == KOE_EEXIST ? JR_CONFLICT : JR_ERROR;
	}
	free(boxes);
}

static void
run_batch(struct http_server *s, struct job *jobs)
{
	bool wrote = false;

	if (db_begin(s->db) != KOE_OK) {
		for (struct job *j = jobs; j; j = j->next)
			j->result = JR_ERROR;
		return;
	}
	/* `koe close` runs in another process: see it before any write. */
	for (size_t i = 0; i < s->nsv; i++) {
		int st;
		if (db_survey_state(s->db, s->sv[i].rec.id, &st) == KOE_OK)
			atomic_store(&s->sv[i].state, st);
	}
	for (struct job *j = jobs; j; j = j->next) {
		switch (j->kind) {
		case JOB_LOOKUP:
			run_lookup(s, j);
			break;
		case JOB_ISSUE:
			run_issue(s, j);
			wrote |= j->result == JR_OK;
			break;
		case JOB_RESPOND:
			run_respond(s, j);
			wrote |= j->result == JR_OK;
			break;
		case JOB_RECEIPTS:
			j->result = http_receipts_build(s, j->sv);
			break;
		}
		if (j->plain) {
			sodium_memzero(j->plain, j->plainlen);
			free(j->plain);
			j->plain = NULL;
		}
	}
	/* One commit, one fsync, for everything above. If it fails, nothing
	 * of the batch was stored and every writer hears so. */
	if (db_commit(s->db) != KOE_OK) {
		db_rollback(s->db);
		if (wrote)
			for (struct job *j = jobs; j; j = j->next)
				if (j->kind == JOB_ISSUE || j->kind == JOB_RESPOND)
					j->result = JR_ERROR;
	}
}

static void *
worker_main(void *arg)
{
	struct http_server *s = arg;

	for (;;) {
		struct job *jobs, *tail, *rest;
		size_t n = 0;

		pthread_mutex_lock(&s->lock);
		while (s->head == NULL && !s->stopping)
			pthread_cond_wait(&s->wake, &s->lock);
		if (s->head == NULL && s->stopping) {
			pthread_mutex_unlock(&s->lock);
			break;
		}
		/* Take up to HTTP_BATCH_MAX jobs; the rest wait for the next. */
		jobs = tail = s->head;
		for (n = 1; tail->next && n < HTTP_BATCH_MAX; n++)
			tail = tail->next;
		rest = tail->next;
		tail->next = NULL;
		s->head = rest;
		if (rest == NULL)
			s->tail = NULL;
		pthread_mutex_unlock(&s->lock);

		run_batch(s, jobs);

		for (struct job *j = jobs, *next; j; j = next) {
			next = j->next;
			j->next = NULL;
			j->done = true;
			MHD_resume_connection(j->conn);
		}
	}
	return NULL;
}

int
http_worker_start(struct http_server *s)
{
	if (pthread_create(&s->worker, NULL, worker_main, s) != 0)
		return -1;
	s->worker_started = true;
	return 0;
}

void
http_worker_stop(struct http_server *s)
{
	if (!s->worker_started)
		return;
	pthread_mutex_lock(&s->lock);
	s->stopping = true;
	pthread_cond_signal(&s->wake);
	pthread_mutex_unlock(&s->lock);
	pthread_join(s->worker, NULL);
	s->worker_started = false;
}

void
http_submit(struct http_server *s, struct http_req *r)
{
	struct job *j = &r->job;
	j->done = false;
	j->next = NULL;
	r->queued = true;
	MHD_suspend_connection(j->conn);
	pthread_mutex_lock(&s->lock);
	if (s->tail)
		s->tail->next = j;
	else
		s->head = j;
	s->tail = j;
	pthread_cond_signal(&s->wake);
	pthread_mutex_unlock(&s->lock);
}
