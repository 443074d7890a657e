/* engine.c -- ranks knowledge-base topics against a question and decides
 * whether the best one answers it.
 *
 * Index (built once): every topic's asks, title, keywords and text go through
 * analyze_text(); unigram and adjacent-pair (bigram) terms get a weighted term
 * frequency per topic (field weights below), and each "asks" phrasing is also
 * kept as its own small document.
 * Query: the same analysis, then edit-distance-1 correction of unknown words,
 * then per topic
 *   score = (BM25F over all fields, normalised) mixed with
 *           (best weighted overlap with one of its phrasings),
 * scaled by coverage: the IDF-weighted share of the question's words the
 * topic knows at all. Words the knowledge base has never seen count against
 * it, which is what makes "what is kubernetes" a decline. The question's
 * shape ("who ...", "does the PM ...?", "PM or PO") decides whether a role
 * named in it should pull the answer towards that role. */
#include "engine.h"

#include <math.h>
#include <stdint.h>
#include <string.h>
#include <threads.h>

#include "analyze.h"

/* Ceilings, about three times what the content needs today; a build that
 * outgrows them sets ix.full, which test_engine checks. */
#define TERMS_MAX 8192
#define HASH_SIZE 16384 /* power of two, > 2 * TERMS_MAX */
#define POOL_MAX (128 * 1024)
#define POSTINGS_MAX 16384
#define ASKS_MAX 2048
#define ASK_POSTINGS_MAX 8192
#define TOPICS_MAX 512
#define FIELD_TOKENS_MAX 1024 /* tokens read from one field */
#define TOPIC_TERMS_MAX 2048  /* distinct terms one topic may hold */
#define QUERY_TOKENS_MAX 128
#define QUERY_TERMS_MAX 160

/* Field weights: a phrasing or a keyword says more about a topic than a
 * word in passing in its answer text. */
#define W_ASKS 1.0f
#define W_TITLE 2.0f
#define W_KEYWORDS 1.5f
#define W_TEXT 0.8f
#define W_BIGRAM 0.6f /* bigram terms, relative to unigrams */
#define BM25_K1 1.2
#define BM25_B 0.5

/* Decisions; tuned on our own held-out questions, not on one sentence. */
#define MIN_COVERAGE 0.45 /* share of the question's weight the topic must know */
#define MIN_SCORE 0.12   /* final score below which we decline */
#define TYPO_WEIGHT 0.8  /* a corrected word counts a little less */
#define COMMON_UNKNOWN 0.3 /* an unseen everyday word, relative to an unseen rare word */
#define ENTITY_BOOST 1.35 /* a topic of the role the question is about */
#define BOTH_DAMP 0.9      /* a both-roles topic when the question names one role,
                             or a one-role topic when it names both */
#define OTHER_DAMP 0.6     /* the other role's topic, when "what does the PO ..." names one */
#define SOFT_COVERAGE 0.3 /* a topic clearly ahead may answer with this coverage ... */
#define SOFT_SCORE 0.25   /* ... and this score ... */
#define SOFT_LEAD 1.8     /* ... when it scores this many times any other role's topic */
#define CONTEXT_W 0.4
#define OBJECT_DAMP 0.75   /* the role named as the object of a who-question */
#define PASSING 0.5       /* coverage credit for a word no topic is about */      /* a word in the preamble before the question sentence */

struct term {
	uint32_t str;   /* offset in pool */
	uint16_t df;    /* topics holding it */
	uint8_t bigram; /* 1 for "a b" pairs */
	uint8_t len;    /* strlen of the term */
	uint8_t named;  /* in some topic's asks, title or keywords, not only in passing */
	float idf;
	int32_t head;     /* first posting, -1 if none */
	int32_t ask_head; /* first ask posting, -1 if none */
};

struct posting {
	uint16_t topic;
	float wtf; /* weighted term frequency */
	int32_t next;
};

struct ask_posting {
	uint16_t ask;
	int32_t next;
};

struct ask {
	uint16_t topic;
	float norm; /* sum of the idf of its distinct unigrams */
};

struct index {
	char pool[POOL_MAX];
	size_t pool_len;
	struct term terms[TERMS_MAX];
	size_t nterms;
	int32_t hash[HASH_SIZE]; /* term index + 1; 0 empty */
	struct posting postings[POSTINGS_MAX];
	size_t npostings;
	struct ask asks[ASKS_MAX];
	size_t nasks;
	struct ask_posting ask_postings[ASK_POSTINGS_MAX];
	size_t nask_postings;
	float topic_k[TOPICS_MAX]; /* BM25 length factor k1 * (1 - b + b * dl / avgdl) */
	size_t ntopics;
	int32_t unigrams[TERMS_MAX]; /* unigram term ids, for typo search */
	size_t nunigrams;
	double idf_unknown;
	int full;
};

