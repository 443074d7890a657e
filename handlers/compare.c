/* compare.c -- "compare [TOPIC]": the side-by-side table of the two roles,
 * every dimension or only those matching a topic word. */
#include "cmd.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

/* 1 if word names this dimension: its id, a word of its label, or one of its
 * keywords, case-insensitive; a word of 4+ letters may be a prefix. */
static int
dimension_matches(const struct kb_dimension *d, const char *word)
{
	const char *fields[3] = {d->id, d->label, d->keywords};
	size_t wl = strlen(word);

	for (size_t f = 0; f < 3; f++) {
		const char *p = fields[f];
		while (*p) {
			const char *s;
			size_t n;
			while (*p && !isalnum((unsigned char)*p))
				p++;
			s = p;
			while (*p && (isalnum((unsigned char)*p) || *p == '-'))
				p++;
			n = (size_t)(p - s);
			if (n == 0)
				continue;
			if ((n == wl || (wl >= 4 && wl < n)) && strncasecmp(s, word, wl) == 0)
				return 1;
		}
	}
	return 0;
}

static int
compare_exec(const struct request *req, const struct cmd_args *args, struct reply *reply)
{
	(void)req;
	reply->col_left = "Product Manager";
	reply->col_right = "Product Owner";
	reply->role = KB_ROLE_BOTH;
	for (size_t i = 0; i < kb_ndimensions; i++) {
		const struct kb_dimension *d = &kb_dimensions[i];
		int want = args->argc == 0;
		for (int a = 0; a < args->argc && a < CMD_ARGS_MAX && !want; a++)
			want = dimension_matches(d, args->argv[a]);
		if (!want)
			continue;
		reply_add_row(reply, d->label, d->pm, d->po);
		for (size_t s = 0; s < KB_MAX_SOURCES && d->sources[s]; s++)
			reply_add_source(reply, d->sources[s]);
	}
	if (reply->nrows == 0) {
		reply->status = REPLY_USAGE;
		reply_set_title(reply, "No comparison row matches that");
		reply_append(reply, "Try one of:");
		for (size_t i = 0; i < kb_ndimensions; i++)
			reply_append(reply, " `%s`", kb_dimensions[i].id);
		reply_append(reply, ", or `/pmpo compare` for the whole table.");
		return -1;
	}
	reply_set_title(reply, "Product Manager vs Product Owner");
	if (args->argc == 0)
		reply_append(reply, "In one line: the PM decides *why* and *what* for the market; "
		             "the PO turns that into *what next* for the team.");
	return 0;
}

const struct cmd_entry cmd_compare_entry = {
	.name = "compare",
	.alias = "vs",
	.summary = "Side-by-side table of the two roles; a topic (backlog, metrics...) narrows it.",
	.usage = "[TOPIC]",
	.min_args = 0,
	.max_args = 4,
	.exec = compare_exec,
};
