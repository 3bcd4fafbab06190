/* koe — a validated set of answers to one survey, and its compact binary
 * encoding (the plaintext that seal_box() seals).
 *
 * Encoding, version 1: one byte 0x01, then for each answered item in item
 * order: the item index (u16 little-endian) and a value whose form follows
 * the item's kind in the survey:
 *   LIKERT, CHOICE, NPS: i16
 *   MULTI: u8 count, then count × i16
 *   TEXT:  u16 byte length, then the UTF-8 bytes
 * The survey definition is stored with the database and never changes after
 * `koe open`, so item indices are stable. */
#ifndef KOE_ANS_H
#define KOE_ANS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "koe/err.h"
#include "koe/qn.h"

#define ANS_MAX_MULTI 64    /* choices ticked in one multiple-answer item */
#define ANS_MAX_TEXT_BYTES (QN_MAX_ANSWER_CHARS * 4)

struct ans_value {
	bool present;
	int num;                     /* LIKERT, CHOICE, NPS */
	size_t nmulti;               /* MULTI */
	int multi[ANS_MAX_MULTI];
	const char *text;            /* TEXT: borrowed from the caller's buffer */
	size_t textlen;
};

/* One value slot per survey item: v[i] answers s->items[i]. */
struct ans_set {
	size_t n;
	struct ans_value *v;
};

/* Allocates an empty set for survey s; free with ans_set_free(). */
enum koe_err ans_set_new(const struct qn_survey *s, struct ans_set *out);
void ans_set_free(struct ans_set *a);

/* Upper bound of ans_encode()'s output for a set. */
size_t ans_encoded_max(const struct qn_survey *s, const struct ans_set *a);

/* Encodes a set into buf (cap bytes, at least ans_encoded_max()). */
enum koe_err ans_encode(const struct qn_survey *s, const struct ans_set *a, uint8_t *buf,
                        size_t cap, size_t *len);

/* Decodes buf into a (created with ans_set_new() for the same survey; its
 * previous contents are cleared). Text values point into buf, which must
 * outlive the set's use. Every value is checked against the survey again:
 * KOE_EINVAL for anything malformed or out of range. */
enum koe_err ans_decode(const struct qn_survey *s, const uint8_t *buf, size_t len,
                        struct ans_set *a);

/* The qn_has_fn of an answer set: whether item has an answer in [lo, hi]
 * (any ticked choice of a multiple-answer item). ctx is the
 * const struct ans_set *. */
bool ans_has(const void *ctx, size_t item, int lo, int hi);

/* Checks one integer against an item (range, recode membership). */
bool ans_value_ok(const struct qn_survey *s, const struct qn_item *it, int v);

#endif
