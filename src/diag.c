#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "koe/diag.h"

static void
add(struct koe_diags *d, int warning, int line, int col, const char *hint, const char *fmt,
    va_list ap) __attribute__((format(printf, 6, 0)));

static void
add(struct koe_diags *d, int warning, int line, int col, const char *hint, const char *fmt,
    va_list ap)
{
	struct koe_diag *e;
	char buf[1024];

	if (d->n >= KOE_DIAGS_MAX) {
		d->dropped++;
		d->dropped_warn += warning ? 1 : 0;
		return;
	}
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 16;
		struct koe_diag *v = realloc(d->v, cap * sizeof(*v));
		if (v == NULL) {
			d->oom = 1;
			return;
		}
		d->v = v;
		d->cap = cap;
	}
	vsnprintf(buf, sizeof(buf), fmt, ap);
	e = &d->v[d->n];
	e->line = line;
	e->col = col;
	e->warning = warning;
	e->message = strdup(buf);
	e->hint = hint ? strdup(hint) : NULL;
	if (e->message == NULL || (hint && e->hint == NULL)) {
		free(e->message);
		free(e->hint);
		d->oom = 1;
		return;
	}
	d->n++;
	d->nwarn += warning ? 1 : 0;
}

void
koe_diags_add(struct koe_diags *d, int line, int col, const char *hint,
              const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	add(d, 0, line, col, hint, fmt, ap);
	va_end(ap);
}

void
koe_diags_warn(struct koe_diags *d, int line, int col, const char *hint,
               const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	add(d, 1, line, col, hint, fmt, ap);
	va_end(ap);
}

size_t
koe_diags_errors(const struct koe_diags *d)
{
	return (d->n - d->nwarn) + (d->dropped - d->dropped_warn);
}

void
koe_diags_print(const struct koe_diags *d, const char *file, FILE *out)
{
	for (size_t i = 0; i < d->n; i++) {
		const struct koe_diag *e = &d->v[i];
		const char *kind = e->warning ? "warning" : "error";
		if (e->line > 0)
			fprintf(out, "%s:%d:%d: %s: %s", file, e->line,
			        e->col > 0 ? e->col : 1, kind, e->message);
		else
			fprintf(out, "%s: %s: %s", file, kind, e->message);
		if (e->hint)
			fprintf(out, " (%s)", e->hint);
		fputc('\n', out);
	}
	if (d->dropped)
		fprintf(out, "%s: note: %zu more diagnostics not shown\n", file, d->dropped);
	if (d->oom)
		fprintf(out, "%s: error: out of memory while recording errors\n", file);
}

void
koe_diags_free(struct koe_diags *d)
{
	if (d == NULL)
		return;
	for (size_t i = 0; i < d->n; i++) {
		free(d->v[i].message);
		free(d->v[i].hint);
	}
	free(d->v);
	memset(d, 0, sizeof(*d));
}

/* Case-insensitive Levenshtein distance, bounded to short words. */
static size_t
edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t row[65];

	if (la > 64 || lb > 64)
		return (size_t)-1;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			int same = tolower((unsigned char)a[i - 1]) ==
			           tolower((unsigned char)b[j - 1]);
			size_t best = diag + (same ? 0 : 1);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

const char *
koe_suggest(const char *word, const char *const *candidates, size_t n)
{
	const char *best = NULL;
	size_t bestd = (size_t)-1;
	size_t len = strlen(word);
	/* Allow one edit for short words, two from five letters, three from nine. */
	size_t limit = len < 5 ? 1 : len < 9 ? 2 : 3;

	if (len == 0)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		size_t dist = edit_distance(word, candidates[i]);
		if (dist < bestd) {
			bestd = dist;
			best = candidates[i];
		}
	}
	return bestd <= limit ? best : NULL;
}
