/* koe — the report's comments (README, "Comments"; docs/ARCHITECTURE.md §8.5):
 * a shuffled order that says nothing about who wrote what or when,
 * identical and near-identical texts printed once with their count, the
 * label each may carry, and HR's themes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "koe/dc.h"
#include "koe/utf8.h"
#include "report_internal.h"

/* A comment as compared for grouping (README, "Comments"): spaces (ASCII
 * and ideographic) at either end dropped and inside collapsed to one, and
 * the sentence-ending marks 。．.!！?？ at the end dropped, so "情報管理が
 * 心配です。" and "情報管理が心配です" are one text. */
static const char *
comment_norm(struct report *r, const char *text)
{
	size_t n = strlen(text), len = 0;
	char *out = arena_alloc(&r->arena, n + 1);
	bool space = false;
	if (out == NULL)
		return NULL;
	for (size_t i = 0; i < n;) {
		bool sp = text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r';
		size_t w = 1;
		if (strncmp(text + i, "\u3000", 3) == 0) {
			sp = true;
			w = 3;
		}
		if (sp) {
			space = len > 0;
			i += w;
			continue;
		}
		if (space)
			out[len++] = ' ';
		space = false;
		out[len++] = text[i++];
	}
	out[len] = '\0';
	static const char *const ends[] = {"。", "．", "！", "？", ".", "!", "?"};
	for (bool again = true; again;) {
		again = false;
		for (size_t e = 0; e < sizeof(ends) / sizeof(ends[0]); e++) {
			size_t el = strlen(ends[e]);
			if (len >= el && memcmp(out + len - el, ends[e], el) == 0) {
				len -= el;
				out[len] = '\0';
				again = true;
			}
		}
	}
	return out;
}

/* Canonical order: item, text, group; independent of how the database
 * happened to return the responses. */
static int
comment_canon_cmp(const void *a, const void *b)
{
	const struct report_comment *x = a, *y = b;
	int c = (x->item > y->item) - (x->item < y->item);
	if (c == 0)
		c = strcmp(x->norm, y->norm);
	if (c == 0)
		c = strcmp(x->text, y->text);
	if (c == 0)
		c = (x->group > y->group) - (x->group < y->group);
	return c;
}

static int
comment_key_cmp(const void *a, const void *b)
{
	const struct report_comment *x = a, *y = b;
	int c = memcmp(x->key, y->key, sizeof(x->key));
	return c ? c : comment_canon_cmp(a, b);
}

/* ---- Near-identical texts (README, "Comments") ----
 *
 * Two comments to one question are one text when their words are the same
 * (a word: a run of ASCII letters and digits, or one other character;
 * case, full-width forms, spaces and punctuation ignored), or when both
 * have at least NEAR_MIN_WORDS words and one word was changed, added or
 * dropped — unless that word is a negation ("not", 不, ず, …), which turns
 * a text into its opposite. Pairs are found without comparing every text
 * with every other: each text's word sequence and its sequences with one
 * word dropped are hashed; two texts one edit apart share such a hash,
 * and every candidate is confirmed word by word (at most NEAR_MAX_GROUP
 * candidates per hash, so hostile input cannot make the work quadratic).
 * Clusters are stars around their commonest text, never chains. */

#define NEAR_MIN_WORDS 8
#define NEAR_MAX_WORDS 160
#define NEAR_MAX_GROUP 64
/* At most this many hashes of texts with a word dropped (24 bytes each):
 * past it, further texts are matched by their words only. */
#define NEAR_BUDGET ((size_t)2 << 20)

struct words {
	uint64_t *w;   /* word hashes; the low bit set marks a negation */
	size_t n;
	bool drops;    /* its one-word-dropped hashes are in the table */
};

static uint64_t
mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9u;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebu;
	return x ^ (x >> 31);
}

