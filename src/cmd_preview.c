/* koe preview SURVEY.txt — the employee's page for a questionnaire file,
 * before anything is opened, or the questionnaire as a PDF for approval
 * (docs/ARCHITECTURE.md §3.6, §8.7). */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "koe/http.h"
#include "koe/qn.h"
#include "koe/report.h"
#include "koe/util.h"

#define USAGE "SURVEY.txt [--listen ADDR:PORT] [--allow-remote] | SURVEY.txt --pdf FILE"

static const char *const C = "preview";

/* 127.0.0.0/8, ::1 and ::ffff:127.0.0.0/104: only this machine. */
static bool
loopback(const char *addr)
{
	struct in_addr a4;
	struct in6_addr a6;

	if (inet_pton(AF_INET, addr, &a4) == 1)
		return (ntohl(a4.s_addr) >> 24) == 127;
	if (inet_pton(AF_INET6, addr, &a6) == 1)
		return IN6_IS_ADDR_LOOPBACK(&a6) ||
		       (IN6_IS_ADDR_V4MAPPED(&a6) && a6.s6_addr[12] == 127);
	return false;
}

/* The questionnaire as a PDF: refused, with koe check's lines, when the
 * file has errors. */
static int
write_pdf(const char *path, const char *out)
{
	struct koe_diags d = {0};
	struct qn_survey *q = NULL;
	struct report_options opt = {0};
	struct koe_msg msg = {{0}};
	uint8_t *pdf = NULL;
	size_t len = 0;
	char *buf = NULL;
	int status = 1;
	enum koe_err err = util_read_file(path, QN_MAX_FILE_BYTES, &buf, &len);

	if (!util_report_epoch(&opt.epoch)) {
		free(buf);
		cli_err(C, "SOURCE_DATE_EPOCH is not a date koe can print");
		return 1;
	}
	if (err != KOE_OK) {
		cli_err(C, "cannot read '%s': %s", path,
		        err == KOE_ETOOBIG ? "larger than 1024 KiB" : strerror(errno));
		return 1;
	}
	err = qn_parse(buf, len, path, &q, &d);
	free(buf);
	koe_diags_print(&d, path, stderr);
	if (err != KOE_OK) {
		cli_err(C, "fix the questionnaire first (koe check %s); no PDF was written", path);
		goto done;
	}
	if ((err = report_questionnaire_pdf(q, &opt, &pdf, &len, &msg)) != KOE_OK) {
		cli_err(C, "%s", msg.text);
		goto done;
	}
	if (util_write_file_atomic(out, pdf, len) != KOE_OK) {
		cli_err(C, "cannot write '%s': %s", out, strerror(errno));
		goto done;
	}
	printf("koe preview: wrote %s (%zu questions, %zu pages of questions)\n", out, q->nquestions,
	       q->npages);
	status = 0;
done:
	free(pdf);
	qn_survey_free(q);
	koe_diags_free(&d);
	return status;
}

/* Serves the page until SIGINT or SIGTERM. */
static int
serve(const char *path, struct http_config *cfg)
{
	struct http_server *srv = NULL;
	struct koe_msg msg;
	sigset_t set;
	int sig;
	bool v6 = strchr(cfg->listen_addr, ':') != NULL;

	/* Signals are taken by sigwait() below, never by a request thread. */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	cfg->preview_path = path;
	if (http_start(cfg, &srv, &msg) != KOE_OK) {
		cli_err(C, "%s", msg.text);
		return 1;
	}
	printf("koe preview: %s on http://%s%s%s:%u/ (answers are not saved; reload the page after "
	       "each edit; Ctrl-C stops)\n",
	       path, v6 ? "[" : "", cfg->listen_addr, v6 ? "]" : "", (unsigned)http_port(srv));
	fflush(stdout);
	while (sigwait(&set, &sig) != 0 || (sig != SIGINT && sig != SIGTERM))
		;
	http_stop(srv);
	return 0;
}

static int
cmd_preview_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{"listen", required_argument, NULL, 'l'},
		{"allow-remote", no_argument, NULL, 'r'},
		{"pdf", required_argument, NULL, 'p'},
		{NULL, 0, NULL, 0},
	};
	struct http_config cfg;
	char addr[128];
	const char *pdf = NULL;
	bool remote = false, listen_given = false;
	int c;

	http_config_defaults(&cfg);
	cfg.port = 8081;
	cfg.max_connections = 64;
	snprintf(addr, sizeof(addr), "127.0.0.1");
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'l':
			listen_given = true;
			if (cli_parse_listen(optarg, addr, sizeof(addr), &cfg.port) != 0)
				return cli_usage(C, USAGE,
				                 "--listen takes ADDRESS:PORT, e.g. 127.0.0.1:8081 or [::1]:8081");
			break;
		case 'r': remote = true; break;
		case 'p': pdf = optarg; break;
		default: return cli_usage(C, USAGE, NULL);
		}
	}
	if (optind >= argc)
		return cli_usage(C, USAGE, "name the questionnaire file");
	if (optind + 1 < argc)
		return cli_usage(C, USAGE, "name one questionnaire file");
	if (pdf && (listen_given || remote))
		return cli_usage(C, USAGE, "--pdf writes a file and serves nothing: leave out --listen");
	if (pdf)
		return write_pdf(argv[optind], pdf);
	if (!loopback(addr) && !remote) {
		cli_err(C,
		        "%s is not a loopback address: the preview would be open to other machines, "
		        "without a login. Use 127.0.0.1 (the default), or add --allow-remote if that "
		        "is really meant.",
		        addr);
		return 2;
	}
	cfg.listen_addr = addr;
	return serve(argv[optind], &cfg);
}

const struct cli_command cmd_preview = {
	.name = "preview",
	.summary = "show the employee's page for a questionnaire file, or print it as a PDF",
	.help =
	"usage: koe preview SURVEY.txt [--listen ADDR:PORT] [--allow-remote]\n"
	"       koe preview SURVEY.txt --pdf FILE\n"
	"\n"
	"Serves the page employees will see for SURVEY.txt, with the same page code\n"
	"as koe serve: every question, both languages, pages and conditions. No\n"
	"roster, no database, no links: nothing is stored, and sending shows\n"
	"\"preview: not saved\". The file is read again on every page load, so edit,\n"
	"save and reload. A file with errors shows koe check's lines on the page.\n"
	"\n"
	"  --listen ADDR:PORT  where to listen (default 127.0.0.1:8081)\n"
	"  --allow-remote      allow an address other machines can reach (refused\n"
	"                      otherwise: the preview has no login)\n"
	"  --pdf FILE          write the questionnaire as an A4 PDF for approval\n"
	"                      (title, every question with its choices, required\n"
	"                      marks, pages) instead of serving\n"
	"\n"
	"Example:\n"
	"  koe check surveys/alumni-readiness.txt\n"
	"  koe preview surveys/alumni-readiness.txt     # open http://127.0.0.1:8081/\n"
	"  koe preview surveys/alumni-readiness.txt --pdf alumni-draft.pdf\n",
	.run = cmd_preview_run,
};
