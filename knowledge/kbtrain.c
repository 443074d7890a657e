/* kbtrain.c -- fits the answer model at build time and writes model_data.c.
 *
 * Usage: kbtrain -o OUT.c [--report] --train FILE.tsv... [--dev FILE.tsv...]
 *                [--test FILE.tsv...]
 *
 * Training rows (knowledge/train/ *.tsv, one header line, '#' comments):
 *   question <TAB> topic <TAB> note
 * where topic is a topic id, "none" (out of scope), or "a+b": a question that
 * asks for both sides of a split between two topics (half a row to each).
 * A training file in the question-set format (header "id<TAB>...", see
 * below) teaches by role only: a none row is out of scope, any other row
 * raises the total probability of its role's topics, each in proportion to
 * how likely the model already finds it (so earlier held-out sets, labelled
 * with roles, become training data without anyone choosing topics).
 * Every topic's title and "asks" phrasings from the knowledge base are rows
 * too. Dev rows are in the question-set format of shared/eval (id, question,
 * expect_role, ...): they calibrate the decision thresholds and nothing else.
 * Test rows (--test, either format) only measure the finished model: their
 * role is the topic's (none, or both for a+b); tools/crossval leaves one
 * writer's file out of training and tests on it.
 *
 * The model is multinomial logistic regression over the features of
 * featurize.h (TF-IDF, L2-normalised), fitted by AdaGrad SGD with L2 decay
 * over a fixed number of epochs in an order drawn from a fixed seed: the same
 * inputs give the same tables, byte for byte. Weights are quantised to 16
 * bits and small ones dropped; calibration runs on the quantised model
 * through the same kb_model_predict and kb_decide the bot uses. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analyze.h"
#include "decide.h"
#include "featurize.h"
#include "kb.h"
#include "model.h"

#define LINE_MAX_BYTES 16384
#define ROWS_MAX 200000
#define FILES_MAX 64

/* Training; chosen on the dev questions (knowledge/README.md). */
#define MIN_DF 2         /* a feature must occur in this many rows to be kept */
#define EPOCHS 30
static double learning_rate = 0.2;
static double l2 = 1e-5; /* per-update weight decay of the active features */
#define PRUNE 0.05       /* |weight| below this is dropped ... */
#define MODEL_BYTES_MAX (1792u * 1024u) /* ... and more, smallest first, past this size */
#define LEXICON_BYTES 65536 /* what the budget sets aside for the typo lexicon */
#define ASK_WEIGHT 1.0   /* a knowledge-base phrasing, relative to a training row */
#define SEED 0x5eedf00dULL

struct row {
	char *text;      /* owned */
	int cls[2];      /* target classes; cls[1] = -1 unless a both-sides row */
	int role;        /* -1, or a role: the target is that role's topics, any of them (cls unused) */
	float weight;
	struct feat *f;  /* owned; ids replaced by vocabulary rows after pruning */
	size_t nf;
};

struct dev {
	char *text; /* owned */
	enum kb_role role;
};

static struct row *rows;
static size_t nrows;
static struct dev *devs;
static size_t ndevs;
static struct dev *tests;
static size_t ntests;
static float file_weight = 1.0f; /* --weight: of the training files that follow */

static void
die(const char *fmt, const char *a, long b)
{
	fprintf(stderr, "kbtrain: ");
	fprintf(stderr, fmt, a, b);
	fputc('\n', stderr);
	exit(1);
}

static void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);
	if (p == NULL)
		die("out of memory%s (%ld)", "", (long)(n * size));
	return p;
}

static char *
xstrdup(const char *s)
{
	char *p = xcalloc(strlen(s) + 1, 1);
	memcpy(p, s, strlen(s) + 1);
	return p;
}

static int
topic_class(const char *id, size_t len)
{
	if (len == 4 && strncmp(id, "none", 4) == 0)
		return (int)kb_ntopics;
	for (size_t t = 0; t < kb_ntopics; t++)
		if (strlen(kb_topics[t].id) == len && strncmp(kb_topics[t].id, id, len) == 0)
			return (int)t;
	return -1;
}

