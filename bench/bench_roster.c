/* Generates a 100,000-row roster (Japanese names and departments, CRLF,
 * some quoted values) and measures roster_parse() on it: as UTF-8, as
 * UTF-8 with BOM, and as CP932 (through iconv). Prints the best of several
 * runs. Usage: bench_roster [ROWS] */
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "koe/roster.h"

#define RUNS 7

static const char *const SEGS[] = {"department", "tenure"};

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *
generate(size_t rows, size_t *len)
{
	static const char *const depts[] = {"営業部", "開発部", "人事部", "総務部",
	                                    "経理部", "\"企画部, 東京\""};
	static const char *const family[] = {"山田", "佐藤", "鈴木", "高橋", "田中"};
	char *csv = malloc(rows * 96 + 128);
	size_t o = 0;

	if (csv == NULL)
		return NULL;
	o += (size_t)sprintf(csv + o, "employee_id,email,name,department,tenure,memo\r\n");
	for (size_t k = 0; k < rows; k++)
		o += (size_t)sprintf(csv + o, "E%07zu,user%zu@example.jp,%s 太郎%zu,%s,%zu-%zuy,\r\n",
		                     k, k, family[k % 5], k, depts[k % 6], k % 10,
		                     k % 10 + 2);
	*len = o;
	return csv;
}

/* Converts to CP932 for the Shift_JIS run; returns NULL on failure. */
static char *
to_cp932(const char *in, size_t len, size_t *outlen)
{
	iconv_t cd = iconv_open("CP932", "UTF-8");
	char *out = malloc(len + 1), *ip = (char *)in, *op = out;
	size_t ileft = len, oleft = len;

	if (cd == (iconv_t)-1 || out == NULL ||
	    iconv(cd, &ip, &ileft, &op, &oleft) == (size_t)-1) {
		free(out);
		out = NULL;
	}
	if (cd != (iconv_t)-1)
		iconv_close(cd);
	*outlen = out ? (size_t)(op - out) : 0;
	return out;
}

static int
run(const char *label, const char *csv, size_t len, size_t rows)
{
	double best = 1e9;

	for (int i = 0; i < RUNS; i++) {
		struct roster *r = NULL;
		struct koe_diags d = {0};
		double t0 = now(), t;
		enum koe_err err = roster_parse(csv, len, SEGS, 2, &r, &d);

		t = now() - t0;
		if (err != KOE_OK || r->nrows != rows) {
			koe_diags_print(&d, label, stderr);
			fprintf(stderr, "%s: parse failed: %s\n", label, koe_strerror(err));
			return 1;
		}
		roster_free(r);
		koe_diags_free(&d);
		if (t < best)
			best = t;
	}
	printf("%-10s %zu rows, %.1f MB: %.1f ms (best of %d), %.0f rows/s\n", label,
	       rows, (double)len / 1e6, best * 1e3, RUNS, (double)rows / best);
	return 0;
}

int
main(int argc, char **argv)
{
	size_t rows = argc > 1 ? (size_t)strtoul(argv[1], NULL, 10) : 100000;
	size_t len, blen, slen;
	char *csv = generate(rows, &len), *bom, *sjis;
	int status = 0;

	if (csv == NULL)
		return 1;
	bom = malloc(len + 3);
	if (bom == NULL)
		return 1;
	memcpy(bom, "\xEF\xBB\xBF", 3);
	memcpy(bom + 3, csv, len);
	blen = len + 3;
	sjis = to_cp932(csv, len, &slen);

	status |= run("utf-8", csv, len, rows);
	status |= run("utf-8+bom", bom, blen, rows);
	if (sjis != NULL)
		status |= run("cp932", sjis, slen, rows);
	free(csv);
	free(bom);
	free(sjis);
	return status;
}
