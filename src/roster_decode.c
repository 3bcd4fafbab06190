/* Roster decoding: the bytes of a CSV file to UTF-8 text, as Excel writes
 * it in Japan (UTF-8 with or without BOM, or Shift_JIS read as CP932 through
 * iconv). Every problem is one diagnostic pointing where the likelier
 * encoding breaks. docs/ARCHITECTURE.md §6; interface in roster_internal.h. */
#include <errno.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "koe/utf8.h"
#include "roster_internal.h"

static void report(struct koe_diags *d, int line, int col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Formats first, as the CSV stage's messages are, then adds with the
 * hint every decoding problem shares. */
static void
report(struct koe_diags *d, int line, int col, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	koe_diags_add(d, line, col, roster_hint_save_as, "%s", buf);
}

static enum koe_err
out_of_memory(struct koe_diags *d)
{
	koe_diags_add(d, 0, 0, NULL, "%s", "out of memory while reading the roster");
	return KOE_ENOMEM;
}

/* Line and character column of offset off in UTF-8 text s, counting CRLF,
 * LF and a lone CR as one line break each, as the CSV scanner does. */
static void
text_where(const char *s, size_t off, int *line, int *col)
{
	int l = 1;
	size_t ls = 0;

	for (size_t i = 0; i < off; i++)
		if (s[i] == '\n' || (s[i] == '\r' && (i + 1 >= off || s[i + 1] != '\n'))) {
			l++;
			ls = i + 1;
		}
	*line = l;
	*col = utf8_col(s + ls, off - ls);
}

/* Converts CP932 to UTF-8. On success stores a malloc'ed text in *out and
 * returns KOE_OK. When the bytes are not CP932 either, returns KOE_EENCODING
 * with *bad set to the offending input offset and *line, *col to its
 * position (0 when iconv cannot convert CP932 at all); KOE_ENOMEM after
 * reporting it. */
static enum koe_err
from_cp932(const char *in, size_t len, char **out, size_t *outlen, size_t *bad, int *line,
           int *col, struct koe_diags *d)
{
	iconv_t cd = iconv_open("UTF-8", "CP932");
	char *buf = NULL, *ip = (char *)in, *op;
	size_t cap, ileft = len, oleft;
	enum koe_err err = KOE_EENCODING;

	*out = NULL;
	if (cd == (iconv_t)-1) {
		*bad = 0;
		*line = 0;
		*col = 0;
		goto done;
	}
	/* Two CP932 bytes become at most three UTF-8 bytes; only half-width
	 * katakana grow from one to three, so 1.5x rarely needs to grow. */
	cap = len + len / 2 + 16;
	buf = roster_malloc(cap);
	if (buf == NULL) {
		err = out_of_memory(d);
		goto done;
	}
	op = buf;
	oleft = cap - 1;
	for (;;) {
		size_t used;
		char *nb;

		if (iconv(cd, &ip, &ileft, &op, &oleft) != (size_t)-1 &&
		    iconv(cd, NULL, NULL, &op, &oleft) != (size_t)-1)
			break;
		if (errno != E2BIG) {
			*bad = (size_t)(ip - in);
			text_where(buf, (size_t)(op - buf), line, col);
			goto done;
		}
		used = (size_t)(op - buf);
		cap *= 2;
		nb = roster_realloc(buf, cap);
		if (nb == NULL) {
			err = out_of_memory(d);
			goto done;
		}
		buf = nb;
		op = buf + used;
		oleft = cap - used - 1;
	}
	*op = '\0';
	*outlen = (size_t)(op - buf);
	*out = buf;
	buf = NULL;
	err = KOE_OK;
done:
	free(buf);
	if (cd != (iconv_t)-1)
		iconv_close(cd);
	return err;
}

/* Text that is not UTF-8 (bad is the first offending offset) and has no
 * BOM: tries CP932, else reports where the likelier encoding breaks. */
static enum koe_err
decode_non_utf8(const char *body, size_t blen, size_t bad, const char **text, size_t *tlen,
                char **owned, struct koe_diags *d)
{
	size_t sbad = 0;
	int sline, scol, line, col, ascii = 1;
	enum koe_err err = from_cp932(body, blen, owned, tlen, &sbad, &sline, &scol, d);

	if (err == KOE_OK) {
		*text = *owned;
		return KOE_OK;
	}
	if (err == KOE_ENOMEM)
		return err;
	/* Point where the likelier encoding breaks: a prefix with UTF-8
	 * multibyte characters says the file was meant as UTF-8, a plain ASCII
	 * prefix says nothing, so the Shift_JIS error is the better guess
	 * there. */
	for (size_t k = 0; k < bad && ascii; k++)
		ascii = (unsigned char)body[k] < 0x80;
	if (ascii && sline > 0) {
		line = sline;
		col = scol;
	} else {
		sbad = bad;
		text_where(body, bad, &line, &col);
	}
	report(d, line, col,
	       "the file is neither UTF-8 nor Shift_JIS text (unexpected byte 0x%02X)",
	       (unsigned char)body[sbad]);
	return KOE_EENCODING;
}

enum koe_err
roster_decode(const char *bytes, size_t len, const char **text, size_t *tlen, char **owned,
              struct koe_diags *d)
{
	const unsigned char *u = (const unsigned char *)bytes;
	int bom = len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF;
	const char *body = bytes + (bom ? 3 : 0);
	size_t blen = len - (bom ? 3 : 0);
	size_t bad = utf8_valid_prefix(body, blen);
	const char *nul;
	int line, col;

	*owned = NULL;
	if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) {
		report(d, 0, 0, "the file is UTF-16 (\"Unicode Text\"), which is neither "
		                "UTF-8 nor Shift_JIS");
		return KOE_EENCODING;
	}
	if (bad == blen) {
		*text = body;
		*tlen = blen;
	} else if (bom) {
		text_where(body, bad, &line, &col);
		report(d, line, col, "the file is marked as UTF-8 but byte 0x%02X here is not UTF-8",
		       (unsigned char)body[bad]);
		return KOE_EENCODING;
	} else {
		enum koe_err err = decode_non_utf8(body, blen, bad, text, tlen, owned, d);
		if (err != KOE_OK)
			return err;
	}
	nul = memchr(*text, '\0', *tlen);
	if (nul != NULL) {
		text_where(*text, (size_t)(nul - *text), &line, &col);
		report(d, line, col, "the file contains a zero byte, so it is not a CSV text file");
		return KOE_EENCODING;
	}
	return KOE_OK;
}
