/* ask.c -- "ask QUESTION": the knowledge engine's answer with its sources.
 * The dispatcher also sends plain questions here. */
#include "cmd.h"

#include "engine.h"

/* The role named in a yes/no question, when the answer sits with the other
 * one: "does the PM write the acceptance criteria?" starts with a clear no. */
static void
ask_correct_premise(struct reply *reply, const struct kb_answer *ans)
{
	if (ans->asked == KB_ROLE_NONE || ans->asked == ans->role ||
	    (ans->role != KB_ROLE_PM && ans->role != KB_ROLE_PO))
		return;
	reply_append(reply, "Mostly not the %s: in my sources this sits with the *%s*.\n",
	             kb_role_title(ans->asked), kb_role_title(ans->role));
}

static int
ask_exec(const struct request *req, const struct cmd_args *args, struct reply *reply)
{
	struct kb_answer ans;

	(void)req;
	kb_ask(args->rest, args->rest_len, &ans);
	reply->confidence = ans.confidence;
	reply->is_answer = 1;
	if (ans.topic == NULL) {
		reply->status = REPLY_DECLINE;
		reply->role = KB_ROLE_NONE;
		reply_set_title(reply, "I don't know that one");
		if (ans.gap != NULL)
			reply_append(reply, "%s\n", ans.gap->text);
		else
			reply_append(reply, "I only know about Product Managers and Product Owners, and "
			             "nothing I know fits that question well.\n");
		reply_append(reply, "I can answer, for example:\n");
		for (size_t i = 0; i < ans.nsuggest; i++)
			reply_append(reply, "- %s\n", ans.suggest[i]->title);
		reply_append(reply, "Or try `/pmpo compare` or `/pmpo help`.");
		return 0;
	}
	if (ans.also != NULL) {
		reply_from_both(reply, ans.topic, ans.also);
		return 0;
	}
	ask_correct_premise(reply, &ans);
	reply_from_topic(reply, ans.topic);
	reply->role = ans.role;
	return 0;
}

const struct cmd_entry cmd_ask_entry = {
	.name = "ask",
	.alias = NULL,
	.summary = "Ask a question about the two roles; the answer names its sources.",
	.usage = "QUESTION",
	.min_args = 1,
	.max_args = -1,
	.exec = ask_exec,
};
