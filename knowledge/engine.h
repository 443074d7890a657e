/* engine.h -- answers a free-text question from the knowledge base.
 *
 * Pure and reentrant: no I/O, no allocation that outlives a call, no global
 * state beyond the read-only tables in kb.h. */
#ifndef PMPO_ENGINE_H
#define PMPO_ENGINE_H

#include <stddef.h>

#include "kb.h"

#define KB_QUESTION_MAX 4000 /* bytes of question text the engine reads */
#define KB_SUGGEST_MAX 3     /* topics offered when the engine declines */

struct kb_answer {
	enum kb_role role;              /* the role the answer names; NONE on a decline */
	const struct kb_topic *topic;   /* the answering topic, NULL on a decline */
	double confidence;              /* 0.0 .. 1.0 */
	const struct kb_topic *suggest[KB_SUGGEST_MAX]; /* on a decline: things we can answer */
	size_t nsuggest;
};

/* Answers the first len bytes of question (UTF-8, need not be NUL-terminated).
 * Always fills *out; a question it cannot answer well is a decline
 * (topic NULL, role KB_ROLE_NONE), never an error. */
void kb_ask(const char *question, size_t len, struct kb_answer *out);

#endif
