/* Sealing and opening responses; see include/koe/resp.h. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "koe/resp.h"

size_t
resp_ad(const char *survey, const char *segment, uint8_t *out, size_t cap)
{
	size_t a = strlen(survey), b = strlen(segment);
	if (a + 1 + b > cap)
		return 0;
	memcpy(out, survey, a);
	out[a] = 0;
	memcpy(out + a + 1, segment, b);
	return a + 1 + b;
}

enum koe_err
resp_seal(const struct seal_batch *b, const struct qn_survey *s, const char *segment,
          const struct ans_set *a, uint8_t **box, size_t *boxlen)
{
	uint8_t ad[512];
	size_t adlen = resp_ad(s->id, segment, ad, sizeof(ad));
	size_t cap = ans_encoded_max(s, a), len = 0;
	uint8_t *plain = NULL, *out = NULL;
	enum koe_err err;

	*box = NULL;
	if (adlen == 0)
		return KOE_EINVAL;
	plain = malloc(cap);
	out = malloc(seal_box_len(cap));
	if (plain == NULL || out == NULL) {
		err = KOE_ENOMEM;
		goto done;
	}
	err = ans_encode(s, a, plain, cap, &len);
	if (err == KOE_OK)
		err = seal_box(b, ad, adlen, plain, len, out, boxlen);
	if (err == KOE_OK) {
		*box = out;
		out = NULL;
	}
done:
	if (plain)
		sodium_memzero(plain, cap);
	free(plain);
	free(out);
	return err;
}

enum koe_err
resp_unlock(const struct db_survey *rec, const char *pass, size_t passlen,
            uint8_t sk[SEAL_SK_BYTES])
{
	uint8_t pk[SEAL_PK_BYTES];
	enum koe_err err = seal_keypair_from_passphrase(pass, passlen, &rec->kdf, pk, sk);
	if (err == KOE_EINVAL)
		err = KOE_EVERIFY; /* too short or long: cannot be the passphrase */
	if (err == KOE_OK && sodium_memcmp(pk, rec->report_pk, SEAL_PK_BYTES) != 0)
		err = KOE_EVERIFY;
	if (err != KOE_OK)
		sodium_memzero(sk, SEAL_SK_BYTES);
	return err;
}

/* A growable table while reading; one key agreement per sealing batch. */
struct batch_key {
	uint8_t epk[SEAL_PK_BYTES];
	uint8_t key[SEAL_KEY_BYTES];
};

struct opener {
	const struct db_survey *rec;
	const struct qn_survey *s;
	const uint8_t *sk;
	struct resp_table *t;
	size_t cap;           /* responses the arrays can hold */
	struct batch_key *keys;
	size_t nkeys, capkeys;
	uint8_t *plain;
	size_t plaincap;
	struct ans_set set;
	size_t capmulti, captexts;
	size_t total;
	void (*progress)(size_t, size_t);
	enum koe_err err;
};

static int
segment_index(struct opener *o, const char *code, uint32_t *idx)
{
	struct resp_table *t = o->t;
	for (size_t i = 0; i < t->nsegs; i++)
		if (strcmp(t->segs[i], code) == 0) {
			*idx = (uint32_t)i;
			return 0;
		}
	return -1;
}

static const uint8_t *
batch_key(struct opener *o, const uint8_t *epk)
{
	for (size_t i = 0; i < o->nkeys; i++)
		if (memcmp(o->keys[i].epk, epk, SEAL_PK_BYTES) == 0)
			return o->keys[i].key;
	if (o->nkeys == o->capkeys) {
		size_t cap = o->capkeys ? o->capkeys * 2 : 8;
		struct batch_key *nv = sodium_allocarray(cap, sizeof(*nv));
		if (nv == NULL)
			return NULL;
		if (o->nkeys)
			memcpy(nv, o->keys, o->nkeys * sizeof(*nv));
		sodium_free(o->keys);
		o->keys = nv;
		o->capkeys = cap;
	}
	memcpy(o->keys[o->nkeys].epk, epk, SEAL_PK_BYTES);
	if (seal_batch_key(o->sk, epk, o->keys[o->nkeys].key) != KOE_OK)
		return NULL;
	return o->keys[o->nkeys++].key;
}

