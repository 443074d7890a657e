/* bench_engine.c -- how long one kb_ask takes.
 *
 * Usage: bench_engine [ROUNDS] [FILE.tsv...]   (default: 200 rounds over the
 * dev and extra question sets). Times every call with clock_gettime
 * (CLOCK_MONOTONIC) and prints mean, p50, p99 and max in microseconds, after
 * one warm-up call that builds the index (timed and reported separately). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engine.h"

#define QUESTIONS_MAX 2048
#define QUESTION_BYTES 1024

static char questions[QUESTIONS_MAX][QUESTION_BYTES];
static size_t nquestions;

static double
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

/* Reads the question column (the second) of a TSV file, header skipped. */
static int
load(const char *path)
{
	FILE *fp = fopen(path, "r");
	char line[8192];
	int first = 1;

	if (fp == NULL) {
		perror(path);
		return -1;
	}
	while (fgets(line, sizeof(line), fp) != NULL && nquestions < QUESTIONS_MAX) {
		char *q = strchr(line, '\t'), *end;
		if (first || q == NULL) {
			first = 0;
			continue;
		}
		q++;
		end = strchr(q, '\t');
		if (end != NULL)
			*end = '\0';
		snprintf(questions[nquestions++], QUESTION_BYTES, "%s", q);
	}
	fclose(fp);
	return 0;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int
main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 200;
	double *t, start, sum = 0;
	size_t n = 0, answered = 0;
	struct kb_answer a;
	struct kb_engine_stats st;

	if (rounds <= 0)
		rounds = 200;
	if (argc > 2) {
		for (int i = 2; i < argc; i++)
			if (load(argv[i]) != 0)
				return 1;
	} else if (load(PMPO_DEV_QUESTIONS) != 0 || load(PMPO_EXTRA_QUESTIONS) != 0) {
		return 1;
	}
	if (nquestions == 0) {
		fprintf(stderr, "bench_engine: no questions\n");
		return 1;
	}
	start = now_us();
	kb_ask(questions[0], strlen(questions[0]), &a);
	printf("first call: %.0f us\n", now_us() - start);
	kb_engine_stats(&st);
	printf("model: %zu classes, %zu features, %zu weights, %zu bytes static\n", st.classes,
	       st.features, st.weights, st.bytes);
	t = malloc(sizeof(double) * nquestions * (size_t)rounds);
	if (t == NULL)
		return 1;
	for (int r = 0; r < rounds; r++)
		for (size_t i = 0; i < nquestions; i++) {
			start = now_us();
			kb_ask(questions[i], strlen(questions[i]), &a);
			t[n] = now_us() - start;
			sum += t[n++];
			answered += a.topic != NULL;
		}
	qsort(t, n, sizeof(double), cmp_double);
	printf("%zu answers (%zu questions x %d rounds, %zu answered): mean %.1f us, p50 %.1f us, "
	       "p99 %.1f us, max %.1f us\n",
	       n, nquestions, rounds, answered, sum / (double)n, t[n / 2], t[n * 99 / 100], t[n - 1]);
	free(t);
	return 0;
}