static void
row_add(const char *text, int c0, int c1, float weight)
{
	struct row *r;

	if (nrows == ROWS_MAX)
		die("more than %s%ld training rows", "", (long)ROWS_MAX);
	r = &rows[nrows++];
	r->text = xstrdup(text);
	r->cls[0] = c0;
	r->cls[1] = c1;
	r->role = -1;
	r->weight = weight;
}

/* Splits line at tabs in place; returns the number of fields (at most max). */
static size_t
split_tabs(char *line, char **f, size_t max)
{
	size_t n = 0;

	f[n++] = line;
	for (char *p = line; *p && n < max; p++)
		if (*p == '\t') {
			*p = '\0';
			f[n++] = p + 1;
		}
	return n;
}

enum load_as { LOAD_TRAIN, LOAD_DEV, LOAD_TEST };

/* Appends a question and its expected role to a dev or test list. */
static void
question_add(struct dev *list, size_t *n, const char *what, const char *text, enum kb_role role)
{
	if (*n == ROWS_MAX)
		die("%s rows: more than %ld", what, (long)ROWS_MAX);
	list[*n].text = xstrdup(text);
	list[(*n)++].role = role;
}

/* Reads one TSV: LOAD_DEV is the eval format, the others the training one.
 * Every bad line fails the build. */
static void
load(const char *path, enum load_as as)
{
	int dev = as == LOAD_DEV;
	FILE *fp = fopen(path, "r");
	char line[LINE_MAX_BYTES], *f[5];
	long lineno = 0;

	if (fp == NULL)
		die("%s: %ld", path, (long)errno);
	while (fgets(line, sizeof(line), fp) != NULL) {
		size_t n = strlen(line), nf;
		lineno++;
		if (n == sizeof(line) - 1 && line[n - 1] != '\n')
			die("%s:%ld: line too long", path, lineno);
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (lineno == 1 && as != LOAD_DEV && strncmp(line, "id\t", 3) == 0)
			dev = 1; /* a question set: tested, or learnt by its role only */
		if (lineno == 1 || n == 0 || line[0] == '#')
			continue;
		nf = split_tabs(line, f, 5);
		if (dev) {
			enum kb_role role;
			if (nf < 3)
				die("%s:%ld: expected id, question, expect_role", path, lineno);
			role = strcmp(f[2], "pm") == 0 ? KB_ROLE_PM : strcmp(f[2], "po") == 0 ? KB_ROLE_PO
			     : strcmp(f[2], "both") == 0 ? KB_ROLE_BOTH : strcmp(f[2], "none") == 0 ? KB_ROLE_NONE
			     : (enum kb_role)-1;
			if ((int)role < 0)
				die("%s:%ld: unknown role", path, lineno);
			if (as == LOAD_TEST) {
				question_add(tests, &ntests, "test", f[1], role);
			} else if (as == LOAD_TRAIN && role == KB_ROLE_NONE) {
				row_add(f[1], (int)kb_ntopics, -1, file_weight);
			} else if (as == LOAD_TRAIN) {
				row_add(f[1], -1, -1, file_weight);
				rows[nrows - 1].role = (int)role;
			} else {
				question_add(devs, &ndevs, "dev", f[1], role);
			}
		} else {
			char *plus;
			int c0, c1 = -1;
			if (nf < 2 || f[0][0] == '\0')
				die("%s:%ld: expected question, topic, note", path, lineno);
			plus = strchr(f[1], '+');
			c0 = topic_class(f[1], plus ? (size_t)(plus - f[1]) : strlen(f[1]));
			if (plus != NULL)
				c1 = topic_class(plus + 1, strlen(plus + 1));
			if (c0 < 0 || (plus != NULL && c1 < 0))
				die("%s:%ld: unknown topic", path, lineno);
			if (as == LOAD_TEST)
				question_add(tests, &ntests, "test", f[0],
				             c1 >= 0 ? KB_ROLE_BOTH : c0 == (int)kb_ntopics ? KB_ROLE_NONE
				                                                            : kb_topics[c0].role);
			else
				row_add(f[0], c0, c1, file_weight);
		}
	}
	if (ferror(fp))
		die("%s: read error %ld", path, (long)errno);
	fclose(fp);
}

