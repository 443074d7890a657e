/* envelope.h -- one Socket Mode frame, parsed and checked.
 *
 * envelope_parse turns the JSON text of a frame into a struct envelope of
 * fixed-size fields (outside data is copied with ceilings, never pointed
 * into), so the caller can free the frame at once. Only the fields pmpo-bot
 * uses are kept. */
#ifndef PMPO_ENVELOPE_H
#define PMPO_ENVELOPE_H

#include <stddef.h>

#include "cmd.h"

#define ENV_ID_MAX 127
#define ENV_URL_MAX 1023
#define ENV_SHORT_MAX 63
#define ENV_BLOCK_ID_MAX 255 /* Slack's limit */

enum envelope_kind {
	ENV_HELLO,
	ENV_DISCONNECT,
	ENV_SLASH,       /* slash_commands */
	ENV_EVENT,       /* events_api */
	ENV_INTERACTIVE, /* interactive: block_actions (a button press) */
	ENV_UNKNOWN      /* another type: acked if it has an envelope_id */
};

struct envelope {
	enum envelope_kind kind;
	char type[ENV_SHORT_MAX + 1];          /* the frame's "type" as sent */
	char envelope_id[ENV_ID_MAX + 1];      /* "" if absent */
	int accepts_response_payload;
	int retry_attempt;
	/* hello / disconnect */
	char reason[ENV_SHORT_MAX + 1];        /* disconnect reason */
	char debug_host[ENV_SHORT_MAX + 1];
	int approx_connection_time;            /* hello, seconds; 0 if absent */
	/* slash command */
	char command[ENV_SHORT_MAX + 1];
	char response_url[ENV_URL_MAX + 1];
	/* events_api */
	char event_id[ENV_ID_MAX + 1];
	char event_type[ENV_SHORT_MAX + 1];    /* app_mention, message, ... */
	char subtype[ENV_SHORT_MAX + 1];
	char channel_type[ENV_SHORT_MAX + 1];  /* "im" for DMs */
	char bot_id[ENV_SHORT_MAX + 1];
	char ts[ENV_SHORT_MAX + 1];
	char thread_ts[ENV_SHORT_MAX + 1];
	/* interactive: payload.type, and the first action; its value goes to
	 * text, payload.user.id to user_id, payload.channel.id to channel_id,
	 * payload.response_url to response_url */
	char payload_type[ENV_SHORT_MAX + 1];  /* "block_actions", ... */
	char action_id[ENV_SHORT_MAX + 1];
	char block_id[ENV_BLOCK_ID_MAX + 1];
	char message_ts[ENV_SHORT_MAX + 1];    /* container.message_ts: the message pressed on */
	int is_ephemeral;                      /* container.is_ephemeral */
	/* slash, events and interactive */
	char user_id[ENV_SHORT_MAX + 1];
	char channel_id[ENV_SHORT_MAX + 1];
	char text[CMD_TEXT_MAX + 2];           /* one byte over CMD_TEXT_MAX says "too long" */
	size_t text_len;
	int has_text;
};

/* Parses the frame json[0..len). 0, or -1 with a short reason in *why
 * (static string) when the frame is not a JSON object with a string type. */
int envelope_parse(const char *json, size_t len, struct envelope *env, const char **why);

#endif
