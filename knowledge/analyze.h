/* analyze.h -- turns free text into search terms, the same way for the
 * knowledge base and for a question, so the two meet on equal terms.
 *
 * Steps: normalise (Slack markup, HTML entities, Unicode quotes, case; any
 * other byte becomes a separator, so arbitrary bytes are safe), split into
 * words, merge known phrases ("product owner" -> "po"), drop stop words,
 * map synonyms and spelling variants to one canonical term, stem the rest.
 * Pure functions over caller-owned memory; the word tables are read-only. */
#ifndef PMPO_ANALYZE_H
#define PMPO_ANALYZE_H

#include <stddef.h>

#define AN_WORD_MAX 24    /* bytes per word or term, NUL included; longer words are cut */
#define AN_TEXT_MAX 16384 /* bytes of input one call reads; the rest is ignored */

enum an_kind {
	AN_STOP = 0, /* a function word: kept for question-shape detection only */
	AN_CONTENT,  /* a search term */
	AN_ENTITY    /* "pm" or "po": names a role */
};

struct an_token {
	char raw[AN_WORD_MAX];  /* the normalised word (or merged phrase's term) */
	char term[AN_WORD_MAX]; /* canonical search term; "" for stop words */
	enum an_kind kind;
	int common; /* an everyday English word: if the knowledge base lacks it,
	               it says little about whether a question is in scope */
};

/* Writes a normalised copy of in[0..len) to out (at most cap-1 bytes, always
 * NUL-terminated): lowercase ASCII letters and digits, apostrophes inside
 * words, and single spaces. Slack mentions and channel links are dropped,
 * <url|label> keeps the label, curly quotes become ASCII. Returns the length. */
size_t analyze_normalize(const char *in, size_t len, char *out, size_t cap);

/* Stems one lowercase ASCII word in place (a small English suffix stripper
 * that also folds British spellings: prioritise -> prioritiz). */
void analyze_stem(char *word);

/* Tokenises text[0..len) into at most max tokens; returns how many. */
size_t analyze_text(const char *text, size_t len, struct an_token *out, size_t max);

/* Optimal-string-alignment distance of a and b, stopping early: returns
 * 0, 1, or 2 meaning "2 or more". */
int analyze_distance_le1(const char *a, const char *b);

#endif
