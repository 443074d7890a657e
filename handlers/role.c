/* role.c -- "pm" and "po": a card for one role (what it is, its duties, how
 * it differs, when to hire one, who thrives in it), built from knowledge-base
 * topics and the comparison rows. Both entries call role_card(). A topic the knowledge base lacks is left out, not faked. */
#include "cmd.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "engine.h"

/* Comparison rows shown on the card as "label: this role's side". */
static const char *const card_rows[] = {
	"focus", "time-horizon", "faces", "owns", "decisions", "metrics", NULL,
};

static const struct kb_dimension *
dimension_find(const char *id)
{
	for (size_t i = 0; i < kb_ndimensions; i++)
		if (strcmp(kb_dimensions[i].id, id) == 0)
			return &kb_dimensions[i];
	return NULL;
}

static void
add_dimension_sources(struct reply *reply, const struct kb_dimension *d)
{
	for (size_t s = 0; s < KB_MAX_SOURCES && d->sources[s]; s++)
		reply_add_source(reply, d->sources[s]);
}

static void
add_topic_section(struct reply *reply, const char *heading, const char *topic_id)
{
	const struct kb_topic *t = kb_topic_find(topic_id);

	if (t == NULL)
		return;
	reply_append(reply, "\n\n*%s*\n%s", heading, t->text);
	for (size_t s = 0; s < KB_MAX_SOURCES && t->sources[s]; s++)
		reply_add_source(reply, t->sources[s]);
}

/* A question that starts with "pm" or "po" ("po or pm: who writes stories?")
 * goes to the question engine, with the role word put back. */
static int
answer_question(const struct request *req, const struct cmd_args *args, struct reply *reply)
{
	const char *start = args->rest, *end = args->rest + args->rest_len;
	struct kb_answer ans;

	while (start > req->text && isspace((unsigned char)start[-1]))
		start--;
	while (start > req->text && !isspace((unsigned char)start[-1]))
		start--;
	kb_ask(start, (size_t)(end - start), &ans);
	reply->confidence = ans.confidence;
	if (ans.topic == NULL)
		return 1;
	reply->is_answer = 1;
	if (ans.also != NULL) {
		reply_from_both(reply, ans.topic, ans.also);
		return 0;
	}
	reply_from_topic(reply, ans.topic);
	reply->role = ans.role;
	return 0;
}

static int
role_card(enum kb_role r, const struct request *req, const struct cmd_args *args,
          struct reply *reply)
{
	const char *role_id = r == KB_ROLE_PM ? "pm-role" : "po-role";
	const char *hire_id = r == KB_ROLE_PM ? "hire-pm-if" : "hire-po-if";
	const char *other = r == KB_ROLE_PM ? "po" : "pm";
	const struct kb_topic *t = kb_topic_find(role_id);
	const struct kb_dimension *d;

	if (args->argc > 0 && answer_question(req, args, reply) == 0)
		return 0;
	reply->confidence = 0;
	reply->role = r;
	reply->topic = t ? t->id : NULL;
	reply_set_title(reply, "The %s", kb_role_title(r));
	if (t != NULL) {
		reply_append(reply, "%s", t->text);
		for (size_t s = 0; s < KB_MAX_SOURCES && t->sources[s]; s++)
			reply_add_source(reply, t->sources[s]);
	}
	reply_append(reply, "%s*At a glance*", t ? "\n\n" : "");
	for (size_t i = 0; card_rows[i]; i++) {
		if ((d = dimension_find(card_rows[i])) == NULL)
			continue;
		reply_append(reply, "\n- *%s:* %s", d->label, r == KB_ROLE_PM ? d->pm : d->po);
		add_dimension_sources(reply, d);
	}
	if (kb_topic_find(hire_id) != NULL) {
		add_topic_section(reply, "When to hire one", hire_id);
	} else if ((d = dimension_find("hire")) != NULL) {
		reply_append(reply, "\n\n*When to hire one*\n%s", r == KB_ROLE_PM ? d->pm : d->po);
		add_dimension_sources(reply, d);
	}
	if ((d = dimension_find("career")) != NULL) {
		reply_append(reply, "\n\n*Who thrives in it*\n%s", r == KB_ROLE_PM ? d->pm : d->po);
		add_dimension_sources(reply, d);
	}
	snprintf(reply->footer, sizeof(reply->footer),
	         "The other role: `/pmpo %s`. Side by side: `/pmpo compare`. Which first: `/pmpo hire`.",
	         other);
	return 0;
}

static int
pm_exec(const struct request *req, const struct cmd_args *args, struct reply *reply)
{
	return role_card(KB_ROLE_PM, req, args, reply);
}

static int
po_exec(const struct request *req, const struct cmd_args *args, struct reply *reply)
{
	return role_card(KB_ROLE_PO, req, args, reply);
}

const struct cmd_entry cmd_pm_entry = {
	.name = "pm",
	.alias = NULL,
	.summary = "The Product Manager: what the role is, its duties, when to hire one, who thrives.",
	.usage = "",
	.min_args = 0,
	.max_args = -1, /* "pm or po, who writes stories?" is answered as a question */
	.exec = pm_exec,
};

const struct cmd_entry cmd_po_entry = {
	.name = "po",
	.alias = NULL,
	.summary = "The Product Owner: what the role is, its duties, when to hire one, who thrives.",
	.usage = "",
	.min_args = 0,
	.max_args = -1,
	.exec = po_exec,
};
