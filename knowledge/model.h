/* model.h -- the answer model: a linear classifier (multinomial logistic
 * regression) over the features of featurize.h, one class per knowledge-base
 * topic plus one for "out of scope". kbtrain fits it at build time from the
 * labelled questions in knowledge/train/ and writes the tables into
 * model_data.c; nothing is learned at run time.
 *
 * Class c < kb_ntopics is kb_topics[c]; class kb_ntopics is out of scope.
 * Weights are stored sparse and quantised: per feature, the classes it
 * speaks for with a 16-bit weight. The feature table is open-addressed on
 * the feature's hash. Read-only; pure and thread-safe. */
#ifndef PMPO_MODEL_H
#define PMPO_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "featurize.h"

#define KB_CLASSES_MAX 128 /* topics + 1; kbtrain refuses more */

/* The decision thresholds, calibrated by kbtrain on the role-labelled dev
 * questions (never on a held-out set). */
struct kb_decision {
	float answer_min; /* the leading role's probability mass below which we decline */
	float split_min;  /* both a PM and a PO topic at least this probable: answer both */
};

struct kb_model {
	uint32_t nclasses;
	uint32_t nslots;         /* power of two */
	const uint32_t *keys;    /* [nslots] feature hash, 0 = empty slot */
	const uint32_t *row;     /* [nslots] the feature's row */
	const float *idf;        /* [nrows] */
	const uint32_t *start;   /* [nrows + 1] first entry of each row */
	const uint8_t *cls;      /* [entries] class of an entry */
	const int16_t *weight;   /* [entries] weight / scale */
	float scale;
	const float *bias;       /* [nclasses] */
	uint32_t nrows;
	uint32_t nentries;
	struct feat_lexicon lexicon; /* the content terms of the training rows */
	struct kb_decision decision;
};

/* The compiled-in model. */
extern const struct kb_model kb_model;

/* Fills prob[0..m->nclasses) with the model's class probabilities for the
 * question text[0..len) (they sum to 1). Returns how many of the question's
 * term features (featurize.h) the model knows: 0 means it has seen no content
 * word of it, at most stop words or pieces of words, and prob says little. */
size_t kb_model_predict(const struct kb_model *m, const char *text, size_t len, float *prob);

/* Static bytes the compiled-in tables occupy. */
size_t kb_model_bytes(const struct kb_model *m);

#endif
