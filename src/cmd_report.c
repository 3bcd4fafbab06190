/* koe report [SURVEY] --out FILE.pdf — open the sealed answers with the
 * report passphrase and write the leadership report (and its figures as
 * JSON). Files appear whole or not at all: each is written to a temporary
 * file beside its destination and renamed into place only when everything
 * has succeeded. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "cli.h"
#include "koe/qn.h"
#include "koe/report.h"
#include "koe/resp.h"

static const char *const C = "report";

#define USAGE "[SURVEY] --out FILE.pdf [--json FILE] [--passphrase-file FILE]... [--interim] [--db FILE]"

/* A file being written: its temporary name until it is renamed. */
struct staged {
	const char *path;
	char tmp[PATH_MAX];
	bool live; /* the temporary file exists */
};

static void
progress(size_t done, size_t total)
{
	cli_progress("koe report: opening responses", done, total);
}

/* The report date: $SOURCE_DATE_EPOCH when set (reproducible builds
 * convention), else now. Returns false for a malformed value. */
static bool
report_epoch(int64_t *out)
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

/* Whether the directory that will hold path can take new files. */
static bool
dir_writable(const char *path)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');
	if (slash == NULL)
		return access(".", W_OK | X_OK) == 0;
	if ((size_t)(slash - path) + 1 > sizeof(dir))
		return false;
	snprintf(dir, sizeof(dir), "%.*s", slash == path ? 1 : (int)(slash - path), path);
	return access(dir, W_OK | X_OK) == 0;
}

/* Writes buf to a new temporary file beside f->path, flushed to disk. The
 * file is created with mode 0600 (mkstemp) and keeps it once renamed: a
 * report holds the answers' figures and the comments. */
