/* koe — the leadership report (docs/ARCHITECTURE.md §8): the figures of §7 for one
 * survey, laid out as an A4 PDF in the survey's language, and the same
 * figures as JSON.
 *
 * report_compute() turns opened responses into a struct report: it runs the
 * statistics (stats_report_compute) and adds what the statistics module
 * does not know about: response rates, choice shares, the biggest concerns,
 * labels, and the comments in their printed order. Everything a group below
 * k would reveal is hidden there once, so the PDF and the JSON writers show
 * the same figures and cannot leak a hidden one.
 *
 * report_pdf() is the only code that calls libharu. Its output depends only
 * on the report (including opt->epoch, the date printed and stored in the PDF
 * metadata), so the same data and the same epoch give byte-identical files.
 * libharu reports errors through a handler that records them; nothing jumps
 * out of the library. */
#ifndef KOE_REPORT_H
#define KOE_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "koe/db.h"
#include "koe/err.h"
#include "koe/qn.h"
#include "koe/resp.h"

/* IPAex Gothic from Debian's fonts-ipaexfont-gothic: Japanese and Latin
 * glyphs in one TrueType font that libharu 2.3 can embed. */
#define REPORT_FONT_PATH "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf"

/* Limits that keep one report bounded. */
#define REPORT_MAX_PAGES 5000

struct report_options {
	bool interim;          /* the survey is still open: mark every page */
	int64_t epoch;         /* report date, seconds since 1970-01-01 UTC */
	const char *font_path; /* NULL: REPORT_FONT_PATH */
};

/* What a report is computed from. Everything is borrowed and must outlive
 * the report: the report keeps pointers into the survey, the record, the
 * segments and the table's comment texts. */
struct report_source {
	const struct qn_survey *survey;
	const struct db_survey *rec;
	const struct seal_holder *holders; /* the report key's holders, for the */
	size_t nholders;                    /* method page; may be 0 */
	const struct db_segment *segs; /* the survey's segments, code order */
	size_t nsegs;
	const struct resp_table *table;
};

struct report;

/* Computes every figure of the report. src and opt are borrowed (src for
 * the report's lifetime, see above). On success *out is set; the caller
 * frees it with report_free(). KOE_EINVAL when the table does not fit the
 * survey, KOE_ETOOBIG beyond the statistics' limits, KOE_ENOMEM; *out is
 * NULL then. */
enum koe_err report_compute(const struct report_source *src, const struct report_options *opt,
                            struct report **out);

/* Frees a report. Accepts NULL. */
void report_free(struct report *r);

/* Lays the report out as a PDF in memory. r is borrowed. On success *buf
 * (malloc'ed, the caller frees it) holds *len bytes. On failure writes a
 * message a person can act on into msg and returns KOE_EIO (the font cannot
 * be read), KOE_ETOOBIG (more than REPORT_MAX_PAGES pages), KOE_ENOMEM or
 * KOE_EINVAL (libharu reported an error; msg has its code). */
enum koe_err report_pdf(const struct report *r, uint8_t **buf, size_t *len, struct koe_msg *msg);

/* The questionnaire q (borrowed) as a printable A4 PDF for approval rounds
 * (`koe preview --pdf`, docs/ARCHITECTURE.md §8.7): title and settings, then
 * every question page by page with its choices, Matrix rows and scale
 * points, required marks and answer keys. opt: epoch and font_path
 * (interim is ignored). *buf as report_pdf(), same errors. */
enum koe_err report_questionnaire_pdf(const struct qn_survey *q, const struct report_options *opt,
                                      uint8_t **buf, size_t *len, struct koe_msg *msg);

/* Every figure the PDF shows, as JSON (schema "koe-report/1", documented in
 * the README under "Report JSON schema"). r is borrowed; *buf (malloc'ed,
 * NUL-terminated, the caller frees it) holds *len bytes. KOE_ENOMEM. */
enum koe_err report_json(const struct report *r, char **buf, size_t *len);

/* Number of responses the report covers, and whether the company as a whole
 * reaches k (when it does not, the report shows no figures at all). */
size_t report_responses(const struct report *r);
bool report_shown(const struct report *r);

/* Natural order of two segment values (README, "Segment order"): the first
 * number inside each compares as a number; on the same number
 * "未満"/"以下"/"under"/"less than"/"<" comes first and
 * "以上"/"超"/"or more"/"over"/"+" last; values with a number come before
 * values without; "*" (merged) is last; otherwise byte order. So 1年未満 <
 * 1-3年 < 3-5年 < 5-10年 < 10年以上. */
int report_value_cmp(const char *a, const char *b);

/* ---- Comparing with an earlier survey (koe report --compare; README,
 * "Comparing with an earlier survey"). */

struct report_prev;

/* Reads the JSON an earlier `koe report --json` wrote (text, len bytes,
 * borrowed; name names the file in messages). Refuses, with a message
 * "NAME: error: ...": anything but a final koe-report/1 report (an interim
 * report carries participation only), a report of the survey this_id
 * itself (two releases of one survey must not be subtracted), and any
 * field of the wrong type or range. On success the caller frees *out with
 * report_prev_free() or hands it to report_compare(). KOE_EINVAL,
 * KOE_ENOMEM. */
enum koe_err report_prev_read(const char *text, size_t len, const char *name,
                              const char *this_id, struct report_prev **out,
                              struct koe_msg *msg);
void report_prev_free(struct report_prev *p);

/* Matches r's figures with prev's and computes every change; from then on
 * report_pdf() and report_json() show them. Takes ownership of prev (freed
 * even on failure). KOE_ENOMEM, KOE_EINVAL with msg set. */
enum koe_err report_compare(struct report *r, struct report_prev *prev, struct koe_msg *msg);

#endif
