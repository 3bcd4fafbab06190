/* Answer sets and their binary encoding; see include/koe/ans.h. */
#include <stdlib.h>
#include <string.h>

#include "koe/ans.h"

enum koe_err
ans_set_new(const struct qn_survey *s, struct ans_set *out)
{
	out->n = s->nitems;
	out->v = calloc(s->nitems ? s->nitems : 1, sizeof(*out->v));
	return out->v ? KOE_OK : KOE_ENOMEM;
}

void
ans_set_free(struct ans_set *a)
{
	if (a == NULL)
		return;
	free(a->v);
	a->v = NULL;
	a->n = 0;
}

bool
ans_value_ok(const struct qn_survey *s, const struct qn_item *it, int v)
{
	const struct qn_question *q = &s->questions[it->question];
	switch (it->kind) {
	case QN_ITEM_LIKERT:
		return v >= 1 && v <= it->npoints;
	case QN_ITEM_NPS:
		return v >= 0 && v <= 10;
	case QN_ITEM_CHOICE:
	case QN_ITEM_MULTI:
		for (size_t c = 0; c < q->nchoices; c++)
			if (q->choices[c].recode == v)
				return true;
		return false;
	case QN_ITEM_TEXT:
		return false;
	}
	return false;
}

size_t
ans_encoded_max(const struct qn_survey *s, const struct ans_set *a)
{
	size_t n = 1;
	for (size_t i = 0; i < a->n && i < s->nitems; i++) {
		if (!a->v[i].present)
			continue;
		n += 2 + 2 + 1 + 2 * ANS_MAX_MULTI + a->v[i].textlen;
	}
	return n;
}

static void
put16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v & 0xFF);
	p[1] = (uint8_t)(v >> 8);
}

static unsigned
get16(const uint8_t *p)
{
	return (unsigned)p[0] | (unsigned)p[1] << 8;
}

enum koe_err
ans_encode(const struct qn_survey *s, const struct ans_set *a, uint8_t *buf, size_t cap,
           size_t *len)
{
	size_t n = 0;

	if (a->n != s->nitems || s->nitems > 0xFFFF || cap < ans_encoded_max(s, a))
		return KOE_EINVAL;
	buf[n++] = 1;
	for (size_t i = 0; i < s->nitems; i++) {
		const struct ans_value *v = &a->v[i];
		if (!v->present)
			continue;
		put16(buf + n, (unsigned)i);
		n += 2;
		switch (s->items[i].kind) {
		case QN_ITEM_LIKERT:
		case QN_ITEM_CHOICE:
		case QN_ITEM_NPS:
			put16(buf + n, (unsigned)(int16_t)v->num & 0xFFFF);
			n += 2;
			break;
		case QN_ITEM_MULTI:
			if (v->nmulti > ANS_MAX_MULTI)
				return KOE_EINVAL;
			buf[n++] = (uint8_t)v->nmulti;
			for (size_t m = 0; m < v->nmulti; m++) {
				put16(buf + n, (unsigned)(int16_t)v->multi[m] & 0xFFFF);
				n += 2;
			}
			break;
		case QN_ITEM_TEXT:
			if (v->textlen > ANS_MAX_TEXT_BYTES)
				return KOE_EINVAL;
			put16(buf + n, (unsigned)v->textlen);
			n += 2;
			memcpy(buf + n, v->text, v->textlen);
			n += v->textlen;
			break;
		}
	}
	*len = n;
	return KOE_OK;
}

enum koe_err
ans_decode(const struct qn_survey *s, const uint8_t *buf, size_t len, struct ans_set *a)
{
	size_t p = 1;
	long last = -1;

	if (a->n != s->nitems)
		return KOE_EINVAL;
	memset(a->v, 0, a->n * sizeof(*a->v));
	if (len < 1 || buf[0] != 1)
		return KOE_EINVAL;
	while (p < len) {
		const struct qn_item *it;
		struct ans_value *v;
		unsigned idx;

		if (len - p < 2)
			return KOE_EINVAL;
		idx = get16(buf + p);
		p += 2;
		/* Items appear once each, in increasing order. */
		if (idx >= s->nitems || (long)idx <= last)
			return KOE_EINVAL;
		last = idx;
		it = &s->items[idx];
		v = &a->v[idx];
		switch (it->kind) {
		case QN_ITEM_LIKERT:
		case QN_ITEM_CHOICE:
		case QN_ITEM_NPS:
			if (len - p < 2)
				return KOE_EINVAL;
			v->num = (int16_t)get16(buf + p);
			p += 2;
			if (!ans_value_ok(s, it, v->num))
				return KOE_EINVAL;
			break;
		case QN_ITEM_MULTI:
			if (len - p < 1)
				return KOE_EINVAL;
			v->nmulti = buf[p++];
			if (v->nmulti > ANS_MAX_MULTI || len - p < 2 * v->nmulti)
				return KOE_EINVAL;
			for (size_t m = 0; m < v->nmulti; m++) {
				v->multi[m] = (int16_t)get16(buf + p);
				p += 2;
				if (!ans_value_ok(s, it, v->multi[m]))
					return KOE_EINVAL;
			}
			break;
		case QN_ITEM_TEXT:
			if (len - p < 2)
				return KOE_EINVAL;
			v->textlen = get16(buf + p);
			p += 2;
			if (v->textlen > ANS_MAX_TEXT_BYTES || len - p < v->textlen)
				return KOE_EINVAL;
			v->text = (const char *)buf + p;
			p += v->textlen;
			break;
		}
		v->present = true;
	}
	return KOE_OK;
}

bool
ans_has(const void *ctx, size_t item, int lo, int hi)
{
	const struct ans_set *a = ctx;
	const struct ans_value *v;

	if (item >= a->n || !a->v[item].present)
		return false;
	v = &a->v[item];
	if (v->nmulti == 0)
		return v->num >= lo && v->num <= hi;
	for (size_t k = 0; k < v->nmulti; k++)
		if (v->multi[k] >= lo && v->multi[k] <= hi)
			return true;
	return false;
}