static int
stage(struct staged *f, const void *buf, size_t len)
{
	int fd;
	size_t off = 0;

	if ((size_t)snprintf(f->tmp, sizeof(f->tmp), "%s.tmp-XXXXXX", f->path) >= sizeof(f->tmp)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if ((fd = mkstemp(f->tmp)) < 0)
		return -1;
	f->live = true;
	while (off < len) {
		ssize_t w = write(fd, (const char *)buf + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			close(fd);
			return -1;
		}
		off += (size_t)w;
	}
	if (fsync(fd) != 0) {
		close(fd);
		return -1;
	}
	return close(fd);
}

static void
unstage(struct staged *f)
{
	if (f->live)
		unlink(f->tmp);
	f->live = false;
}

/* The report secret: one passphrase per key holder, from the files given
 * (in any order) and then, for the holders still missing, from the
 * terminal, asking for each by name (three tries each). Returns 0 with the
 * secret in sk, or 1 after printing why. */
static int
unlock(struct db *db, const struct db_survey *rec, const char *const *files, size_t nfiles,
       uint8_t sk[SEAL_SK_BYTES])
{
	struct seal_holder h[SEAL_HOLDERS_MAX];
	bool opened[SEAL_HOLDERS_MAX] = {false};
	char pass[SEAL_PASS_MAX + 2], prompt[256];
	uint8_t x[SEAL_SK_BYTES];
	size_t nh = 0, passlen = 0;
	enum koe_err err = KOE_OK;
	int rc = 1;

	memset(sk, 0, SEAL_SK_BYTES);
	if (db_holders_get(db, rec->id, h, SEAL_HOLDERS_MAX, &nh) != KOE_OK || nh == 0) {
		cli_err(C, "cannot read the key holders of survey '%s': %s", rec->id, db_errmsg(db));
		return 1;
	}
	if (nfiles > nh) {
		cli_err(C, "%zu passphrase files for %zu key holder%s; give one per holder", nfiles, nh,
		        nh == 1 ? "" : "s");
		return 1;
	}
	for (size_t f = 0; f < nfiles; f++) {
		bool found = false;
		if (cli_read_passphrase(C, files[f], false, pass, sizeof(pass), &passlen) != 0)
			goto done;
		for (size_t i = 0; i < nh && !found; i++) {
			if (opened[i])
				continue;
			err = resp_holder_secret(&h[i], pass, passlen, x);
			if (err == KOE_OK) {
				seal_secret_add(sk, x);
				opened[i] = found = true;
			} else if (err != KOE_EVERIFY) {
				cli_err(C, "cannot derive the key: %s", koe_strerror(err));
				goto done;
			}
		}
		sodium_memzero(pass, sizeof(pass));
		if (!found) {
			if (nh == 1)
				cli_err(C, "wrong passphrase for survey '%s'; nothing was written", rec->id);
			else
				cli_err(C, "the passphrase in '%s' is not that of any %skey holder of "
				           "survey '%s'; nothing was written",
				        files[f], f ? "other " : "", rec->id);
			goto done;
		}
	}
	for (size_t i = 0; i < nh; i++) {
		if (opened[i])
			continue;
		if (nh > 1)
			snprintf(prompt, sizeof(prompt), "Passphrase of %.64s (key holder %zu of %zu): ",
			         h[i].name, i + 1, nh);
		else
			snprintf(prompt, sizeof(prompt), "Report passphrase: ");
		/* On a terminal a mistyped passphrase can be typed again. */
		for (int attempt = 1;; attempt++) {
			if (cli_read_passphrase_as(C, NULL, false, prompt, pass, sizeof(pass), &passlen) != 0)
				goto done;
			err = resp_holder_secret(&h[i], pass, passlen, x);
			sodium_memzero(pass, sizeof(pass));
			if (err != KOE_EVERIFY || attempt == 3)
				break;
			if (nh > 1)
				cli_err(C, "wrong passphrase for %s; try again", h[i].name);
			else
				cli_err(C, "wrong passphrase for survey '%s'; try again", rec->id);
		}
		if (err == KOE_EVERIFY) {
			if (nh > 1)
				cli_err(C, "wrong passphrase for %s; nothing was written", h[i].name);
			else
				cli_err(C, "wrong passphrase for survey '%s'; nothing was written", rec->id);
			goto done;
		}
		if (err != KOE_OK) {
			cli_err(C, "cannot derive the key: %s", koe_strerror(err));
			goto done;
		}
		seal_secret_add(sk, x);
		opened[i] = true;
	}
	if (!seal_secret_matches(sk, rec->report_pk)) {
		cli_err(C, "the key holders' secrets do not add up to the survey's key; nothing was "
		           "written");
		goto done;
	}
	rc = 0;
done:
	sodium_memzero(x, sizeof(x));
	sodium_memzero(pass, sizeof(pass));
	if (rc != 0)
		sodium_memzero(sk, SEAL_SK_BYTES);
	return rc;
}

static int
run(int argc, char **argv)
{
	static const struct option opts[] = {
		{"out", required_argument, NULL, 'o'},
		{"json", required_argument, NULL, 'j'},
		{"passphrase-file", required_argument, NULL, 'p'},
		{"interim", no_argument, NULL, 'i'},
		{"db", required_argument, NULL, 'd'},
		{NULL, 0, NULL, 0},
	};
	const char *db_opt = NULL, *out = NULL, *json = NULL, *passfiles[SEAL_HOLDERS_MAX];
	size_t npassfiles = 0;
	bool interim = false;
	struct db *db = NULL;
	struct db_survey rec = {0};
	struct db_segment *segs = NULL;
	size_t nsegs = 0, pdflen = 0, jsonlen = 0;
	struct qn_survey *q = NULL;
	struct koe_diags d = {0};
	struct resp_table *t = NULL;
	struct report *rep = NULL;
	struct report_options ro = {0};
	struct staged fpdf = {0}, fjson = {0};
	uint8_t sk[SEAL_SK_BYTES], *pdf = NULL;
	char pass[SEAL_PASS_MAX + 2], msg[300], *id = NULL, *js = NULL;
	int status = 1, c;
	enum koe_err err;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'o': out = optarg; break;
		case 'j': json = optarg; break;
		case 'p':
			if (npassfiles == SEAL_HOLDERS_MAX)
				return cli_usage(C, USAGE, "at most 8 passphrase files, one per key holder");
			passfiles[npassfiles++] = optarg;
			break;
		case 'i': interim = true; break;
		case 'd': db_opt = optarg; break;
		default: return cli_usage(C, USAGE, NULL);
		}
	}
	if (argc - optind > 1)
		return cli_usage_extra(C, USAGE, argv[optind + 1]);
	if (out == NULL || out[0] == '\0')
		return cli_usage(C, USAGE, "--out FILE.pdf is required (where to write the report)");
	if (json && json[0] == '\0')
		return cli_usage(C, USAGE, "--json needs a file name");
	if (json && strcmp(json, out) == 0) {
		cli_err(C, "--json and --out name the same file");
		return 2;
	}
	if (!report_epoch(&ro.epoch)) {
		cli_err(C, "SOURCE_DATE_EPOCH must be a whole number of seconds since 1970");
		return 1;
	}
	if (sodium_init() < 0)
		return 1;
	if (cli_open_survey(C, db_opt, optind < argc ? argv[optind] : NULL, &db, &id, &rec) != 0)
		goto done;
	if (db_segments_get(db, id, &segs, &nsegs) != KOE_OK) {
		cli_err(C, "cannot read the database: %s", db_errmsg(db));
		goto done;
	}
	if (rec.state == DB_OPEN && !interim) {
		cli_err(C, "survey '%s' is still open; close it first ('koe close %s'), or add --interim "
		           "for an interim report marked as such on every page",
		        id, id);
		goto done;
	}
	if (rec.state != DB_OPEN && interim)
		fprintf(stderr, "koe report: survey '%s' is closed, so this is the final report; "
		                "--interim is ignored\n",
		        id);
	ro.interim = rec.state == DB_OPEN;
	if (ro.interim)
		fprintf(stderr, "koe report: note: interim report: participation only, with response "
		                "counts rounded down to steps of MinGroup, because two reports taken a few "
		                "answers apart can reveal those answers. Every figure follows in the "
		                "final report after 'koe close'. It opens no answer, so it needs no "
		                "passphrase.\n");
	if (qn_parse((const char *)rec.source, rec.source_len, rec.id, &q, &d) != KOE_OK) {
		cli_err(C, "the questionnaire stored with survey '%s' does not load; was the database "
		           "made by another version of koe?",
		        id);
		goto done;
	}
	if (!dir_writable(out) || (json && !dir_writable(json))) {
		cli_err(C, "cannot write into the directory of '%s' (it must exist and be writable)",
		        !dir_writable(out) ? out : json);
		goto done;
	}

	/* An interim report releases participation only, so it opens nothing
	 * and needs no key holder: answers stay sealed until the survey is
	 * closed (include/koe/dc.h, rule 3). */
	if (ro.interim) {
		err = resp_participation_table(db, &rec, q, &t);
	} else {
		if (unlock(db, &rec, passfiles, npassfiles, sk) != 0)
			goto done;
		err = resp_open_all(db, &rec, q, sk, progress, &t);
		sodium_memzero(sk, sizeof(sk));
	}
	if (err != KOE_OK) {
		cli_err(C, "cannot open the responses: %s%s", koe_strerror(err),
		        err == KOE_EVERIFY ? " (a stored response was altered or sealed to another "
		                             "key); nothing was written"
		                           : "; nothing was written");
		goto done;
	}

	struct seal_holder holders[SEAL_HOLDERS_MAX];
	size_t nholders = 0;
	if (db_holders_get(db, id, holders, SEAL_HOLDERS_MAX, &nholders) != KOE_OK)
		nholders = 0;
	struct report_source src = {.survey = q, .rec = &rec, .segs = segs, .nsegs = nsegs,
	                            .table = t, .holders = holders, .nholders = nholders};
	if ((err = report_compute(&src, &ro, &rep)) != KOE_OK) {
		cli_err(C, "cannot compute the report: %s; nothing was written", koe_strerror(err));
		goto done;
	}
	if ((err = report_pdf(rep, &pdf, &pdflen, msg, sizeof(msg))) != KOE_OK) {
		cli_err(C, "cannot lay out the PDF: %s; nothing was written", msg);
		goto done;
	}
	if (json && (err = report_json(rep, &js, &jsonlen)) != KOE_OK) {
		cli_err(C, "cannot write the JSON: %s; nothing was written", koe_strerror(err));
		goto done;
	}

	fpdf.path = out;
	fjson.path = json;
	if (stage(&fpdf, pdf, pdflen) != 0) {
		cli_err(C, "cannot write '%s': %s; nothing was written", out, strerror(errno));
		goto done;
	}
	if (json && stage(&fjson, js, jsonlen) != 0) {
		cli_err(C, "cannot write '%s': %s; nothing was written", json, strerror(errno));
		goto done;
	}
	if (json) {
		if (rename(fjson.tmp, json) != 0) {
			cli_err(C, "cannot write '%s': %s; nothing was written", json, strerror(errno));
			goto done;
		}
		fjson.live = false;
	}
	if (rename(fpdf.tmp, out) != 0) {
		cli_err(C, "cannot write '%s': %s", out, strerror(errno));
		goto done;
	}
	fpdf.live = false;
	printf("%s report of '%s' (%zu responses) written to %s%s%s\n",
	       ro.interim ? "Interim" : "Final", id, report_responses(rep), out,
	       json ? ", figures to " : "", json ? json : "");
	if (!report_shown(rep))
		printf("Fewer than %d people answered, so the report shows no figures.\n",
		       q->min_group);
	status = 0;
