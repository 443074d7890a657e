/* engine.h -- answers a free-text question from the knowledge base.
 *
 * Pure and thread-safe: no I/O and no allocation. The first call builds a
 * search index over the tables in kb.h (once, guarded by call_once); after
 * that every call only reads it. Text analysis lives in analyze.h. */
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
	const struct kb_topic *gap; /* on a decline: a known gap (a role-none topic) that
	                               explains it, e.g. project managers; else NULL */
	enum kb_role asked;         /* a yes/no question about one role ("does the PM ...?"):
	                               that role; else KB_ROLE_NONE */
};

/* Size of the search index, for the build report, benchmarks and tests. */
struct kb_engine_stats {
	size_t terms;    /* distinct unigram and bigram terms */
	size_t postings; /* (term, topic) pairs */
	size_t asks;     /* indexed question phrasings */
	size_t bytes;    /* static memory the index occupies */
	int full;        /* 1 if a table overflowed and content was left out */
};
void kb_engine_stats(struct kb_engine_stats *out);

/* One ranked topic, for diagnostics (the eval tool lists near misses). */
struct kb_hit {
	const struct kb_topic *topic;
	double score;    /* the ranking score, before any decline decision */
	double coverage; /* share of the question's weight the topic knows */
};

/* Fills hits with the max best-scoring topics for question, best first;
 * returns how many. Same analysis as kb_ask, no decline logic. */
size_t kb_engine_rank(const char *question, size_t len, struct kb_hit *hits, size_t max);

/* Answers the first len bytes of question (UTF-8, need not be NUL-terminated).
 * Always fills *out; a question it cannot answer well is a decline
 * (topic NULL, role KB_ROLE_NONE), never an error. */
void kb_ask(const char *question, size_t len, struct kb_answer *out);

#endif