static bool
is_punct(uint32_t cp)
{
	return (cp < 0x80 && !((cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z'))) ||
	       (cp >= 0x3000 && cp <= 0x303f && cp != 0x3005 && cp != 0x3006) || cp == 0x30fb ||
	       cp == 0x2026 || cp == 0x2025 || (cp >= 0x2010 && cp <= 0x201f);
}

static bool
negation_word(const char *w, size_t n)
{
	static const char *const neg[] = {"not", "no", "never", "dont", "doesnt", "didnt",
	                                  "isnt", "arent", "cant", "cannot", "wont", "without",
	                                  "nor", "none"};
	for (size_t i = 0; i < sizeof(neg) / sizeof(neg[0]); i++)
		if (strlen(neg[i]) == n && memcmp(neg[i], w, n) == 0)
			return true;
	return false;
}

static bool
negation_char(uint32_t cp)
{
	static const uint32_t neg[] = {0x4e0d /* 不 */, 0x7121 /* 無 */, 0x975e /* 非 */,
	                               0x672a /* 未 */, 0x5426 /* 否 */, 0x53cd /* 反 */,
	                               0x6ca1 /* 没 */, 0x305a /* ず */, 0x306c /* ぬ */,
	                               0x306a /* な */, 0x3093 /* ん */};
	for (size_t i = 0; i < sizeof(neg) / sizeof(neg[0]); i++)
		if (cp == neg[i])
			return true;
	return false;
}

/* Appends word w: the first NEAR_MAX_WORDS words one slot each, every
 * later one mixed into one last slot (such a long text is only ever
 * matched whole). */
static void
put_word(uint64_t *out, size_t *n, uint64_t w)
{
	if (*n <= NEAR_MAX_WORDS) {
		out[(*n)++] = w;
		return;
	}
	out[NEAR_MAX_WORDS] = mix64(out[NEAR_MAX_WORDS] ^ w) & ~(uint64_t)1;
}

/* The words of a normalized text into out (room for NEAR_MAX_WORDS + 1);
 * returns how many slots it filled. An ASCII apostrophe inside a word is
 * dropped ("don't" is "dont"). */
static size_t
split_words(const char *norm, uint64_t *out)
{
	size_t len = strlen(norm), n = 0, wl = 0;
	char word[64];
	uint64_t acc = 0;
	for (size_t i = 0; i <= len;) {
		uint32_t cp = 0;
		size_t step = i < len ? utf8_next(norm + i, len - i, &cp) : 1;
		if (cp >= 0xff01 && cp <= 0xff5e)
			cp -= 0xfee0; /* full-width ASCII */
		if (cp >= 'A' && cp <= 'Z')
			cp += 'a' - 'A';
		bool alnum = cp < 0x80 && ((cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z'));
		if (alnum || (cp == '\'' && wl > 0)) {
			if (alnum) {
				acc = mix64(acc ^ cp);
				if (wl < sizeof(word))
					word[wl] = (char)cp;
				wl++;
			}
		} else {
			if (wl > 0)
				put_word(out, &n, (mix64(acc + wl) & ~(uint64_t)1) |
				                      (uint64_t)(wl <= sizeof(word) && negation_word(word, wl)));
			wl = 0;
			acc = 0;
			if (i < len && cp != ' ' && !is_punct(cp))
				put_word(out, &n, (mix64(((uint64_t)1 << 40) | cp) & ~(uint64_t)1) |
				                      (uint64_t)negation_char(cp));
		}
		i += step;
	}
	return n;
}

/* One entry per text (pos SIZE_MAX) and per text with word pos dropped. */
struct near_entry {
	uint64_t h;
	size_t head;  /* index of the text's first comment in canonical order */
	size_t pos;
};

static int
near_entry_cmp(const void *a, const void *b)
{
	const struct near_entry *x = a, *y = b;
	if (x->h != y->h)
		return x->h < y->h ? -1 : 1;
	if (x->pos != y->pos)
		return x->pos < y->pos ? -1 : 1;
	return (x->head > y->head) - (x->head < y->head);
}

static uint64_t
seq_hash(const uint64_t *w, size_t n, size_t skip)
{
	uint64_t h = 0x9e3779b97f4a7c15u;
	for (size_t i = 0; i < n; i++)
		if (i != skip)
			h = mix64(h ^ w[i]);
	return mix64(h ^ (skip == SIZE_MAX ? n : n - 1));
}

/* Whether a and b are one text: the same words, or (both long enough) one
 * word apart that is not a negation. */
static bool
near_same(const struct words *a, const struct words *b)
{
	if (a->n < b->n) {
		const struct words *t = a;
		a = b;
		b = t;
	}
	if (a->n == b->n) {
		size_t diff = 0, at = 0;
		for (size_t i = 0; i < a->n; i++)
			if (a->w[i] != b->w[i]) {
				diff++;
				at = i;
			}
		if (diff == 0)
			return true;
		return diff == 1 && b->n >= NEAR_MIN_WORDS && a->n <= NEAR_MAX_WORDS && !(a->w[at] & 1) && !(b->w[at] & 1);
	}
	if (a->n != b->n + 1 || b->n < NEAR_MIN_WORDS || a->n > NEAR_MAX_WORDS)
		return false;
	size_t i = 0;
	while (i < b->n && a->w[i] == b->w[i])
		i++;
	if (a->w[i] & 1)
		return false; /* the dropped word is a negation */
	for (size_t j = i; j < b->n; j++)
		if (a->w[j + 1] != b->w[j])
			return false;
	return true;
}

/* A pair of texts one edit apart (both ways round, for the adjacency). */
struct near_pair {
	size_t a, b;
};

static int
near_pair_cmp(const void *x, const void *y)
{
	const struct near_pair *p = x, *q = y;
	if (p->a != q->a)
		return p->a < q->a ? -1 : 1;
	return (p->b > q->b) - (p->b < q->b);
}

/* Every confirmed pair, both ways round, sorted by its first text; NULL
 * with *np 0 when there are none, and *oom when memory ran out. */
static struct near_pair *
near_pairs(const struct report *r, struct near_entry *e, size_t ne, const struct words *wd,
           size_t *np, bool *oom)
{
	struct near_pair *pairs = NULL;
	size_t cap = 0;
	*np = 0;
	qsort(e, ne, sizeof(*e), near_entry_cmp);
	for (size_t lo = 0, hi; lo < ne; lo = hi) {
		for (hi = lo + 1; hi < ne && e[hi].h == e[lo].h; hi++)
			;
		size_t end = hi - lo > NEAR_MAX_GROUP ? lo + NEAR_MAX_GROUP : hi;
		for (size_t i = lo; i < end; i++)
			for (size_t j = i + 1; j < end; j++) {
				size_t a = e[i].head, b = e[j].head;
				bool shape = e[i].pos == e[j].pos || e[i].pos == SIZE_MAX ||
				             e[j].pos == SIZE_MAX;
				if (a == b || !shape || r->comments[a].item != r->comments[b].item ||
				    !near_same(&wd[a], &wd[b]))
					continue;
				if (*np + 2 > cap) {
					size_t nc = cap ? cap * 2 : 64;
					struct near_pair *nv = realloc(pairs, nc * sizeof(*nv));
					if (nv == NULL) {
						*oom = true;
						free(pairs);
						*np = 0;
						return NULL;
					}
					pairs = nv;
					cap = nc;
				}
				pairs[(*np)++] = (struct near_pair){a, b};
				pairs[(*np)++] = (struct near_pair){b, a};
			}
	}
	if (*np)
		qsort(pairs, *np, sizeof(*pairs), near_pair_cmp);
	return pairs;
}

/* A text as a candidate seed: how many comments share it exactly. */
struct seed {
	size_t size, head;
};

/* Most shared first, then canonical order. */
static int
seed_cmp(const void *x, const void *y)
{
	const struct seed *a = x, *b = y;
	if (a->size != b->size)
		return a->size > b->size ? -1 : 1;
	return (a->head > b->head) - (a->head < b->head);
}

/* Clusters are stars, never chains: the commonest text not yet placed
 * takes every unplaced text one edit away from it, so every text of a
 * cluster is within one edit of the text it is printed with. */
static enum koe_err
near_stars(struct report *r, const struct near_pair *pairs, size_t np)
{
	size_t n = r->ncomments, nheads = 0;
	size_t *size = calloc(n + 1, sizeof(*size));
	struct seed *order = malloc((n + 1) * sizeof(*order));
	size_t *first = malloc((n + 1) * sizeof(*first)), *star = malloc((n + 1) * sizeof(*star));
	enum koe_err err = KOE_ENOMEM;
	if (size == NULL || order == NULL || first == NULL || star == NULL)
		goto out;
	for (size_t i = 0; i < n; i++) {
		size[r->comments[i].run]++;
		star[i] = first[i] = SIZE_MAX;
	}
	for (size_t i = 0; i < n; i++)
		if (r->comments[i].run == i)
			order[nheads++] = (struct seed){size[i], i};
	for (size_t k = np; k-- > 0;)
		first[pairs[k].a] = k;
	qsort(order, nheads, sizeof(*order), seed_cmp);
	for (size_t o = 0; o < nheads; o++) {
		size_t h = order[o].head;
		if (star[h] != SIZE_MAX)
			continue;
		star[h] = h;
		for (size_t k = first[h]; k != SIZE_MAX && k < np && pairs[k].a == h; k++)
			if (star[pairs[k].b] == SIZE_MAX)
				star[pairs[k].b] = h;
	}
	for (size_t i = 0; i < n; i++) {
		r->comments[i].cluster = star[r->comments[i].run];
		r->comments[i].cluster_text = r->comments[star[r->comments[i].run]].text;
	}
	err = KOE_OK;
out:
	free(size);
	free(order);
	free(first);
	free(star);
	return err;
}

/* Sets each comment's cluster and the text it is printed with (comments
 * in canonical order, runs of identical normalized texts numbered). */
static enum koe_err
near_clusters(struct report *r)
{
	size_t n = r->ncomments, ne = 0, cap = 0, np = 0;
	struct words *wd = calloc(n + 1, sizeof(*wd));
	struct near_entry *e = NULL;
	struct near_pair *pairs = NULL;
	bool oom = false;
	enum koe_err err = KOE_ENOMEM;
	if (wd == NULL)
		goto out;
	for (size_t i = 0; i < n; i++) {
		if (r->comments[i].run != i)
			continue;
		/* A text has no more words than bytes. */
		size_t len = strlen(r->comments[i].norm);
		size_t slots = len < NEAR_MAX_WORDS ? len + 1 : NEAR_MAX_WORDS + 1;
		if ((wd[i].w = malloc(slots * sizeof(uint64_t))) == NULL)
			goto out;
		wd[i].n = split_words(r->comments[i].norm, wd[i].w);
		bool drops = wd[i].n >= NEAR_MIN_WORDS && wd[i].n <= NEAR_MAX_WORDS &&
		             cap + wd[i].n <= NEAR_BUDGET;
		cap += 1 + (drops ? wd[i].n : 0);
		wd[i].drops = drops;
	}
	if ((e = malloc((cap + 1) * sizeof(*e))) == NULL)
		goto out;
	for (size_t i = 0; i < n; i++) {
		if (r->comments[i].run != i)
			continue;
		e[ne++] = (struct near_entry){seq_hash(wd[i].w, wd[i].n, SIZE_MAX), i, SIZE_MAX};
		for (size_t p = 0; wd[i].drops && p < wd[i].n; p++)
			e[ne++] = (struct near_entry){seq_hash(wd[i].w, wd[i].n, p), i, p};
	}
	pairs = near_pairs(r, e, ne, wd, &np, &oom);
	if (!oom)
		err = near_stars(r, pairs, np);
out:
	for (size_t i = 0; wd && i < n; i++)
		free(wd[i].w);
	free(wd);
	free(e);
	free(pairs);
	return err;
}

/* Identical and near-identical comments printed once (README,
 * "Comments"): the first of each cluster in the printed order carries the
 * cluster's size, how many different texts it joined, the text it is
 * printed with and the label its comments share (none when they differ:
 * naming one group would say where the others came from). */
static enum koe_err
group_comments(struct report *r)
{
	size_t n = r->ncomments;
	size_t *first = malloc((n + 1) * sizeof(*first));
	bool *seen = calloc(n + 1, sizeof(*seen));
	if (first == NULL || seen == NULL) {
		free(first);
		free(seen);
		return KOE_ENOMEM;
	}
	for (size_t i = 0; i < n; i++)
		first[i] = SIZE_MAX;
	for (size_t i = 0; i < n; i++) {
		struct report_comment *c = &r->comments[i];
		if (first[c->cluster] == SIZE_MAX) {
			first[c->cluster] = i;
			c->run_segment = c->segment;
			c->run_display = c->display;
		}
		struct report_comment *f = &r->comments[first[c->cluster]];
		f->count++;
		if (!seen[c->run])
			f->variants++;
		seen[c->run] = true;
		if (f->run_segment && (c->segment == NULL || strcmp(f->run_segment, c->segment) != 0))
			f->run_segment = f->run_display = NULL;
	}
	free(first);
	free(seen);
	return KOE_OK;
}

/* HR's [[Theme]]s (README, "Comments"): a comment mentions a theme when its
 * text contains one of the theme's keywords; the share is of all comments,
 * with a Wilson interval; the quotes are the first two texts mentioning it
 * in the printed order (each run of identical comments once). */
static enum koe_err
count_themes(struct report *r)
{
	const struct qn_survey *s = r->s;
	if (s->nthemes == 0 || r->ncomments == 0)
		return KOE_OK;
	if ((r->themes = calloc(s->nthemes, sizeof(*r->themes))) == NULL)
		return KOE_ENOMEM;
	r->nthemes = s->nthemes;
	for (size_t t = 0; t < s->nthemes; t++) {
		const struct qn_theme *th = &s->themes[t];
		struct report_theme *rt = &r->themes[t];
		size_t hits = 0, nq = 0;
		rt->name = th->name;
		rt->quotes[0] = rt->quotes[1] = -1;
		for (size_t c = 0; c < r->ncomments; c++) {
			bool hit = false;
			for (size_t k = 0; k < th->nkeywords && !hit; k++)
				hit = strstr(r->comments[c].text, th->keywords[k]) != NULL;
			if (!hit)
				continue;
			hits++;
			if (r->comments[c].count > 0 && nq < 2)
				rt->quotes[nq++] = (long)c;
		}
		enum koe_err err = stats_proportion(hits, r->ncomments, &rt->share);
		if (err != KOE_OK)
			return err;
	}
	return KOE_OK;
}

/* The comments in a shuffled order that depends only on the survey and the
 * answers: each is sorted by a keyed hash of its text (and, for identical
 * texts, of how many identical ones come before it, so that repeated
 * comments are spread out rather than printed in a block). The order says
 * nothing about when or in which group a comment was written, and the same
 * answers always print in the same order. */
enum koe_err
report_make_comments(struct report *r, const struct resp_table *t)
{
	static const char domain[] = "koe-report-comments/1";
	uint8_t seed[crypto_generichash_KEYBYTES];
	crypto_generichash_state h;

	r->comments_shown = r->st->shown == STATS_SHOWN && !r->rounded;
	if (!r->comments_shown || t->ntexts == 0)
		return KOE_OK;
	r->comments = calloc(t->ntexts, sizeof(*r->comments));
	const char **labels = calloc(r->nsegs + 1, sizeof(*labels));
	const char **clabel = calloc(r->nsegs + 1, sizeof(*clabel));
	size_t *resp = calloc(r->nsegs + 1, sizeof(*resp));
	if (r->comments == NULL || labels == NULL || clabel == NULL || resp == NULL) {
		free(labels);
		free(clabel);
		free(resp);
		return KOE_ENOMEM;
	}
	/* The label a comment of each group may carry (dc.h rule 4), from the
	 * exact respondent counts of every group. */
	for (size_t g = 0; g < r->nsegs; g++)
		labels[g] = r->segs[g].label;
	for (size_t i = 0; i < t->n; i++)
		resp[t->segment[i]]++;
	for (size_t g = 0; g < r->nsegs && r->nsegs > 1; g++) {
		char buf[1024];
		if (dc_comment_label(labels, resp, r->nsegs, g, r->segs[g].shown, r->min_comments,
		                     buf, sizeof(buf)))
			clabel[g] = strcmp(buf, labels[g]) == 0 ? labels[g]
			                                        : arena_strdup(&r->arena, buf);
	}
	free(labels);
	free(resp);
	for (size_t i = 0; i < t->ntexts; i++) {
		const struct resp_text *x = &t->texts[i];
		struct report_comment *c = &r->comments[r->ncomments++];
		c->item = x->item;
		c->text = x->text;
		if ((c->norm = comment_norm(r, x->text)) == NULL) {
			free(clabel);
			return KOE_ENOMEM;
		}
		c->group = x->segment;
		c->segment = x->segment < r->nsegs ? clabel[x->segment] : NULL;
		c->display = c->segment ? report_display_label(r, c->segment) : NULL;
		if (c->segment && c->display == NULL) {
			free(clabel);
			return KOE_ENOMEM;
		}
	}
	free(clabel);
	qsort(r->comments, r->ncomments, sizeof(*r->comments), comment_canon_cmp);
	crypto_generichash_init(&h, NULL, 0, sizeof(seed));
	crypto_generichash_update(&h, (const uint8_t *)domain, sizeof(domain));
	crypto_generichash_update(&h, (const uint8_t *)r->s->id, strlen(r->s->id));
	crypto_generichash_final(&h, seed, sizeof(seed));
	for (size_t i = 0; i < r->ncomments; i++) {
		struct report_comment *c = &r->comments[i];
		bool same = i > 0 && c->item == c[-1].item && strcmp(c->norm, c[-1].norm) == 0;
		c->run = same ? c[-1].run : i;
	}
	uint64_t *dup = calloc(r->ncomments + 1, sizeof(*dup));
	enum koe_err err = dup ? near_clusters(r) : KOE_ENOMEM;
	for (size_t i = 0; i < r->ncomments && err == KOE_OK; i++) {
		struct report_comment *c = &r->comments[i];
		uint8_t head[16];
		uint64_t d = dup[c->cluster]++;
		for (int b = 0; b < 8; b++) {
			head[b] = (uint8_t)((uint64_t)c->item >> (8 * b));
			head[8 + b] = (uint8_t)(d >> (8 * b));
		}
		crypto_generichash_init(&h, seed, sizeof(seed), sizeof(c->key));
		crypto_generichash_update(&h, head, sizeof(head));
		crypto_generichash_update(&h, (const uint8_t *)c->text, strlen(c->text));
		crypto_generichash_final(&h, c->key, sizeof(c->key));
	}
	free(dup);
	sodium_memzero(&h, sizeof(h));
	if (err != KOE_OK)
		return err;
	qsort(r->comments, r->ncomments, sizeof(*r->comments), comment_key_cmp);
	err = group_comments(r);
	return err != KOE_OK ? err : count_themes(r);
}

