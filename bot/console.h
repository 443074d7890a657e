/* console.h -- console mode: a line-oriented chat on two streams.
 *
 * Each line goes through the same path as a Slack message (request ->
 * cmd_dispatch -> reply) and is rendered as plain text. */
#ifndef PMPO_CONSOLE_H
#define PMPO_CONSOLE_H

#include <stdio.h>

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

#endif
