/* A missing master seed file is created with mode 0600 (whatever the umask),
 * holding 32 random bytes, without leaving temporary files; later calls read
 * the same seed back and report that they created nothing. */
#include "tok_testlib.h"

static void
test_create_then_reload(void)
{
	char dir[64], path[128];
	struct koe_msg msg;
	uint8_t a[32], b[32];
	int created = -1, entries = 0;
	struct stat st;
	mode_t old = umask(0);
	DIR *d;
	struct dirent *de;

	tmpdir_make(dir);
	snprintf(path, sizeof(path), "%s/master.key", dir);
	CHECK_INT(tok_seed_load(path, a, &msg), KOE_ENOTFOUND);
	CHECK(strstr(msg.text, "does not exist") != NULL);

	CHECK_INT(tok_seed_load_or_create(path, a, &created, &msg), KOE_OK);
	CHECK_INT(created, 1);
	CHECK(!all_zero(a, 32));
	CHECK_INT(stat(path, &st), 0);
	CHECK(S_ISREG(st.st_mode));
	CHECK_INT(st.st_mode & 0777, 0600);
	CHECK_INT(st.st_size, 32);

	CHECK_INT(tok_seed_load_or_create(path, b, &created, &msg), KOE_OK);
	CHECK_INT(created, 0);
	CHECK_MEM(a, b, 32);
	CHECK_INT(tok_seed_load(path, b, NULL), KOE_OK);
	CHECK_MEM(a, b, 32);

	d = opendir(dir);
	while (d != NULL && (de = readdir(d)) != NULL)
		if (de->d_name[0] != '.')
			entries++;
	if (d != NULL)
		closedir(d);
	CHECK_INT(entries, 1);
	umask(old);
	tmpdir_remove(dir);
}

static void
test_missing_directory(void)
{
	char dir[64], path[160];
	struct koe_msg msg;
	uint8_t seed[32];
	int created = -1;

	tmpdir_make(dir);
	snprintf(path, sizeof(path), "%s/no/such/dir/master.key", dir);
	CHECK_INT(tok_seed_load_or_create(path, seed, &created, &msg), KOE_EIO);
	CHECK_INT(created, 0);
	CHECK(all_zero(seed, 32));
	CHECK(strstr(msg.text, "master.key") != NULL);
	tmpdir_remove(dir);
}

int
main(void)
{
	RUN(test_create_then_reload);
	RUN(test_missing_directory);
	return harness_done();
}
