#include <errno.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include "koe/util.h"

enum koe_err
util_read_file(const char *path, size_t max, char **out, size_t *len)
{
	enum koe_err err = KOE_EIO;
	struct stat st;
	char *buf = NULL;
	size_t n = 0, cap;
	FILE *f;

	*out = NULL;
	*len = 0;
	f = fopen(path, "rb");
	if (f == NULL)
		return KOE_EIO;
	if (fstat(fileno(f), &st) != 0)
		goto done;
	if (S_ISDIR(st.st_mode)) {
		errno = EISDIR;
		goto done;
	}
	/* st_size is only a hint (pipes report 0); the loop enforces max. */
	cap = S_ISREG(st.st_mode) && (size_t)st.st_size <= max ? (size_t)st.st_size + 1 : 4096;
	buf = malloc(cap);
	if (buf == NULL) {
		err = KOE_ENOMEM;
		goto done;
	}
	for (;;) {
		size_t got;
		if (n + 1 >= cap) {
			size_t ncap = cap * 2;
			char *nb;
			if (cap > max + 1) {
				err = KOE_ETOOBIG;
				goto done;
			}
			nb = realloc(buf, ncap);
			if (nb == NULL) {
				err = KOE_ENOMEM;
				goto done;
			}
			buf = nb;
			cap = ncap;
		}
		got = fread(buf + n, 1, cap - 1 - n, f);
		n += got;
		if (n > max) {
			err = KOE_ETOOBIG;
			goto done;
		}
		if (got == 0) {
			if (ferror(f))
				goto done;
			break;
		}
	}
	buf[n] = '\0';
	*out = buf;
	*len = n;
	buf = NULL;
	err = KOE_OK;
done:
	free(buf);
	fclose(f);
	return err;
}

void
util_fingerprint_groups(const char *hex, int per_line, const char *brk, char *out, size_t outsz)
{
	size_t o = 0, n = strlen(hex);
	int g = 0;
	if (outsz == 0)
		return;
	for (size_t i = 0; i < n && o + 1 < outsz; i += 4, g++) {
		const char *sep = g == 0 ? "" : per_line > 0 && g % per_line == 0 ? brk : " ";
		int w = snprintf(out + o, outsz - o, "%s%.4s", sep, hex + i);
		if (w < 0 || (size_t)w >= outsz - o) {
			out[o] = '\0';
			return;
		}
		o += (size_t)w;
	}
	out[o] = '\0';
}

/* See include/koe/util.h: temp file beside the destination, 0600, fsync,
 * rename; removed on failure. */
enum koe_err
util_atomic_open(struct util_atomic *a, const char *path, const char *suffix)
{
	size_t sl = strlen(suffix);
	int fd;

	memset(a, 0, sizeof(*a));
	a->path = path;
	if ((size_t)snprintf(a->tmp, sizeof(a->tmp), "%s%s", path, suffix) >= sizeof(a->tmp)) {
		errno = ENAMETOOLONG;
		return KOE_EIO;
	}
	if (sl >= 6 && strcmp(suffix + sl - 6, "XXXXXX") == 0)
		fd = mkstemp(a->tmp); /* mode 0600 before any byte is in it */
	else
		fd = open(a->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return KOE_EIO;
	a->live = true;
	a->f = fdopen(fd, "w");
	if (a->f == NULL) {
		int e = errno;
		close(fd);
		util_atomic_abort(a);
		errno = e;
		return KOE_EIO;
	}
	return KOE_OK;
}

enum koe_err
util_atomic_sync(struct util_atomic *a)
{
	FILE *f = a->f;
	int bad;

	if (f == NULL)
		return a->live ? KOE_OK : (errno = EBADF, KOE_EIO);
	a->f = NULL;
	bad = fflush(f) != 0 || fsync(fileno(f)) != 0;
	if (bad) {
		int e = errno;
		fclose(f);
		errno = e;
		return KOE_EIO;
	}
	return fclose(f) == 0 ? KOE_OK : KOE_EIO;
}

enum koe_err
util_atomic_commit(struct util_atomic *a)
{
	if (util_atomic_sync(a) != KOE_OK || rename(a->tmp, a->path) != 0)
		return KOE_EIO;
	a->live = false;
	return KOE_OK;
}

enum koe_err
util_atomic_commit_new(struct util_atomic *a)
{
	/* link() never replaces: an existing path fails with EEXIST. */
	if (util_atomic_sync(a) != KOE_OK || link(a->tmp, a->path) != 0)
		return KOE_EIO;
	util_atomic_abort(a); /* the temporary name only */
	return KOE_OK;
}

void
util_atomic_abort(struct util_atomic *a)
{
	int e = errno; /* keep the failure's errno for the caller's message */
	if (a->f)
		fclose(a->f);
	a->f = NULL;
	if (a->live)
		unlink(a->tmp);
	a->live = false;
	errno = e;
}

enum koe_err
util_write_file_atomic(const char *path, const void *buf, size_t len)
{
	struct util_atomic a;

	if (util_atomic_open(&a, path, ".tmp-XXXXXX") != KOE_OK)
		return KOE_EIO;
	if ((len > 0 && fwrite(buf, 1, len, a.f) != len) || util_atomic_commit(&a) != KOE_OK) {
		util_atomic_abort(&a);
		return KOE_EIO;
	}
	return KOE_OK;
}

/* The report date: $SOURCE_DATE_EPOCH when set (reproducible builds
 * convention), else now. Returns false for a malformed value. */
bool
util_report_epoch(int64_t *out)
{
	const char *e = getenv("SOURCE_DATE_EPOCH");
	char *end;
	unsigned long long v;

	if (e == NULL || *e == '\0') {
		*out = (int64_t)time(NULL);
		return true;
	}
	errno = 0;
	v = strtoull(e, &end, 10);
	/* Up to the year 9999, which the PDF date format can hold. */
	if (*e < '0' || *e > '9' || *end != '\0' || errno != 0 || v > 253402300799ULL)
		return false;
	*out = (int64_t)v;
	return true;
}

int
util_grow(void **arr, size_t *cap, size_t n, size_t size, size_t first)
{
	size_t ncap;
	void *nv;
	if (n < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : first;
	if (ncap > SIZE_MAX / size || (nv = realloc(*arr, ncap * size)) == NULL)
		return -1;
	*arr = nv;
	*cap = ncap;
	return 0;
}
