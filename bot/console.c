/* console.c -- console mode, like Hubot's shell adapter. */
#include "console.h"

#include <string.h>
#include <time.h>

#include "buf.h"
#include "cli.h"
#include "cmd.h"
#include "render.h"
#include "tips.h"

#define REPLY_RENDER_MAX (256 * 1024)
#define CONSOLE_CHANNEL "console"

struct console_post {
	FILE *out;
	struct buf *rendered;
};

/* The tick's post function: prints the tip where Slack would show it. */
static enum tips_post_result
console_post(void *ctx, const char *channel, const struct kb_tip *tip, const char *local_date)
{
	struct console_post *cp = ctx;
	struct reply reply;

	reply_init(&reply);
	reply_from_tip(&reply, tip);
	buf_reset(cp->rendered);
	fprintf(cp->out, "(daily tip for #%s, %s)\n", channel, local_date);
	if (render_text(&reply, RENDER_TEXT_WIDTH, cp->rendered) != 0)
		return TIPS_POST_RETRY;
	fputs(buf_str(cp->rendered), cp->out);
	fputc('\n', cp->out);
	return TIPS_POST_OK;
}

static time_t
console_now(const struct console_env *env)
{
	return env != NULL && env->clock != NULL ? env->clock(env->clock_ctx) : time(NULL);
}

/* Posts what is due; with announce, also says when the next tip comes. */
static void
console_tick(const struct console_env *env, FILE *out, struct buf *rendered, int announce)
{
	struct console_post cp = {out, rendered};
	time_t now;
	char when[64];

	if (env == NULL || env->store == NULL)
		return;
	now = console_now(env);
	if (tips_tick(env->store, now, console_post, &cp) < 0)
		fputs("(the daily tip could not be checked: storage failed; see the log)\n", out);
	if (announce && tips_next_post_text(env->store, CONSOLE_CHANNEL, now, when, sizeof(when)) == 0)
		fprintf(out, "(tip for #%s would be posted at %s)\n", CONSOLE_CHANNEL, when);
	fflush(out);
}

/* Reads one line into line[0..cap) without the newline. A longer line is
 * consumed to its end; *len is then cap (one more than the dispatcher
 * accepts, so it answers "too long"). Returns 0, or -1 at EOF with nothing read. */
static int
read_line(FILE *in, char *line, size_t cap, size_t *len)
{
	size_t n = 0;
	int c, any = 0;

	while ((c = getc(in)) != EOF) {
		any = 1;
		if (c == '\n')
			break;
		if (n < cap)
			line[n++] = (char)c;
	}
	if (!any)
		return -1;
	if (n > 0 && n < cap && line[n - 1] == '\r')
		n--;
	*len = n;
	return 0;
}

enum log_level
console_log_level(enum log_level configured, int explicit_level, int log_on_terminal)
{
	if (log_on_terminal && !explicit_level && configured > LOG_WARN)
		return LOG_WARN;
	return configured;
}

int
console_run(FILE *in, FILE *out, int interactive, const struct console_env *env)
{
	static char line[CMD_TEXT_MAX + 1];
	struct buf rendered;
	size_t len;
	unsigned long nline = 0;

	buf_init(&rendered, REPLY_RENDER_MAX);
	if (interactive)
		fprintf(out, "pmpo-bot console. Type what you would type in Slack: /pmpo help, "
		             "/pmpo compare, or a question. /quit leaves.\n");
	console_tick(env, out, &rendered, 1);
	for (;;) {
		struct request req = {0};
		struct reply reply;
		if (interactive) {
			fputs("pmpo> ", out);
			fflush(out);
		}
		if (read_line(in, line, sizeof(line), &len) != 0)
			break;
		if ((len == 5 && memcmp(line, "/quit", 5) == 0) || (len == 5 && memcmp(line, "/exit", 5) == 0))
			break;
		req.text = line;
		req.text_len = len;
		req.user_id = "console";
		req.channel_id = CONSOLE_CHANNEL;
		req.surface = SURFACE_CONSOLE;
		req.seed = (unsigned long)console_now(env) + nline++;
		cmd_dispatch(&req, &reply);
		if (reply.action.kind != ACTION_NONE) {
			struct tips_defaults none = {"09:00", "UTC"};
			tips_apply(env ? env->store : NULL, env ? env->why_no_store : "console mode "
			           "without a state directory", env ? &env->defaults : &none, &req,
			           console_now(env), &reply);
		}
		buf_reset(&rendered);
		if (render_text(&reply, RENDER_TEXT_WIDTH, &rendered) != 0)
			fputs("(that answer is too large to show)\n", out);
		else
			fputs(buf_str(&rendered), out);
		fputc('\n', out);
		console_tick(env, out, &rendered, 0);
		fflush(out);
	}
	buf_free(&rendered);
	if (interactive)
		fputc('\n', out);
	return ferror(in) ? PMPO_EXIT_RUNTIME : PMPO_EXIT_OK;
}
