/* koe — small helpers shared by the commands and the report. */
#ifndef KOE_UTIL_H
#define KOE_UTIL_H

#include <stddef.h>

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

#endif
