/* engine.c -- kb_ask: the answer model's probabilities, the decision, and
 * the one piece of question shape the answer text needs: a yes/no question
 * about one role ("does the PM write the stories?"), so that the handler can
 * say "mostly not the PM" when the answer sits with the other role. */
#include "engine.h"

#include <stdint.h>
#include <string.h>

#include "analyze.h"
#include "decide.h"
#include "featurize.h"
#include "model.h"

#define SHAPE_TOKENS_MAX 64

static int
is_word(const char *w, const char *const *list)
{
	for (size_t i = 0; list[i]; i++)
		if (strcmp(list[i], w) == 0)
			return 1;
	return 0;
}

/* The role a yes/no question asks about, or KB_ROLE_NONE. */
static enum kb_role
asked_role(const char *text, size_t len)
{
	static const char *const aux[] = {"does", "do", "is", "are", "can", "could", "should",
	                                  "would", "will", "has", "have", "must", "shall", "isnt",
	                                  "doesnt", "shouldnt", "cant", NULL};
	static const char *const lead_in[] = {"so", "ok", "okay", "but", "and", "hey", "hi", "also",
	                                      "quick", "question", "q", "pls", "please", "then", NULL};
	static const char *const choice[] = {"or", "who", "whos", "which", "vs", "versus", NULL};
	struct an_token toks[SHAPE_TOKENS_MAX];
	size_t start = feat_question_start(text, len), i = 0, n;
	int pm = 0, po = 0;

	n = analyze_text(text + start, len - start, toks, SHAPE_TOKENS_MAX);
	while (i < n && is_word(toks[i].raw, lead_in))
		i++;
	if (i >= n || !is_word(toks[i].raw, aux))
		return KB_ROLE_NONE;
	for (; i < n; i++) {
		if (is_word(toks[i].raw, choice))
			return KB_ROLE_NONE;
		pm |= toks[i].kind == AN_ENTITY && strcmp(toks[i].term, "pm") == 0;
		po |= toks[i].kind == AN_ENTITY && strcmp(toks[i].term, "po") == 0;
	}
	return pm == po ? KB_ROLE_NONE : pm ? KB_ROLE_PM : KB_ROLE_PO;
}

void
kb_ask(const char *question, size_t len, struct kb_answer *out)
{
	float prob[KB_CLASSES_MAX];
	size_t words;

	if (question == NULL)
		len = 0;
	if (len > KB_QUESTION_MAX)
		len = KB_QUESTION_MAX;
	words = kb_model_predict(&kb_model, question ? question : "", len, prob);
	kb_decide(prob, words, &kb_model.decision, out);
	if (out->topic != NULL && out->also == NULL)
		out->asked = asked_role(question ? question : "", len);
}

size_t
kb_engine_rank(const char *question, size_t len, struct kb_hit *hits, size_t max)
{
	float prob[KB_CLASSES_MAX];
	int used[KB_CLASSES_MAX] = {0};
	size_t n = 0;

	if (question == NULL)
		len = 0;
	if (len > KB_QUESTION_MAX)
		len = KB_QUESTION_MAX;
	kb_model_predict(&kb_model, question ? question : "", len, prob);
	while (n < max) {
		size_t best = SIZE_MAX;
		for (size_t c = 0; c < kb_model.nclasses; c++)
			if (!used[c] && (best == SIZE_MAX || prob[c] > prob[best]))
				best = c;
		if (best == SIZE_MAX)
			break;
		used[best] = 1;
		hits[n++] = (struct kb_hit){best < kb_ntopics ? &kb_topics[best] : NULL, prob[best]};
	}
	return n;
}

void
kb_engine_stats(struct kb_engine_stats *out)
{
	out->classes = kb_model.nclasses;
	out->features = kb_model.nrows;
	out->weights = kb_model.nentries;
	out->bytes = kb_model_bytes(&kb_model);
}
