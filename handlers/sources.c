/* sources.c -- "sources": the articles the knowledge base rests on. */
#include "cmd.h"

#include <stdio.h>

static int
sources_exec(const struct request *req, const struct cmd_args *args, struct reply *reply)
{
	(void)req;
	(void)args;
	reply_set_title(reply, "Where my answers come from");
	reply_append(reply, "Everything I say is written in my own words from these %zu articles; "
	             "each answer names the ones it rests on.\n", kb_nsources);
	for (size_t i = 0; i < kb_nsources; i++)
		reply_append(reply, "\n- *%s*, %s", kb_sources[i].title, kb_sources[i].site);
	reply->role = KB_ROLE_NONE;
	snprintf(reply->footer, sizeof(reply->footer),
	         "%zu topics, %zu comparison rows and %zu tips are built from them.", kb_ntopics,
	         kb_ndimensions, kb_ntips);
	return 0;
}

const struct cmd_entry cmd_sources_entry = {
	.name = "sources",
	.alias = NULL,
	.summary = "The articles my knowledge comes from, by title.",
	.usage = "",
	.min_args = 0,
	.max_args = 0,
	.exec = sources_exec,
};
