/* console.h -- console mode: a line-oriented chat on two streams.
 *
 * Each line goes through the same path as a Slack message (request ->
 * cmd_dispatch -> reply) and is rendered as plain text. */
#ifndef PMPO_CONSOLE_H
#define PMPO_CONSOLE_H

#include <stdio.h>

/* Reads lines from in until EOF or "/quit"; answers on out. Shows a prompt
 * when interactive is non-zero. Returns a PMPO_EXIT_* code. */
int console_run(FILE *in, FILE *out, int interactive);

#endif
