/* A key file that its group or others may read (or write, or execute) is
 * refused with KOE_EPERM and a message that says how to fix it; loading never
 * "repairs" or replaces such a file. Owner-only files load. */
#include "tok_testlib.h"

static void
test_modes(void)
{
	static const struct {
		mode_t mode;
		enum koe_err want;
	} cases[] = {
		{ 0600, KOE_OK }, { 0400, KOE_OK }, { 0700, KOE_OK },
		{ 0644, KOE_EPERM }, { 0604, KOE_EPERM }, { 0640, KOE_EPERM },
		{ 0620, KOE_EPERM }, { 0602, KOE_EPERM }, { 0610, KOE_EPERM },
		{ 0666, KOE_EPERM },
	};
	char dir[64];
	struct koe_msg msg;
	uint8_t seed[32], got[32];

	tmpdir_make(dir);
	memset(seed, 0x5A, sizeof(seed));
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *path = write_key_file(dir, "seed.key", seed, 32, cases[i].mode);

		memset(got, 0xAA, sizeof(got));
		msg.text[0] = '\0';
		CHECK_INT(tok_seed_load(path, got, &msg), cases[i].want);
		if (cases[i].want == KOE_OK) {
			CHECK_MEM(got, seed, 32);
		} else {
			CHECK(all_zero(got, 32));
			CHECK(strstr(msg.text, "chmod 600") != NULL);
			CHECK(strstr(msg.text, path) != NULL);
		}
	}
	tmpdir_remove(dir);
}

static void
test_world_readable_is_not_replaced(void)
{
	char dir[64];
	struct koe_msg msg;
	uint8_t seed[32], got[32], sk[32];
	int created = -1;
	const char *path;
	struct stat st;

	tmpdir_make(dir);
	memset(seed, 0x5A, sizeof(seed));
	path = write_key_file(dir, "seed.key", seed, 32, 0644);
	CHECK_INT(tok_seed_load_or_create(path, got, &created, &msg), KOE_EPERM);
	CHECK_INT(created, 0);
	CHECK_INT(stat(path, &st), 0);
	CHECK_INT(st.st_mode & 0777, 0644);
	CHECK_INT(st.st_size, 32);

	/* The secret-key loader applies the same rule. */
	hex_fixture("145c79c108538421ac164ecbe131942136d5570b16d8bf41a24d4337da981e07", sk, 32);
	path = write_key_file(dir, "sk.key", sk, 32, 0604);
	CHECK_INT(tok_secret_key_load(path, got, &msg), KOE_EPERM);
	tmpdir_remove(dir);
}

int
main(void)
{
	RUN(test_modes);
	RUN(test_world_readable_is_not_replaced);
	return harness_done();
}
