#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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
