/* fuzz_envelope.c -- libFuzzer target: any bytes as a Socket Mode frame,
 * through envelope_parse, then (for slash commands and events) the request
 * the daemon builds, cmd_dispatch and the Block Kit rendering of the reply:
 * the whole path of an envelope minus the sockets. Checks the envelope's
 * promises: every field NUL-terminated inside its array, text_len matching. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "blockkit.h"
#include "cmd.h"
#include "envelope.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define TERMINATED(a) (memchr((a), '\0', sizeof(a)) != NULL)

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct envelope env;
	struct request req = {0};
	struct reply reply;
	const char *why = NULL;
	cJSON *msg;
	char *s;

	if (envelope_parse((const char *)data, size, &env, &why) != 0) {
		if (why == NULL || why[0] == '\0')
			abort(); /* a refusal always says why */
		return 0;
	}
	if (!TERMINATED(env.type) || !TERMINATED(env.envelope_id) || !TERMINATED(env.reason) ||
	    !TERMINATED(env.debug_host) || !TERMINATED(env.command) || !TERMINATED(env.response_url) ||
	    !TERMINATED(env.event_id) || !TERMINATED(env.event_type) || !TERMINATED(env.subtype) ||
	    !TERMINATED(env.channel_type) || !TERMINATED(env.bot_id) || !TERMINATED(env.ts) ||
	    !TERMINATED(env.thread_ts) || !TERMINATED(env.user_id) || !TERMINATED(env.channel_id) ||
	    !TERMINATED(env.text) || env.text_len != strlen(env.text) || env.text_len > CMD_TEXT_MAX + 1)
		abort();
	if (env.kind != ENV_SLASH && env.kind != ENV_EVENT)
		return 0;
	req.text = env.text;
	req.text_len = env.text_len;
	req.user_id = env.user_id;
	req.channel_id = env.channel_id;
	req.surface = env.kind == ENV_SLASH ? SURFACE_SLASH : SURFACE_MENTION;
	cmd_dispatch(&req, &reply);
	msg = cJSON_CreateObject();
	if (msg == NULL)
		return 0;
	if (blockkit_message(&reply, msg) != 0)
		abort(); /* only out of memory may fail */
	s = cJSON_PrintUnformatted(msg);
	free(s);
	cJSON_Delete(msg);
	return 0;
}
