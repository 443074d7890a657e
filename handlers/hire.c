/* hire.c -- "hire": PM or PO first? The knowledge base's guidance (topics
 * hire-which-first and startups, when present) and the "When to hire" row of
 * the comparison, which always is. */
#include "cmd.h"

#include <stdio.h>
#include <string.h>

static void
add_topic(struct reply *reply, const struct kb_topic *t, const char *heading)
{
	if (heading != NULL)
		reply_append(reply, "%s*%s*\n", reply->text[0] ? "\n\n" : "", heading);
	else if (reply->text[0])
		reply_append(reply, "\n\n");
	reply_append(reply, "%s", t->text);
	for (size_t s = 0; s < KB_MAX_SOURCES && t->sources[s]; s++)
		reply_add_source(reply, t->sources[s]);
}

static int
hire_exec(const struct request *req, const struct cmd_args *args, struct reply *reply)
{
	const struct kb_topic *first = kb_topic_find("hire-which-first");
	const struct kb_topic *small = kb_topic_find("startups");

	(void)req;
	(void)args;
	reply_set_title(reply, "Hire a PM or a PO first?");
	reply->role = KB_ROLE_BOTH;
	reply->topic = first ? first->id : NULL;
	if (first != NULL)
		add_topic(reply, first, NULL);
	else
		reply_append(reply, "It depends on what your team is missing; the signs for each "
		             "role are below.");
	if (small != NULL)
		add_topic(reply, small, "Startups and small teams");
	for (size_t i = 0; i < kb_ndimensions; i++) {
		const struct kb_dimension *d = &kb_dimensions[i];
		if (strcmp(d->id, "hire") != 0)
			continue;
		reply->col_left = "Product Manager";
		reply->col_right = "Product Owner";
		reply_add_row(reply, d->label, d->pm, d->po);
		for (size_t s = 0; s < KB_MAX_SOURCES && d->sources[s]; s++)
			reply_add_source(reply, d->sources[s]);
	}
	snprintf(reply->footer, sizeof(reply->footer),
	         "More on each role: `/pmpo pm`, `/pmpo po`.");
	return 0;
}

const struct cmd_entry cmd_hire_entry = {
	.name = "hire",
	.alias = NULL,
	.summary = "Should you hire a Product Manager or a Product Owner first? Startups included.",
	.usage = "",
	.min_args = 0,
	.max_args = -1, /* "hire a pm or po first?" reads naturally */
	.exec = hire_exec,
};
