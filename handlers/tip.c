/* tip.c -- "tip [pm|po]": one short practical tip, chosen by the request's
 * seed (the caller's clock or message id), since handlers have no RNG. */
#include "cmd.h"

#include <stdio.h>
#include <strings.h>

void
reply_from_tip(struct reply *reply, const struct kb_tip *tip)
{
	reply_set_title(reply, "Tip for %s", tip->role == KB_ROLE_BOTH ? "PMs and POs" :
	                tip->role == KB_ROLE_PM ? "Product Managers" : "Product Owners");
	reply_append(reply, "%s", tip->text);
	for (size_t i = 0; i < KB_MAX_SOURCES && tip->sources[i]; i++)
		reply_add_source(reply, tip->sources[i]);
	reply->role = tip->role;
	reply->topic = tip->id;
}

/* 1 if a tip suits a reader who asked for want (NONE: anyone). */
static int
tip_fits(const struct kb_tip *tip, enum kb_role want)
{
	return want == KB_ROLE_NONE || tip->role == want || tip->role == KB_ROLE_BOTH;
}

static int
tip_exec(const struct request *req, const struct cmd_args *args, struct reply *reply)
{
	enum kb_role want = KB_ROLE_NONE;
	size_t count = 0, pick;

	if (args->argc == 1) {
		if (strcasecmp(args->argv[0], "pm") == 0)
			want = KB_ROLE_PM;
		else if (strcasecmp(args->argv[0], "po") == 0)
			want = KB_ROLE_PO;
		else {
			reply->status = REPLY_USAGE;
			reply_set_title(reply, "Usage");
			reply_append(reply, "`/pmpo tip` gives a tip for either role; `/pmpo tip pm` or "
			             "`/pmpo tip po` picks one for that role.");
			return -1;
		}
	}
	for (size_t i = 0; i < kb_ntips; i++)
		count += tip_fits(&kb_tips[i], want);
	if (count == 0) {
		reply->status = REPLY_DECLINE;
		reply_set_title(reply, "No tips yet");
		reply_append(reply, "The knowledge base has no tips for that role.");
		return 0;
	}
	pick = (size_t)(req->seed % count);
	for (size_t i = 0; i < kb_ntips; i++) {
		if (!tip_fits(&kb_tips[i], want))
			continue;
		if (pick-- == 0) {
			reply_from_tip(reply, &kb_tips[i]);
			break;
		}
	}
	snprintf(reply->footer, sizeof(reply->footer), "A tip every morning: `/pmpo tips on`.");
	return 0;
}

const struct cmd_entry cmd_tip_entry = {
	.name = "tip",
	.alias = NULL,
	.summary = "One short, practical tip for PMs or POs; `pm` or `po` picks the role.",
	.usage = "[pm|po]",
	.min_args = 0,
	.max_args = 1,
	.exec = tip_exec,
};