static struct index ix;
static once_flag ix_once = ONCE_FLAG_INIT;

/* ---- the term dictionary ---- */

static uint32_t
hash_str(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static int32_t
term_find(const char *s)
{
	for (uint32_t h = hash_str(s) & (HASH_SIZE - 1);; h = (h + 1) & (HASH_SIZE - 1)) {
		int32_t slot = ix.hash[h];
		if (slot == 0)
			return -1;
		if (strcmp(ix.pool + ix.terms[slot - 1].str, s) == 0)
			return slot - 1;
	}
}

static int32_t
term_add(const char *s, int bigram)
{
	uint32_t h;
	size_t len = strlen(s) + 1;
	int32_t id = term_find(s);

	if (id >= 0)
		return id;
	if (ix.nterms == TERMS_MAX || ix.pool_len + len > POOL_MAX) {
		ix.full = 1;
		return -1;
	}
	for (h = hash_str(s) & (HASH_SIZE - 1); ix.hash[h] != 0; h = (h + 1) & (HASH_SIZE - 1))
		;
	id = (int32_t)ix.nterms++;
	memcpy(ix.pool + ix.pool_len, s, len);
	ix.terms[id] = (struct term){.str = (uint32_t)ix.pool_len, .bigram = (uint8_t)bigram,
	                             .len = (uint8_t)(len - 1), .head = -1, .ask_head = -1};
	ix.pool_len += len;
	ix.hash[h] = id + 1;
	if (!bigram)
		ix.unigrams[ix.nunigrams++] = id;
	return id;
}

static const char *
term_str(int32_t id)
{
	return ix.pool + ix.terms[id].str;
}

/* ---- building ---- */

struct topic_terms {
	int32_t id[TOPIC_TERMS_MAX];
	float wtf[TOPIC_TERMS_MAX];
	size_t n;
	float length;
};

static void
topic_terms_add(struct topic_terms *tt, int32_t id, float w)
{
	if (id < 0)
		return;
	tt->length += w;
	for (size_t i = 0; i < tt->n; i++)
		if (tt->id[i] == id) {
			tt->wtf[i] += w;
			return;
		}
	if (tt->n == TOPIC_TERMS_MAX) {
		ix.full = 1;
		return;
	}
	tt->id[tt->n] = id;
	tt->wtf[tt->n++] = w;
}

/* Builds "a b" from two terms; returns 0 if it does not fit. */
static int
bigram_name(char *out, size_t cap, const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	if (la + lb + 2 > cap)
		return 0;
	memcpy(out, a, la);
	out[la] = ' ';
	memcpy(out + la + 1, b, lb + 1);
	return 1;
}

/* Adds the terms of one field; if ask_ids is not NULL, also collects the
 * distinct unigram ids (for an ask document). */
static void
field_add(struct topic_terms *tt, const char *text, size_t len, float weight,
          int32_t *ask_ids, size_t *nask_ids, size_t ask_cap)
{
	static struct an_token toks[FIELD_TOKENS_MAX]; /* build runs once, under call_once */
	size_t n = analyze_text(text, len, toks, FIELD_TOKENS_MAX);
	const char *prev = NULL;

	for (size_t i = 0; i < n; i++) {
		int32_t id;
		char pair[2 * AN_WORD_MAX];
		if (toks[i].kind == AN_STOP)
			continue;
		id = term_add(toks[i].term, 0);
		topic_terms_add(tt, id, weight);
		if (id >= 0 && weight > W_TEXT)
			ix.terms[id].named = 1;
		if (ask_ids != NULL && id >= 0) {
			size_t k = 0;
			while (k < *nask_ids && ask_ids[k] != id)
				k++;
			if (k == *nask_ids && *nask_ids < ask_cap)
				ask_ids[(*nask_ids)++] = id;
		}
		if (prev != NULL && bigram_name(pair, sizeof(pair), prev, toks[i].term))
			topic_terms_add(tt, term_add(pair, 1), weight * W_BIGRAM);
		prev = toks[i].term;
	}
}

static void
ask_add(size_t topic, const int32_t *ids, size_t n)
{
	size_t a;

	if (n == 0)
		return;
	if (ix.nasks == ASKS_MAX || ix.nask_postings + n > ASK_POSTINGS_MAX) {
		ix.full = 1;
		return;
	}
	a = ix.nasks++;
	ix.asks[a].topic = (uint16_t)topic;
	for (size_t i = 0; i < n; i++) {
		struct ask_posting *p = &ix.ask_postings[ix.nask_postings];
		p->ask = (uint16_t)a;
		p->next = ix.terms[ids[i]].ask_head;
		ix.terms[ids[i]].ask_head = (int32_t)ix.nask_postings++;
	}
}

static void
index_build(void)
{
	static struct topic_terms tt;
	double total_length = 0;
	float lengths[TOPICS_MAX];

	ix.ntopics = kb_ntopics < TOPICS_MAX ? kb_ntopics : TOPICS_MAX;
	if (kb_ntopics > TOPICS_MAX)
		ix.full = 1;
	for (size_t t = 0; t < ix.ntopics; t++) {
		const struct kb_topic *tp = &kb_topics[t];
		const char *p = tp->asks;
		memset(&tt, 0, sizeof(tt));
		/* each '|'-separated phrasing is a field of the topic and an ask */
		while (*p) {
			const char *bar = strchr(p, '|');
			size_t len = bar ? (size_t)(bar - p) : strlen(p);
			int32_t ids[64];
			size_t nids = 0;
			field_add(&tt, p, len, W_ASKS, ids, &nids, 64);
			ask_add(t, ids, nids);
			p += len + (bar != NULL);
		}
		field_add(&tt, tp->title, strlen(tp->title), W_TITLE, NULL, NULL, 0);
		field_add(&tt, tp->keywords, strlen(tp->keywords), W_KEYWORDS, NULL, NULL, 0);
		field_add(&tt, tp->text, strlen(tp->text), W_TEXT, NULL, NULL, 0);
		for (size_t i = 0; i < tt.n; i++) {
			struct posting *po;
			if (ix.npostings == POSTINGS_MAX) {
				ix.full = 1;
				break;
			}
			po = &ix.postings[ix.npostings];
			po->topic = (uint16_t)t;
			po->wtf = tt.wtf[i];
			po->next = ix.terms[tt.id[i]].head;
			ix.terms[tt.id[i]].head = (int32_t)ix.npostings++;
			ix.terms[tt.id[i]].df++;
		}
		lengths[t] = tt.length;
		total_length += tt.length;
	}
	for (size_t t = 0; t < ix.ntopics; t++)
		ix.topic_k[t] = (float)(BM25_K1 * (1 - BM25_B + BM25_B * lengths[t] /
		                                   (total_length / (double)(ix.ntopics ? ix.ntopics : 1))));
	for (size_t i = 0; i < ix.nterms; i++) {
		double df = ix.terms[i].df, n = (double)ix.ntopics;
		ix.terms[i].idf = (float)log(1.0 + (n - df + 0.5) / (df + 0.5));
	}
	/* a word we have never seen weighs as much as our rarest word */
	ix.idf_unknown = log(1.0 + ((double)ix.ntopics - 0.5) / 1.5);
	for (size_t a = 0; a < ix.nasks; a++)
		ix.asks[a].norm = 0;
	for (size_t i = 0; i < ix.nterms; i++)
		for (int32_t p = ix.terms[i].ask_head; p >= 0; p = ix.ask_postings[p].next)
			ix.asks[ix.ask_postings[p].ask].norm += ix.terms[i].idf;
}

static void
index_ready(void)
{
	call_once(&ix_once, index_build);
}

void
kb_engine_stats(struct kb_engine_stats *out)
{
	index_ready();
	out->terms = ix.nterms;
	out->postings = ix.npostings;
	out->asks = ix.nasks;
	out->bytes = sizeof(ix);
	out->full = ix.full;
}

/* ---- the question ---- */

enum shape_flags {
	SHAPE_WHO = 1,    /* "who ...", "which role ...", "PM or PO?" */
	SHAPE_YESNO = 2,  /* starts with an auxiliary: "does the PO ...?" */
	SHAPE_CHOICE = 4, /* contains "or" */
	SHAPE_ACTION = 8, /* a request to do something: "can you book ...", "write me ..." */
	SHAPE_HOWTO = 16, /* "how do I ...", "what makes a good ...": asks for a method or
	                     for quality, not for who does what */
};

struct qterm {
	int32_t id;    /* -1: unknown word */
	double weight; /* idf, times TYPO_WEIGHT if corrected */
	int entity;
	int bigram;
	int context; /* from the preamble: it may add to a topic's coverage, never
	                take from it */
};

struct query {
	struct qterm terms[QUERY_TERMS_MAX];
	size_t n;
	double content_weight; /* sum over content unigrams, unknown ones included */
	double context_weight; /* the same for the preamble's words */
	size_t ncontent;       /* content unigrams, entities excluded */
	size_t ninform;        /* of those, in the question sentence and not an unseen
	                          everyday word: what the question is about */
	int has_pm, has_po;
	int role_object; /* "who tells the PM ...": the one role named comes after "who" */
	enum kb_role first_entity;
	unsigned shape;
};

static int
is_aux(const char *w)
{
	static const char *const aux[] = {
		"does", "do", "is", "are", "can", "could", "should", "would", "will", "has", "have",
		"must", "shall", "may", "isnt", "doesnt", "shouldnt", "cant", NULL,
	};

	for (size_t i = 0; aux[i]; i++)
		if (strcmp(aux[i], w) == 0)
			return 1;
	return 0;
}

/* Verbs that make a sentence a request for an action, not a question; the
 * bot only answers questions, so these decline whatever they mention. */
static int
is_action(const char *w)
{
	static const char *const verbs[] = {
		"book", "schedule", "create", "send", "remind", "summarize", "summarise", "translate",
		"write", "invite", "cancel", "post", "generate", "draft", "deploy", "reserve", "delete",
		"fix", "open", "file", "add", "set", "organize", "organise", "plan", "arrange", NULL,
	};

	for (size_t i = 0; verbs[i]; i++)
		if (strcmp(verbs[i], w) == 0)
			return 1;
	return 0;
}

/* "book a room", "can you schedule ...", "please send ...": position of the
 * verb is what makes it a request ("who writes ..." stays a question). */
static int
is_request(const struct an_token *toks, size_t n)
{
	size_t i = 0;

	if (n > 0 && (strcmp(toks[0].raw, "please") == 0 || strcmp(toks[0].raw, "pls") == 0))
		i = 1;
	else if (n > 1 && strcmp(toks[1].raw, "you") == 0 &&
	         (strcmp(toks[0].raw, "can") == 0 || strcmp(toks[0].raw, "could") == 0 ||
	          strcmp(toks[0].raw, "would") == 0 || strcmp(toks[0].raw, "will") == 0))
		i = 2;
	if (i < n && (strcmp(toks[i].raw, "please") == 0 || strcmp(toks[i].raw, "pls") == 0))
		i++;
	return i < n && is_action(toks[i].raw);
}

/* "how do I run ...", "how can we set up ...", "what does a good story
 * look like": the seeds say who does what, not how to do it well. */
static int
is_howto(const struct an_token *toks, size_t n)
{
	static const char *const quality[] = {"good", "great", "best", "better", "effective",
	                                      "perfect", "ideal", NULL};

	if (n > 2 && strcmp(toks[0].raw, "how") == 0 && is_aux(toks[1].raw) &&
	    (strcmp(toks[2].raw, "i") == 0 || strcmp(toks[2].raw, "we") == 0 ||
	     strcmp(toks[2].raw, "you") == 0 || strcmp(toks[2].raw, "one") == 0))
		return 1;
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; quality[k]; k++)
			if (strcmp(toks[i].raw, quality[k]) == 0)
				return 1;
	return 0;
}

