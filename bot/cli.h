/* cli.h -- the command line: pmpo-bot [--config FILE] [MODE [ARGS]].
 *
 * Parsing is separate from acting so it can be tested: cli_parse fills a
 * struct cli or explains, in err, what was wrong. */
#ifndef PMPO_CLI_H
#define PMPO_CLI_H

#include <stddef.h>

/* Exit codes, documented in --help and the man page. Never renumber. */
enum pmpo_exit {
	PMPO_EXIT_OK = 0,       /* success */
	PMPO_EXIT_RUNTIME = 1,  /* failed while running (I/O, lost Slack for good) */
	PMPO_EXIT_USAGE = 2,    /* bad command line */
	PMPO_EXIT_CONFIG = 3,   /* configuration unreadable or invalid, bad token shape */
	PMPO_EXIT_REFUSED = 4   /* Slack refused the tokens or Socket Mode is disabled */
};

enum cli_mode {
	CLI_RUN = 0,      /* default: Slack with tokens, else console */
	CLI_CONSOLE,
	CLI_ASK,
	CLI_CHECK_CONFIG,
	CLI_REPORT,
	CLI_HELP,
	CLI_VERSION
};

struct cli {
	enum cli_mode mode;
	const char *config_path; /* --config FILE, or NULL (points into argv) */
	int json;                /* ask --json, report --json */
	int days;                /* report --days N (default REPORT_DAYS_DEFAULT) */
	char *ask_text;          /* ask: the words after "ask" joined by spaces; owned, see cli_free */
	size_t ask_len;
};

/* 0 on success, or -1 with a one-line reason in err. */
int cli_parse(int argc, char **argv, struct cli *out, char *err, size_t errlen);
void cli_free(struct cli *cli);
/* The --help text. */
const char *cli_usage(void);

#endif
