/* eval_engine.c -- scores the question engine on a TSV question set.
 *
 * Usage: eval_engine [--min-role R] [--min-mention M] FILE.tsv
 *
 * Columns: id, question, expect_role, must_mention ('|'-separated lowercase
 * stems), note. Each question goes through the same path as
 * "pmpo-bot ask --json" (the ask handler, then the JSON renderer); a row
 * scores a role hit when "role" equals expect_role, and a mention hit when
 * the lowercased "text" contains one of the stems (rows not expecting none).
 * Prints role accuracy, mention rate, decline rate, per-label recall, the
 * 4x4 confusion matrix and the false "I don't know" rate (in-scope rows
 * declined); lists the misses with the model's top classes (--quiet: not),
 * and exits 1 below the given rates. */
#include <cjson/cJSON.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cmd.h"
#include "engine.h"
#include "render.h"

#define FIELDS 5
#define LINE_MAX_BYTES 8192

/* Splits line at tabs into at most FIELDS fields (in place). */
static int
split_tabs(char *line, char **f)
{
	int n = 0;

	f[n++] = line;
	for (char *p = line; *p && n < FIELDS; p++)
		if (*p == '\t') {
			*p = '\0';
			f[n++] = p + 1;
		}
	for (int i = n; i < FIELDS; i++)
		f[i] = line + strlen(line);
	return n;
}