/* The nearest known unigram within one edit, preferring the commonest. */
static int32_t
typo_fix(const char *term)
{
	int32_t best = -1;
	size_t len = strlen(term);

	if (len < 4)
		return -1;
	for (size_t i = 0; i < ix.nunigrams; i++) {
		int32_t id = ix.unigrams[i];
		size_t sl = ix.terms[id].len;
		if (sl + 1 < len || sl > len + 1 || sl < 3 || ix.terms[id].df == 0)
			continue;
		if (analyze_distance_le1(term, term_str(id)) == 1 && (best < 0 || ix.terms[id].df > ix.terms[best].df))
			best = id;
	}
	return best;
}

static void
query_add(struct query *q, int32_t id, double weight, int entity, int bigram, int context)
{
	for (size_t i = 0; i < q->n; i++)
		if (id >= 0 && q->terms[i].id == id) {
			/* count a repeated word once, at its weightier place */
			if (weight > q->terms[i].weight) {
				if (!entity && !bigram) {
					if (q->terms[i].context)
						q->context_weight -= q->terms[i].weight;
					else
						q->content_weight -= q->terms[i].weight;
					if (context)
						q->context_weight += weight;
					else
						q->content_weight += weight;
				}
				q->terms[i].weight = weight;
				q->terms[i].context = context;
			}
			return;
		}
	if (q->n == QUERY_TERMS_MAX)
		return;
	q->terms[q->n++] = (struct qterm){id, weight, entity, bigram, context};
	if (!entity && !bigram && context)
		q->context_weight += weight;
	if (!entity && !bigram && !context) {
		q->content_weight += weight;
		q->ncontent++;
	}
}

