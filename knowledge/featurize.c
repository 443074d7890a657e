/* featurize.c -- the answer model's view of a question; see featurize.h. */
#include "featurize.h"

#include <math.h>
#include <string.h>
#include <threads.h>

#include "analyze.h"

#define TOKENS_MAX 1024 /* analyzer tokens read; a 4 000-byte question has fewer */
#define SLOTS 8192      /* dedupe table, power of two, > 2 * FEAT_MAX */
#define TAG_MAX (2 * AN_WORD_MAX + 4)

/* Family weights: what a feature of each kind says relative to a term. */
#define W_TERM 1.0f
#define W_BIGRAM 0.8f
#define W_RAW 0.6f
#define W_RAW_PAIR 0.5f
#define W_CHAR 0.3f
#define W_BOTH_ROLES 1.0f
#define W_CONTEXT 0.5f /* a word before the sentence that asks, relative to one in it */

struct bag {
	uint32_t key[SLOTS]; /* 0 = empty */
	float weight[SLOTS]; /* family weight of the feature */
	uint16_t count[SLOTS];
	uint8_t family[SLOTS];
	uint16_t used[FEAT_MAX]; /* the filled slots, in insertion order */
	size_t n;
};

uint32_t
feat_hash(const char *s, size_t len)
{
	uint32_t h = 2166136261u; /* FNV-1a */

	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h ? h : 1;
}

static void
bag_add(struct bag *b, const char *s, size_t len, float weight)
{
	uint32_t h = feat_hash(s, len);

	for (size_t i = h & (SLOTS - 1);; i = (i + 1) & (SLOTS - 1)) {
		if (b->key[i] == h) {
			if (b->count[i] < UINT16_MAX)
				b->count[i]++;
			if (weight > b->weight[i])
				b->weight[i] = weight; /* counts at its weightier place */
			return;
		}
		if (b->key[i] == 0) {
			if (b->n >= FEAT_MAX)
				return; /* ceiling: later features of a huge message are dropped */
			b->key[i] = h;
			b->used[b->n] = (uint16_t)i;
			b->weight[i] = weight;
			b->count[i] = 1;
			b->family[i] = s[0] == 'c' ? FEAT_CHAR : s[0] == 'r' ? FEAT_SHAPE : FEAT_TERM;
			b->n++;
			return;
		}
	}
}

/* tag ":" a [" " b] into out; returns the length (cut to the buffer). */
static size_t
tagged(char *out, const char *tag, const char *a, const char *b)
{
	size_t n = 0;

	for (const char *p = tag; *p && n < TAG_MAX - 1; p++)
		out[n++] = *p;
	for (const char *p = a; *p && n < TAG_MAX - 1; p++)
		out[n++] = *p;
	if (b != NULL) {
		if (n < TAG_MAX - 1)
			out[n++] = ' ';
		for (const char *p = b; *p && n < TAG_MAX - 1; p++)
			out[n++] = *p;
	}
	out[n] = '\0';
	return n;
}

static void
char_grams(struct bag *b, const char *word, float scale)
{
	char w[AN_WORD_MAX + 2], g[8];
	size_t len = 0;

	w[len++] = '<';
	for (const char *p = word; *p && len < AN_WORD_MAX; p++)
		w[len++] = *p;
	w[len++] = '>';
	for (size_t n = 3; n <= 5; n++)
		for (size_t i = 0; i + n <= len; i++) {
			g[0] = 'c';
			g[1] = ':';
			memcpy(g + 2, w + i, n);
			bag_add(b, g, n + 2, W_CHAR * scale);
		}
}