done:
	unstage(&fpdf);
	unstage(&fjson);
	sodium_memzero(pass, sizeof(pass));
	sodium_memzero(sk, sizeof(sk));
	free(pdf);
	free(js);
	report_free(rep);
	resp_table_free(t);
	qn_survey_free(q);
	koe_diags_free(&d);
	db_segments_free(segs, nsegs);
	db_survey_clear(&rec);
	free(id);
	db_close(db);
	return status;
}

const struct cli_command cmd_report = {
	.name = "report",
	.summary = "write the leadership report (PDF, and JSON figures)",
	.help =
	"usage: koe " USAGE "\n"
	"\n"
	"Needs the passphrase of every key holder of the survey: each\n"
	"--passphrase-file FILE gives one (its first line; any order), and koe asks on\n"
	"the terminal, by name, for the holders still missing. It then opens the sealed\n"
	"answers and writes an A4 PDF in the survey's language:\n"
	"a one-page summary, support, rejoin and morale sections with charts, results\n"
	"by group, the drivers of support, the comments, and method and anonymity.\n"
	"No figure is shown for a group of fewer than MinGroup people.\n"
	"\n"
	"  --out FILE.pdf    the PDF to write (replaced only when everything succeeded)\n"
	"  --json FILE       also write every figure of the PDF as JSON\n"
	"  --passphrase-file FILE  a key holder's passphrase (repeat for each holder)\n"
	"  --interim         allow a report while the survey is still open; every page\n"
	"                    is then marked 中間集計 / interim\n"
	"\n"
	"With SOURCE_DATE_EPOCH set, the report is dated from it, and the same answers\n"
	"give a byte-identical PDF and JSON.\n",
	.run = run,
};
