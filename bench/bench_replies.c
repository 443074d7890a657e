/* bench_replies.c -- prints, as one JSON object, the answers pmpo-bot gives
 * under load, rendered by its own code, so the Bolt anchor (bench/anchor)
 * answers with exactly the same bytes:
 *   {"slash": {"compare": <ack payload of "/pmpo compare">},
 *    "mention": <chat.postMessage body for "@pmpo compare", minus channel and thread_ts>}
 * Usage: bench_replies > replies.json */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "blockkit.h"
#include "cmd.h"

/* The reply to text on surface as a Block Kit object (caller deletes), or NULL. */
static cJSON *
render(const char *text, enum surface surface)
{
	struct request req = {0};
	struct reply reply;
	cJSON *o = cJSON_CreateObject();

	req.text = text;
	req.text_len = strlen(text);
	req.user_id = "U1";
	req.channel_id = "C1";
	req.surface = surface;
	cmd_dispatch(&req, &reply);
	if (o == NULL || blockkit_message(&reply, o) != 0) {
		cJSON_Delete(o);
		return NULL;
	}
	if (surface == SURFACE_SLASH)
		cJSON_AddStringToObject(o, "response_type", reply.in_channel ? "in_channel" : "ephemeral");
	else
		cJSON_AddFalseToObject(o, "unfurl_links");
	return o;
}

int
main(void)
{
	cJSON *root = cJSON_CreateObject(), *slash = cJSON_CreateObject();
	cJSON *compare = render("compare", SURFACE_SLASH), *mention = render("<@UBOT> compare", SURFACE_MENTION);
	char *s = NULL;
	int rc = 1;

	if (root == NULL || slash == NULL || compare == NULL || mention == NULL)
		goto out;
	cJSON_AddItemToObject(slash, "compare", compare);
	compare = NULL;
	cJSON_AddItemToObject(root, "slash", slash);
	slash = NULL;
	cJSON_AddItemToObject(root, "mention", mention);
	mention = NULL;
	if ((s = cJSON_PrintUnformatted(root)) == NULL)
		goto out;
	puts(s);
	rc = 0;
out:
	free(s);
	cJSON_Delete(compare);
	cJSON_Delete(mention);
	cJSON_Delete(slash);
	cJSON_Delete(root);
	return rc;
}
