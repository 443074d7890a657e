/* feedback.c -- feedback buttons: which answers get them, signing, checking
 * a press (see feedback.h). */
#include "feedback.h"

#include <stdio.h>
#include <string.h>

#include "blockkit.h"

int
feedback_wanted(const struct reply *r)
{
	return r->is_answer && r->action.kind == ACTION_NONE &&
	       (r->status == REPLY_OK || r->status == REPLY_DECLINE);
}

int
feedback_add(cJSON *msg, const struct reply *r, const struct request *req,
             const struct share_key *key)
{
	char block_id[SHARE_BLOCK_ID_MAX + 1];

	if (key == NULL || !key->set || !feedback_wanted(r))
		return 0;
	/* a question too long to sign or to be a button value gets no buttons */
	if (sign_block_id(key, FEEDBACK_PREFIX, req->seed, req->text, req->text_len, block_id,
	                  sizeof(block_id)) != 0)
		return 0;
	return blockkit_feedback_buttons(msg, req->text, req->text_len, block_id) < 0 ? -1 : 0;
}

int
feedback_is_action(const char *action_id)
{
	return strcmp(action_id, BK_FEEDBACK_UP) == 0 || strcmp(action_id, BK_FEEDBACK_DOWN) == 0;
}

int
feedback_check(const struct share_key *key, const struct envelope *env, struct feedback_click *c,
               const char **why)
{
	memset(c, 0, sizeof(*c));
	*why = "";
	if (strcmp(env->payload_type, "block_actions") != 0 || !feedback_is_action(env->action_id)) {
		*why = "not_feedback";
		return -1;
	}
	if (!env->has_text || env->text_len == 0 || env->text_len > BK_VALUE_MAX) {
		*why = "no_value";
		return -1;
	}
	if (sign_check(key, FEEDBACK_PREFIX, env->block_id, env->text, env->text_len, &c->seed) != 0) {
		*why = "bad_signature";
		return -1;
	}
	c->verdict = strcmp(env->action_id, BK_FEEDBACK_UP) == 0 ? 1 : -1;
	snprintf(c->answer, sizeof(c->answer), "%lu", c->seed);
	return 0;
}

size_t
feedback_question(const char *text, size_t len, char *out, size_t cap)
{
	const char *p = text, *end = text + len;
	size_t n;

	if (cap == 0)
		return 0;
	for (;;) {
		while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
			p++;
		if (end - p >= 3 && p[0] == '<' && p[1] == '@') {
			const char *q = memchr(p, '>', (size_t)(end - p));
			if (q == NULL)
				break;
			p = q + 1;
			continue;
		}
		break;
	}
	n = (size_t)(end - p);
	if (n >= cap) {
		n = cap - 1;
		while (n > 0 && ((unsigned char)p[n] & 0xc0) == 0x80)
			n--; /* do not cut a character */
	}
	memcpy(out, p, n);
	out[n] = '\0';
	return n;
}
