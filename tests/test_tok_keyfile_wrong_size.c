/* A key file that is not exactly 32 bytes (truncated, padded, empty) or not a
 * regular file is refused with KOE_EINVAL and a message naming the size, and
 * load_or_create never overwrites it. */
#include "tok_testlib.h"

static void
test_sizes(void)
{
	static const size_t sizes[] = { 0, 1, 31, 33, 64 };
	char dir[64];
	struct koe_msg msg;
	char want[32];
	uint8_t bytes[64], seed[32];
	int created = -1;
	struct stat st;

	tmpdir_make(dir);
	memset(bytes, 0x11, sizeof(bytes));
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		const char *path = write_key_file(dir, "seed.key", bytes, sizes[i], 0600);

		memset(seed, 0xAA, sizeof(seed));
		CHECK_INT(tok_seed_load(path, seed, &msg), KOE_EINVAL);
		CHECK(all_zero(seed, 32));
		snprintf(want, sizeof(want), "is %zu bytes long", sizes[i]);
		CHECK(strstr(msg.text, want) != NULL);
		CHECK(strstr(msg.text, "exactly 32 bytes") != NULL);
		CHECK_INT(tok_seed_load_or_create(path, seed, &created, &msg),
		          KOE_EINVAL);
		CHECK_INT(created, 0);
		CHECK_INT(stat(path, &st), 0);
		CHECK_INT(st.st_size, sizes[i]);
	}
	tmpdir_remove(dir);
}

static void
test_directory_is_not_a_key(void)
{
	char dir[64];
	struct koe_msg msg;
	uint8_t seed[32];

	tmpdir_make(dir);
	CHECK_INT(tok_seed_load(dir, seed, &msg), KOE_EINVAL);
	CHECK(strstr(msg.text, "not a regular file") != NULL);
	tmpdir_remove(dir);
}

int
main(void)
{
	RUN(test_sizes);
	RUN(test_directory_is_not_a_key);
	return harness_done();
}