static int
is_qword(const char *w)
{
	static const char *const qw[] = {"who", "whos", "what", "whats", "which", "how", "why",
	                                 "when", "where", "whom", "whose", NULL};

	for (size_t i = 0; qw[i]; i++)
		if (strcmp(qw[i], w) == 0)
			return 1;
	return is_aux(w);
}

static size_t
count_words(const char *t, size_t len)
{
	size_t n = 0;
	int in = 0;

	for (size_t i = 0; i < len; i++) {
		int alnum = (t[i] >= 'a' && t[i] <= 'z') || (t[i] >= 'A' && t[i] <= 'Z') ||
		            (t[i] >= '0' && t[i] <= '9');
		n += alnum && !in;
		in = alnum;
	}
	return n;
}

/* "vs." "e.g." "etc." end a word, not a sentence: seg[0..len) ends where
 * the '.' is. */
static int
is_abbrev(const char *seg, size_t len)
{
	static const char *const ab[] = {"vs", "v", "e.g", "i.e", "eg", "ie", "etc", "approx",
	                                 "mr", "ms", "dr", "st", "no", NULL};
	size_t k = len;
	char w[8];

	while (k > 0 && seg[k - 1] != ' ' && seg[k - 1] != '\n')
		k--;
	if (len - k == 0 || len - k >= sizeof(w))
		return len - k == 0;
	for (size_t i = k; i < len; i++)
		w[i - k] = (char)(seg[i] >= 'A' && seg[i] <= 'Z' ? seg[i] + 32 : seg[i]);
	w[len - k] = '\0';
	if (len - k == 1)
		return 1; /* an initial */
	for (size_t i = 0; ab[i]; i++)
		if (strcmp(ab[i], w) == 0)
			return 1;
	return 0;
}

