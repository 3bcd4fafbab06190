/* koe check FILE... — validate questionnaire files like a compiler does. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "koe/qn.h"
#include "koe/util.h"

static void
condition_line(const char *what, const char *name, const struct qn_cond *c)
{
	printf("  %s '%s' shown only if %s", what, name, c->text);
	if (c->label)
		printf(" (%s%s%s)", c->label, c->label_en ? " / " : "", c->label_en ? c->label_en : "");
	printf("\n");
}

/* The display conditions, one per line, as the page and the server apply
 * them. */
static void
conditions(const struct qn_survey *s)
{
	for (size_t b = 0; b < s->nblocks; b++)
		if (s->blocks[b].show_if)
			condition_line("block", s->blocks[b].name, s->blocks[b].show_if);
	for (size_t q = 0; q < s->nquestions; q++)
		if (s->questions[q].show_if)
			condition_line("question", s->questions[q].id, s->questions[q].show_if);
}

static void
summary(const char *path, const struct qn_survey *s)
{
	printf("%s: ok: survey '%s', %zu questions, %zu answer items, %zu pages",
	       path, s->id, s->nquestions, s->nitems, s->npages);
	if (s->nscales) {
		printf(", scales:");
		for (size_t i = 0; i < s->nscales; i++)
			printf("%s %s(%zu items%s%s)", i ? "," : "", s->scales[i].name,
			       s->scales[i].nitems, s->scales[i].role ? ", role " : "",
			       s->scales[i].role ? qn_role_name(s->scales[i].role) : "");
	}
	printf("\n");
	conditions(s);
}

/* Question ids written with spaces or punctuation, as Qualtrics exports
 * them, and the answer key each one gets (docs/ARCHITECTURE.md §5): the name
 * in the report's JSON and in what the page submits. */
static void
id_notes(const char *path, const struct qn_survey *s)
{
	for (size_t i = 0; i < s->nquestions; i++) {
		const struct qn_question *q = &s->questions[i];
		if (q->id_text)
			printf("%s:%d:%d: note: question id '%s' has the answer key '%s'\n", path,
			       q->id_line, q->id_col, q->id_text, q->id);
	}
}

static int
cmd_check_run(int argc, char **argv)
{
	int status = 0;

	if (argc < 2) {
		return cli_usage("check", "FILE...", "name at least one questionnaire file");
	}
	for (int i = 1; i < argc; i++) {
		const char *path = argv[i];
		struct koe_diags d = {0};
		struct qn_survey *s = NULL;
		size_t len;
		char *buf;
		enum koe_err err;

		if (strcmp(path, "--") == 0)
			continue;
		err = util_read_file(path, QN_MAX_FILE_BYTES, &buf, &len);
		if (err == KOE_ETOOBIG) {
			fprintf(stderr, "%s: error: file is larger than %d KiB\n", path,
			        QN_MAX_FILE_BYTES / 1024);
			status = 1;
			continue;
		}
		if (err != KOE_OK) {
			fprintf(stderr, "koe check: cannot read '%s': %s\n", path,
			        strerror(errno));
			status = 1;
			continue;
		}
		err = qn_parse(buf, len, path, &s, &d);
		free(buf);
		if (err == KOE_OK) {
			koe_diags_print(&d, path, stderr);
			summary(path, s);
			id_notes(path, s);
		} else if (err == KOE_ENOMEM) {
			fprintf(stderr, "koe check: out of memory\n");
			status = 1;
		} else {
			koe_diags_print(&d, path, stderr);
			fprintf(stderr, "%s: %zu error%s\n", path, koe_diags_errors(&d),
			        koe_diags_errors(&d) == 1 ? "" : "s");
			status = 1;
		}
		qn_survey_free(s);
		koe_diags_free(&d);
	}
	return status;
}

const struct cli_command cmd_check = {
	.name = "check",
	.summary = "validate questionnaire files and report every error",
	.help =
	"usage: koe check FILE...\n"
	"\n"
	"Reads each questionnaire (Qualtrics Advanced Format plus koe's tags) and\n"
	"prints every problem as FILE:LINE:COLUMN: error: MESSAGE, with a hint where\n"
	"one helps. HTML that the page does not show is removed with a warning\n"
	"(FILE:LINE:COLUMN: warning: ...); the file still loads. A clean file prints\n"
	"a one-line summary, then the answer key of every question id written with\n"
	"spaces or other characters (\"Stim 1\" is answered as \"Stim_1\").\n"
	"\n"
	"Exit status: 0 all files are clean, 1 some file has errors or cannot be\n"
	"read, 2 usage error.\n"
	"\n"
	"Example:\n"
	"  koe check surveys/alumni-readiness.txt\n",
	.run = cmd_check_run,
};
