/* engine.h -- answers a free-text question from the knowledge base.
 *
 * The answer model (model.h) gives every topic, and "out of scope", a
 * probability; decide.h turns those into a role, one topic or two (a
 * question that asks for both sides of a PM/PO split), or a decline with the
 * nearest topics as suggestions. Pure and thread-safe: no I/O and no heap. */
#ifndef PMPO_ENGINE_H
#define PMPO_ENGINE_H

#include <stddef.h>

#include "kb.h"

#define KB_QUESTION_MAX 4000 /* bytes of question text the engine reads */
#define KB_SUGGEST_MAX 3     /* topics offered next to an answer or a decline */

struct kb_answer {
	enum kb_role role;              /* the role the answer names; NONE on a decline */
	const struct kb_topic *topic;   /* the answering topic, NULL on a decline */
	const struct kb_topic *also;    /* a both-sides answer: the other role's topic
	                                   (role is then BOTH); else NULL */
	double confidence;              /* 0.0 .. 1.0: the chosen role's probability */
	const struct kb_topic *suggest[KB_SUGGEST_MAX]; /* the next-closest answerable topics */
	size_t nsuggest;
	const struct kb_topic *gap; /* on a decline: a known gap (a role-none topic) that
	                               explains it, e.g. project managers; else NULL */
	enum kb_role asked;         /* a yes/no question about one role ("does the PM ...?"):
	                               that role; else KB_ROLE_NONE */
};

/* Size of the answer model, for the build report, benchmarks and tests. */
struct kb_engine_stats {
	size_t classes;  /* topics + out of scope */
	size_t features; /* distinct features the model knows */
	size_t weights;  /* stored (feature, class) weights */
	size_t bytes;    /* static memory the model occupies */
};
void kb_engine_stats(struct kb_engine_stats *out);

/* One ranked topic, for diagnostics (the eval tool lists near misses). */
struct kb_hit {
	const struct kb_topic *topic; /* NULL: the out-of-scope class */
	double prob;
};

/* Fills hits with the max most probable classes for question, best first;
 * returns how many. */
size_t kb_engine_rank(const char *question, size_t len, struct kb_hit *hits, size_t max);

/* Answers the first len bytes of question (UTF-8, need not be NUL-terminated).
 * Always fills *out; a question it cannot answer well is a decline
 * (topic NULL, role KB_ROLE_NONE), never an error. */
void kb_ask(const char *question, size_t len, struct kb_answer *out);

#endif