/* The knowledge base's own titles and phrasings. */
static void
load_kb(void)
{
	for (size_t t = 0; t < kb_ntopics; t++) {
		const char *a = kb_topics[t].asks;
		char ask[1024];
		row_add(kb_topics[t].title, (int)t, -1, ASK_WEIGHT);
		while (a != NULL && *a) {
			size_t n = strcspn(a, "|");
			while (n > 0 && (*a == ' ')) {
				a++;
				n--;
			}
			if (n > 0 && n < sizeof(ask)) {
				memcpy(ask, a, n);
				ask[n] = '\0';
				row_add(ask, (int)t, -1, ASK_WEIGHT);
			}
			a += n;
			if (*a == '|')
				a++;
		}
	}
}

/* ---- the vocabulary: a growable open-addressed map from feature id ---- */

struct vocab {
	uint32_t *key;
	uint32_t *df;
	int32_t *row;
	size_t cap, n;
};

static size_t
vocab_slot(const struct vocab *v, uint32_t id)
{
	size_t i = id & (v->cap - 1);

	while (v->key[i] != 0 && v->key[i] != id)
		i = (i + 1) & (v->cap - 1);
	return i;
}

static void
vocab_grow(struct vocab *v)
{
	struct vocab w = {xcalloc(v->cap * 2, 4), xcalloc(v->cap * 2, 4), xcalloc(v->cap * 2, 4),
	                  v->cap * 2, v->n};
	for (size_t i = 0; i < v->cap; i++)
		if (v->key[i] != 0) {
			size_t s = vocab_slot(&w, v->key[i]);
			w.key[s] = v->key[i];
			w.df[s] = v->df[i];
			w.row[s] = v->row[i];
		}
	free(v->key);
	free(v->df);
	free(v->row);
	*v = w;
}

static void
vocab_count(struct vocab *v, uint32_t id)
{
	size_t s;

	if (2 * (v->n + 1) > v->cap)
		vocab_grow(v);
	s = vocab_slot(v, id);
	if (v->key[s] == 0) {
		v->key[s] = id;
		v->row[s] = -1;
		v->n++;
	}
	v->df[s]++;
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

static int
cmp_float(const void *a, const void *b)
{
	float x = *(const float *)a, y = *(const float *)b;
	return x < y ? -1 : x > y;
}

/* ---- the typo lexicon: content terms in at least MIN_DF rows ---- */

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
cmp_len_str(const void *a, const void *b)
{
	const char *x = *(char *const *)a, *y = *(char *const *)b;
	size_t lx = strlen(x), ly = strlen(y);
	return lx != ly ? (lx < ly ? -1 : 1) : strcmp(x, y);
}

static struct feat_lexicon
lexicon_build(void)
{
	static struct an_token toks[1024];
	size_t cap = 1024, n = 0, kept = 0;
	char **all = xcalloc(cap, sizeof(char *));

	for (size_t i = 0; i < nrows; i++) {
		size_t nt = analyze_text(rows[i].text, strlen(rows[i].text), toks, 1024), first = n;
		for (size_t k = 0; k < nt; k++) {
			int dup = 0;
			if (toks[k].kind != AN_CONTENT || strlen(toks[k].term) < 3)
				continue;
			for (size_t j = first; j < n && !dup; j++) /* once per row */
				dup = strcmp(all[j], toks[k].term) == 0;
			if (dup)
				continue;
			if (n == cap) {
				char **more = xcalloc(cap * 2, sizeof(char *));
				memcpy(more, all, cap * sizeof(char *));
				free(all);
				all = more;
				cap *= 2;
			}
			all[n++] = xstrdup(toks[k].term);
		}
	}
	qsort(all, n, sizeof(char *), cmp_str);
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && strcmp(all[j], all[i]) == 0)
			j++;
		if (j - i >= MIN_DF)
			all[kept++] = all[i];
		i = j;
	}
	qsort(all, kept, sizeof(char *), cmp_len_str);
	{
		uint32_t *by_len = xcalloc(AN_WORD_MAX + 1, sizeof(uint32_t));
		for (size_t l = 0, i = 0; l <= AN_WORD_MAX; l++) {
			while (i < kept && strlen(all[i]) < l)
				i++;
			by_len[l] = (uint32_t)i;
		}
		return (struct feat_lexicon){(const char *const *)all, kept, by_len};
	}
}

