/* koe status [SURVEY] — invited, opened and responded counts for HR. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "koe/dc.h"
#include "koe/qn.h"

/* The synopsis of usage errors; the help below spells it out on its own lines. */
#define USAGE "[SURVEY] [--db FILE]"

static const char *const C = "status";

static double
pct(int64_t a, int64_t b)
{
	return b > 0 ? 100.0 * (double)a / (double)b : 0.0;
}

/* Which segments' response counts may be shown: complementary suppression
 * of include/koe/dc.h (rule 1), the same rule as the report's, so that the
 * total minus the shown groups never gives a count of 1..k−1 people. */
static int
mark_shown(const struct db_segment *v, size_t n, int64_t k, bool *shown)
{
	size_t *sizes = calloc(n ? n : 1, sizeof(*sizes));
	enum stats_shown *why = calloc(n ? n : 1, sizeof(*why));
	int rc = -1;
	if (sizes == NULL || why == NULL || k < 1)
		goto out;
	for (size_t i = 0; i < n; i++)
		sizes[i] = v[i].responded > 0 ? (size_t)v[i].responded : 0;
	if (dc_suppress(sizes, n, (size_t)k, why) != KOE_OK)
		goto out;
	for (size_t i = 0; i < n; i++)
		shown[i] = why[i] == STATS_SHOWN;
	rc = 0;
out:
	free(sizes);
	free(why);
	return rc;
}

int
cli_status_print(const char *db_opt, const char *name)
{
	struct db *db = NULL;
	char *id = NULL;
	struct db_survey rec = {0};
	struct db_segment *segs = NULL;
	size_t nsegs = 0;
	struct qn_survey *q = NULL;
	struct koe_diags d = {0};
	int64_t responded = 0, opened = 0, k = 5;
	bool *shown = NULL;
	char total[48];
	int status = 1;

	if (cli_open_survey(C, db_opt, name, &db, &id, &rec) != 0)
		goto done;
	if (db_segments_get(db, id, &segs, &nsegs) != KOE_OK) {
		cli_err(C, "cannot read the database: %s", db_errmsg(db));
		goto done;
	}
	if (qn_parse((const char *)rec.source, rec.source_len, rec.id, &q, &d) == KOE_OK)
		k = q->min_group;
	for (size_t i = 0; i < nsegs; i++) {
		responded += segs[i].responded;
		opened += segs[i].opened;
	}
	printf("Survey %s: %s\n", rec.id, rec.title);
	if (rec.state == DB_OPEN)
		printf("State: open%s%s\n", q && q->closes ? ", closes " : "",
		       q && q->closes ? q->closes : "");
	else
		printf("State: closed (%" PRId64 " receipts, digest %s)\n", rec.receipts_count,
		       rec.receipts_digest ? rec.receipts_digest : "-");
	/* While the survey is open, responded counts are rounded down to
	 * steps of k (include/koe/dc.h, rule 3): two looks a few answers
	 * apart must not differ by those few. After closing they are exact. */
	bool exact = rec.state != DB_OPEN;
	size_t resp_n = responded > 0 ? (size_t)responded : 0;
	int64_t resp_released = exact ? responded : (int64_t)dc_floor(resp_n, (size_t)k);
	printf("Invited %" PRId64 ", opened %" PRId64 " (%.1f%%), responded %s (%s%.1f%%), "
	       "reissued links %" PRId64 "\n",
	       rec.invited, opened, pct(opened, rec.invited),
	       dc_count_text(resp_n, (size_t)k, exact, true, total, sizeof(total)),
	       exact ? "" : "at least ", pct(resp_released, rec.invited), rec.reissued);
	/* Mail state, once koe has sent anything (never the links). */
	int64_t mail[3];
	if (rec.state == DB_OPEN && db_invitations_mail_counts(db, rec.id, mail) == KOE_OK &&
	    mail[DB_MAIL_SENT] + mail[DB_MAIL_FAILED] > 0)
		printf("E-mail: %" PRId64 " sent, %" PRId64 " failed, %" PRId64 " not sent yet%s\n",
		       mail[DB_MAIL_SENT], mail[DB_MAIL_FAILED], mail[DB_MAIL_UNSENT],
		       mail[DB_MAIL_FAILED] + mail[DB_MAIL_UNSENT] > 0 ? " ('koe send' finishes them)"
		                                                       : "");
	shown = calloc(nsegs ? nsegs : 1, sizeof(*shown));
	if (shown == NULL || mark_shown(segs, nsegs, k, shown) != 0)
		goto done;
	if (nsegs > 1) {
		printf("\n  %-5s %8s %8s %10s  %s\n", "group", "invited", "opened", "responded",
		       "label");
		for (size_t i = 0; i < nsegs; i++) {
			char resp[32];
			if (shown[i])
				dc_count_text((size_t)segs[i].responded, (size_t)k, exact, true, resp,
				              sizeof(resp));
			else
				snprintf(resp, sizeof(resp), "hidden");
			printf("  %-5s %8" PRId64 " %8" PRId64 " %10s  %s\n", segs[i].code,
			       segs[i].invited, segs[i].opened, resp, segs[i].label);
		}
		printf("  (response counts below %" PRId64 " are hidden, with more where needed "
		       "so they cannot be worked out from the total)\n",
		       k);
	}
	if (!exact)
		printf("While the survey is open, response counts are rounded down to steps of %" PRId64
		       " (\"%" PRId64 "+\" means %" PRId64 " to %" PRId64 "), so that two looks a few "
		       "answers apart do not tell those answers apart. Exact counts follow "
		       "'koe close'.\n",
		       k, 2 * k, 2 * k, 3 * k - 1);
	status = 0;
done:
	free(shown);
	qn_survey_free(q);
	koe_diags_free(&d);
	db_segments_free(segs, nsegs);
	cli_survey_release(db, id, &rec);
	return status;
}

static int
cmd_status_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'},
		{NULL, 0, NULL, 0},
	};
	const char *db_opt = NULL;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'd')
			db_opt = optarg;
		else {
			return cli_usage("status", USAGE, NULL);
		}
	}
	if (argc - optind > 1) {
		return cli_usage_extra("status", USAGE, argv[optind + 1]);
	}
	return cli_status_print(db_opt, optind < argc ? argv[optind] : NULL);
}

const struct cli_command cmd_status = {
	.name = "status",
	.summary = "show invited, opened and responded counts",
	.help =
	"usage: koe status [SURVEY] [--db FILE]\n"
	"\n"
	"Shows how many employees were invited, opened their link (fetched a token)\n"
	"and responded, in total and by group. Response counts of groups smaller than\n"
	"MinGroup are hidden, with more groups where needed so that the total minus\n"
	"the shown groups never counts fewer than MinGroup people. While the survey\n"
	"is open, response counts are rounded down to steps of MinGroup; after\n"
	"'koe close' they are exact. SURVEY may be left out when the database holds\n"
	"one.\n",
	.run = cmd_status_run,
};