static int
grow_rows(struct opener *o)
{
	struct resp_table *t = o->t;
	size_t cap = o->cap ? o->cap * 2 : 1024;
	double *num = malloc(cap * t->nitems * sizeof(*num) + 1);
	uint32_t *seg = realloc(t->segment, cap * sizeof(*seg));
	if (num == NULL || seg == NULL) {
		free(num);
		if (seg)
			t->segment = seg;
		return -1;
	}
	t->segment = seg;
	/* Item-major layout: copy each item's column into its new place. */
	for (size_t i = 0; i < t->nitems; i++) {
		if (t->n)
			memcpy(num + i * cap, t->num + i * o->cap, t->n * sizeof(*num));
	}
	free(t->num);
	t->num = num;
	o->cap = cap;
	return 0;
}

static int
open_one(void *ctx, const char *segment, const uint8_t *epk, const uint8_t *box, size_t boxlen)
{
	struct opener *o = ctx;
	struct resp_table *t = o->t;
	uint8_t ad[512];
	size_t adlen = resp_ad(o->rec->id, segment, ad, sizeof(ad)), plen;
	const uint8_t *key;
	uint32_t sidx;
	size_t r = t->n;

	if (adlen == 0) {
		o->err = KOE_EINVAL;
		return 1;
	}
	if (boxlen > o->plaincap) {
		uint8_t *p = realloc(o->plain, boxlen);
		if (p == NULL)
			goto oom;
		o->plain = p;
		o->plaincap = boxlen;
	}
	if ((key = batch_key(o, epk)) == NULL) {
		o->err = KOE_EVERIFY;
		return 1;
	}
	if (seal_unbox(key, ad, adlen, box, boxlen, o->plain, &plen) != KOE_OK) {
		o->err = KOE_EVERIFY;
		return 1;
	}
	if (ans_decode(o->s, o->plain, plen, &o->set) != KOE_OK) {
		o->err = KOE_EINVAL;
		return 1;
	}
	if (r == o->cap && grow_rows(o) != 0)
		goto oom;
	if (segment_index(o, segment, &sidx) != 0) {
		o->err = KOE_EINVAL; /* the survey has no such segment */
		return 1;
	}
	t->segment[r] = sidx;
	for (size_t i = 0; i < t->nitems; i++) {
		const struct ans_value *v = &o->set.v[i];
		double x = NAN;
		switch (o->s->items[i].kind) {
		case QN_ITEM_LIKERT:
		case QN_ITEM_CHOICE:
		case QN_ITEM_NPS:
			if (v->present)
				x = v->num;
			break;
		case QN_ITEM_MULTI:
			if (!v->present)
				break;
			x = (double)v->nmulti;
			for (size_t m = 0; m < v->nmulti; m++) {
				if (t->nmulti == o->capmulti) {
					size_t cap = o->capmulti ? o->capmulti * 2 : 1024;
					struct resp_multi *nv = realloc(t->multi, cap * sizeof(*nv));
					if (nv == NULL)
						goto oom;
					t->multi = nv;
					o->capmulti = cap;
				}
				t->multi[t->nmulti++] = (struct resp_multi){i, r, v->multi[m]};
			}
			break;
		case QN_ITEM_TEXT:
			if (!v->present || v->textlen == 0)
				break;
			x = 1;
			if (t->ntexts == o->captexts) {
				size_t cap = o->captexts ? o->captexts * 2 : 256;
				struct resp_text *nv = realloc(t->texts, cap * sizeof(*nv));
				if (nv == NULL)
					goto oom;
				t->texts = nv;
				o->captexts = cap;
			}
			t->texts[t->ntexts].item = i;
			t->texts[t->ntexts].segment = sidx;
			t->texts[t->ntexts].text = strndup(v->text, v->textlen);
			if (t->texts[t->ntexts].text == NULL)
				goto oom;
			t->ntexts++;
			break;
		}
		t->num[i * o->cap + r] = x;
	}
	t->n++;
	sodium_memzero(o->plain, plen);
	if (o->progress && (t->n % 4096 == 0 || t->n == o->total))
		o->progress(t->n, o->total);
	return 0;
oom:
	o->err = KOE_ENOMEM;
	return 1;
}

