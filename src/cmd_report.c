/* koe report [SURVEY] --out FILE.pdf — open the sealed answers with the
 * report passphrase and write the leadership report (and its figures as
 * JSON). Files appear whole or not at all: each is written to a temporary
 * file beside its destination and renamed into place only when everything
 * has succeeded. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdint.h>
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
#include "koe/survey.h"
#include "koe/util.h"

static const char *const C = "report";

#define USAGE "[SURVEY] --out FILE.pdf [--json FILE] [--passphrase-file FILE]... [--interim] [--compare PREVIOUS.json] [--db FILE]"
/* An earlier report's JSON holds every comment; 256 MiB is far beyond any
 * real one and still bounded. */
#define CLI_COMPARE_MAX ((size_t)256 << 20)

static void
progress(void *ctx, size_t done, size_t total)
{
	(void)ctx;
	cli_progress("koe report: opening responses", done, total);
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

static void
wrong_passphrase(const struct survey_unlock *u, size_t i, const char *id, const char *then)
{
	if (u->nholders > 1)
		cli_err(C, "wrong passphrase for %s; %s", u->holders[i].name, then);
	else
		cli_err(C, "wrong passphrase for survey '%s'; %s", id, then);
}

/* The holders still missing, from the terminal, each asked for by name;
 * a mistyped passphrase can be typed again (three tries each). */
static int
unlock_from_terminal(struct survey_unlock *u, const char *id)
{
	char pass[SEAL_PASS_MAX + 2], prompt[256];
	size_t passlen = 0, which;
	enum koe_err err = KOE_OK;

	for (size_t i = 0; i < u->nholders; i++) {
		if (u->opened[i])
			continue;
		if (u->nholders > 1)
			snprintf(prompt, sizeof(prompt), "Passphrase of %.64s (key holder %zu of %zu): ",
			         u->holders[i].name, i + 1, u->nholders);
		else
			snprintf(prompt, sizeof(prompt), "Report passphrase: ");
		for (int attempt = 1;; attempt++) {
			if (cli_read_passphrase_as(C, NULL, false, prompt, pass, sizeof(pass), &passlen) != 0)
				return 1;
			err = survey_unlock_try(u, i, pass, passlen, &which);
			sodium_memzero(pass, sizeof(pass));
			if (err != KOE_EVERIFY || attempt == 3)
				break;
			wrong_passphrase(u, i, id, "try again");
		}
		if (err == KOE_EVERIFY) {
			wrong_passphrase(u, i, id, "nothing was written");
			return 1;
		}
		if (err != KOE_OK) {
			cli_err(C, "cannot derive the key: %s", koe_strerror(err));
			return 1;
		}
	}
	return 0;
}

/* The report secret: one passphrase per key holder, from the files given
 * (in any order) and then, for the holders still missing, from the
 * terminal. Returns 0 with the secret in sk, or 1 after printing why. */
static int
unlock(struct db *db, const struct db_survey *rec, const char *const *files, size_t nfiles,
       uint8_t sk[SEAL_SK_BYTES])
{
	struct survey_unlock u;
	struct koe_msg msg;
	char pass[SEAL_PASS_MAX + 2];
	size_t passlen = 0, which;
	int rc = 1;

	if (survey_unlock_begin(&u, db, rec->id, &msg) != KOE_OK) {
		cli_err(C, "%s", msg.text);
		return 1;
	}
	if (nfiles > u.nholders) {
		cli_err(C, "%zu passphrase files for %zu key holder%s; give one per holder", nfiles,
		        u.nholders, u.nholders == 1 ? "" : "s");
		goto done;
	}
	for (size_t f = 0; f < nfiles; f++) {
		if (cli_read_passphrase(C, files[f], false, pass, sizeof(pass), &passlen) != 0)
			goto done;
		enum koe_err err = survey_unlock_try(&u, SIZE_MAX, pass, passlen, &which);
		sodium_memzero(pass, sizeof(pass));
		if (err != KOE_OK && err != KOE_EVERIFY) {
			cli_err(C, "cannot derive the key: %s", koe_strerror(err));
			goto done;
		}
		if (err == KOE_EVERIFY) {
			if (u.nholders == 1)
				cli_err(C, "wrong passphrase for survey '%s'; nothing was written", rec->id);
			else
				cli_err(C, "the passphrase in '%s' is not that of any %skey holder of "
				           "survey '%s'; nothing was written",
				        files[f], f ? "other " : "", rec->id);
			goto done;
		}
	}
	if (unlock_from_terminal(&u, rec->id) != 0)
		goto done;
	if (survey_unlock_finish(&u, rec, &msg) != KOE_OK) {
		cli_err(C, "%s", msg.text);
		goto done;
	}
	memcpy(sk, u.sk, SEAL_SK_BYTES);
	rc = 0;
done:
	sodium_memzero(pass, sizeof(pass));
	survey_unlock_wipe(&u);
	return rc;
}

struct report_args {
	const char *db_opt, *out, *json, *compare, *passfiles[SEAL_HOLDERS_MAX];
	size_t npassfiles;
	bool interim;
	struct db *db;
	const struct db_survey *rec;
};

/* survey_report's ready callback: the notes, the output directories and,
 * for a final report, every holder's passphrase. */
static int
report_ready(void *ctx, bool interim, bool final_anyway, uint8_t *sk, struct koe_msg *msg)
{
	const struct report_args *a = ctx;
	(void)msg;
	if (final_anyway)
		fprintf(stderr, "koe report: survey '%s' is closed, so this is the final report; "
		                "--interim is ignored\n",
		        a->rec->id);
	if (interim)
		fprintf(stderr, "koe report: note: interim report: participation only, with response "
		                "counts rounded down to steps of MinGroup, because two reports taken a few "
		                "answers apart can reveal those answers. Every figure follows in the "
		                "final report after 'koe close'. It opens no answer, so it needs no "
		                "passphrase.\n");
	if (!dir_writable(a->out) || (a->json && !dir_writable(a->json))) {
		cli_err(C, "cannot write into the directory of '%s' (it must exist and be writable)",
		        !dir_writable(a->out) ? a->out : a->json);
		return 1;
	}
	return sk ? unlock(a->db, a->rec, a->passfiles, a->npassfiles, sk) : 0;
}

/* Both files whole or neither (docs/ARCHITECTURE.md §2.3 step 5): each is
 * staged beside its destination, and renamed only when both are staged. */
static int
write_outputs(const char *out, const char *json, const struct survey_report_result *res)
{
	struct util_atomic fpdf = {0}, fjson = {0};
	int rc = 1;

	if (util_atomic_open(&fpdf, out, ".tmp-XXXXXX") != KOE_OK ||
	    fwrite(res->pdf, 1, res->pdf_len, fpdf.f) != res->pdf_len ||
	    util_atomic_sync(&fpdf) != KOE_OK) {
		cli_err(C, "cannot write '%s': %s; nothing was written", out, strerror(errno));
		goto done;
	}
	if (json && (util_atomic_open(&fjson, json, ".tmp-XXXXXX") != KOE_OK ||
	                fwrite(res->json, 1, res->json_len, fjson.f) != res->json_len ||
	                util_atomic_sync(&fjson) != KOE_OK)) {
		cli_err(C, "cannot write '%s': %s; nothing was written", json, strerror(errno));
		goto done;
	}
	if (json && util_atomic_commit(&fjson) != KOE_OK) {
		cli_err(C, "cannot write '%s': %s; nothing was written", json, strerror(errno));
		goto done;
	}
	if (util_atomic_commit(&fpdf) != KOE_OK) {
		cli_err(C, "cannot write '%s': %s", out, strerror(errno));
		goto done;
	}
	rc = 0;
done:
	util_atomic_abort(&fpdf);
	util_atomic_abort(&fjson);
	return rc;
}

int
cli_report_save(const char *id, const char *out, const char *json,
                const struct survey_report_result *res)
{
	if (write_outputs(out, json, res) != 0)
		return 1;
	printf("%s report of '%s' (%zu responses) written to %s%s%s\n",
	       res->interim ? "Interim" : "Final", id, res->responses, out,
	       json ? ", figures to " : "", json ? json : "");
	if (!res->shown)
		printf("Fewer than %d people answered, so the report shows no figures.\n",
		       res->min_group);
	return 0;
}

static int
write_report(struct report_args *a, int64_t epoch, const char *name)
{
	struct db_survey rec = {0};
	struct survey_report_result res = {0};
	struct koe_msg msg;
	char *id = NULL, *prev = NULL;
	size_t prev_len = 0;
	int status = 1;

	enum koe_err rerr = a->compare ? util_read_file(a->compare, CLI_COMPARE_MAX, &prev,
	                                                &prev_len)
	                               : KOE_OK;
	if (rerr == KOE_ETOOBIG) {
		cli_err(C, "'%s' is larger than 256 MiB; is it a report's JSON?", a->compare);
		goto done;
	}
	if (rerr != KOE_OK) {
		cli_err(C, "cannot read '%s': %s", a->compare, strerror(errno));
		goto done;
	}
	if (cli_open_survey(C, a->db_opt, name, &a->db, &id, &rec) != 0)
		goto done;
	a->rec = &rec;
	struct survey_report_req req = {.db = a->db, .rec = &rec, .interim = a->interim,
	                                .json = a->json != NULL, .epoch = epoch,
	                                .compare = prev, .compare_len = prev_len,
	                                .compare_name = a->compare,
	                                .ready = report_ready, .progress = progress, .ctx = a};
	if (survey_report(&req, &res, &msg) != KOE_OK) {
		if (msg.text[0])
			cli_err(C, "%s", msg.text);
		goto done;
	}
	if (cli_report_save(id, a->out, a->json, &res) != 0)
		goto done;
	status = 0;
done:
	free(prev);
	survey_report_result_free(&res);
	cli_survey_release(a->db, id, &rec);
	a->db = NULL;
	return status;
}

static int
cmd_report_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{"out", required_argument, NULL, 'o'},
		{"json", required_argument, NULL, 'j'},
		{"passphrase-file", required_argument, NULL, 'p'},
		{"interim", no_argument, NULL, 'i'},
		{"compare", required_argument, NULL, 'c'},
		{"db", required_argument, NULL, 'd'},
		{NULL, 0, NULL, 0},
	};
	struct report_args a = {0};
	int64_t epoch;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'o': a.out = optarg; break;
		case 'j': a.json = optarg; break;
		case 'p':
			if (a.npassfiles == SEAL_HOLDERS_MAX)
				return cli_usage(C, USAGE, "at most 8 passphrase files, one per key holder");
			a.passfiles[a.npassfiles++] = optarg;
			break;
		case 'i': a.interim = true; break;
		case 'c': a.compare = optarg; break;
		case 'd': a.db_opt = optarg; break;
		default: return cli_usage(C, USAGE, NULL);
		}
	}
	if (argc - optind > 1)
		return cli_usage_extra(C, USAGE, argv[optind + 1]);
	if (a.out == NULL || a.out[0] == '\0')
		return cli_usage(C, USAGE, "--out FILE.pdf is required (where to write the report)");
	if (a.json && a.json[0] == '\0')
		return cli_usage(C, USAGE, "--json needs a file name");
	if (a.json && strcmp(a.json, a.out) == 0) {
		cli_err(C, "--json and --out name the same file");
		return 2;
	}
	if (a.compare && ((a.json && strcmp(a.compare, a.json) == 0) || strcmp(a.compare, a.out) == 0)) {
		cli_err(C, "--compare names the file this report writes; the earlier report would be "
		           "replaced");
		return 2;
	}
	if (!util_report_epoch(&epoch)) {
		cli_err(C, "SOURCE_DATE_EPOCH must be a whole number of seconds since 1970");
		return 1;
	}
	return write_report(&a, epoch, optind < argc ? argv[optind] : NULL);
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
	"  --compare PREVIOUS.json  the --json of an earlier, different survey's final\n"
	"                    report: every matched figure gets its previous value and\n"
	"                    the change with a 95% interval (PDF and JSON)\n"
	"\n"
	"With SOURCE_DATE_EPOCH set, the report is dated from it, and the same answers\n"
	"give a byte-identical PDF and JSON.\n",
	.run = cmd_report_run,
};
