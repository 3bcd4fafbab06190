/* Sealing and opening responses; see include/koe/resp.h. */
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "koe/tok.h"

#include "koe/resp.h"
#include "koe/util.h"

enum koe_err
resp_seal_plain(const struct seal_key *k, const char *survey, const char *segment,
                const uint8_t *plain, size_t len, uint8_t **boxes, size_t *nboxes)
{
	size_t seglen = strlen(segment), total = 1 + seglen + len, n;
	uint8_t chunk[SEAL_PLAIN_BYTES], id[8], *out;

	*boxes = NULL;
	*nboxes = 0;
	if (seglen == 0 || seglen > 255)
		return KOE_EINVAL;
	n = (total + RESP_CHUNK_PAYLOAD - 1) / RESP_CHUNK_PAYLOAD;
	if (n > RESP_MAX_CHUNKS)
		return KOE_ETOOBIG;
	if ((out = malloc(n * SEAL_BOX_BYTES)) == NULL)
		return KOE_ENOMEM;
	randombytes_buf(id, sizeof(id));
	/* The payload stream is segment length, segment, answers; each chunk
	 * takes the next RESP_CHUNK_PAYLOAD bytes of it. */
	for (size_t c = 0, pos = 0; c < n; c++) {
		size_t take = total - pos < RESP_CHUNK_PAYLOAD ? total - pos : RESP_CHUNK_PAYLOAD;
		memset(chunk, 0, sizeof(chunk));
		memcpy(chunk, id, 8);
		chunk[8] = (uint8_t)c;
		chunk[9] = (uint8_t)n;
		chunk[10] = (uint8_t)take;
		chunk[11] = (uint8_t)(take >> 8);
		for (size_t i = 0; i < take; i++, pos++) {
			uint8_t byte;
			if (pos == 0)
				byte = (uint8_t)seglen;
			else if (pos <= seglen)
				byte = (uint8_t)segment[pos - 1];
			else
				byte = plain[pos - 1 - seglen];
			chunk[RESP_CHUNK_HEAD + i] = byte;
		}
		seal_box(k, (const uint8_t *)survey, strlen(survey), chunk, out + c * SEAL_BOX_BYTES);
	}
	sodium_memzero(chunk, sizeof(chunk));
	*boxes = out;
	*nboxes = n;
	return KOE_OK;
}

enum koe_err
resp_seal(const struct seal_key *k, const struct qn_survey *s, const char *segment,
          const struct ans_set *a, uint8_t **boxes, size_t *nboxes)
{
	size_t cap = ans_encoded_max(s, a), len = 0;
	uint8_t *plain = malloc(cap);
	enum koe_err err;

	*boxes = NULL;
	if (plain == NULL)
		return KOE_ENOMEM;
	err = ans_encode(s, a, plain, cap, &len);
	if (err == KOE_OK)
		err = resp_seal_plain(k, s->id, segment, plain, len, boxes, nboxes);
	sodium_memzero(plain, cap);
	free(plain);
	return err;
}

enum koe_err
resp_holder_secret(const struct seal_holder *h, const char *pass, size_t len,
                   uint8_t x[SEAL_SK_BYTES])
{
	enum koe_err err = seal_holder_secret(pass, len, &h->kdf, x);
	if (err == KOE_EINVAL)
		err = KOE_EVERIFY; /* too short or long: cannot be the passphrase */
	if (err == KOE_OK && !seal_secret_matches(x, h->pub))
		err = KOE_EVERIFY;
	if (err != KOE_OK)
		sodium_memzero(x, SEAL_SK_BYTES);
	return err;
}

enum koe_err
resp_unlock(struct db *db, const struct db_survey *rec, const char *const *pass,
            const size_t *passlen, size_t npass, uint8_t sk[SEAL_SK_BYTES])
{
	struct seal_holder h[SEAL_HOLDERS_MAX];
	bool opened[SEAL_HOLDERS_MAX] = {false};
	uint8_t x[SEAL_SK_BYTES];
	size_t nh = 0;
	enum koe_err err;

	memset(sk, 0, SEAL_SK_BYTES);
	if ((err = db_holders_get(db, rec->id, h, SEAL_HOLDERS_MAX, &nh)) != KOE_OK)
		return err;
	if (nh == 0 || npass != nh)
		return KOE_EVERIFY;
	for (size_t p = 0; p < npass; p++) {
		bool found = false;
		for (size_t i = 0; i < nh && !found; i++) {
			if (opened[i])
				continue;
			err = resp_holder_secret(&h[i], pass[p], passlen[p], x);
			if (err == KOE_OK) {
				seal_secret_add(sk, x);
				opened[i] = found = true;
			} else if (err != KOE_EVERIFY) {
				goto fail;
			}
		}
		if (!found) {
			err = KOE_EVERIFY;
			goto fail;
		}
	}
	sodium_memzero(x, sizeof(x));
	if (!seal_secret_matches(sk, rec->report_pk)) {
		err = KOE_EVERIFY;
		goto fail;
	}
	return KOE_OK;
fail:
	sodium_memzero(x, sizeof(x));
	sodium_memzero(sk, SEAL_SK_BYTES);
	return err;
}

