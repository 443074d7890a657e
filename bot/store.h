/* store.h -- the daemon's state in one SQLite file: tip subscriptions, each
 * channel's tip rotation, and each channel's last post.
 *
 * Promises: the file is STATE_DIR/state.db, in WAL mode with synchronous=FULL;
 * every write is one transaction committed before the call returns 0, so a
 * caller that acknowledges after a 0 never acknowledges something a kill -9
 * (or a power cut) can take back. Every failure is a -1 with a one-line reason
 * in err (also logged); the store stays usable after a failed write (disk
 * full, read-only file system): the transaction is rolled back and nothing
 * half-written remains. Schema changes are numbered migrations run by
 * store_open. One connection, one thread. */
#ifndef PMPO_STORE_H
#define PMPO_STORE_H

#include <stddef.h>
#include <time.h>

#include "sched.h"

#define STORE_ERR_MAX 256
#define STORE_FILE "state.db"

struct store;

/* What the last tip post of a channel came to. */
enum store_post_state {
	STORE_POST_CLAIMED = 0, /* chosen and about to be posted (or being posted) */
	STORE_POST_POSTED,      /* Slack accepted it */
	STORE_POST_FAILED       /* the post failed; it may be retried the same day */
};

struct store_post {
	char local_date[SCHED_DATE_LEN + 1]; /* the channel's local day it was for */
	enum store_post_state state;
	long tip_index;                      /* index into kb_tips */
	int attempts;                        /* posts tried for that day */
	time_t updated_at;
};

/* Creates dir (one level, mode 0700) if missing, opens or creates the
 * database and brings its schema up to date. 0 and *out (free with
 * store_close), or -1 with the reason in err. */
int store_open(const char *dir, struct store **out, char *err, size_t errlen);
void store_close(struct store *st);

/* The schema version the open database is at (for tests and logs). */
int store_schema_version(struct store *st);

/* Creates or replaces the channel's subscription (keeping its rotation and
 * last post, so re-subscribing never repeats a day or a tip). 0, or -1. */
int store_subscribe(struct store *st, const struct subscription *sub, char *err, size_t errlen);

/* Removes the channel's subscription; *existed says whether there was one.
 * 0, or -1. */
int store_unsubscribe(struct store *st, const char *channel, int *existed, char *err,
                      size_t errlen);

/* Reads the channel's subscription into *out; *found 1 or 0. 0, or -1. */
int store_get(struct store *st, const char *channel, struct subscription *out, int *found,
              char *err, size_t errlen);

/* Pauses the channel's subscription (posting failed for good: the bot was
 * removed, the channel archived or deleted) with a short reason; the first
 * reason given sticks until the next store_subscribe. 0, or -1. */
int store_pause(struct store *st, const char *channel, const char *reason, char *err,
                size_t errlen);

/* Every subscription, in channel order: *out is malloc'd (free() it), *n its
 * length. 0, or -1. */
int store_list(struct store *st, struct subscription **out, size_t *n, char *err, size_t errlen);

/* The channel's last post; *found 1 or 0. 0, or -1. */
int store_last_post(struct store *st, const char *channel, struct store_post *out, int *found,
                    char *err, size_t errlen);

/* In one transaction: takes the channel's next tip from its rotation of
 * ntips tips, advances the rotation, and records a CLAIMED post for
 * local_date. *tip_index receives the tip. Returns 0; 1 (and changes
 * nothing) if a post for local_date is already recorded; -1 on error. */
int store_claim(struct store *st, const char *channel, const char *local_date, size_t ntips,
                time_t now, long *tip_index, char *err, size_t errlen);

/* Records how the post for local_date went (POSTED or FAILED). 0, or -1
 * (also when no post for local_date is recorded). */
int store_post_result(struct store *st, const char *channel, const char *local_date,
                      enum store_post_state state, time_t now, char *err, size_t errlen);

/* Marks a FAILED post as being tried again (state CLAIMED, attempts + 1).
 * 0, or -1. */
int store_retry(struct store *st, const char *channel, const char *local_date, time_t now,
                char *err, size_t errlen);

/* ---- questions and feedback (privacy: see README, question_log_days) ---- */

#define STORE_DAY_LEN 10 /* "YYYY-MM-DD", UTC */

/* One user's vote on one answer. */
struct store_vote {
	const char *answer;   /* the answer's id (its seed, feedback.h) */
	const char *user;
	const char *channel;
	const char *question; /* the question's text, or NULL to keep none */
	const char *topic;    /* topic id, or NULL / "" for a decline */
	const char *role;     /* kb_role_name of the answer */
	int declined;         /* the answer was "I don't know" */
	int verdict;          /* +1 helpful, -1 not right */
	time_t at;
};

/* The UTC day of t into out. */
void store_day(time_t t, char out[STORE_DAY_LEN + 1]);

/* Saves the vote, replacing this user's earlier vote on the same answer
 * (*replaced says so); committed before returning 0. -1 on error. */
int store_vote(struct store *st, const struct store_vote *v, int *replaced, char *err,
               size_t errlen);

/* Counts one answered (declined 0) or declined question for at's day and
 * topic (NULL for none); keeps question's text (if not NULL) when declined.
 * 0, or -1. */
int store_log_question(struct store *st, time_t at, const char *topic, int declined,
                       const char *question, char *err, size_t errlen);

/* Forgets question text older than before: declined questions are deleted,
 * votes keep their counts but lose the text. *purged counts the rows. 0, or -1. */
int store_purge_questions(struct store *st, time_t before, int *purged, char *err, size_t errlen);

#endif
