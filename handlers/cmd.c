/* cmd.c -- the command table, lookup, validation and dispatch.
 *
 * The dispatcher checks everything a handler may rely on (size, encoding,
 * arity), so handlers stay short and every surface gets the same answers. */
#include "cmd.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

extern const struct cmd_entry cmd_help_entry;
extern const struct cmd_entry cmd_compare_entry;
extern const struct cmd_entry cmd_ask_entry;
extern const struct cmd_entry cmd_pm_entry;
extern const struct cmd_entry cmd_po_entry;
extern const struct cmd_entry cmd_hire_entry;
extern const struct cmd_entry cmd_tip_entry;
extern const struct cmd_entry cmd_tips_entry;
extern const struct cmd_entry cmd_sources_entry;

/* Help lists commands in this order. */
const struct cmd_entry *const cmd_table[] = {
	&cmd_compare_entry,
	&cmd_ask_entry,
	&cmd_pm_entry,
	&cmd_po_entry,
	&cmd_hire_entry,
	&cmd_tip_entry,
	&cmd_tips_entry,
	&cmd_sources_entry,
	&cmd_help_entry,
	NULL,
};

#define PREFIX "/pmpo"

static int
ascii_ieq(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
			return 0;
	return *a == *b;
}

const struct cmd_entry *
cmd_find(const char *name)
{
	const struct cmd_entry *match = NULL;
	size_t len = strlen(name), nmatch = 0;

	if (len == 0)
		return NULL;
	for (size_t i = 0; cmd_table[i]; i++) {
		const struct cmd_entry *e = cmd_table[i];
		if (ascii_ieq(e->name, name) || (e->alias && ascii_ieq(e->alias, name)))
			return e;
	}
	/* A unique prefix of three or more letters ("comp") also counts. */
	if (len < 3)
		return NULL;
	for (size_t i = 0; cmd_table[i]; i++)
		if (strncasecmp(cmd_table[i]->name, name, len) == 0) {
			match = cmd_table[i];
			nmatch++;
		}
	return nmatch == 1 ? match : NULL;
}

/* Levenshtein distance of two short ASCII words, case-insensitive. */
static size_t
edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), prev[CMD_WORD_MAX + 1], cur[CMD_WORD_MAX + 1];

	if (la > CMD_WORD_MAX || lb > CMD_WORD_MAX)
		return (size_t)-1;
	for (size_t j = 0; j <= lb; j++)
		prev[j] = j;
	for (size_t i = 1; i <= la; i++) {
		cur[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t sub = prev[j - 1] +
			             (tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]));
			size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
			cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
		}
		memcpy(prev, cur, sizeof(prev));
	}
	return prev[lb];
}

const struct cmd_entry *
cmd_suggest(const char *name)
{
	const struct cmd_entry *best = NULL;
	size_t best_d = 3; /* suggest only within distance 2 */

	for (size_t i = 0; cmd_table[i]; i++) {
		size_t d = edit_distance(name, cmd_table[i]->name);
		if (cmd_table[i]->alias != NULL) {
			size_t da = edit_distance(name, cmd_table[i]->alias);
			if (da < d)
				d = da;
		}
		if (d < best_d) {
			best_d = d;
			best = cmd_table[i];
		}
	}
	return best;
}

int
text_is_clean_utf8(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;

	while (p < end) {
		unsigned c = *p;
		size_t n;
		unsigned cp;
		if (c == 0)
			return 0;
		if (c < 0x80) {
			p++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			n = 1;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			n = 2;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			n = 3;
			cp = c & 0x07;
		} else {
			return 0;
		}
		if ((size_t)(end - p) <= n)
			return 0;
		for (size_t i = 1; i <= n; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (p[i] & 0x3f);
		}
		/* Overlong forms, UTF-16 surrogates and code points past U+10FFFF. */
		if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		p += n + 1;
	}
	return 1;
}

/* ---- reply helpers ---- */

void
reply_init(struct reply *reply)
{
	memset(reply, 0, sizeof(*reply));
	reply->role = KB_ROLE_NONE;
}

/* Appends formatted text to buf (capacity cap including the NUL); on overflow
 * cuts at a UTF-8 boundary and ends with "...". */