static void
lower(char *s)
{
	for (; *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

/* 1 if text holds any '|'-separated stem of stems. */
static int
mentions(const char *text, const char *stems)
{
	char copy[1024], *save = NULL;

	snprintf(copy, sizeof(copy), "%s", stems);
	for (char *s = strtok_r(copy, "|", &save); s; s = strtok_r(NULL, "|", &save))
		if (*s && strstr(text, s) != NULL)
			return 1;
	return 0;
}

/* Runs question through the ask handler and the JSON renderer; fills role
 * (e.g. "pm") and the lowercased text. Returns 0 on success. */
static int
ask_json(const char *question, char *role, size_t role_cap, char *text, size_t text_cap,
         char *topic, size_t topic_cap)
{
	struct request req = {.text = question, .text_len = strlen(question), .user_id = "eval",
	                      .channel_id = "eval", .surface = SURFACE_CONSOLE};
	struct reply r;
	struct buf out;
	cJSON *o = NULL, *jr, *jt, *jp;
	int rc = -1;

	buf_init(&out, 1 << 20);
	cmd_run(cmd_find("ask"), &req, &r);
	if (render_answer_json(&r, &out) != 0 || (o = cJSON_Parse(buf_str(&out))) == NULL)
		goto out;
	jr = cJSON_GetObjectItem(o, "role");
	jt = cJSON_GetObjectItem(o, "text");
	jp = cJSON_GetObjectItem(o, "topic");
	if (!cJSON_IsString(jr) || !cJSON_IsString(jt) || !cJSON_IsString(jp))
		goto out;
	snprintf(role, role_cap, "%s", jr->valuestring);
	snprintf(text, text_cap, "%s", jt->valuestring);
	snprintf(topic, topic_cap, "%s", jp->valuestring);
	lower(text);
	rc = 0;
out:
	cJSON_Delete(o);
	buf_free(&out);
	return rc;
}

int
main(int argc, char **argv)
{
	double min_role = 0, min_mention = 0;
	const char *path = NULL;
	FILE *fp;
	char line[LINE_MAX_BYTES];
	int rows = 0, role_ok = 0, mention_rows = 0, mention_ok = 0, none_rows = 0, none_ok = 0;
	int lineno = 0, quiet = 0;
	static const char *const labels[4] = {"pm", "po", "both", "none"};
	int confusion[4][4] = {{0}}; /* [expected][answered] */

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--min-role") == 0 && i + 1 < argc)
			min_role = atof(argv[++i]);
		else if (strcmp(argv[i], "--min-mention") == 0 && i + 1 < argc)
			min_mention = atof(argv[++i]);
		else if (strcmp(argv[i], "--quiet") == 0)
			quiet = 1;
		else
			path = argv[i];
	}
	if (path == NULL) {
		fprintf(stderr, "usage: eval_engine [--quiet] [--min-role R] [--min-mention M] FILE.tsv\n");
		return 2;
	}
	if ((fp = fopen(path, "r")) == NULL) {
		perror(path);
		return 2;
	}
	while (fgets(line, sizeof(line), fp) != NULL) {
		char *f[FIELDS], role[16], text[8192], topic[64];
		int r_ok, m_ok = 1;
		size_t n = strlen(line);
		lineno++;
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (lineno == 1 || n == 0 || line[0] == '#')
			continue; /* header, blank, comment */
		if (split_tabs(line, f) < 3) {
			fprintf(stderr, "%s:%d: expected at least 3 tab-separated columns\n", path, lineno);
			fclose(fp);
			return 2;
		}
		if (ask_json(f[1], role, sizeof(role), text, sizeof(text), topic, sizeof(topic)) != 0) {
			fprintf(stderr, "%s:%d: the ask path failed\n", path, lineno);
			fclose(fp);
			return 1;
		}
		rows++;
		r_ok = strcmp(role, f[2]) == 0;
		{
			int e = -1, a = -1;
			for (int k = 0; k < 4; k++) {
				if (strcmp(f[2], labels[k]) == 0)
					e = k;
				if (strcmp(role, labels[k]) == 0)
					a = k;
			}
			if (e < 0) {
				fprintf(stderr, "%s:%d: unknown expect_role \"%s\"\n", path, lineno, f[2]);
				fclose(fp);
				return 2;
			}
			if (a >= 0)
				confusion[e][a]++;
		}
		role_ok += r_ok;
		if (strcmp(f[2], "none") == 0) {
			none_rows++;
			none_ok += r_ok;
		} else {
			mention_rows++;
			m_ok = mentions(text, f[3]);
			mention_ok += m_ok;
		}
		if (!quiet && (!r_ok || !m_ok)) {
			struct kb_hit hits[3];
			size_t nh = kb_engine_rank(f[1], strlen(f[1]), hits, 3);
			printf("MISS %s: \"%s\" want %s [%s], got %s (%s)%s\n", f[0], f[1], f[2], f[3], role,
			       *topic ? topic : "declined", m_ok ? "" : " -- no mention");
			for (size_t i = 0; i < nh; i++)
				printf("      %-24s p %.3f\n", hits[i].topic ? hits[i].topic->id : "(out of scope)",
				       hits[i].prob);
		}
	}
	fclose(fp);
	if (rows == 0) {
		fprintf(stderr, "%s: no questions\n", path);
		return 2;
	}
	{
		double ra = (double)role_ok / rows;
		double mr = mention_rows ? (double)mention_ok / mention_rows : 1.0;
		double dr = none_rows ? (double)none_ok / none_rows : 1.0;
		printf("%s: %d questions\n", path, rows);
		printf("role accuracy %.1f%% (%d/%d)\n", 100 * ra, role_ok, rows);
		printf("mention rate  %.1f%% (%d/%d)\n", 100 * mr, mention_ok, mention_rows);
		printf("decline rate  %.1f%% (%d/%d out-of-scope questions declined)\n", 100 * dr, none_ok,
		       none_rows);
		{
			int in_scope = 0, false_idk = 0;
			printf("recall       ");
			for (int e = 0; e < 4; e++) {
				int n = 0;
				for (int a = 0; a < 4; a++)
					n += confusion[e][a];
				printf(" %s %.1f%% (%d/%d)", labels[e], n ? 100.0 * confusion[e][e] / n : 0.0,
				       confusion[e][e], n);
				if (e < 3) {
					in_scope += n;
					false_idk += confusion[e][3];
				}
			}
			printf("\nfalse \"I don't know\" %.1f%% (%d of %d in-scope questions declined)\n",
			       in_scope ? 100.0 * false_idk / in_scope : 0.0, false_idk, in_scope);
			printf("confusion (rows: expected, columns: answered)\n%-6s", "");
			for (int a = 0; a < 4; a++)
				printf("%6s", labels[a]);
			printf("\n");
			for (int e = 0; e < 4; e++) {
				printf("%-6s", labels[e]);
				for (int a = 0; a < 4; a++)
					printf("%6d", confusion[e][a]);
				printf("\n");
			}
		}
		if (ra < min_role || mr < min_mention) {
			printf("FAIL: below the gate (role %.0f%%, mention %.0f%%)\n", 100 * min_role,
			       100 * min_mention);
			return 1;
		}
	}
	return 0;
}