/* ---- the fit ---- */

static uint64_t rng = SEED;

static uint64_t
rng_next(void)
{
	rng ^= rng >> 12; /* xorshift64* */
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 2685821657736338717ULL;
}

static void
softmax(double *s, size_t n)
{
	double max = s[0], sum = 0;

	for (size_t c = 1; c < n; c++)
		if (s[c] > max)
			max = s[c];
	for (size_t c = 0; c < n; c++)
		sum += s[c] = exp(s[c] - max);
	for (size_t c = 0; c < n; c++)
		s[c] /= sum;
}

static void
fit(float *w, float *bias, size_t nfeat, size_t nc, int epochs)
{
	float *g2 = xcalloc(nfeat * nc, sizeof(float)), gb2[KB_CLASSES_MAX] = {0};
	size_t *order = xcalloc(nrows, sizeof(size_t));
	double s[KB_CLASSES_MAX];

	for (size_t i = 0; i < nrows; i++)
		order[i] = i;
	for (int e = 0; e < epochs; e++) {
		for (size_t i = nrows; i > 1; i--) {
			size_t j = (size_t)(rng_next() % i), t = order[i - 1];
			order[i - 1] = order[j];
			order[j] = t;
		}
		for (size_t k = 0; k < nrows; k++) {
			const struct row *r = &rows[order[k]];
			for (size_t c = 0; c < nc; c++)
				s[c] = bias[c];
			for (size_t i = 0; i < r->nf; i++) {
				const float *wr = &w[(size_t)r->f[i].id * nc];
				for (size_t c = 0; c < nc; c++)
					s[c] += r->f[i].value * wr[c];
			}
			softmax(s, nc);
			if (r->role >= 0) {
				/* maximise the mass of the row's role: each of its topics is
				 * pulled up in proportion to how likely the model finds it */
				double mass = 0;
				for (size_t c = 0; c < kb_ntopics; c++)
					if ((int)kb_topics[c].role == r->role)
						mass += s[c];
				for (size_t c = 0; c < kb_ntopics && mass > 0; c++)
					if ((int)kb_topics[c].role == r->role)
						s[c] -= s[c] / mass;
			} else if (r->cls[1] < 0) {
				s[r->cls[0]] -= 1.0;
			} else {
				s[r->cls[0]] -= 0.5;
				s[r->cls[1]] -= 0.5;
			}
			for (size_t c = 0; c < nc; c++) {
				double g = s[c] * r->weight;
				if (fabs(g) < 1e-5)
					continue; /* nothing to learn for this class from this row */
				gb2[c] += (float)(g * g);
				bias[c] -= (float)(learning_rate * g / sqrt(gb2[c] + 1e-8));
				for (size_t i = 0; i < r->nf; i++) {
					size_t at = (size_t)r->f[i].id * nc + c;
					double gi = g * r->f[i].value + l2 * w[at];
					g2[at] += (float)(gi * gi);
					w[at] -= (float)(learning_rate * gi / sqrt(g2[at] + 1e-8));
				}
			}
		}
	}
	free(order);
	free(g2);
}

/* ---- calibration on the dev questions ---- */

static double
dev_accuracy(const struct kb_model *m, const float *probs, const size_t *words,
             struct kb_decision d, int *declined)
{
	size_t ok = 0;
	int decl = 0;

