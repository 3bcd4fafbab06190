/* koe — k-anonymous segments at collection time (docs/ARCHITECTURE.md §4.2).
 *
 * Every segment code stored with a response must be shared by at least k
 * invitees, so a response's segment can never single anyone out. Before any
 * link exists, seg_build() generalizes the roster's segment values: while
 * some combination has fewer than k invitees, the least important dimension
 * (the last one still specific) of those invitees becomes "*", and the
 * grouping is repeated. If a fully generalized group ("*" everywhere) is
 * still smaller than k, the smallest remaining groups are folded into it
 * until it reaches k. A roster with fewer than k people cannot be opened.
 *
 * Pure: arrays in, struct out. */
#ifndef KOE_SEG_H
#define KOE_SEG_H

#include <stddef.h>

#include "koe/err.h"

#define SEG_WILDCARD "*"

struct seg_group {
	char *code;          /* "g01", "g02", ...: stable short code, ASCII */
	char *label;         /* values joined with " / ", "*" where generalized;
	                        "全体" style labels are the page's business */
	char **values;       /* [ndims] values or "*" */
	size_t count;        /* invitees in the group, >= k */
	size_t generalized;  /* number of dimensions replaced by "*" */
};

struct seg_table {
	size_t ndims;
	size_t ngroups;
	struct seg_group *groups; /* sorted by label, most specific first */
	size_t *row_group;        /* [nrows] index into groups */
	size_t nrows;
};

/* Builds the segment table. values[r * ndims + d] is row r's value of
 * dimension d (borrowed for the call; never "*"). ndims may be 0: everyone is
 * then in one group labelled "*". Returns KOE_OK and sets *out (free with
 * seg_table_free()), KOE_EINVAL when nrows < k (nobody could be protected),
 * or KOE_ENOMEM. */
enum koe_err seg_build(const char *const *values, size_t nrows, size_t ndims,
                       size_t k, struct seg_table **out);

/* Frees a table. Accepts NULL. */
void seg_table_free(struct seg_table *t);

#endif