/* Where the question sentence starts. People often give context first
 * ("ok so context: we're a 40 person shop ... what role should we hire?");
 * the sentence that asks is the last one ending in '?', else the last one
 * opening with a question word. Its words count fully, the preamble's less.
 * Returns 0 when the whole text is the question. */
static size_t
focus_start(const char *t, size_t len)
{
	size_t start = 0, last_q = SIZE_MAX, last_wh = SIZE_MAX, focus;

	for (size_t i = 0; i <= len; i++) {
		char c = i < len ? t[i] : '\0';
		int end;
		if (c == '<') {
			/* Slack markup (<https://...|label>) holds no sentence end */
			size_t k = i + 1;
			while (k < len && t[k] != '>' && t[k] != '<' && t[k] != '\n')
				k++;
			if (k < len && t[k] == '>') {
				i = k;
				continue;
			}
		}
		end = i == len || c == '\n' ||
		      ((c == '?' || c == '!' || c == ':' || c == ';' || c == '.') &&
		       (i + 1 == len || t[i + 1] == ' ' || t[i + 1] == '\n' || c == '?'));
		if (!end)
			continue;
		if (c == '.' && is_abbrev(t + start, i - start))
			continue;
		if (count_words(t + start, i - start) > 0) {
			struct an_token first[2];
			size_t s0 = start;
			while (s0 < i && (t[s0] == ' ' || t[s0] == '\n'))
				s0++;
			if (c == '?')
				last_q = start;
			else if (analyze_text(t + s0, i - s0 < 32 ? i - s0 : 32, first, 1) == 1 &&
			         is_qword(first[0].raw))
				last_wh = start;
		}
		start = i + 1;
	}
	focus = last_q != SIZE_MAX ? last_q : last_wh != SIZE_MAX ? last_wh : 0;
	/* a two-word tail ("PO?") is no question on its own */
	if (focus > 0 && count_words(t + focus, len - focus) < 3)
		return 0;
	return focus;
}