	for (size_t i = 0; i < ndevs; i++) {
		struct kb_answer a;
		kb_decide(&probs[i * m->nclasses], words[i], &d, &a);
		ok += a.role == devs[i].role;
		decl += devs[i].role != KB_ROLE_NONE && a.role == KB_ROLE_NONE;
	}
	if (declined)
		*declined = decl;
	return ndevs ? (double)ok / (double)ndevs : 0;
}

static struct kb_decision
calibrate(const struct kb_model *m, int report)
{
	struct kb_decision best = {0.0f, 2.0f}; /* no threshold, no split */
	double best_acc = -1;
	float *probs;
	size_t *words;

	if (ndevs == 0)
		return best;
	probs = xcalloc(ndevs * m->nclasses, sizeof(float));
	words = xcalloc(ndevs, sizeof(size_t));
	for (size_t i = 0; i < ndevs; i++)
		words[i] = kb_model_predict(m, devs[i].text, strlen(devs[i].text), &probs[i * m->nclasses]);
	/* a coarse grid; ties go to the lower threshold (fewer declines) */
	for (int a = 0; a <= 14; a++)
		for (int s = 0; s <= 9; s++) {
			struct kb_decision d = {0.05f * (float)a, s == 9 ? 2.0f : 0.1f + 0.05f * (float)s};
			double acc = dev_accuracy(m, probs, words, d, NULL);
			if (acc > best_acc + 1e-9) {
				best_acc = acc;
				best = d;
			}
		}
	if (report) {
		int decl;
		double acc = dev_accuracy(m, probs, words, best, &decl);
		fprintf(stderr, "kbtrain: dev %zu questions, role accuracy %.1f%%, false declines %d, "
		        "answer_min %.2f, split_min %.2f\n", ndevs, 100 * acc, decl, best.answer_min,
		        best.split_min);
	}
	free(probs);
	free(words);
	return best;
}

/* Role accuracy of the finished model on rows it never saw, as a 4x4
 * confusion matrix (rows: expected pm, po, both, none). */
static void
test_report(const struct kb_model *m)
{
	static const enum kb_role order[4] = {KB_ROLE_PM, KB_ROLE_PO, KB_ROLE_BOTH, KB_ROLE_NONE};
	size_t conf[4][4] = {{0}}, ok = 0, inscope = 0, idk = 0;
	float *probs = xcalloc(m->nclasses, sizeof(float));
	int misses = getenv("KBTRAIN_MISSES") != NULL; /* list every miss on stderr */

	for (size_t i = 0; i < ntests; i++) {
		struct kb_answer a;
		size_t words = kb_model_predict(m, tests[i].text, strlen(tests[i].text), probs);
		int e = 0, g = 0;
		kb_decide(probs, words, &m->decision, &a);
		while (e < 3 && order[e] != tests[i].role)
			e++;
		while (g < 3 && order[g] != a.role)
			g++;
		conf[e][g]++;
		ok += e == g;
		if (e != g && misses)
			fprintf(stderr, "miss\t%s\t%s\t%s\t%.2f\t%s\n", kb_role_name(tests[i].role),
			        kb_role_name(a.role), a.topic ? a.topic->id : "-", a.confidence, tests[i].text);
		inscope += e != 3;
		idk += e != 3 && g == 3;
	}
	fprintf(stderr, "kbtrain: test %zu questions, role accuracy %.1f%%, false IDK %zu of %zu\n",
	        ntests, ntests ? 100.0 * (double)ok / (double)ntests : 0.0, idk, inscope);
	for (int e = 0; e < 4; e++)
		fprintf(stderr, "kbtrain: test %-4s -> pm %4zu  po %4zu  both %4zu  none %4zu\n",
		        e == 0 ? "pm" : e == 1 ? "po" : e == 2 ? "both" : "none",
		        conf[e][0], conf[e][1], conf[e][2], conf[e][3]);
	free(probs);
}

/* ---- output ---- */

