/* decide.c -- see decide.h. */
#include "decide.h"

#include <string.h>

/* The most probable topic of role, not yet in used; -1 if none. */
static int
best_of(const float *prob, enum kb_role role, const int *used)
{
	int best = -1;

	for (size_t t = 0; t < kb_ntopics; t++)
		if (kb_topics[t].role == role && !used[t] && (best < 0 || prob[t] > prob[best]))
			best = (int)t;
	return best;
}

static void
suggest(const float *prob, int *used, struct kb_answer *out)
{
	while (out->nsuggest < KB_SUGGEST_MAX) {
		int best = -1;
		for (size_t t = 0; t < kb_ntopics; t++)
			if (!used[t] && kb_topics[t].role != KB_ROLE_NONE && (best < 0 || prob[t] > prob[best]))
				best = (int)t;
		if (best < 0)
			return;
		used[best] = 1;
		out->suggest[out->nsuggest++] = &kb_topics[best];
	}
}

void
kb_decide(const float *prob, size_t known_words, const struct kb_decision *d,
          struct kb_answer *out)
{
	double mass[4] = {0};
	int used[KB_CLASSES_MAX] = {0};
	enum kb_role lead = KB_ROLE_PM;
	int pm, po, t, split;

	memset(out, 0, sizeof(*out));
	for (size_t c = 0; c < kb_ntopics; c++)
		mass[kb_topics[c].role] += prob[c];
	mass[KB_ROLE_NONE] += prob[kb_ntopics];
	if (mass[KB_ROLE_PO] > mass[lead])
		lead = KB_ROLE_PO;
	if (mass[KB_ROLE_BOTH] > mass[lead])
		lead = KB_ROLE_BOTH;
	pm = best_of(prob, KB_ROLE_PM, used);
	po = best_of(prob, KB_ROLE_PO, used);
	split = lead != KB_ROLE_BOTH && pm >= 0 && po >= 0 && prob[pm] >= d->split_min &&
	        prob[po] >= d->split_min;
	if (known_words == 0 || mass[KB_ROLE_NONE] >= mass[lead] ||
	    (!split && mass[lead] < d->answer_min)) {
		int gap = best_of(prob, KB_ROLE_NONE, used);
		/* a known gap explains the decline when it is what the model saw */
		if (known_words > 0 && gap >= 0 && prob[gap] > prob[kb_ntopics] &&
		    mass[KB_ROLE_NONE] >= mass[lead])
			out->gap = &kb_topics[gap];
		out->confidence = mass[KB_ROLE_NONE];
		suggest(prob, used, out);
		return;
	}
	if (split) {
		/* two strong topics of different roles: each role's part */
		int first = prob[pm] >= prob[po] ? pm : po, second = first == pm ? po : pm;
		out->topic = &kb_topics[first];
		out->also = &kb_topics[second];
		out->role = KB_ROLE_BOTH;
		out->confidence = prob[pm] + prob[po];
		used[pm] = used[po] = 1;
	} else {
		t = best_of(prob, lead, used);
		out->topic = &kb_topics[t];
		out->role = lead;
		out->confidence = mass[lead];
		used[t] = 1;
	}
	if (out->confidence > 1.0)
		out->confidence = 1.0;
	suggest(prob, used, out);
}
