/* Test-only hooks; see include/koe/testhooks.h. Empty in a production build. */
#include "koe/testhooks.h"

#ifdef KOE_TEST_HOOKS
#include <stdlib.h>

#define TESTHOOK_MIN_MEM (8ULL * 1024 * 1024)

long testhook_arena_faults;
long testhook_roster_faults;

uint64_t
testhook_kdf_mem(uint64_t dflt)
{
	const char *env = getenv("KOE_KDF_MEMLIMIT");
	if (env && *env) {
		unsigned long long v = strtoull(env, NULL, 10);
		if (v >= TESTHOOK_MIN_MEM && v < dflt)
			return v;
	}
	return dflt;
}
#else
typedef int testhooks_empty_unit; /* ISO C wants at least one declaration */
#endif
