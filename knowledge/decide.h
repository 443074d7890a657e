/* decide.h -- from the answer model's class probabilities to an answer.
 *
 * The probabilities of a role's topics add up to that role's mass ("out of
 * scope" and the known-gap topics make up the decline mass). The decline
 * mass leading means a decline. A PM topic and a PO topic both at least
 * d->split_min make a both-sides answer; otherwise the leading role answers
 * with its most probable topic if its mass is at least d->answer_min. Shared by kb_ask and by
 * kbtrain, which calibrates the thresholds with it. */
#ifndef PMPO_DECIDE_H
#define PMPO_DECIDE_H

#include "engine.h"
#include "model.h"

/* prob has kb_ntopics + 1 entries (the last is out of scope); known_words is
 * kb_model_predict's result: a question none of whose words the model knows
 * is declined whatever prob says. Fills *out except out->asked. */
void kb_decide(const float *prob, size_t known_words, const struct kb_decision *d,
               struct kb_answer *out);

#endif
