/* koe check FILE... — validate questionnaire files. */
#include <stdio.h>

#include "cli.h"

static int
run(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "koe check: not implemented yet\n");
	return 2;
}

const struct cli_command cmd_check = {
	.name = "check",
	.summary = "validate questionnaire files and report every error",
	.help = "usage: koe check FILE...\n",
	.run = run,
};
