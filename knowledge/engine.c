/* engine.c -- first, simple question matcher: counts shared content words
 * between the question and each topic's title, asks and keywords.
 * (The full engine -- stemming, synonyms, typos, BM25 -- replaces this.) */
#include "engine.h"

#include <ctype.h>
#include <string.h>

#define WORD_MAX 32
#define WORDS_MAX 64

static const char *const stopwords[] = {
	"the", "and", "who", "what", "does", "for", "are", "with", "that", "this",
	"how", "why", "should", "can", "you", "our", "their", "his", "her", "its",
	NULL,
};

static int
is_stopword(const char *w)
{
	for (size_t i = 0; stopwords[i]; i++)
		if (strcmp(stopwords[i], w) == 0)
			return 1;
	return 0;
}

/* Splits text into lowercase ASCII words of 3+ letters; returns the count. */
static size_t
split_words(const char *text, size_t len, char words[][WORD_MAX], size_t max)
{
	size_t n = 0, i = 0;

	while (i < len && n < max) {
		size_t w = 0;
		while (i < len && !isalnum((unsigned char)text[i]))
			i++;
		while (i < len && isalnum((unsigned char)text[i])) {
			if (w + 1 < WORD_MAX)
				words[n][w++] = (char)tolower((unsigned char)text[i]);
			i++;
		}
		words[n][w] = '\0';
		if (w >= 2 && !is_stopword(words[n]))
			n++;
	}
	return n;
}

static int
contains_word(const char *hay, const char *word)
{
	char words[WORDS_MAX * 4][WORD_MAX];
	size_t n = split_words(hay, strlen(hay), words, WORDS_MAX * 4);

	for (size_t i = 0; i < n; i++)
		if (strcmp(words[i], word) == 0)
			return 1;
	return 0;
}

void
kb_ask(const char *question, size_t len, struct kb_answer *out)
{
	char words[WORDS_MAX][WORD_MAX];
	size_t n, best = 0;
	int best_score = 0;

	memset(out, 0, sizeof(*out));
	if (len > KB_QUESTION_MAX)
		len = KB_QUESTION_MAX;
	n = split_words(question, len, words, WORDS_MAX);
	for (size_t t = 0; t < kb_ntopics; t++) {
		int score = 0;
		for (size_t i = 0; i < n; i++)
			score += contains_word(kb_topics[t].asks, words[i]) ||
			         contains_word(kb_topics[t].keywords, words[i]) ||
			         contains_word(kb_topics[t].title, words[i]);
		if (score > best_score) {
			best_score = score;
			best = t;
		}
	}
	if (best_score < 2) {
		for (size_t t = 0; t < kb_ntopics && out->nsuggest < KB_SUGGEST_MAX; t++)
			out->suggest[out->nsuggest++] = &kb_topics[t];
		return;
	}
	out->topic = &kb_topics[best];
	out->role = kb_topics[best].role;
	out->confidence = n ? (double)best_score / (double)n : 0.0;
	if (out->confidence > 1.0)
		out->confidence = 1.0;
}
