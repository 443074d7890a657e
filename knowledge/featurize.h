/* featurize.h -- turns a question into the sparse features the answer model
 * reads, the same way at training time (kbtrain) and at answer time.
 *
 * Four families, each a 32-bit hash of a tagged string:
 *   w:TERM      analyzer terms (stemmed, synonyms folded, "product owner" -> po)
 *   b:TERM TERM adjacent analyzer terms, stop words skipped
 *   r:WORD      the normalised words, stop words included ("who", "vs", "or"),
 *               and r:WORD WORD pairs of them: the question's shape
 *   c:GRAM      character 3- to 5-grams inside "<word>", for typos and slang
 * plus e:pm+po when both roles are named. Values are 1 + log(count), scaled
 * per family, and down for words before the sentence that asks (people often
 * tell a story first); the model weighs them by IDF. Pure; no allocation. */
#ifndef PMPO_FEATURIZE_H
#define PMPO_FEATURIZE_H

#include <stddef.h>
#include <stdint.h>

#include "analyze.h"

#define FEAT_MAX 4096 /* distinct features one question yields; the rest are dropped */

enum feat_family {
	FEAT_TERM = 0, /* w:, b:, e: -- what the question is about */
	FEAT_SHAPE,    /* r: -- every word, stop words included */
	FEAT_CHAR      /* c: -- pieces of words */
};

struct feat {
	uint32_t id;
	float value;
	uint8_t family;
};

/* The content terms a model knows, sorted by length, then bytewise: a term
 * not among them that is one edit away from one is read as that one
 * ("roadmpa" -> "roadmap"), so a typo finds the words the model learned. */
struct feat_lexicon {
	const char *const *terms;
	size_t n;
	const uint32_t *by_len; /* [AN_WORD_MAX + 1]: first term at least i bytes long */
};

/* Extracts the features of text[0..len) into out (at most max, distinct ids,
 * in an order that depends only on the text); returns how many. lex may be NULL: no typo correction. */
size_t feat_extract(const char *text, size_t len, const struct feat_lexicon *lex,
                    struct feat *out, size_t max);

/* Where the sentence that asks starts in t[0..len): after the last sentence
 * end before the last '?' (0: the whole text). Words before it are context
 * and weigh less. */
size_t feat_question_start(const char *t, size_t len);

/* 1 if term is in lex. */
int feat_lexicon_has(const struct feat_lexicon *lex, const char *term);

/* The id of a tagged feature string, e.g. "w:backlog"; never 0. */
uint32_t feat_hash(const char *s, size_t len);

#endif
