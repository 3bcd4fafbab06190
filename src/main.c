/* koe — command-line entry point: dispatches to one cmd_*.c per command. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "koe/tok.h"

static const struct cli_command *const commands[] = {
	&cmd_demo,
	&cmd_check,
	&cmd_preview,
	&cmd_holder,
	&cmd_open,
	&cmd_status,
	&cmd_remind,
	&cmd_reissue,
	&cmd_send,
	&cmd_close,
	&cmd_serve,
	&cmd_report,
	&cmd_surveys,
	&cmd_backup,
	&cmd_restore,
};
#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void
usage(FILE *out)
{
	fprintf(out,
	        "usage: koe <command> [arguments]\n"
	        "\n"
	        "koe runs anonymous employee surveys: HR writes a questionnaire, each\n"
	        "employee answers through a one-time link, and nobody can link an\n"
	        "answer to the person who gave it.\n"
	        "\n"
	        "commands:\n");
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(out, "  %-10s %s\n", commands[i]->name, commands[i]->summary);
	fprintf(out,
	        "\n"
	        "Run 'koe help <command>' for the details of one command.\n"
	        "Options: -h, --help  show this help; --version  show the version.\n");
}

static const struct cli_command *
find_command(const char *name)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strcmp(commands[i]->name, name) == 0)
			return commands[i];
	return NULL;
}

static int
unknown_command(const char *name)
{
	const char *names[NCOMMANDS + 1];
	const char *guess;

	for (size_t i = 0; i < NCOMMANDS; i++)
		names[i] = commands[i]->name;
	guess = cli_suggest(name, names, NCOMMANDS);
	fprintf(stderr, "koe: '%s' is not a koe command.", name);
	if (guess)
		fprintf(stderr, " Did you mean 'koe %s'?", guess);
	fprintf(stderr, "\nRun 'koe --help' for the list of commands.\n");
	return 2;
}

int
main(int argc, char **argv)
{
	const struct cli_command *cmd;

	/* Every file koe creates holds names, addresses, links, keys or
	 * answers: the database with its -wal and -shm files (SQLite gives
	 * them the database's mode), the key, links.csv, reminder lists,
	 * reports and their temporary files. All are private to their owner
	 * from the moment they exist, whatever umask koe was started with. */
	umask(077);
	/* libsodium once, before any command: its only failure (no entropy
	 * source) is reported here, in one way. */
	if (tok_init() != KOE_OK) {
		fprintf(stderr, "koe: cannot start the crypto library (no source of randomness?)\n");
		return 1;
	}
	/* Commands that print a next step name koe as it was started, unless
	 * it was found on the PATH. */
	if (argc > 0 && argv[0] && strchr(argv[0], '/'))
		cli_self = argv[0];
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		printf("koe %s\n", KOE_VERSION);
		return 0;
	}
	if (strcmp(argv[1], "help") == 0) {
		if (argc < 3) {
			usage(stdout);
			return 0;
		}
		cmd = find_command(argv[2]);
		if (cmd == NULL)
			return unknown_command(argv[2]);
		fputs(cmd->help, stdout);
		return 0;
	}
	if (argv[1][0] == '-') {
		fprintf(stderr, "koe: unknown option '%s'\n", argv[1]);
		usage(stderr);
		return 2;
	}
	cmd = find_command(argv[1]);
	if (cmd == NULL)
		return unknown_command(argv[1]);
	/* A command's own --help is answered here so every command behaves alike. */
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			fputs(cmd->help, stdout);
			return 0;
		}
	}
	/* getopt names argv[0] in its messages: "koe report: unrecognized option". */
	char prog[32];
	snprintf(prog, sizeof(prog), "koe %s", cmd->name);
	argv[1] = prog;
	return cmd->run(argc - 1, argv + 1);
}
