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

/* A response is sealed as one or more chunks of SEAL_PLAIN_BYTES, each in a
 * slot of its own (db.h), so every sealed row has the same size whatever was
 * written. Chunk plaintext: an 8-byte random answer id, the chunk's index
 * and the number of chunks (one byte each), the payload length (u16 LE), the
 * payload, zeros. The payloads joined in index order are: the segment code's
 * length (one byte), the code, then ans_encode()'s bytes. Associated data:
 * the survey id. */
#define RESP_CHUNK_HEAD    12
#define RESP_CHUNK_PAYLOAD (SEAL_PLAIN_BYTES - RESP_CHUNK_HEAD)
#define RESP_MAX_CHUNKS    255

/* Seals an encoded answer set (plain, len bytes, from ans_encode()) given
 * in segment. *boxes is malloc'ed (nboxes × SEAL_BOX_BYTES); the caller
 * frees it. KOE_ETOOBIG beyond RESP_MAX_CHUNKS chunks. */
enum koe_err resp_seal_plain(const struct seal_key *k, const char *survey, const char *segment,
                             const uint8_t *plain, size_t len, uint8_t **boxes,
                             size_t *nboxes);

/* Encodes and seals an answer set: ans_encode() then resp_seal_plain().
 * The plaintext is wiped before returning. */
enum koe_err resp_seal(const struct seal_key *k, const struct qn_survey *s, const char *segment,
                       const struct ans_set *a, uint8_t **boxes, size_t *nboxes);

/* One holder's secret from their passphrase, checked against their public
 * part. KOE_EVERIFY when the passphrase is not this holder's. x is a secret
 * the caller wipes. */
enum koe_err resp_holder_secret(const struct seal_holder *h, const char *pass, size_t len,
                                uint8_t x[SEAL_SK_BYTES]);

/* The report secret x = Σx_i from one passphrase per holder, in any order:
 * each passphrase must open exactly one holder, and every holder must be
 * opened. KOE_EVERIFY otherwise (nothing less than all of them opens an
 * answer). sk is a secret the caller wipes. */
enum koe_err resp_unlock(struct db *db, const struct db_survey *rec, const char *const *pass,
                         const size_t *passlen, size_t npass, uint8_t sk[SEAL_SK_BYTES]);

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

/* Opens all responses of survey rec->id with the report secret key sk
 * (Σx_i of the holders).
 * progress (may be NULL) is called now and then with (done, total).
 * Returns KOE_EVERIFY if any response fails to open (tampered or sealed to
 * another key), KOE_EINVAL if one does not decode against the survey.
 * Free the table with resp_table_free(). */
enum koe_err resp_open_all(struct db *db, const struct db_survey *rec,
                           const struct qn_survey *s, const uint8_t sk[SEAL_SK_BYTES],
                           void (*progress)(size_t done, size_t total),
                           struct resp_table **out);
void resp_table_free(struct resp_table *t);

/* A table with one row per stored response, in its segment, and no answer
 * at all (every value NAN, no texts): what an interim report needs, built
 * from the spent table's counts without opening anything. */
enum koe_err resp_participation_table(struct db *db, const struct db_survey *rec,
                                      const struct qn_survey *s, struct resp_table **out);

#endif
