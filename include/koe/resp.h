/* koe — responses: sealing a validated answer set for storage, and opening
 * all of a survey's responses with the report passphrase. */
#ifndef KOE_RESP_H
#define KOE_RESP_H

#include <stddef.h>
#include <stdint.h>

#include "koe/ans.h"
#include "koe/db.h"
#include "koe/qn.h"
#include "koe/seal.h"

/* Associated data binding a sealed response to its survey and segment:
 * survey || 0x00 || segment. Writes at most cap bytes; returns the length,
 * or 0 when it does not fit. */
size_t resp_ad(const char *survey, const char *segment, uint8_t *out, size_t cap);

/* Encodes and seals an answer set. *box is malloc'ed; the caller frees it.
 * The plaintext is wiped before returning. */
enum koe_err resp_seal(const struct seal_batch *b, const struct qn_survey *s,
                       const char *segment, const struct ans_set *a, uint8_t **box,
                       size_t *boxlen);

/* Derives the report secret key from a passphrase and checks it against the
 * survey's stored public key. KOE_EVERIFY for a wrong passphrase. sk is a
 * secret the caller wipes. */
enum koe_err resp_unlock(const struct db_survey *rec, const char *pass, size_t passlen,
                         uint8_t sk[SEAL_SK_BYTES]);

/* Every response of a survey, opened, as a table for the statistics. */
struct resp_text {
	size_t item;     /* index into survey->items */
	size_t segment;  /* index into segs */
	char *text;      /* NUL-terminated, owned by the table */
};

struct resp_multi {
	size_t item;
	size_t resp;
	int value;
};

struct resp_table {
	size_t n;            /* responses */
	size_t nitems;       /* survey->nitems */
	double *num;         /* [nitems * n], item-major: num[i * n + r]; NAN when
	                        unanswered. LIKERT raw value (not reverse-coded),
	                        NPS 0..10, CHOICE recode. */
	uint32_t *segment;   /* [n] index into segs */
	char **segs;         /* the survey's segment codes, in code order */
	size_t nsegs;
	struct resp_multi *multi; /* every ticked choice of MULTI items */
	size_t nmulti;
	struct resp_text *texts;  /* every non-empty text answer */
	size_t ntexts;
};

/* Opens all responses of survey rec->id with the report secret key sk.
 * progress (may be NULL) is called now and then with (done, total).
 * Returns KOE_EVERIFY if any response fails to open (tampered or sealed to
 * another key), KOE_EINVAL if one does not decode against the survey.
 * Free the table with resp_table_free(). */
enum koe_err resp_open_all(struct db *db, const struct db_survey *rec,
                           const struct qn_survey *s, const uint8_t sk[SEAL_SK_BYTES],
                           void (*progress)(size_t done, size_t total),
                           struct resp_table **out);
void resp_table_free(struct resp_table *t);

#endif
