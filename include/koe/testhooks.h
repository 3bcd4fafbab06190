/* koe — hooks that weaken a production property, for tests only.
 *
 * Compiled in only when the build sets KOE_TEST_HOOKS (cmake
 * -DKOE_TEST_HOOKS=ON, which `./build.sh test` does). A production build has
 * none of them: the functions below are then constants and the environment
 * variables they read are ignored. */
#ifndef KOE_TESTHOOKS_H
#define KOE_TESTHOOKS_H

#include <stdbool.h>
#include <stdint.h>

#ifdef KOE_TEST_HOOKS
/* Allocation-failure injection, in the manner of SQLite: when a countdown
 * is positive, the allocation that brings it to zero fails as if memory ran
 * out. Only single-threaded tests set them. arena: every arena_alloc();
 * roster: the roster parser's own allocations. */
extern long testhook_arena_faults;
extern long testhook_roster_faults;
static inline bool
testhook_fail(long *countdown)
{
	return *countdown > 0 && --*countdown == 0;
}
#define TESTHOOK_FAIL(name) testhook_fail(&testhook_##name##_faults)

/* Argon2id memory in bytes: KOE_KDF_MEMLIMIT (at least 8 MiB, below dflt)
 * when set, else dflt. Lets the test suite run hundreds of key derivations. */
uint64_t testhook_kdf_mem(uint64_t dflt);
static inline bool testhooks_enabled(void) { return true; }
#else
#define TESTHOOK_FAIL(name) false
static inline uint64_t testhook_kdf_mem(uint64_t dflt) { return dflt; }
static inline bool testhooks_enabled(void) { return false; }
#endif

#endif
