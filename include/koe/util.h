/* koe — small helpers shared by the commands and the report. */
#ifndef KOE_UTIL_H
#define KOE_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "koe/err.h"

/* Reads a whole regular file of at most max bytes into a NUL-terminated
 * buffer. On success the caller frees *out with free(). Returns KOE_EIO with
 * errno set when the file cannot be read, KOE_ETOOBIG when it is larger than
 * max, KOE_ENOMEM. */
enum koe_err util_read_file(const char *path, size_t max, char **out, size_t *len);

/* Writes a key fingerprint (hex) in groups of four characters, as the
 * employee's page shows it: a space between groups, and break (a string
 * such as "\n  ") after every per_line groups when per_line > 0. out must
 * hold the result; with a 64-character fingerprint, 80 + 15 * strlen(brk)
 * bytes are enough. */
void util_fingerprint_groups(const char *hex, int per_line, const char *brk, char *out,
                             size_t outsz);

/* Atomic file writing, the one way koe replaces or creates an output file
 * (reports, the links file, the demo's files): the bytes go to a temporary
 * file beside the destination, created with mode 0600 (answers, links and
 * keys are private from the first byte), are flushed to disk, and the file
 * is renamed into place only when everything succeeded; on failure the
 * temporary file is removed, so the destination is whole or untouched.
 *
 *   util_atomic_open   creates the temporary file: path + suffix; a suffix
 *                      ending in "XXXXXX" is made unique (mkstemp), any
 *                      other is created exclusively (an existing one fails)
 *   f                  the stream to write to while open
 *   util_atomic_sync   flushes, fsyncs and closes; the temporary file stays
 *   util_atomic_commit renames it onto path (syncs first if still open)
 *   util_atomic_commit_new  the same for a file that is never replaced:
 *                      links it to path, failing with EEXIST if path
 *                      exists, then removes the temporary name
 *   util_atomic_abort  removes the temporary file if it exists; safe to
 *                      call in any state, also after commit (then a no-op)
 *
 * Every function returns KOE_OK or KOE_EIO with errno set. */
struct util_atomic {
	const char *path; /* borrowed */
	char tmp[4200];
	FILE *f;
	bool live; /* the temporary file exists */
};

enum koe_err util_atomic_open(struct util_atomic *a, const char *path, const char *suffix);
enum koe_err util_atomic_sync(struct util_atomic *a);
enum koe_err util_atomic_commit(struct util_atomic *a);
enum koe_err util_atomic_commit_new(struct util_atomic *a);
void util_atomic_abort(struct util_atomic *a);

/* All of the above for one buffer: writes path atomically with mode 0600
 * (temporary name path.tmp-XXXXXX). */
enum koe_err util_write_file_atomic(const char *path, const void *buf, size_t len);

/* The report date: $SOURCE_DATE_EPOCH when set (the reproducible-builds
 * convention; same data, same date, byte-identical report), else now.
 * False for a malformed value or one past the year 9999. */
bool util_report_epoch(int64_t *out);

/* Room for one more element in *arr (n used of *cap elements of size
 * bytes), doubling from first. 0, or -1 when out of memory (*arr and *cap
 * unchanged). */
int util_grow(void **arr, size_t *cap, size_t n, size_t size, size_t first);

#endif
