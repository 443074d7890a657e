/* cmd.h -- the command table and the request/reply values handlers trade in.
 *
 * Data flows one way: a transport (console, Slack) builds a struct request,
 * cmd_dispatch() validates it, finds the command and runs its handler, and the
 * handler fills a struct reply that the transport renders. Handlers are pure:
 * no I/O, no clock, no globals. Anything with a side effect (storing a
 * subscription, say) is asked for in reply->action and done by the caller.
 *
 * Adding a command is one file in handlers/ plus one line in cmd.c's table. */
#ifndef PMPO_CMD_H
#define PMPO_CMD_H

#include <stddef.h>

#include "kb.h"

#define CMD_TEXT_MAX 4000   /* bytes of command text we accept (Slack caps messages at 4000 chars) */
#define CMD_ARGS_MAX 16     /* words after the command name */
#define CMD_WORD_MAX 64     /* bytes per word */
#define REPLY_TITLE_MAX 150 /* Block Kit header limit */
#define REPLY_TEXT_MAX 2900 /* under Block Kit's 3000 per section text */
#define REPLY_ROWS_MAX 24
#define REPLY_SOURCES_MAX 5
#define REPLY_FOOTER_MAX 256

/* Where a request came from; it changes wording, never the answer. */
enum surface {
	SURFACE_CONSOLE, /* local console mode */
	SURFACE_SLASH,   /* /pmpo slash command */
	SURFACE_MENTION, /* @pmpo in a channel */
	SURFACE_DM       /* direct message to the bot */
};

struct request {
	const char *text;      /* what the user typed after "/pmpo" or the mention; UTF-8 */
	size_t text_len;       /* bytes in text (text may hold NULs, which are refused) */
	const char *user_id;   /* Slack user id, or "console" */
	const char *channel_id;/* Slack channel id, or "console" */
	enum surface surface;
	/* Filled by the caller because handlers have no clock or RNG. */
	unsigned long seed;    /* any varying number (time, message ts): picks "/pmpo tip" */
	const char *user_tz;   /* the asker's IANA zone if known (Slack users.info), or NULL */
};

/* Arguments after the command name, split on white space. */
struct cmd_args {
	char argv[CMD_ARGS_MAX][CMD_WORD_MAX];
	int argc;
	const char *rest; /* the text after the command name, left-trimmed (points into the request) */
	size_t rest_len;
	int is_public;    /* the word "public" appeared (and was removed from argv) */
};

enum reply_status {
	REPLY_OK = 0,     /* a normal answer */
	REPLY_DECLINE,    /* the knowledge base has no good answer */
	REPLY_USAGE,      /* the command was used wrongly; text holds the usage */
	REPLY_UNKNOWN,    /* no such command; text suggests the nearest */
	REPLY_BAD_INPUT   /* the text itself was unacceptable (too long, invalid UTF-8, NUL) */
};

/* One row of a two-column table: label, left column, right column.
 * The strings are static (knowledge base) data and are not owned. */
struct reply_row {
	const char *label;
	const char *left;
	const char *right;
};

/* A side effect a handler asks for; bot/ code performs it and rewrites the
 * reply's text with the outcome (see bot/tips.h). */
enum reply_action_kind {
	ACTION_NONE = 0,
	ACTION_TIPS_SUBSCRIBE,   /* subscribe req->channel_id to daily tips */
	ACTION_TIPS_UNSUBSCRIBE, /* stop them */
	ACTION_TIPS_SHOW         /* show the channel's subscription and next post */
};

struct reply_action {
	enum reply_action_kind kind;
	char hhmm[6];      /* "HH:MM", or "" for the configured default */
	char tz[64];       /* IANA zone, or "" for the configured default */
	int tz_explicit;   /* 1 if the user typed the zone (else it is theirs or the default) */
	int weekdays_only; /* skip Saturday and Sunday */
};

/* A reply is a plain value: fixed buffers and pointers to static data, so it
 * needs no freeing and can be copied. Text may use *bold* and "- " bullets;
 * each renderer turns those into its own form. */
struct reply {
	enum reply_status status;
	int in_channel;                   /* post for everyone (else only the asker sees it) */
	char title[REPLY_TITLE_MAX + 1];  /* heading, may be empty */
	char text[REPLY_TEXT_MAX + 1];    /* body, may be empty */
	const char *col_left;             /* table column titles, when nrows > 0 */
	const char *col_right;
	struct reply_row rows[REPLY_ROWS_MAX];
	size_t nrows;
	const char *sources[REPLY_SOURCES_MAX]; /* seed files the answer rests on */
	size_t nsources;
	char footer[REPLY_FOOTER_MAX + 1]; /* small print under the answer */
	/* Set by the question engine, for "ask --json" and the logs. */
	enum kb_role role;
	const char *topic;                /* topic id, or NULL */
	double confidence;
	int is_answer;                    /* an answer to a question (ask, plain question, decline): gets feedback buttons */
	struct reply_action action;       /* ACTION_NONE unless a side effect is wanted */
};

typedef int (*cmd_exec_fn)(const struct request *req, const struct cmd_args *args,
                           struct reply *reply);

struct cmd_entry {
	const char *name;    /* what the user types */
	const char *alias;   /* another accepted name, or NULL */
	const char *summary; /* one line for help */
	const char *usage;   /* arguments, e.g. "[TOPIC]"; "" for none */
	int min_args;        /* words required after the name */
	int max_args;        /* words allowed after the name; -1 for any */
	cmd_exec_fn exec;    /* returns 0, or -1 after filling reply with a usage error */
};

/* The commands, in help order, NULL-terminated. */
extern const struct cmd_entry *const cmd_table[];

/* Validates req, runs the matching command (or answers it as a question) and
 * fills *reply. Always fills reply with something to show; never fails. */
void cmd_dispatch(const struct request *req, struct reply *reply);

/* Runs command e with the whole request text as its arguments (there is no
 * command word to look up), after the same checks as cmd_dispatch. */
void cmd_run(const struct cmd_entry *e, const struct request *req, struct reply *reply);

/* The command named exactly, by alias, or by a unique prefix; NULL if none. */
const struct cmd_entry *cmd_find(const char *name);

/* The command whose name is nearest to name by edit distance (at most 2),
 * or NULL. */
const struct cmd_entry *cmd_suggest(const char *name);

/* Reply helpers: bounded, always NUL-terminated; text past the buffer is cut
 * at a UTF-8 boundary and marked with an ellipsis. */
void reply_init(struct reply *reply);
void reply_set_title(struct reply *reply, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void reply_append(struct reply *reply, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void reply_add_row(struct reply *reply, const char *label, const char *left, const char *right);
void reply_add_source(struct reply *reply, const char *file);
/* Fills the reply from a knowledge-base topic (title, text, sources, role). */
void reply_from_topic(struct reply *reply, const struct kb_topic *topic);
/* A both-sides answer: each topic under its own heading, role BOTH. */
void reply_from_both(struct reply *reply, const struct kb_topic *first,
                     const struct kb_topic *second);

/* Fills the reply with one tip: its text, role and sources (handlers/tip.c). */
void reply_from_tip(struct reply *reply, const struct kb_tip *tip);

/* Shared by surfaces: 1 if s[0..len) is valid UTF-8 without NUL bytes. */
int text_is_clean_utf8(const char *s, size_t len);

#endif