static void
query_parse(const char *text, size_t len, struct query *q)
{
	struct an_token toks[QUERY_TOKENS_MAX];
	double tw[QUERY_TOKENS_MAX];
	size_t fs = focus_start(text, len);
	size_t nctx = fs > 0 ? analyze_text(text, fs, toks, QUERY_TOKENS_MAX / 2) : 0;
	size_t n = nctx + analyze_text(text + fs, len - fs, toks + nctx, QUERY_TOKENS_MAX - nctx);
	const char *prev = NULL;
	char fixed[QUERY_TOKENS_MAX][AN_WORD_MAX];

	size_t k = nctx;

	memset(q, 0, sizeof(*q));
	size_t fstart = nctx; /* where the question sentence's tokens start */

	while (k < n && toks[k].kind != AN_CONTENT)
		k++;
	if (k == n)
		nctx = 0; /* "... PM or PO?": the tail names no subject, the context is it */
	for (size_t i = 0; i < n; i++)
		tw[i] = i < nctx ? CONTEXT_W : 1.0;
	for (size_t i = fstart; i < n; i++) {
		const char *r = toks[i].raw;
		if (strcmp(r, "who") == 0 || strcmp(r, "whos") == 0 || strcmp(r, "whom") == 0 ||
		    strcmp(r, "whose") == 0)
			q->shape |= SHAPE_WHO;
		if ((strcmp(r, "which") == 0 || strcmp(r, "what") == 0) && i + 1 < n &&
		    (strcmp(toks[i + 1].raw, "role") == 0 || strcmp(toks[i + 1].raw, "one") == 0 ||
		     strcmp(toks[i + 1].raw, "of") == 0 ||
		     strcmp(toks[i + 1].raw, "person") == 0))
			q->shape |= SHAPE_WHO;
		if (strcmp(r, "or") == 0) {
			q->shape |= SHAPE_CHOICE;
			/* "the PM or the PO": a choice between the roles is a who-question */
			size_t a = i, b = i + 1;
			while (a > 0 && toks[a - 1].kind == AN_STOP && a + 3 > i)
				a--;
			while (b < n && toks[b].kind == AN_STOP && b < i + 3)
				b++;
			if (a > 0 && b < n && toks[a - 1].kind == AN_ENTITY && toks[b].kind == AN_ENTITY)
				q->shape |= SHAPE_WHO;
		}
		if (toks[i].kind == AN_ENTITY) {
			int pm = strcmp(toks[i].term, "pm") == 0;
			if (q->shape & SHAPE_WHO)
				q->role_object = 1;
			if (pm)
				q->has_pm = 1;
			else
				q->has_po = 1;
			if (q->first_entity == KB_ROLE_NONE)
				q->first_entity = pm ? KB_ROLE_PM : KB_ROLE_PO;
		}
	}
	if (n > fstart && is_aux(toks[fstart].raw) && !(q->shape & SHAPE_WHO))
		q->shape |= SHAPE_YESNO;
	if (is_request(toks + fstart, n - fstart))
		q->shape |= SHAPE_ACTION;
	if (is_howto(toks + fstart, n - fstart))
		q->shape |= SHAPE_HOWTO;

	for (size_t i = 0; i < n; i++) {
		int32_t id;
		double w;
		const char *term = toks[i].term;
		char pair[2 * AN_WORD_MAX];
		if (i == nctx)
			prev = NULL; /* no bigram across the preamble's end */
		if (toks[i].kind == AN_STOP)
			continue;
		id = term_find(term);
		if (id >= 0 && ix.terms[id].df == 0)
			id = -1;
		w = id >= 0 ? ix.terms[id].idf : ix.idf_unknown;
		/* "how many / how long / how often": the seeds give no figures, so a
		 * request for one weighs double unless a topic says it answers it */
		if (id < 0 && strcmp(term, "quantity") == 0)
			w *= 2;
		if (id < 0 && i < nctx)
			continue; /* an unseen word in the preamble says nothing either way */
		/* a real word, not a typo: no correction either; nor for "yo", "ya" */
		if (id < 0 && (toks[i].common || strlen(toks[i].raw) <= 2))
			w *= COMMON_UNKNOWN;
		else if (id < 0 && toks[i].kind == AN_CONTENT && strlen(toks[i].raw) >= 5) {
			int32_t fix = typo_fix(term);
			if (fix >= 0) {
				id = fix;
				w = ix.terms[id].idf * TYPO_WEIGHT;
				term = term_str(id);
			}
		}
		if (i >= fstart && toks[i].kind == AN_CONTENT &&
		    (id >= 0 || !(toks[i].common || strlen(toks[i].raw) <= 2)))
			q->ninform++;
		query_add(q, id, w * tw[i], toks[i].kind == AN_ENTITY, 0, i < nctx);
		if (prev != NULL && bigram_name(pair, sizeof(pair), prev, term)) {
			int32_t bid = term_find(pair);
			if (bid >= 0 && ix.terms[bid].df > 0)
				query_add(q, bid, ix.terms[bid].idf * W_BIGRAM * tw[i], 0, 1, i < nctx);
		}
		memcpy(fixed[i], term, strlen(term) + 1);
		prev = fixed[i];
	}
}

/* ---- ranking ---- */

struct ranked {
	double score[TOPICS_MAX];
	double coverage[TOPICS_MAX];
};

