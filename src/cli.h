/* koe — the command table shared by main.c and the cmd_*.c files. */
#ifndef KOE_CLI_H
#define KOE_CLI_H

#include <stddef.h>

#include "koe/diag.h"

struct cli_command {
	const char *name;
	const char *summary; /* one line for 'koe --help' */
	const char *help;    /* full text for 'koe help NAME' */
	/* argv[0] is the command name. Returns the exit status: 0 success,
	 * 1 the input had errors, 2 usage error. */
	int (*run)(int argc, char **argv);
};

extern const struct cli_command cmd_check;

#define cli_suggest koe_suggest

#endif
