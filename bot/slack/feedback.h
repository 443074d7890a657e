/* feedback.h -- the "👍 Helpful" / "👎 Not right" buttons under answers.
 *
 * Every answer to a question (ask, a plain question, a decline) carries an
 * actions block with both buttons. Their value is the question as typed;
 * their block_id is signed like the share button (share.h) under
 * FEEDBACK_PREFIX, over the request's seed and that text:
 *
 *   block_id = "pmpo_fb:" SEED ":" MAC
 *
 * A press is checked here; the SEED names the answer (a second press by the
 * same user on the same answer replaces the vote), and the question is run
 * again (handlers are pure) to learn its topic and role, so nothing about an
 * answer is stored before someone votes on it. No I/O. */
#ifndef PMPO_FEEDBACK_H
#define PMPO_FEEDBACK_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "cmd.h"
#include "envelope.h"
#include "share.h"

#define FEEDBACK_PREFIX "pmpo_fb:"
#define FEEDBACK_ANSWER_MAX 24 /* the answer id: the seed in decimal */

/* 1 if the reply gets feedback buttons: an answer to a question. */
int feedback_wanted(const struct reply *r);

/* Appends the buttons for req's answer to msg when feedback_wanted(r) and
 * the key is set and the text fits a button value; 0 (added or not), or -1
 * when out of memory. */
int feedback_add(cJSON *msg, const struct reply *r, const struct request *req,
                 const struct share_key *key);

/* A press of a feedback button, checked. */
struct feedback_click {
	int verdict;                           /* +1 helpful, -1 not right */
	unsigned long seed;                    /* the answer's seed, from the signed block_id */
	char answer[FEEDBACK_ANSWER_MAX + 1];  /* the seed in decimal */
};

/* 1 if the press's action_id is one of the feedback buttons. */
int feedback_is_action(const char *action_id);

/* Checks a block_actions press (env from envelope_parse): 0 and *c, or -1
 * with a short reason in *why ("bad_signature", "no_value", ...). */
int feedback_check(const struct share_key *key, const struct envelope *env,
                   struct feedback_click *c, const char **why);

/* The question as a person reads it, for the store: text[0..len) without
 * leading mentions (<@U123>) and white space; NUL-terminated in out (cap
 * bytes, cut at a UTF-8 boundary). Returns the bytes written. */
size_t feedback_question(const char *text, size_t len, char *out, size_t cap);

#endif