static void
rank(const struct query *q, struct ranked *r)
{
	double bm25[TOPICS_MAX] = {0}, ask_hit[ASKS_MAX], best_ask[TOPICS_MAX] = {0};
	double bm25_max = 0, qsum = 0;
	static thread_local double ctx_cov[TOPICS_MAX];

	memset(r, 0, sizeof(*r));
	memset(ctx_cov, 0, sizeof(ctx_cov));
	memset(ask_hit, 0, sizeof(double) * ix.nasks);
	for (size_t i = 0; i < q->n; i++) {
		const struct qterm *qt = &q->terms[i];
		if (qt->id < 0) {
			qsum += qt->weight;
			continue;
		}
		bm25_max += qt->weight * (BM25_K1 + 1);
		for (int32_t p = ix.terms[qt->id].head; p >= 0; p = ix.postings[p].next) {
			const struct posting *po = &ix.postings[p];
			double tf = po->wtf;
			bm25[po->topic] += qt->weight * tf * (BM25_K1 + 1) / (tf + ix.topic_k[po->topic]);
			/* a word the seeds only use in passing ("security" in a list of
			 * departments) is not something we can answer about */
			if (!qt->entity && !qt->bigram)
				*(qt->context ? &ctx_cov[po->topic] : &r->coverage[po->topic]) +=
					qt->weight * (ix.terms[qt->id].named ? 1.0 : PASSING);
		}
		if (qt->bigram)
			continue;
		qsum += qt->weight;
		for (int32_t p = ix.terms[qt->id].ask_head; p >= 0; p = ix.ask_postings[p].next)
			ask_hit[ix.ask_postings[p].ask] += qt->weight;
	}
	for (size_t a = 0; a < ix.nasks; a++) {
		double d;
		if (ask_hit[a] == 0)
			continue;
		/* weighted Dice overlap between the question and this phrasing */
		d = 2 * ask_hit[a] / (qsum + ix.asks[a].norm);
		if (d > best_ask[ix.asks[a].topic])
			best_ask[ix.asks[a].topic] = d;
	}
	for (size_t t = 0; t < ix.ntopics; t++) {
		/* the preamble helps a topic that knows the question sentence; what it
		 * lacks counts half against */
		double cov = q->content_weight > 0 && r->coverage[t] > 0
		           ? (r->coverage[t] + ctx_cov[t]) / (q->content_weight + 0.5 * q->context_weight)
		           : 0;
		if (cov > 1)
			cov = 1;
		double s = 0.45 * (bm25_max > 0 ? bm25[t] / bm25_max : 0) + 0.55 * best_ask[t];
		enum kb_role role = kb_topics[t].role;
		s *= 0.5 + 0.5 * cov;
		/* A role named outside a who-question is what the question is about:
		 * "is the PM strategic or tactical?" leans to the PM's topic. In
		 * "who makes sure the PO ..." the role is only an object. */
		/* "who tells the PM about delays": the answer is rarely the PM */
		if ((q->shape & SHAPE_WHO) && q->role_object && q->has_pm != q->has_po &&
		    role == (q->has_pm ? KB_ROLE_PM : KB_ROLE_PO))
			s *= OBJECT_DAMP;
		if (!(q->shape & SHAPE_WHO)) {
			if (q->has_pm != q->has_po && role == (q->has_pm ? KB_ROLE_PM : KB_ROLE_PO))
				s *= ENTITY_BOOST;
			/* outside a yes/no question ("does the PM write stories?" is
			 * often answered "no, the PO"), the other role is off topic */
			else if (q->has_pm != q->has_po && !(q->shape & SHAPE_YESNO) &&
			         role == (q->has_pm ? KB_ROLE_PO : KB_ROLE_PM))
				s *= OTHER_DAMP;
			else if (q->has_pm != q->has_po && role == KB_ROLE_BOTH)
				s *= BOTH_DAMP;
			if (q->has_pm && q->has_po && role == KB_ROLE_BOTH)
				s *= ENTITY_BOOST;
			else if (q->has_pm && q->has_po)
				s *= BOTH_DAMP;
		}
		r->score[t] = s;
		r->coverage[t] = cov;
	}
}

static void
suggest(const struct ranked *r, struct kb_answer *out)
{
	static const char *const fallback[] = {"difference", "pm-role", "po-role"};
	int used[TOPICS_MAX] = {0};

	while (out->nsuggest < KB_SUGGEST_MAX) {
		size_t best = SIZE_MAX;
		for (size_t t = 0; t < ix.ntopics; t++)
			if (!used[t] && kb_topics[t].role != KB_ROLE_NONE && r->score[t] > 0.05 &&
			    (best == SIZE_MAX || r->score[t] > r->score[best]))
				best = t;
		if (best == SIZE_MAX)
			break;
		used[best] = 1;
		out->suggest[out->nsuggest++] = &kb_topics[best];
	}
	for (size_t f = 0; f < 3 && out->nsuggest < KB_SUGGEST_MAX; f++) {
		const struct kb_topic *t = kb_topic_find(fallback[f]);
		int dup = 0;
		for (size_t i = 0; i < out->nsuggest; i++)
			dup |= out->suggest[i] == t;
		if (t != NULL && !dup)
			out->suggest[out->nsuggest++] = t;
	}
}

