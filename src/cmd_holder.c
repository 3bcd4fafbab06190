/* koe holder — a key holder makes their share of the report key on their own
 * machine and writes only its public part (docs/ARCHITECTURE.md §4.1). */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "cli.h"
#include "koe/holder.h"
#include "koe/qn.h"
#include "koe/resp.h"
#include "koe/utf8.h"
#include "koe/util.h"

#define USAGE "SURVEY --name NAME [--out FILE] [--passphrase-file FILE] | --check FILE [--passphrase-file FILE]"

static const char *const C = "holder";

/* SURVEY is a questionnaire file (its [[Survey]] id is taken) or an id. */
static int
survey_id(const char *arg, char *id, size_t cap)
{
	char *buf = NULL;
	size_t len = 0;
	struct koe_diags d = {0};
	struct qn_survey *s = NULL;
	struct stat st;

	if (stat(arg, &st) != 0) {
		for (const char *p = arg; *p; p++)
			if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-')) {
				cli_err(C, "'%s' is neither a questionnaire file nor a survey id "
				           "(lower-case letters, digits, '-')", arg);
				return 1;
			}
		if (*arg == 0 || strlen(arg) >= cap) {
			cli_err(C, "the survey id is empty or too long");
			return 1;
		}
		snprintf(id, cap, "%s", arg);
		return 0;
	}
	if (util_read_file(arg, QN_MAX_FILE_BYTES, &buf, &len) != KOE_OK) {
		cli_err(C, "cannot read '%s': %s", arg, errno ? strerror(errno) : "too large");
		return 1;
	}
	if (qn_parse(buf, len, arg, &s, &d) != KOE_OK) {
		koe_diags_print(&d, arg, stderr);
		cli_err(C, "'%s' has errors; run 'koe check %s'", arg, arg);
		koe_diags_free(&d);
		free(buf);
		return 1;
	}
	snprintf(id, cap, "%s", s->id);
	qn_survey_free(s);
	koe_diags_free(&d);
	free(buf);
	return 0;
}

void
cli_holder_print_wrote(const char *path, const char *name, const char *id)
{
	printf("Wrote %s: the public part of %s's key share for survey '%s'.\n"
	       "Send it to whoever runs 'koe open' (it opens nothing). Keep your passphrase:\n"
	       "the report needs every holder's passphrase, and it cannot be recovered.\n",
	       path, name, id);
}

/* koe holder --check FILE: does this passphrase open this share? A holder
 * can make sure, any time before the report, that they still know it. */
static int
check_holder(const char *file, const char *pass_file)
{
	char *text = NULL, sid[HOLDER_SURVEY_MAX], prompt[160];
	struct koe_msg msg;
	char pass[SEAL_PASS_MAX + 2];
	size_t len = 0, passlen = 0;
	uint8_t x[SEAL_SK_BYTES];
	struct seal_holder h;
	enum koe_err err;

	if (util_read_file(file, HOLDER_FILE_MAX * 4, &text, &len) != KOE_OK) {
		cli_err(C, "cannot read '%s': %s", file, errno ? strerror(errno) : "too large");
		return 1;
	}
	err = holder_parse(text, len, sid, &h, &msg);
	free(text);
	if (err != KOE_OK) {
		cli_err(C, "%s: %s", file, msg.text);
		return 1;
	}
	if (seal_holder_verify(sid, &h) != KOE_OK) {
		cli_err(C, "%s: the file was altered (its proof does not verify)", file);
		return 1;
	}
	snprintf(prompt, sizeof(prompt), "Passphrase of %.64s: ", h.name);
	if (cli_read_passphrase_as(C, pass_file, false, prompt, pass, sizeof(pass), &passlen) != 0)
		return 1;
	err = resp_holder_secret(&h, pass, passlen, x);
	sodium_memzero(pass, sizeof(pass));
	sodium_memzero(x, sizeof(x));
	if (err == KOE_EVERIFY) {
		cli_err(C, "this is not the passphrase of %s's share of survey '%s'", h.name, sid);
		return 1;
	}
	if (err != KOE_OK) {
		cli_err(C, "cannot derive the key: %s", koe_strerror(err));
		return 1;
	}
	printf("The passphrase is right: it opens %s's share of survey '%s'.\n", h.name, sid);
	return 0;
}

