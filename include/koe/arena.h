/* koe — a bump allocator for structures that live and die together (a parsed
 * survey, a roster). Freeing the arena frees every string taken from it, so
 * parsers need no per-field cleanup on their error paths. */
#ifndef KOE_ARENA_H
#define KOE_ARENA_H

#include <stddef.h>

struct arena_chunk;

struct arena {
	struct arena_chunk *head;
	size_t used;  /* bytes handed out, for limits */
	size_t limit; /* 0 = none; allocation past it fails */
};

/* Returns size bytes aligned for any type, or NULL when out of memory or past
 * the arena's limit. Borrowed until arena_free(). */
void *arena_alloc(struct arena *a, size_t size);

/* Copies len bytes of s and appends a NUL. Borrowed until arena_free(). */
char *arena_strndup(struct arena *a, const char *s, size_t len);
char *arena_strdup(struct arena *a, const char *s);

/* Frees every chunk; the arena can be reused afterwards. Accepts NULL. */
void arena_free(struct arena *a);

#endif