/* A question that names a role and nothing else ("what does a PM do?",
 * "PO vs PM?") gets that role's overview. Returns 1 if it answered. */
static int
answer_role_only(const struct query *q, struct kb_answer *out)
{
	const char *id = q->has_pm && q->has_po ? "difference" : q->has_pm ? "pm-role"
	                                                     : q->has_po ? "po-role" : NULL;
	const struct kb_topic *t = id ? kb_topic_find(id) : NULL;

	if (t == NULL)
		return 0;
	out->topic = t;
	out->role = t->role;
	out->confidence = 0.6;
	out->asked = KB_ROLE_NONE;
	return 1;
}

/* The answering topic, or SIZE_MAX to decline. Only a topic that knows most
 * of the question may answer it; one that knows a little less may still,
 * when it is clearly ahead of every topic that would give another role. */
static size_t
pick(const struct ranked *r)
{
	size_t best = SIZE_MAX, top = SIZE_MAX;
	double rival = 0;

	for (size_t t = 0; t < ix.ntopics; t++) {
		if (r->coverage[t] >= MIN_COVERAGE && (best == SIZE_MAX || r->score[t] > r->score[best]))
			best = t;
		if (top == SIZE_MAX || r->score[t] > r->score[top])
			top = t;
	}
	if (top != SIZE_MAX && top != best && r->coverage[top] >= SOFT_COVERAGE &&
	    r->score[top] >= SOFT_SCORE) {
		for (size_t t = 0; t < ix.ntopics; t++)
			if (kb_topics[t].role != kb_topics[top].role && r->score[t] > rival)
				rival = r->score[t];
		if (r->score[top] >= SOFT_LEAD * rival)
			return top;
	}
	return best != SIZE_MAX && r->score[best] >= MIN_SCORE ? best : SIZE_MAX;
}

void
kb_ask(const char *question, size_t len, struct kb_answer *out)
{
	struct query q;
	struct ranked r;
	size_t best = SIZE_MAX;

	memset(out, 0, sizeof(*out));
	index_ready();
	if (question == NULL)
		len = 0;
	if (len > KB_QUESTION_MAX)
		len = KB_QUESTION_MAX;
	query_parse(question ? question : "", len, &q);
	if ((q.shape & SHAPE_YESNO) && !(q.shape & SHAPE_CHOICE) && q.has_pm != q.has_po)
		out->asked = q.has_pm ? KB_ROLE_PM : KB_ROLE_PO;
	/* a method or quality question that names no role ("how do I hire good
	 * developers", "what makes a good retro") is outside what we know */
	if ((q.shape & SHAPE_ACTION) ||
	    ((q.shape & SHAPE_HOWTO) && !(q.shape & SHAPE_WHO) && !q.has_pm && !q.has_po)) {
		out->asked = KB_ROLE_NONE;
		memset(&r, 0, sizeof(r));
		suggest(&r, out);
		return;
	}
	if (q.ncontent == 0 && answer_role_only(&q, out))
		return;
	if (q.ncontent == 0) {
		memset(&r, 0, sizeof(r));
		suggest(&r, out);
		return;
	}
	rank(&q, &r);
	best = pick(&r);
	if (best == SIZE_MAX || kb_topics[best].role == KB_ROLE_NONE) {
		if (best != SIZE_MAX && kb_topics[best].role == KB_ROLE_NONE)
			out->gap = &kb_topics[best];
		/* "yo what's a PM even for": nothing but a role and everyday words */
		else if (q.ninform == 0 && answer_role_only(&q, out))
			return;
		out->asked = KB_ROLE_NONE;
		suggest(&r, out);
		return;
	}
	out->topic = &kb_topics[best];
	out->role = kb_topics[best].role;
	out->confidence = r.coverage[best] * (r.score[best] > 0.6 ? 1.0 : 0.4 + r.score[best]);
	if (out->confidence > 1.0)
		out->confidence = 1.0;
}

size_t
kb_engine_rank(const char *question, size_t len, struct kb_hit *hits, size_t max)
{
	struct query q;
	struct ranked r;
	size_t n = 0;
	int used[TOPICS_MAX] = {0};

	index_ready();
	if (len > KB_QUESTION_MAX)
		len = KB_QUESTION_MAX;
	query_parse(question ? question : "", question ? len : 0, &q);
	rank(&q, &r);
	while (n < max) {
		size_t best = SIZE_MAX;
		for (size_t t = 0; t < ix.ntopics; t++)
			if (!used[t] && (best == SIZE_MAX || r.score[t] > r.score[best]))
				best = t;
		if (best == SIZE_MAX)
			break;
		used[best] = 1;
		hits[n++] = (struct kb_hit){&kb_topics[best], r.score[best], r.coverage[best]};
	}
	return n;
}
