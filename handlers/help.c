/* help.c -- "help": the command list, generated from cmd_table so it cannot
 * drift from what the dispatcher accepts. */
#include "cmd.h"

static int
help_exec(const struct request *req, const struct cmd_args *args, struct reply *reply)
{
	(void)req;
	(void)args;
	reply_set_title(reply, "PM vs PO bot: what I can do");
	for (size_t i = 0; cmd_table[i]; i++) {
		const struct cmd_entry *e = cmd_table[i];
		reply_append(reply, "- *`/pmpo %s%s%s`*  %s\n", e->name, *e->usage ? " " : "", e->usage,
		             e->summary);
	}
	reply_append(reply, "\nOr just ask, for example `who owns the backlog?`. "
	             "Add `public` to share an answer with the channel.");
	return 0;
}

const struct cmd_entry cmd_help_entry = {
	.name = "help",
	.alias = NULL,
	.summary = "List the commands and how to use them.",
	.usage = "",
	.min_args = 0,
	.max_args = -1, /* "help compare" still helps */
	.exec = help_exec,
};
