/* koe — small file helpers shared by the commands. */
#ifndef KOE_UTIL_H
#define KOE_UTIL_H

#include <stddef.h>

#include "koe/err.h"

/* Reads a whole regular file of at most max bytes into a NUL-terminated
 * buffer. On success the caller frees *out with free(). Returns KOE_EIO with
 * errno set when the file cannot be read, KOE_ETOOBIG when it is larger than
 * max, KOE_ENOMEM. */
enum koe_err util_read_file(const char *path, size_t max, char **out, size_t *len);

#endif
