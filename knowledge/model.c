/* model.c -- scores a question with the linear model; see model.h. */
#include "model.h"

#include <math.h>
#include <string.h>
#include <threads.h>

#include "featurize.h"

static int32_t
model_row(const struct kb_model *m, uint32_t id)
{
	uint32_t mask = m->nslots - 1;

	for (uint32_t i = id & mask, probes = 0; probes < m->nslots; i = (i + 1) & mask, probes++) {
		if (m->keys[i] == id)
			return (int32_t)m->row[i];
		if (m->keys[i] == 0)
			return -1;
	}
	return -1;
}

size_t
kb_model_predict(const struct kb_model *m, const char *text, size_t len, float *prob)
{
	static thread_local struct feat feats[FEAT_MAX];
	static thread_local int32_t rows[FEAT_MAX];
	static thread_local float vals[FEAT_MAX];
	float score[KB_CLASSES_MAX];
	double norm = 0, max, sum = 0;
	size_t nf, known = 0, words = 0;

	nf = feat_extract(text, len, &m->lexicon, feats, FEAT_MAX);
	for (size_t i = 0; i < nf; i++) {
		int32_t r = model_row(m, feats[i].id);
		if (r < 0)
			continue;
		words += feats[i].family == FEAT_TERM;
		rows[known] = r;
		vals[known] = feats[i].value * m->idf[r];
		norm += (double)vals[known] * vals[known];
		known++;
	}
	for (uint32_t c = 0; c < m->nclasses; c++)
		score[c] = m->bias[c];
	norm = norm > 0 ? 1.0 / sqrt(norm) : 0;
	for (size_t i = 0; i < known; i++) {
		float v = (float)(vals[i] * norm * m->scale);
		for (uint32_t e = m->start[rows[i]]; e < m->start[rows[i] + 1]; e++)
			score[m->cls[e]] += v * m->weight[e];
	}
	max = score[0];
	for (uint32_t c = 1; c < m->nclasses; c++)
		if (score[c] > max)
			max = score[c];
	for (uint32_t c = 0; c < m->nclasses; c++)
		sum += score[c] = (float)exp(score[c] - max);
	for (uint32_t c = 0; c < m->nclasses; c++)
		prob[c] = (float)(score[c] / sum);
	return words;
}

static size_t
lexicon_bytes(const struct feat_lexicon *lex)
{
	size_t n = lex->n * sizeof(char *);

	for (size_t i = 0; i < lex->n; i++)
		n += strlen(lex->terms[i]) + 1;
	return n;
}

size_t
kb_model_bytes(const struct kb_model *m)
{
	return m->nslots * (sizeof(uint32_t) * 2) + m->nrows * sizeof(float) +
	       (m->nrows + 1) * sizeof(uint32_t) + m->nentries * (sizeof(uint8_t) + sizeof(int16_t)) +
	       m->nclasses * sizeof(float) + lexicon_bytes(&m->lexicon);
}
