/* console.h -- console mode: a line-oriented chat on two streams.
 *
 * Each line goes through the same path as a Slack message (request ->
 * cmd_dispatch -> reply) and is rendered as plain text. */
#ifndef PMPO_CONSOLE_H
#define PMPO_CONSOLE_H

#include <stdio.h>

#include "log.h"
#include "tips.h"

/* What console mode needs for daily tips. The channel is "console". */
struct console_env {
	struct store *store;          /* NULL: tips unavailable */
	const char *why_no_store;     /* shown when store is NULL */
	struct tips_defaults defaults;
	tips_clock_fn clock;          /* the real clock in the binary; tests inject one */
	void *clock_ctx;
};

/* Reads lines from in until EOF or "/quit"; answers on out. Shows a prompt
 * when interactive is non-zero. Runs the tips tick at the start and after
 * each line, printing a due tip instead of posting it. env may be NULL (no
 * tips, real clock). Returns a PMPO_EXIT_* code. */
int console_run(FILE *in, FILE *out, int interactive, const struct console_env *env);

/* The log level for a console session. When the log goes to a terminal
 * (log_on_terminal), its lines would land in the conversation, so only
 * warnings and errors are logged unless the level was set explicitly (the
 * config file or PMPO_LOG_LEVEL: explicit_level). Otherwise configured. */
enum log_level console_log_level(enum log_level configured, int explicit_level, int log_on_terminal);

#endif
