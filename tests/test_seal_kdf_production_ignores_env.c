/* Attack 7 of the anonymity issue: an environment variable lowered the
 * Argon2id memory of the report key in every build, so anyone who could set
 * the environment of `koe holder` or `koe open` made every passphrase cheap
 * to guess. Only a test build (KOE_TEST_HOOKS) may do that. This program is
 * built from seal.c and testhooks.c without KOE_TEST_HOOKS, as production
 * is (see CMakeLists.txt), and checks that the variable changes nothing. */
#include <stdlib.h>

#include <sodium.h>

#include "harness.h"
#include "koe/seal.h"
#include "koe/testhooks.h"

static void
kdf_memory_is_not_lowered_by_the_environment(void)
{
	struct seal_kdf k;
	CHECK(!testhooks_enabled());
	setenv("KOE_KDF_MEMLIMIT", "8388608", 1);
	seal_kdf_new(&k);
	CHECK_INT((long long)k.mem, 128LL * 1024 * 1024);
	CHECK_INT((long long)k.ops, 3);
}

int
main(void)
{
	if (sodium_init() < 0)
		return 2;
	RUN(kdf_memory_is_not_lowered_by_the_environment);
	return harness_done();
}
