/* libFuzzer target for the roster parser: any bytes, two segment columns.
 * Besides the sanitizers, it checks the parser's promises: a roster comes
 * back exactly when there is no error, every row in it is complete and its
 * ids are unique, and every diagnostic is well-formed UTF-8 text. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "koe/roster.h"

static const char *const SEGS[] = {"department", "tenure"};

static int
valid_utf8(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;

	while (*u != '\0') {
		size_t need = *u < 0x80 ? 0 : *u >= 0xC2 && *u <= 0xDF ? 1
		            : *u >= 0xE0 && *u <= 0xEF ? 2 : *u >= 0xF0 && *u <= 0xF4 ? 3
		            : 9;
		if (need == 9)
			return 0;
		for (size_t k = 1; k <= need; k++)
			if ((u[k] & 0xC0) != 0x80)
				return 0;
		u += need + 1;
	}
	return 1;
}

static void
check_roster(const struct roster *r)
{
	if (r->nrows == 0 || r->nsegments != 2)
		abort();
	for (size_t i = 0; i < r->nrows; i++) {
		const struct roster_row *row = &r->rows[i];

		if (row->employee_id[0] == '\0' || row->email == NULL ||
		    row->name == NULL || row->line < 1)
			abort();
		for (size_t s = 0; s < 2; s++)
			if (row->segments[s][0] == '\0' ||
			    strcmp(row->segments[s], "*") == 0)
				abort();
		if (i > 0 && row->line <= r->rows[i - 1].line)
			abort();
		/* Quadratic, so only for the small rosters fuzzing makes. */
		for (size_t j = 0; j < i && r->nrows <= 500; j++)
			if (strcmp(r->rows[j].employee_id, row->employee_id) == 0)
				abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct roster *r = NULL;
	struct koe_diags d = {0};
	enum koe_err err;

	err = roster_parse((const char *)data, size, SEGS, 2, &r, &d);
	if ((err == KOE_OK) != (r != NULL))
		abort();
	if (err == KOE_OK) {
		if (d.n != 0)
			abort();
		check_roster(r);
	} else if (d.n == 0 && !d.oom) {
		abort();
	}
	for (size_t i = 0; i < d.n; i++)
		if (d.v[i].line < 0 || d.v[i].col < 0 || !valid_utf8(d.v[i].message) ||
		    (d.v[i].hint != NULL && !valid_utf8(d.v[i].hint)))
			abort();
	roster_free(r);
	koe_diags_free(&d);
	return 0;
}
