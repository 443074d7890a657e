/* slack_app.h -- the Slack daemon: auth.test, then Socket Mode; each
 * envelope becomes a struct request for cmd_dispatch, and the reply goes
 * back in the ack (slash commands) or through the Web API outbox.
 *
 * Every envelope is acked at once, before any Web API call. Events are
 * deduplicated by event_id; the bot's own and other bots' messages, edits
 * and deletes are ignored. Private answers carry a "Share in channel"
 * button, signed (share.h): a press that does not match a button the bot
 * made is refused privately and posts nothing. Daily tips are posted from a
 * once-a-minute tick after the first hello. SIGTERM/SIGINT close the socket,
 * let queued answers go out for at most SLACK_APP_DRAIN_MS (a second signal
 * stops at once), drop the rest with one summary line and exit 0; SIGHUP
 * reloads the configuration's
 * reloadable keys (cfg is updated in place). sd_notify: READY=1 after the
 * first hello, STATUS= with the connection state, WATCHDOG=1, STOPPING=1.
 *
 * slack_app.c is compiled into each executable rather than the library, so
 * pmpo-bot-testclock can build it with PMPO_TEST_CLOCK (an injectable tips
 * clock) while pmpo-bot never contains that code. */
#ifndef PMPO_SLACK_APP_H
#define PMPO_SLACK_APP_H

#include "config.h"

/* The drain on SIGTERM. The unit's TimeoutStopSec=15s leaves 5 s for the
 * rest of the stop (closing the sockets takes at most 2 s, then teardown). */
#define SLACK_APP_DRAIN_MS 10000

/* Runs until a signal or a fatal error; returns a PMPO_EXIT_* code. */
int slack_app_run(struct config *cfg);

#endif