/* A chunk of an answer sealed in several, kept until its siblings are read. */
struct pending {
	uint8_t id[8];
	uint8_t idx, count;
	uint16_t len;
	uint8_t payload[RESP_CHUNK_PAYLOAD];
};

struct opener {
	const struct db_survey *rec;
	const struct qn_survey *s;
	struct resp_table *t;
	size_t cap;           /* responses the arrays can hold */
	struct seal_key *keys; /* sodium_malloc'd, one per server run */
	size_t nkeys;
	uint8_t chunk[SEAL_PLAIN_BYTES];
	struct pending *pend;
	size_t npend, cappend;
	struct ans_set set;
	size_t capmulti, captexts;
	size_t total;
	void (*progress)(size_t, size_t);
	enum koe_err err;
};

static int
segment_index(struct opener *o, const char *code, size_t len, uint32_t *idx)
{
	struct resp_table *t = o->t;
	for (size_t i = 0; i < t->nsegs; i++)
		if (strlen(t->segs[i]) == len && memcmp(t->segs[i], code, len) == 0) {
			*idx = (uint32_t)i;
			return 0;
		}
	return -1;
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

/* Adds one whole answer (the joined payload) to the table. */
static int
add_answer(struct opener *o, const uint8_t *payload, size_t plen)
{
	struct resp_table *t = o->t;
	uint32_t sidx;
	size_t r = t->n, seglen;

	if (plen < 1 || (seglen = payload[0]) == 0 || plen < 1 + seglen ||
	    segment_index(o, (const char *)payload + 1, seglen, &sidx) != 0) {
		o->err = KOE_EINVAL; /* the survey has no such segment */
		return 1;
	}
	if (ans_decode(o->s, payload + 1 + seglen, plen - 1 - seglen, &o->set) != KOE_OK) {
		o->err = KOE_EINVAL;
		return 1;
	}
	if (r == o->cap && grow_rows(o) != 0)
		goto oom;
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
				if (util_grow((void **)&t->multi, &o->capmulti, t->nmulti, sizeof(*t->multi),
				         1024) != 0)
					goto oom;
				t->multi[t->nmulti++] = (struct resp_multi){i, r, v->multi[m]};
			}
			break;
		case QN_ITEM_TEXT:
			if (!v->present || v->textlen == 0)
				break;
			x = 1;
			if (util_grow((void **)&t->texts, &o->captexts, t->ntexts, sizeof(*t->texts), 256) != 0)
				goto oom;
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
	if (o->progress && (t->n % 4096 == 0 || t->n == o->total))
		o->progress(t->n, o->total);
	return 0;
oom:
	o->err = KOE_ENOMEM;
	return 1;
}

/* One sealed chunk: opened with whichever run key fits, then added at once
 * when the answer fits in one chunk, else kept until its siblings come. */
static int
open_one(void *ctx, const uint8_t box[SEAL_BOX_BYTES])
{
	struct opener *o = ctx;
	const uint8_t *ad = (const uint8_t *)o->rec->id;
	size_t adlen = strlen(o->rec->id), len;
	bool opened = false;
	int rc;

	for (size_t i = 0; i < o->nkeys && !opened; i++)
		opened = seal_unbox(&o->keys[i], ad, adlen, box, o->chunk) == KOE_OK;
	if (!opened) {
		o->err = KOE_EVERIFY;
		return 1;
	}
	len = (size_t)o->chunk[10] | (size_t)o->chunk[11] << 8;
	if (o->chunk[9] == 0 || o->chunk[8] >= o->chunk[9] || len > RESP_CHUNK_PAYLOAD) {
		o->err = KOE_EINVAL;
		return 1;
	}
	if (o->chunk[9] == 1) {
		rc = add_answer(o, o->chunk + RESP_CHUNK_HEAD, len);
		sodium_memzero(o->chunk, sizeof(o->chunk));
		return rc;
	}
	if (o->npend == o->cappend) {
		size_t cap = o->cappend ? o->cappend * 2 : 64;
		struct pending *nv = sodium_allocarray(cap, sizeof(*nv));
		if (nv == NULL) {
			o->err = KOE_ENOMEM;
			return 1;
		}
		if (o->npend)
			memcpy(nv, o->pend, o->npend * sizeof(*nv));
		sodium_free(o->pend);
		o->pend = nv;
		o->cappend = cap;
	}
	struct pending *p = &o->pend[o->npend++];
	memcpy(p->id, o->chunk, 8);
	p->idx = o->chunk[8];
	p->count = o->chunk[9];
	p->len = (uint16_t)len;
	memcpy(p->payload, o->chunk + RESP_CHUNK_HEAD, len);
	sodium_memzero(o->chunk, sizeof(o->chunk));
	return 0;
}

