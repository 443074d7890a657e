/* slack_app.h -- the Slack daemon: auth.test, then Socket Mode; each
 * envelope becomes a struct request for cmd_dispatch, and the reply goes
 * back in the ack (slash commands) or through the Web API outbox.
 *
 * Every envelope is acked at once, before any Web API call. Events are
 * deduplicated by event_id; the bot's own and other bots' messages, edits
 * and deletes are ignored. SIGTERM/SIGINT close the socket, flush the
 * outbox for at most SLACK_APP_FLUSH_MS and exit 0. */
#ifndef PMPO_SLACK_APP_H
#define PMPO_SLACK_APP_H

#include "config.h"

#define SLACK_APP_FLUSH_MS 4000

/* Runs until a signal or a fatal error; returns a PMPO_EXIT_* code. */
int slack_app_run(const struct config *cfg);

#endif
