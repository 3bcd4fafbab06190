/* The CSV cell writer; see csv.h. */
#include <string.h>

#include "koe/csv.h"

bool
csv_cell_is_formula(const char *s)
{
	return s[0] != '\0' && strchr("=+-@\t\r", s[0]) != NULL;
}

void
csv_cell(FILE *f, const char *s)
{
	bool neutralize = csv_cell_is_formula(s);

	if (strpbrk(s, ",\"\r\n") == NULL) {
		if (neutralize)
			fputc('\'', f);
		fputs(s, f);
		return;
	}
	fputc('"', f);
	if (neutralize)
		fputc('\'', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

void
csv_row(FILE *f, const char *const *cells, size_t n, const char *eol)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			fputc(',', f);
		csv_cell(f, cells[i]);
	}
	fputs(eol, f);
}