static int
pending_cmp(const void *a, const void *b)
{
	const struct pending *x = a, *y = b;
	int c = memcmp(x->id, y->id, 8);
	return c ? c : (int)x->idx - (int)y->idx;
}

/* Joins the chunks of every answer sealed in several and adds it. Every
 * answer must be whole: count chunks with indices 0 .. count-1. */
static enum koe_err
join_pending(struct opener *o)
{
	uint8_t *buf = NULL;
	enum koe_err err = KOE_OK;

	if (o->npend == 0)
		return KOE_OK;
	qsort(o->pend, o->npend, sizeof(*o->pend), pending_cmp);
	if ((buf = malloc((size_t)RESP_MAX_CHUNKS * RESP_CHUNK_PAYLOAD)) == NULL)
		return KOE_ENOMEM;
	for (size_t i = 0; i < o->npend && err == KOE_OK;) {
		size_t n = o->pend[i].count, len = 0;
		if (i + n > o->npend) {
			err = KOE_EINVAL;
			break;
		}
		for (size_t c = 0; c < n; c++) {
			const struct pending *p = &o->pend[i + c];
			if (p->idx != c || p->count != n || memcmp(p->id, o->pend[i].id, 8) != 0) {
				err = KOE_EINVAL;
				break;
			}
			memcpy(buf + len, p->payload, p->len);
			len += p->len;
		}
		if (err == KOE_OK && add_answer(o, buf, len) != 0)
			err = o->err;
		sodium_memzero(buf, len);
		i += n;
	}
	free(buf);
	return err;
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
	struct opener o = {.rec = rec, .s = s, .progress = progress};
	uint8_t (*epks)[SEAL_PK_BYTES] = NULL;
	size_t nepks = 0;
	int64_t total = 0;
	enum koe_err err;

	*out = NULL;
	if (tok_init() != KOE_OK)
		return KOE_ECRYPTO;
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
	/* One key agreement per server run, whatever the number of answers. */
	if ((err = db_seal_keys_get(db, rec->id, &epks, &nepks)) != KOE_OK)
		goto done;
	if (nepks && (o.keys = sodium_allocarray(nepks, sizeof(*o.keys))) == NULL) {
		err = KOE_ENOMEM;
		goto done;
	}
	for (size_t i = 0; i < nepks; i++, o.nkeys++)
		if ((err = seal_key_open(sk, rec->report_pk, epks[i], &o.keys[i])) != KOE_OK) {
			err = KOE_EVERIFY;
			goto done;
		}
	err = db_boxes_foreach(db, rec->id, open_one, &o);
	if (err == KOE_EINVAL && o.err != KOE_OK)
		err = o.err;
	if (err == KOE_OK)
		err = join_pending(&o);
	if (err != KOE_OK)
		goto done;
	if (o.t->n != o.total) {
		err = KOE_EINVAL; /* a spent token without its answer, or the reverse */
		goto done;
	}
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
	free(epks);
	if (o.keys)
		sodium_free(o.keys);
	if (o.pend)
		sodium_free(o.pend);
	ans_set_free(&o.set);
	resp_table_free(o.t);
	return err;
}

enum koe_err
resp_participation_table(struct db *db, const struct db_survey *rec, const struct qn_survey *s,
                         struct resp_table **out)
{
	struct db_segment *segs = NULL;
	struct resp_table *t = NULL;
	size_t nsegs = 0, n = 0, r = 0;
	enum koe_err err;

	*out = NULL;
	if ((err = db_segments_get(db, rec->id, &segs, &nsegs)) != KOE_OK)
		return err;
	for (size_t g = 0; g < nsegs; g++)
		n += (size_t)segs[g].responded;
	err = KOE_ENOMEM;
	if ((t = calloc(1, sizeof(*t))) == NULL ||
	    (t->segs = calloc(nsegs ? nsegs : 1, sizeof(*t->segs))) == NULL ||
	    (t->segment = calloc(n ? n : 1, sizeof(*t->segment))) == NULL ||
	    (t->num = malloc((n ? n : 1) * (s->nitems ? s->nitems : 1) * sizeof(*t->num))) == NULL)
		goto done;
	t->n = n;
	t->nitems = s->nitems;
	for (size_t i = 0; i < n * s->nitems; i++)
		t->num[i] = NAN;
	for (size_t g = 0; g < nsegs; g++) {
		t->segs[g] = segs[g].code;
		segs[g].code = NULL;
		t->nsegs = g + 1;
		for (int64_t k = 0; k < segs[g].responded; k++)
			t->segment[r++] = (uint32_t)g;
	}
	*out = t;
	t = NULL;
	err = KOE_OK;
done:
	resp_table_free(t);
	db_segments_free(segs, nsegs);
	return err;
}