int
feat_lexicon_has(const struct feat_lexicon *lex, const char *term)
{
	size_t len = strlen(term), lo, hi;

	if (len > AN_WORD_MAX - 1)
		return 0;
	lo = lex->by_len[len];
	hi = len + 1 <= AN_WORD_MAX - 1 ? lex->by_len[len + 1] : lex->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(lex->terms[mid], term);
		if (c == 0)
			return 1;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/* The first known term of length len-1 .. len+1 one edit from term, or NULL. */
static const char *
lex_correct(const struct feat_lexicon *lex, const char *term)
{
	size_t len = strlen(term), lo, hi;

	if (len < 2 || len > AN_WORD_MAX - 1)
		return NULL;
	lo = lex->by_len[len - 1];
	hi = len + 2 <= AN_WORD_MAX - 1 ? lex->by_len[len + 2] : lex->n;
	for (size_t i = lo; i < hi; i++)
		if (analyze_distance_le1(term, lex->terms[i]) == 1)
			return lex->terms[i];
	return NULL;
}

size_t
feat_question_start(const char *t, size_t len)
{
	size_t end = len, start = 0, words = 0;

	for (size_t i = len; i > 0; i--)
		if (t[i - 1] == '?') {
			end = i - 1;
			break;
		}
	for (size_t i = end; i > 0; i--)
		if (t[i - 1] == '.' || t[i - 1] == '!' || t[i - 1] == '?' || t[i - 1] == '\n' ||
		    t[i - 1] == ':' || t[i - 1] == ';') {
			start = i;
			break;
		}
	/* "PO?" or "vs. PO": too short to be the question on its own */
	for (size_t i = start; i < end; i++)
		words += (t[i] != ' ') && (i == start || t[i - 1] == ' ');
	return words >= 3 ? start : 0;
}

struct walk {
	const char *prev_term, *prev_raw;
	int has_pm, has_po;
};

static void
add_tokens(struct bag *bag, const struct an_token *toks, size_t ntok,
           const struct feat_lexicon *lex, float scale, struct walk *wk)
{
	char s[TAG_MAX];
	const char *term;

	for (size_t i = 0; i < ntok; i++) {
		const struct an_token *t = &toks[i];
		if (t->raw[0] == '\0')
			continue;
		bag_add(bag, s, tagged(s, "r:", t->raw, NULL), W_RAW * scale);
		if (wk->prev_raw != NULL)
			bag_add(bag, s, tagged(s, "r:", wk->prev_raw, t->raw), W_RAW_PAIR * scale);
		wk->prev_raw = t->raw;
		if (t->kind != AN_ENTITY)
			char_grams(bag, t->raw, scale);
		if (t->kind == AN_STOP || t->term[0] == '\0')
			continue;
		term = t->term;
		/* a misspelt domain word, not an everyday word the model never saw */
		if (lex != NULL && t->kind == AN_CONTENT && !t->common && strlen(term) >= 4 &&
		    !feat_lexicon_has(lex, term)) {
			const char *fix = lex_correct(lex, term);
			if (fix != NULL)
				term = fix;
		}
		wk->has_pm |= strcmp(term, "pm") == 0;
		wk->has_po |= strcmp(term, "po") == 0;
		bag_add(bag, s, tagged(s, "w:", term, NULL), W_TERM * scale);
		if (wk->prev_term != NULL)
			bag_add(bag, s, tagged(s, "b:", wk->prev_term, term), W_BIGRAM * scale);
		wk->prev_term = term;
	}
}

size_t
feat_extract(const char *text, size_t len, const struct feat_lexicon *lex, struct feat *out,
             size_t max)
{
	/* two halves: the context before the sentence that asks, and that sentence */
	static thread_local struct an_token pre[TOKENS_MAX / 2], ask[TOKENS_MAX / 2];
	static thread_local struct bag bag;
	struct walk wk = {0};
	size_t qs = feat_question_start(text, len), npre, nask, n = 0;

	npre = qs > 0 ? analyze_text(text, qs, pre, TOKENS_MAX / 2) : 0;
	nask = analyze_text(text + qs, len - qs, ask, TOKENS_MAX / 2);
	add_tokens(&bag, pre, npre, lex, W_CONTEXT, &wk);
	wk.prev_term = wk.prev_raw = NULL;
	add_tokens(&bag, ask, nask, lex, 1.0f, &wk);
	if (wk.has_pm && wk.has_po)
		bag_add(&bag, "e:pm+po", 7, W_BOTH_ROLES);
	for (size_t k = 0; k < bag.n; k++) {
		size_t i = bag.used[k];
		if (n < max)
			out[n++] = (struct feat){bag.key[i], bag.weight[i] * (1.0f + logf((float)bag.count[i])),
			                         bag.family[i]};
		bag.key[i] = 0; /* empty again for the next call */
	}
	bag.n = 0;
	return n;
}