void
resp_table_free(struct resp_table *t)
{
	if (t == NULL)
		return;
	free(t->num);
	free(t->segment);
	for (size_t i = 0; i < t->nsegs; i++)
		free(t->segs[i]);
	free(t->segs);
	free(t->multi);
	for (size_t i = 0; i < t->ntexts; i++) {
		sodium_memzero(t->texts[i].text, strlen(t->texts[i].text));
		free(t->texts[i].text);
	}
	free(t->texts);
	free(t);
}

enum koe_err
resp_open_all(struct db *db, const struct db_survey *rec, const struct qn_survey *s,
              const uint8_t sk[SEAL_SK_BYTES], void (*progress)(size_t, size_t),
              struct resp_table **out)
{
	struct opener o = {.rec = rec, .s = s, .sk = sk, .progress = progress};
	int64_t total = 0;
	enum koe_err err;

	*out = NULL;
	if (sodium_init() < 0)
		return KOE_ENOMEM;
	o.t = calloc(1, sizeof(*o.t));
	if (o.t == NULL)
		return KOE_ENOMEM;
	o.t->nitems = s->nitems;
	err = ans_set_new(s, &o.set);
	if (err != KOE_OK)
		goto done;
	if ((err = db_response_count(db, rec->id, &total)) != KOE_OK)
		goto done;
	{
		struct db_segment *segs = NULL;
		size_t nsegs = 0;
		if ((err = db_segments_get(db, rec->id, &segs, &nsegs)) != KOE_OK)
			goto done;
		o.t->segs = calloc(nsegs ? nsegs : 1, sizeof(*o.t->segs));
		if (o.t->segs == NULL) {
			db_segments_free(segs, nsegs);
			err = KOE_ENOMEM;
			goto done;
		}
		/* Take over the codes; the labels are the caller's business. */
		for (size_t i = 0; i < nsegs; i++) {
			o.t->segs[i] = segs[i].code;
			segs[i].code = NULL;
		}
		o.t->nsegs = nsegs;
		db_segments_free(segs, nsegs);
	}
	o.total = (size_t)total;
	if (grow_rows(&o) != 0) {
		err = KOE_ENOMEM;
		goto done;
	}
	err = db_responses_foreach(db, rec->id, open_one, &o);
	if (err == KOE_EINVAL && o.err != KOE_OK)
		err = o.err;
	if (err != KOE_OK)
		goto done;
	/* Compact the columns to exactly n rows so callers index i * n + r. */
	if (o.cap != o.t->n) {
		size_t n = o.t->n;
		double *num = malloc((n ? n : 1) * s->nitems * sizeof(*num) + 1);
		if (num == NULL) {
			err = KOE_ENOMEM;
			goto done;
		}
		for (size_t i = 0; i < s->nitems; i++)
			if (n)
				memcpy(num + i * n, o.t->num + i * o.cap, n * sizeof(*num));
		free(o.t->num);
		o.t->num = num;
	}
	*out = o.t;
	o.t = NULL;
done:
	if (o.keys)
		sodium_free(o.keys);
	if (o.plain)
		sodium_memzero(o.plain, o.plaincap);
	free(o.plain);
	ans_set_free(&o.set);
	resp_table_free(o.t);
	return err;
}
