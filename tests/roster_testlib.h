/* Helpers shared by the tests/test_roster_*.c files: parse a fixture from
 * tests/data/roster/ and check diagnostics one by one. */
#ifndef KOE_ROSTER_TESTLIB_H
#define KOE_ROSTER_TESTLIB_H

#include <stdlib.h>

#include "harness.h"
#include "koe/roster.h"

/* The segment columns most fixtures use. */
static const char *const ROSTER_SEGS[] = {"department", "tenure"};

/* Parses tests/data/roster/NAME with the given segment columns. The caller
 * frees *out with roster_free() and *d with koe_diags_free(); *d must be
 * zeroed before the call. */
static inline enum koe_err
parse_fixture(const char *name, const char *const *segs, size_t nsegs,
              struct roster **out, struct koe_diags *d)
{
	char rel[256];
	size_t len;
	char *bytes;
	enum koe_err err;

	snprintf(rel, sizeof(rel), "roster/%s", name);
	bytes = slurp(data_path(rel), &len);
	err = roster_parse(bytes, len, segs, nsegs, out, d);
	free(bytes);
	return err;
}

/* Checks diagnostic number I of D: line, column, message and hint (NULL for
 * none). */
#define CHECK_DIAG(d, i, l, c, msg, hnt)                                       \
	do {                                                                   \
		CHECK((d)->n > (size_t)(i));                                   \
		if ((d)->n > (size_t)(i)) {                                    \
			CHECK_INT((d)->v[i].line, l);                          \
			CHECK_INT((d)->v[i].col, c);                           \
			CHECK_STR((d)->v[i].message, msg);                     \
			CHECK_STR((d)->v[i].hint, hnt);                        \
		}                                                              \
	} while (0)

#endif
