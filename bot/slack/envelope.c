/* envelope.c -- Socket Mode frames into struct envelope. */
#include "envelope.h"

#include <string.h>

#include <cjson/cJSON.h>

/* Copies the string member key of obj into dst (cap bytes), cut if longer.
 * Returns the length of the source string, or -1 if absent/not a string. */
static long
copy_str(const cJSON *obj, const char *key, char *dst, size_t cap)
{
	const char *s = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(obj, key));
	size_t n;

	dst[0] = '\0';
	if (s == NULL)
		return -1;
	n = strlen(s);
	if (n >= cap) {
		memcpy(dst, s, cap - 1);
		dst[cap - 1] = '\0';
	} else {
		memcpy(dst, s, n + 1);
	}
	return (long)n;
}

static int
get_int(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	return cJSON_IsNumber(v) && v->valuedouble >= 0 && v->valuedouble < 1e9 ? (int)v->valuedouble : 0;
}

/* The user's text: copied whole up to CMD_TEXT_MAX + 1 bytes, so an over-long
 * text still reaches the dispatcher as "too long". */
static void
copy_text(const cJSON *obj, struct envelope *env)
{
	long n = copy_str(obj, "text", env->text, sizeof(env->text));

	env->has_text = n >= 0;
	env->text_len = n < 0 ? 0 : (size_t)n >= sizeof(env->text) ? sizeof(env->text) - 1 : (size_t)n;
}

static void
parse_slash(const cJSON *p, struct envelope *env)
{
	copy_str(p, "command", env->command, sizeof(env->command));
	copy_str(p, "response_url", env->response_url, sizeof(env->response_url));
	copy_str(p, "user_id", env->user_id, sizeof(env->user_id));
	copy_str(p, "channel_id", env->channel_id, sizeof(env->channel_id));
	copy_text(p, env);
}

static void
parse_event(const cJSON *p, struct envelope *env)
{
	const cJSON *ev = cJSON_GetObjectItemCaseSensitive(p, "event");

	copy_str(p, "event_id", env->event_id, sizeof(env->event_id));
	if (!cJSON_IsObject(ev))
		return;
	copy_str(ev, "type", env->event_type, sizeof(env->event_type));
	copy_str(ev, "subtype", env->subtype, sizeof(env->subtype));
	copy_str(ev, "channel_type", env->channel_type, sizeof(env->channel_type));
	copy_str(ev, "bot_id", env->bot_id, sizeof(env->bot_id));
	copy_str(ev, "ts", env->ts, sizeof(env->ts));
	copy_str(ev, "thread_ts", env->thread_ts, sizeof(env->thread_ts));
	copy_str(ev, "user", env->user_id, sizeof(env->user_id));
	copy_str(ev, "channel", env->channel_id, sizeof(env->channel_id));
	copy_text(ev, env);
}

/* A button press: who, where, which button, and the response_url. */
static void
parse_interactive(const cJSON *p, struct envelope *env)
{
	const cJSON *actions = cJSON_GetObjectItemCaseSensitive(p, "actions");
	const cJSON *a0 = cJSON_IsArray(actions) ? cJSON_GetArrayItem(actions, 0) : NULL;
	const cJSON *user = cJSON_GetObjectItemCaseSensitive(p, "user");
	const cJSON *ch = cJSON_GetObjectItemCaseSensitive(p, "channel");
	const cJSON *cont = cJSON_GetObjectItemCaseSensitive(p, "container");

	copy_str(p, "type", env->payload_type, sizeof(env->payload_type));
	copy_str(p, "response_url", env->response_url, sizeof(env->response_url));
	if (cJSON_IsObject(user))
		copy_str(user, "id", env->user_id, sizeof(env->user_id));
	if (cJSON_IsObject(ch))
		copy_str(ch, "id", env->channel_id, sizeof(env->channel_id));
	if (env->channel_id[0] == '\0' && cJSON_IsObject(cont))
		copy_str(cont, "channel_id", env->channel_id, sizeof(env->channel_id));
	if (cJSON_IsObject(cont)) {
		copy_str(cont, "message_ts", env->message_ts, sizeof(env->message_ts));
		env->is_ephemeral = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(cont, "is_ephemeral"));
	}
	if (!cJSON_IsObject(a0))
		return;
	copy_str(a0, "action_id", env->action_id, sizeof(env->action_id));
	copy_str(a0, "block_id", env->block_id, sizeof(env->block_id));
	{
		long n = copy_str(a0, "value", env->text, sizeof(env->text));
		env->has_text = n >= 0;
		env->text_len = n < 0 ? 0 : (size_t)n >= sizeof(env->text) ? sizeof(env->text) - 1 : (size_t)n;
	}
}

int
envelope_parse(const char *json, size_t len, struct envelope *env, const char **why)
{
	cJSON *root = cJSON_ParseWithLength(json, len);
	const cJSON *payload, *dbg;
	int rc = -1;

	memset(env, 0, sizeof(*env));
	*why = "";
	if (root == NULL || !cJSON_IsObject(root)) {
		*why = "not_a_json_object";
		goto out;
	}
	if (copy_str(root, "type", env->type, sizeof(env->type)) < 0) {
		*why = "no_type";
		goto out;
	}
	copy_str(root, "envelope_id", env->envelope_id, sizeof(env->envelope_id));
	env->accepts_response_payload =
		cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(root, "accepts_response_payload"));
	env->retry_attempt = get_int(root, "retry_attempt");
	dbg = cJSON_GetObjectItemCaseSensitive(root, "debug_info");
	if (cJSON_IsObject(dbg)) {
		copy_str(dbg, "host", env->debug_host, sizeof(env->debug_host));
		env->approx_connection_time = get_int(dbg, "approximate_connection_time");
	}
	payload = cJSON_GetObjectItemCaseSensitive(root, "payload");
	if (strcmp(env->type, "hello") == 0) {
		env->kind = ENV_HELLO;
	} else if (strcmp(env->type, "disconnect") == 0) {
		env->kind = ENV_DISCONNECT;
		copy_str(root, "reason", env->reason, sizeof(env->reason));
	} else if (strcmp(env->type, "slash_commands") == 0 && cJSON_IsObject(payload)) {
		env->kind = ENV_SLASH;
		parse_slash(payload, env);
	} else if (strcmp(env->type, "events_api") == 0 && cJSON_IsObject(payload)) {
		env->kind = ENV_EVENT;
		parse_event(payload, env);
	} else if (strcmp(env->type, "interactive") == 0) {
		env->kind = ENV_INTERACTIVE;
		if (cJSON_IsObject(payload))
			parse_interactive(payload, env);
	} else {
		env->kind = ENV_UNKNOWN;
	}
	rc = 0;
out:
	cJSON_Delete(root);
	return rc;
}