static void
emit_u32(FILE *out, const char *name, const uint32_t *v, size_t n)
{
	fprintf(out, "static const uint32_t %s[%zu] = {", name, n ? n : 1);
	for (size_t i = 0; i < n; i++)
		fprintf(out, "%s%u,", i % 12 ? "" : "\n", v[i]);
	fprintf(out, "%s};\n", n ? "\n" : "0");
}

static int
emit(const char *path, const struct kb_model *m)
{
	FILE *out = fopen(path, "w");

	if (out == NULL)
		return -1;
	fprintf(out, "/* Generated by kbtrain from knowledge/train and the knowledge base; do not edit. */\n"
	             "#include \"model.h\"\n\n");
	emit_u32(out, "keys", m->keys, m->nslots);
	emit_u32(out, "rows", m->row, m->nslots);
	emit_u32(out, "starts", m->start, m->nrows + 1);
	fprintf(out, "static const float idf[%u] = {", m->nrows ? m->nrows : 1);
	for (size_t i = 0; i < m->nrows; i++)
		fprintf(out, "%s%af,", i % 8 ? "" : "\n", (double)m->idf[i]);
	fprintf(out, "%s};\n", m->nrows ? "\n" : "0");
	fprintf(out, "static const uint8_t classes[%u] = {", m->nentries ? m->nentries : 1);
	for (size_t i = 0; i < m->nentries; i++)
		fprintf(out, "%s%u,", i % 20 ? "" : "\n", m->cls[i]);
	fprintf(out, "%s};\n", m->nentries ? "\n" : "0");
	fprintf(out, "static const int16_t weights[%u] = {", m->nentries ? m->nentries : 1);
	for (size_t i = 0; i < m->nentries; i++)
		fprintf(out, "%s%d,", i % 14 ? "" : "\n", m->weight[i]);
	fprintf(out, "%s};\n", m->nentries ? "\n" : "0");
	fprintf(out, "static const char *const lexicon[%zu] = {", m->lexicon.n ? m->lexicon.n : 1);
	for (size_t i = 0; i < m->lexicon.n; i++) {
		fprintf(out, "%s\"", i % 8 ? " " : "\n");
		for (const char *p = m->lexicon.terms[i]; *p; p++)
			if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'))
				fputc(*p, out);
			else
				fprintf(out, "\\%03o", (unsigned char)*p);
		fprintf(out, "\",");
	}
	fprintf(out, "%s};\n", m->lexicon.n ? "\n" : "0");
	emit_u32(out, "lexicon_by_len", m->lexicon.by_len, AN_WORD_MAX + 1);
	fprintf(out, "static const float bias[%u] = {", m->nclasses);
	for (size_t i = 0; i < m->nclasses; i++)
		fprintf(out, "%s%af,", i % 8 ? "" : "\n", (double)m->bias[i]);
	fprintf(out, "\n};\n\n");
	fprintf(out, "const struct kb_model kb_model = {\n"
	             "\t.nclasses = %u, .nslots = %u, .keys = keys, .row = rows, .idf = idf,\n"
	             "\t.start = starts, .cls = classes, .weight = weights, .scale = %af,\n"
	             "\t.bias = bias, .nrows = %u, .nentries = %u,\n"
	             "\t.lexicon = {lexicon, %zu, lexicon_by_len},\n"
	             "\t.decision = {.answer_min = %af, .split_min = %af},\n};\n",
	        m->nclasses, m->nslots, (double)m->scale, m->nrows, m->nentries, m->lexicon.n,
	        (double)m->decision.answer_min, (double)m->decision.split_min);
	if (ferror(out) | fclose(out))
		return -1;
	return 0;
}

