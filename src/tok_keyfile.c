/* koe — key files: the 32-byte master seed (docs/ARCHITECTURE.md §3) and pinned secret
 * scalars. A key file is private to its owner: any permission bit for group
 * or others makes it unusable, the way ssh treats private keys, because a
 * readable seed lets its reader answer every survey and a writable one lets
 * its writer substitute keys. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "koe/tok.h"

#define KEY_FILE_BYTES 32

static void say(struct koe_msg *msg, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
say(struct koe_msg *msg, const char *fmt, ...)
{
	va_list ap;

	if (msg == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(msg->text, sizeof(msg->text), fmt, ap);
	va_end(ap);
}

/* Sets msg to the empty string, so that callers never see a stale message
 * after success. */
static void
clear_msg(struct koe_msg *msg)
{
	if (msg != NULL)
		msg->text[0] = '\0';
}

/* Opens, checks and reads a key file of exactly KEY_FILE_BYTES bytes. what
 * names the content for messages. out is wiped on failure. */
static enum koe_err
read_key_file(const char *path, uint8_t out[KEY_FILE_BYTES], const char *what,
              struct koe_msg *msg)
{
	struct stat st;
	size_t got = 0;
	int fd, saved;
	enum koe_err ret = KOE_OK;

	clear_msg(msg);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		saved = errno;
		if (saved == ENOENT) {
			ret = KOE_ENOTFOUND;
			say(msg, "key file %s does not exist", path);
		} else {
			ret = KOE_EIO;
			say(msg, "cannot open key file %s: %s", path, strerror(saved));
		}
		errno = saved;
		goto out;
	}
	/* Checks run on the opened descriptor, so the file cannot be swapped
	 * between the check and the read. */
	if (fstat(fd, &st) != 0) {
		ret = KOE_EIO;
		say(msg, "cannot stat key file %s: %s", path, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		ret = KOE_EINVAL;
		say(msg, "key file %s is not a regular file", path);
		goto out;
	}
	if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
		ret = KOE_EPERM;
		say(msg,
		    "key file %s has mode %03o: group and others must have no access "
		    "(run: chmod 600 %s)", path, (unsigned)(st.st_mode & 0777), path);
		goto out;
	}
	if (st.st_size != KEY_FILE_BYTES) {
		ret = KOE_EINVAL;
		say(msg, "key file %s is %lld bytes long; a %s is exactly %d bytes",
		    path, (long long)st.st_size, what, KEY_FILE_BYTES);
		goto out;
	}
	while (got < KEY_FILE_BYTES) {
		ssize_t r = read(fd, out + got, KEY_FILE_BYTES - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			ret = KOE_EIO;
			say(msg, "cannot read key file %s: %s", path,
			    r < 0 ? strerror(errno) : "file shrank while reading");
			goto out;
		}
		got += (size_t)r;
	}
out:
	if (fd >= 0) {
		saved = errno;
		close(fd);
		errno = saved;
	}
	if (ret != KOE_OK)
		sodium_memzero(out, KEY_FILE_BYTES);
	return ret;
}

enum koe_err
tok_seed_load(const char *path, uint8_t seed[TOK_SEED_BYTES], struct koe_msg *msg)
{
	return read_key_file(path, seed, "koe master seed", msg);
}

/* Makes a new directory entry durable; best effort, since some file systems
 * refuse fsync on directories and the key itself is already synced. */
static void
sync_parent(const char *path)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');
	size_t n;
	int fd;

	if (slash == NULL) {
		strcpy(dir, ".");
	} else {
		n = slash == path ? 1 : (size_t)(slash - path);
		if (n >= sizeof(dir))
			return;
		memcpy(dir, path, n);
		dir[n] = '\0';
	}
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return;
	(void)fsync(fd);
	close(fd);
}

static int
write_all(int fd, const uint8_t *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

enum koe_err
tok_seed_load_or_create(const char *path, uint8_t seed[TOK_SEED_BYTES],
                        int *created, struct koe_msg *msg)
{
	char tmp[PATH_MAX];
	int fd = -1, have_tmp = 0, saved;
	enum koe_err ret;

	if (created != NULL)
		*created = 0;
	ret = tok_seed_load(path, seed, msg);
	if (ret != KOE_ENOTFOUND)
		goto out;
	if ((ret = tok_init()) != KOE_OK) {
		say(msg, "cannot initialize libsodium");
		goto out;
	}
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp-XXXXXX", path) >= sizeof(tmp)) {
		ret = KOE_EINVAL;
		say(msg, "key file path %s is too long", path);
		goto out;
	}
	/* mkstemp creates the file with mode 0600 before any byte is in it. */
	fd = mkstemp(tmp);
	if (fd < 0) {
		ret = KOE_EIO;
		say(msg, "cannot create a key file next to %s: %s", path,
		    strerror(errno));
		goto out;
	}
	have_tmp = 1;
	randombytes_buf(seed, TOK_SEED_BYTES);
	if (fchmod(fd, S_IRUSR | S_IWUSR) != 0 ||
	    write_all(fd, seed, TOK_SEED_BYTES) != 0 || fsync(fd) != 0) {
		ret = KOE_EIO;
		say(msg, "cannot write key file %s: %s", tmp, strerror(errno));
		goto out;
	}
	saved = close(fd);
	fd = -1;
	if (saved != 0) {
		ret = KOE_EIO;
		say(msg, "cannot write key file %s: %s", tmp, strerror(errno));
		goto out;
	}
	/* link() fails instead of replacing an existing file, so when two
	 * processes race, both end up with the seed of the one that won. */
	if (link(tmp, path) != 0) {
		if (errno != EEXIST) {
			ret = KOE_EIO;
			say(msg, "cannot create key file %s: %s", path,
			    strerror(errno));
			goto out;
		}
		ret = tok_seed_load(path, seed, msg);
		goto out;
	}
	sync_parent(path);
	clear_msg(msg);
	if (created != NULL)
		*created = 1;
out:
	if (fd >= 0)
		close(fd);
	if (have_tmp) {
		saved = errno;
		unlink(tmp);
		errno = saved;
	}
	if (ret != KOE_OK)
		sodium_memzero(seed, TOK_SEED_BYTES);
	return ret;
}

enum koe_err
tok_secret_key_load(const char *path, uint8_t sk[TOK_SCALAR_BYTES], struct koe_msg *msg)
{
	enum koe_err ret;

	ret = read_key_file(path, sk, "secret key", msg);
	if (ret != KOE_OK)
		goto out;
	if (tok_scalar_check(sk) != KOE_OK || sodium_is_zero(sk, TOK_SCALAR_BYTES)) {
		ret = KOE_EINVAL;
		say(msg,
		    "key file %s does not hold a valid secret key: the scalar is %s",
		    path, sodium_is_zero(sk, TOK_SCALAR_BYTES) ? "zero"
		                                               : "not reduced modulo the group order");
		goto out;
	}
out:
	if (ret != KOE_OK)
		sodium_memzero(sk, TOK_SCALAR_BYTES);
	return ret;
}