int
cmd_holder_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{"name", required_argument, NULL, 'n'},
		{"out", required_argument, NULL, 'o'},
		{"passphrase-file", required_argument, NULL, 'p'},
		{"check", required_argument, NULL, 'c'},
		{NULL, 0, NULL, 0},
	};
	const char *name = NULL, *out = NULL, *pass_file = NULL, *check = NULL;
	char id[HOLDER_SURVEY_MAX], path[PATH_MAX], text[HOLDER_FILE_MAX], prompt[160];
	char pass[SEAL_PASS_MAX + 2];
	size_t passlen = 0;
	struct seal_holder h;
	struct util_atomic file;
	enum koe_err err;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'n': name = optarg; break;
		case 'o': out = optarg; break;
		case 'p': pass_file = optarg; break;
		case 'c': check = optarg; break;
		default: return cli_usage(C, USAGE, NULL);
		}
	}
	if (check != NULL) {
		if (optind != argc || name != NULL || out != NULL)
			return cli_usage(C, USAGE, "--check FILE takes only --passphrase-file");
		return check_holder(check, pass_file);
	}
	if (optind == argc)
		return cli_usage(C, USAGE, "name the questionnaire file or the survey id");
	if (optind != argc - 1)
		return cli_usage_extra(C, USAGE, argv[optind + 1]);
	if (name == NULL)
		return cli_usage(C, USAGE, "--name NAME is required (who holds this share, "
		                           "as the report will name them)");
	if (*name == 0 || strlen(name) > SEAL_NAME_MAX || strpbrk(name, "\r\n\t") != NULL ||
	    !utf8_valid(name, strlen(name))) {
		cli_err(C, "the name must be 1 to %d bytes of UTF-8 on one line", SEAL_NAME_MAX);
		return 2;
	}
	if (survey_id(argv[optind], id, sizeof(id)) != 0)
		return 1;
	if (out == NULL) {
		snprintf(path, sizeof(path), "%s.holder.txt", id);
		out = path;
	}
	snprintf(prompt, sizeof(prompt), "Passphrase of %s: ", name);
	if (pass_file == NULL)
		fprintf(stderr,
		        "You are a key holder of survey '%s'. Nobody can read its answers without\n"
		        "your passphrase, and you alone cannot either. Choose it here; it never\n"
		        "leaves this machine and cannot be recovered.\n",
		        id);
	if (cli_read_passphrase_as(C, pass_file, true, prompt, pass, sizeof(pass), &passlen) != 0)
		return 1;
	err = seal_holder_new(id, name, pass, passlen, &h);
	sodium_memzero(pass, sizeof(pass));
	if (err != KOE_OK) {
		cli_err(C, "cannot make the key share: %s", koe_strerror(err));
		return 1;
	}
	if (holder_format(&h, id, text, sizeof(text)) != KOE_OK) {
		cli_err(C, "the name is too long");
		return 1;
	}
	/* Whole or not at all, and never replacing a holder file. */
	bool exists = access(out, F_OK) == 0;
	if (exists)
		errno = EEXIST;
	if (exists || util_atomic_open(&file, out, ".tmp-XXXXXX") != KOE_OK) {
		cli_err(C, "cannot create '%s': %s%s", out, strerror(errno),
		        errno == EEXIST ? " (koe never replaces a holder file; choose another --out)"
		                        : "");
		return 1;
	}
	if (fputs(text, file.f) == EOF || util_atomic_commit_new(&file) != KOE_OK) {
		int e = errno;
		util_atomic_abort(&file);
		if (e == EEXIST)
			cli_err(C, "cannot create '%s': %s (koe never replaces a holder file; choose "
			           "another --out)", out, strerror(e));
		else
			cli_err(C, "cannot write '%s': %s", out, strerror(e));
		return 1;
	}
	cli_holder_print_wrote(out, name, id);
	return 0;
}

const struct cli_command cmd_holder = {
	.name = "holder",
	.summary = "make a key holder's share of the report key (on the holder's machine)",
	.help = "usage: koe holder SURVEY --name NAME [--out FILE] [--passphrase-file FILE]\n"
	        "\n"
	        "Run by each key holder of the report key (for example HR, an employee\n"
	        "representative, the 産業医, an outside firm) on their own machine. SURVEY is\n"
	        "the questionnaire file or the survey id. Asks twice for the holder's own\n"
	        "passphrase and writes only the public part of the share (default\n"
	        "SURVEY.holder.txt, never replaced), to hand to whoever runs\n"
	        "'koe open --holder FILE'. The report then needs every holder's passphrase;\n"
	        "no holder alone, and no fewer than all of them, can read a single answer.\n"
	        "\n"
	        "  --name NAME             who holds this share (shown by koe open and the report)\n"
	        "  --out FILE              where to write the public part\n"
	        "  --passphrase-file FILE  read the passphrase from the first line of FILE\n"
	        "\n"
	        "koe holder --check FILE [--passphrase-file FILE]\n"
	        "  checks, at any time, that a passphrase opens the share whose public part\n"
	        "  is FILE (exit 0), so a holder can make sure they still know it.\n",
	.run = cmd_holder_run,
};