static void bounded_vappend(char *buf, size_t cap, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

static void
bounded_vappend(char *buf, size_t cap, const char *fmt, va_list ap)
{
	size_t used = strlen(buf);
	int n;

	if (used + 1 >= cap)
		return;
	n = vsnprintf(buf + used, cap - used, fmt, ap);
	if (n >= 0 && (size_t)n < cap - used)
		return;
	/* Truncated: back up to a character boundary with room for "...". */
	used = cap - 1;
	if (used < 3)
		return;
	used -= 3;
	while (used > 0 && ((unsigned char)buf[used] & 0xc0) == 0x80)
		used--;
	memcpy(buf + used, "...", 4);
}

void
reply_set_title(struct reply *reply, const char *fmt, ...)
{
	va_list ap;

	reply->title[0] = '\0';
	va_start(ap, fmt);
	bounded_vappend(reply->title, sizeof(reply->title), fmt, ap);
	va_end(ap);
}

void
reply_append(struct reply *reply, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	bounded_vappend(reply->text, sizeof(reply->text), fmt, ap);
	va_end(ap);
}

void
reply_add_row(struct reply *reply, const char *label, const char *left, const char *right)
{
	if (reply->nrows == REPLY_ROWS_MAX)
		return;
	reply->rows[reply->nrows++] = (struct reply_row){label, left, right};
}

void
reply_add_source(struct reply *reply, const char *file)
{
	for (size_t i = 0; i < reply->nsources; i++)
		if (strcmp(reply->sources[i], file) == 0)
			return;
	if (reply->nsources < REPLY_SOURCES_MAX)
		reply->sources[reply->nsources++] = file;
}

void
reply_from_topic(struct reply *reply, const struct kb_topic *topic)
{
	reply_set_title(reply, "%s", topic->title);
	reply_append(reply, "%s", topic->text);
	for (size_t i = 0; i < KB_MAX_SOURCES && topic->sources[i]; i++)
		reply_add_source(reply, topic->sources[i]);
	reply->role = topic->role;
	reply->topic = topic->id;
}

void
reply_from_both(struct reply *reply, const struct kb_topic *first, const struct kb_topic *second)
{
	const struct kb_topic *part[2] = {first, second};

	reply_set_title(reply, "Both roles, each with its part");
	for (size_t i = 0; i < 2; i++) {
		reply_append(reply, "%s*%s* (%s)\n%s", i ? "\n\n" : "", part[i]->title,
		             kb_role_title(part[i]->role), part[i]->text);
		for (size_t s = 0; s < KB_MAX_SOURCES && part[i]->sources[s]; s++)
			reply_add_source(reply, part[i]->sources[s]);
	}
	reply->role = KB_ROLE_BOTH;
	reply->topic = first->id;
}

/* ---- dispatch ---- */

static const char *
skip_space(const char *p, const char *end)
{
	while (p < end && isspace((unsigned char)*p))
		p++;
	return p;
}

/* 1 if the word w[0..n) is the "public" marker (any case). */
static int
is_public_word(const char *w, size_t n)
{
	return n == 6 && strncasecmp(w, "public", 6) == 0;
}

/* Splits [p, end) into args. Words are cut at CMD_WORD_MAX-1 bytes; argc
 * counts every word even past CMD_ARGS_MAX so arity checks stay honest. */
static void
split_args(const char *p, const char *end, struct cmd_args *args)
{
	memset(args, 0, sizeof(*args));
	p = skip_space(p, end);
	args->rest = p;
	args->rest_len = (size_t)(end - p);
	while (p < end) {
		const char *w = p;
		size_t n;
		while (p < end && !isspace((unsigned char)*p))
			p++;
		n = (size_t)(p - w);
		if (is_public_word(w, n)) {
			args->is_public = 1;
		} else {
			if (args->argc < CMD_ARGS_MAX) {
				if (n >= CMD_WORD_MAX)
					n = CMD_WORD_MAX - 1;
				memcpy(args->argv[args->argc], w, n);
				args->argv[args->argc][n] = '\0';
			}
			args->argc++;
		}
		p = skip_space(p, end);
	}
	/* Keep rest free of a trailing "public" too, so questions read cleanly. */
	while (args->rest_len > 0 && isspace((unsigned char)args->rest[args->rest_len - 1]))
		args->rest_len--;
	if (args->is_public && args->rest_len >= 6 &&
	    strncasecmp(args->rest + args->rest_len - 6, "public", 6) == 0 &&
	    (args->rest_len == 6 || isspace((unsigned char)args->rest[args->rest_len - 7])))
		args->rest_len -= 6;
	while (args->rest_len > 0 && isspace((unsigned char)args->rest[args->rest_len - 1]))
		args->rest_len--;
}

/* Skips Slack user mentions ("<@U123>") at the start of a message. */
static const char *
skip_mentions(const char *p, const char *end)
{
	for (;;) {
		const char *q;
		p = skip_space(p, end);
		if (end - p < 3 || p[0] != '<' || p[1] != '@')
			return p;
		q = memchr(p, '>', (size_t)(end - p));
		if (q == NULL)
			return p;
		p = q + 1;
	}
}

static int
run(const struct cmd_entry *e, const struct request *req, const struct cmd_args *args,
    struct reply *reply)
{
	if (args->argc < e->min_args || (e->max_args >= 0 && args->argc > e->max_args)) {
		reply->status = REPLY_USAGE;
		reply_set_title(reply, "Usage");
		reply_append(reply, "`/pmpo %s%s%s`: %s", e->name, *e->usage ? " " : "", e->usage,
		             e->summary);
		return -1;
	}
	reply->in_channel = args->is_public;
	return e->exec(req, args, reply);
}

/* Checks size and encoding; fills reply and returns -1 if the text is bad. */
static int
validate(const struct request *req, struct reply *reply)
{
	const char *p = req->text ? req->text : "";

	reply_init(reply);
	if (req->text_len > CMD_TEXT_MAX) {
		reply->status = REPLY_BAD_INPUT;
		reply_set_title(reply, "That message is too long");
		reply_append(reply, "It is longer than %d bytes, the most I read. Ask a shorter "
		             "question, or try `/pmpo help`.", CMD_TEXT_MAX);
		return -1;
	}
	if (!text_is_clean_utf8(p, req->text ? req->text_len : 0)) {
		reply->status = REPLY_BAD_INPUT;
		reply_set_title(reply, "I could not read that text");
		reply_append(reply, "It is not valid UTF-8 text (or it holds NUL bytes). "
		             "Type it again, or try `/pmpo help`.");
		return -1;
	}
	return 0;
}

void
cmd_run(const struct cmd_entry *e, const struct request *req, struct reply *reply)
{
	const char *p = req->text ? req->text : "";
	struct cmd_args args;

	if (validate(req, reply) != 0)
		return;
	split_args(p, p + (req->text ? req->text_len : 0), &args);
	run(e, req, &args, reply);
}

void
cmd_dispatch(const struct request *req, struct reply *reply)
{
	const char *p = req->text ? req->text : "", *end = p + (req->text ? req->text_len : 0);
	const char *word, *word_end;
	char name[CMD_WORD_MAX];
	const struct cmd_entry *e;
	struct cmd_args args;
	int had_prefix = req->surface == SURFACE_SLASH, lead_public = 0;
	size_t n;

	if (validate(req, reply) != 0)
		return;
	p = skip_mentions(p, end);
	if ((size_t)(end - p) >= strlen(PREFIX) && strncasecmp(p, PREFIX, strlen(PREFIX)) == 0 &&
	    (end - p == (ptrdiff_t)strlen(PREFIX) || isspace((unsigned char)p[strlen(PREFIX)]))) {
		p += strlen(PREFIX);
		had_prefix = 1;
	}
	/* "public" may come first too ("/pmpo public po"): it is the marker,
	 * not the command, wherever it stands. */
	for (;;) {
		p = skip_space(p, end);
		word = p;
		while (p < end && !isspace((unsigned char)*p))
			p++;
		word_end = p;
		if (!is_public_word(word, (size_t)(word_end - word)))
			break;
		lead_public = 1;
	}
	n = (size_t)(word_end - word);
	if (n >= CMD_WORD_MAX)
		n = CMD_WORD_MAX - 1;
	memcpy(name, word, n);
	name[n] = '\0';

	if (n == 0) {
		/* nothing, or only "public": the help (for everyone, with "public") */
		split_args(end, end, &args);
		args.is_public |= lead_public;
		run(&cmd_help_entry, req, &args, reply);
		return;
	}
	if ((e = cmd_find(name)) != NULL) {
		split_args(word_end, end, &args);
		args.is_public |= lead_public;
		run(e, req, &args, reply);
		return;
	}
	split_args(word, end, &args);
	args.is_public |= lead_public;
	if (args.argc == 1 && (had_prefix || cmd_suggest(name) != NULL)) {
		const struct cmd_entry *near = cmd_suggest(name);
		reply->status = REPLY_UNKNOWN;
		reply_set_title(reply, "Unknown command");
		reply_append(reply, "I don't know the command `%.*s`.", (int)(word_end - word > 40 ? 40 : word_end - word), word);
		if (near != NULL)
			reply_append(reply, " Did you mean `/pmpo %s`?", near->name);
		reply_append(reply, " Type `/pmpo help` for the list, or just ask a question.");
		return;
	}
	/* Anything else is a question for the knowledge base. */
	run(&cmd_ask_entry, req, &args, reply);
}
