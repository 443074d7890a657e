/* console.c -- console mode, like Hubot's shell adapter. */
#include "console.h"

#include <string.h>

#include "buf.h"
#include "cli.h"
#include "cmd.h"
#include "render.h"

#define REPLY_RENDER_MAX (256 * 1024)

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

int
console_run(FILE *in, FILE *out, int interactive)
{
	static char line[CMD_TEXT_MAX + 1];
	struct buf rendered;
	size_t len;

	buf_init(&rendered, REPLY_RENDER_MAX);
	if (interactive)
		fprintf(out, "pmpo-bot console. Type what you would type in Slack: /pmpo help, "
		             "/pmpo compare, or a question. /quit leaves.\n");
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
		req.channel_id = "console";
		req.surface = SURFACE_CONSOLE;
		cmd_dispatch(&req, &reply);
		buf_reset(&rendered);
		if (render_text(&reply, RENDER_TEXT_WIDTH, &rendered) != 0)
			fputs("(that answer is too large to show)\n", out);
		else
			fputs(buf_str(&rendered), out);
		fputc('\n', out);
		fflush(out);
	}
	buf_free(&rendered);
	if (interactive)
		fputc('\n', out);
	return ferror(in) ? PMPO_EXIT_RUNTIME : PMPO_EXIT_OK;
}