int
main(int argc, char **argv)
{
	const char *out_path = NULL;
	int mode = 0, report = 0, epochs = EPOCHS;
	double prune = PRUNE;
	struct vocab v = {xcalloc(1024, 4), xcalloc(1024, 4), xcalloc(1024, 4), 1024, 0};
	size_t nc = kb_ntopics + 1, nfeat = 0, nent = 0;
	uint32_t *ids, *keys, *slot_rows, *starts;
	float *w, *idf, bias[KB_CLASSES_MAX] = {0}, maxabs = 0;
	uint8_t *cls;
	int16_t *qw;
	struct kb_model m;
	clock_t t0 = clock();

	if (nc > KB_CLASSES_MAX)
		die("%s%ld classes are more than the model takes", "", (long)nc);
	rows = xcalloc(ROWS_MAX, sizeof(*rows));
	devs = xcalloc(ROWS_MAX, sizeof(*devs));
	tests = xcalloc(ROWS_MAX, sizeof(*tests));
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-o") == 0 && i + 1 < argc)
			out_path = argv[++i];
		else if (strcmp(argv[i], "--train") == 0)
			mode = 1;
		else if (strcmp(argv[i], "--dev") == 0)
			mode = 2;
		else if (strcmp(argv[i], "--test") == 0)
			mode = 3;
		else if (strcmp(argv[i], "--report") == 0)
			report = 1;
		else if (strcmp(argv[i], "--epochs") == 0 && i + 1 < argc)
			epochs = atoi(argv[++i]);
		else if (strcmp(argv[i], "--l2") == 0 && i + 1 < argc)
			l2 = atof(argv[++i]);
		else if (strcmp(argv[i], "--lr") == 0 && i + 1 < argc)
			learning_rate = atof(argv[++i]);
		else if (strcmp(argv[i], "--weight") == 0 && i + 1 < argc)
			file_weight = (float)atof(argv[++i]);
		else if (strcmp(argv[i], "--prune") == 0 && i + 1 < argc)
			prune = atof(argv[++i]);
		else if (mode == 0)
			die("usage: kbtrain -o OUT.c [--report] --train FILE... [--dev FILE...] [--test FILE...]%s%ld", "", 0);
		else
			load(argv[i], mode == 1 ? LOAD_TRAIN : mode == 2 ? LOAD_DEV : LOAD_TEST);
	}
	if (out_path == NULL)
		die("usage: kbtrain -o OUT.c [--report] --train FILE... [--dev FILE...] [--test FILE...]%s%ld", "", 0);
	load_kb();

	/* features, document frequencies, the vocabulary */
	for (size_t i = 0; i < nrows; i++) {
		struct feat tmp[FEAT_MAX];
		rows[i].nf = feat_extract(rows[i].text, strlen(rows[i].text), NULL, tmp, FEAT_MAX);
		rows[i].f = xcalloc(rows[i].nf, sizeof(struct feat));
		memcpy(rows[i].f, tmp, rows[i].nf * sizeof(struct feat));
		for (size_t k = 0; k < rows[i].nf; k++)
			vocab_count(&v, tmp[k].id);
	}
	ids = xcalloc(v.n, sizeof(uint32_t));
	for (size_t s = 0; s < v.cap; s++)
		if (v.key[s] != 0 && v.df[s] >= MIN_DF)
			ids[nfeat++] = v.key[s];
	qsort(ids, nfeat, sizeof(uint32_t), cmp_u32);
	idf = xcalloc(nfeat, sizeof(float));
	for (size_t r = 0; r < nfeat; r++) {
		size_t s = vocab_slot(&v, ids[r]);
		v.row[s] = (int32_t)r;
		idf[r] = (float)(log((double)(nrows + 1) / (double)(v.df[s] + 1)) + 1.0);
	}
	/* rows become normalised TF-IDF vectors over vocabulary rows, as at run time */
	for (size_t i = 0; i < nrows; i++) {
		struct row *r = &rows[i];
		double norm = 0;
		size_t k = 0;
		for (size_t j = 0; j < r->nf; j++) {
			int32_t vr = v.row[vocab_slot(&v, r->f[j].id)];
			if (vr < 0)
				continue;
			r->f[k].id = (uint32_t)vr;
			r->f[k].value = r->f[j].value * idf[vr];
			norm += (double)r->f[k].value * r->f[k].value;
			k++;
		}
		r->nf = k;
		for (size_t j = 0; j < k; j++)
			r->f[j].value = (float)(r->f[j].value / sqrt(norm));
	}

	w = xcalloc(nfeat * nc, sizeof(float));
	fit(w, bias, nfeat, nc, epochs);

	/* Softmax ignores a constant added to every class's weight for one
	 * feature: taking each feature's median off leaves the model as it was
	 * and turns the weights of the classes it says nothing about into ~0,
	 * which pruning then drops. */
	for (size_t r = 0; r < nfeat; r++) {
		float sorted[KB_CLASSES_MAX], med;
		memcpy(sorted, &w[r * nc], nc * sizeof(float));
		qsort(sorted, nc, sizeof(float), cmp_float);
		med = sorted[nc / 2];
		for (size_t c = 0; c < nc; c++)
			w[r * nc + c] -= med;
	}
	/* the smallest weights go first until the tables fit their budget */
	{
		size_t fixed, budget, n = 0;
		float *mag = xcalloc(nfeat * nc, sizeof(float));
		m.nslots = 1024; /* open addressing at most 3/4 full */
		while (m.nslots * 3 < 4 * nfeat)
			m.nslots *= 2;
		fixed = 8 * (size_t)m.nslots + 8 * nfeat + 4 * nc + LEXICON_BYTES;
		budget = MODEL_BYTES_MAX > fixed ? (MODEL_BYTES_MAX - fixed) / 3 : 0;
		for (size_t i = 0; i < nfeat * nc; i++)
			if (fabsf(w[i]) >= prune)
				mag[n++] = fabsf(w[i]);
		if (n > budget) {
			qsort(mag, n, sizeof(float), cmp_float);
			prune = mag[n - budget]; /* ties may keep a few more; the test checks the size */
		}
		free(mag);
	}
	/* quantise and prune */
	for (size_t i = 0; i < nfeat * nc; i++)
		if (fabsf(w[i]) > maxabs)
			maxabs = fabsf(w[i]);
	m.scale = maxabs > 0 ? maxabs / 32767.0f : 1.0f;
	starts = xcalloc(nfeat + 1, sizeof(uint32_t));
	cls = xcalloc(nfeat * nc, 1);
	qw = xcalloc(nfeat * nc, sizeof(int16_t));
	for (size_t r = 0; r < nfeat; r++) {
		starts[r] = (uint32_t)nent;
		for (size_t c = 0; c < nc; c++) {
			float x = w[r * nc + c];
			long q = lrintf(x / m.scale);
			if (fabsf(x) < prune || q == 0)
				continue;
			cls[nent] = (uint8_t)c;
			qw[nent++] = (int16_t)q;
		}
	}
	starts[nfeat] = (uint32_t)nent;
	keys = xcalloc(m.nslots, sizeof(uint32_t));
	slot_rows = xcalloc(m.nslots, sizeof(uint32_t));
	for (size_t r = 0; r < nfeat; r++) {
		size_t s = ids[r] & (m.nslots - 1);
		while (keys[s] != 0)
			s = (s + 1) & (m.nslots - 1);
		keys[s] = ids[r];
		slot_rows[s] = (uint32_t)r;
	}
	m.nclasses = (uint32_t)nc;
	m.keys = keys;
	m.row = slot_rows;
	m.idf = idf;
	m.start = starts;
	m.cls = cls;
	m.weight = qw;
	m.bias = bias;
	m.nrows = (uint32_t)nfeat;
	m.nentries = (uint32_t)nent;
	m.lexicon = lexicon_build();
	m.decision = calibrate(&m, report);
	if (report)
		fprintf(stderr, "kbtrain: %zu rows, %zu classes, %zu of %zu features kept, %zu weights, "
		        "%zu bytes, %.1f s\n", nrows, nc, nfeat, v.n, nent, kb_model_bytes(&m),
		        (double)(clock() - t0) / CLOCKS_PER_SEC);
	if (ntests > 0)
		test_report(&m);
	if (emit(out_path, &m) != 0)
		die("%s: cannot write (%ld)", out_path, (long)errno);
	return 0;
}
