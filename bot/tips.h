/* tips.h -- daily tips: performing the handlers' tips actions against the
 * store, and the once-a-minute tick that posts due tips.
 *
 * Shared by every surface: the console calls these with the real clock and a
 * post function that prints; the Slack transport calls them with a post
 * function that sends chat.postMessage. Time is always a parameter (callers
 * pass their clock's value), so tests drive any instant without sleeping. */
#ifndef PMPO_TIPS_H
#define PMPO_TIPS_H

#include <time.h>

#include "cmd.h"
#include "store.h"

#define TIPS_MAX_ATTEMPTS 3 /* posts tried per channel and day before giving up */

/* The caller's clock; tests pass their own. */
typedef time_t (*tips_clock_fn)(void *ctx);

/* Defaults when the user named no time or zone (from the configuration). */
struct tips_defaults {
	const char *hhmm; /* "HH:MM" */
	const char *tz;   /* IANA zone */
};

/* Performs reply->action (if any) for req's channel at now and rewrites the
 * reply with the outcome: the saved subscription and its next post time, or
 * a clear error (unknown zone, storage failure). st may be NULL when the
 * store could not be opened; why_no_store then says why (shown to the user).
 * Never fails: the reply always says what happened. */
void tips_apply(struct store *st, const char *why_no_store, const struct tips_defaults *def,
                const struct request *req, time_t now, struct reply *reply);

/* How a post attempt went, as the transport saw it. */
enum tips_post_result {
	TIPS_POST_OK,      /* posted */
	TIPS_POST_RETRY,   /* a transient failure: try again at a later tick today */
	TIPS_POST_GONE,    /* the channel cannot take posts (not_in_channel, channel_not_found,
	                    * is_archived): pause its subscription */
	TIPS_POST_PENDING  /* sent asynchronously; the caller reports later via tips_post_done */
};

/* Posts one tip to a channel. local_date identifies the claim for
 * tips_post_done. */
typedef enum tips_post_result (*tips_post_fn)(void *ctx, const char *channel,
                                              const struct kb_tip *tip, const char *local_date);

/* Posts every due tip at now: for each non-paused subscription that is due
 * (sched_due) or whose post failed earlier today (fewer than
 * TIPS_MAX_ATTEMPTS tries), claims the channel's next tip in one transaction,
 * calls post, and records the outcome. Returns the number of tips posted (or
 * handed over as PENDING), or -1 if the store failed (logged; later ticks
 * try again). */
int tips_tick(struct store *st, time_t now, tips_post_fn post, void *ctx);

/* Records the outcome of a PENDING post. 0, or -1. */
int tips_post_done(struct store *st, const char *channel, const char *local_date,
                   enum tips_post_result result, time_t now);

/* Pauses the channel's subscription after a permanent failure; reason is a
 * Slack error code such as "not_in_channel". 0, or -1. */
int tips_pause(struct store *st, const char *channel, const char *reason);

/* The channel's next post time formatted in its zone ("Mon 2026-03-30 09:30
 * CEST") into buf; 0, or -1 if it has no subscription or none will come. */
int tips_next_post_text(struct store *st, const char *channel, time_t now, char *buf, size_t len);

#endif
