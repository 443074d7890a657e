/* fuzz_blockkit.c -- libFuzzer target: Block Kit rendering of arbitrary
 * replies. The input is split on NUL bytes into title, text, footer, the
 * two column titles, nrows x (label, left, right) and nsources source names,
 * with nrows and nsources taken from the first two bytes. Checks Slack's
 * limits on the output (blockkit.h): blocks, fields per section, bytes per
 * field and section text, characters in the header, elements per actions
 * block, button text and value sizes; and that rendering never fails (it
 * may only when out of memory). The feedback buttons (value: the text), the
 * vote line and the share button are added as the daemon adds them. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "blockkit.h"
#include "cmd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The next NUL-terminated piece of [*p, end), or "" when none is left. */
static const char *
next(char **p, char *end)
{
	char *s = *p;

	if (s >= end)
		return "";
	*p = s + strlen(s) + 1;
	return s;
}

static size_t
chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

static const char *
text_of(const cJSON *o)
{
	return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "text"));
}

static void
check(const cJSON *msg)
{
	const cJSON *blocks = cJSON_GetObjectItemCaseSensitive(msg, "blocks"), *b;

	if (text_of(msg) == NULL || strlen(text_of(msg)) > BK_FALLBACK_MAX || !cJSON_IsArray(blocks) ||
	    cJSON_GetArraySize(blocks) > BK_BLOCKS_MAX)
		abort();
	cJSON_ArrayForEach(b, blocks) {
		const char *type = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(b, "type"));
		const cJSON *t = cJSON_GetObjectItemCaseSensitive(b, "text");
		const cJSON *fields = cJSON_GetObjectItemCaseSensitive(b, "fields"), *f;
		if (type == NULL)
			abort();
		if (strcmp(type, "header") == 0 && (text_of(t) == NULL || chars(text_of(t)) > BK_HEADER_MAX))
			abort();
		if (strcmp(type, "section") == 0 && t != NULL &&
		    (text_of(t) == NULL || strlen(text_of(t)) > BK_SECTION_MAX))
			abort();
		if (fields != NULL && cJSON_GetArraySize(fields) > BK_FIELDS_MAX)
			abort();
		cJSON_ArrayForEach(f, fields) {
			if (text_of(f) == NULL || strlen(text_of(f)) > BK_FIELD_MAX)
				abort();
		}
		if (strcmp(type, "actions") == 0) {
			const cJSON *els = cJSON_GetObjectItemCaseSensitive(b, "elements"), *e;
			const char *id = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(b, "block_id"));
			if (cJSON_GetArraySize(els) < 1 || cJSON_GetArraySize(els) > BK_ACTIONS_ELEMENTS_MAX ||
			    (id != NULL && strlen(id) > BK_BLOCK_ID_MAX))
				abort();
			cJSON_ArrayForEach(e, els) {
				const char *v = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "value"));
				const cJSON *bt = cJSON_GetObjectItemCaseSensitive(e, "text");
				if (text_of(bt) == NULL || chars(text_of(bt)) > BK_BUTTON_TEXT_MAX ||
				    (v != NULL && strlen(v) > BK_VALUE_MAX))
					abort();
			}
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct reply r;
	char *copy, *p, *end;
	cJSON *msg;

	if (size < 2)
		return 0;
	copy = malloc(size + 1);
	if (copy == NULL)
		return 0;
	memcpy(copy, data, size);
	copy[size] = '\0';
	p = copy + 2;
	end = copy + size;
	memset(&r, 0, sizeof(r));
	r.nrows = (unsigned char)copy[0] % (REPLY_ROWS_MAX + 1);
	r.nsources = (unsigned char)copy[1] % (REPLY_SOURCES_MAX + 1);
	r.in_channel = copy[0] & 0x80;
	/* the handlers fill these through bounded helpers; the same cuts here */
	strncpy(r.title, next(&p, end), REPLY_TITLE_MAX);
	strncpy(r.text, next(&p, end), REPLY_TEXT_MAX);
	strncpy(r.footer, next(&p, end), REPLY_FOOTER_MAX);
	r.col_left = next(&p, end);
	r.col_right = next(&p, end);
	for (size_t i = 0; i < r.nrows; i++) {
		r.rows[i].label = next(&p, end);
		r.rows[i].left = next(&p, end);
		r.rows[i].right = next(&p, end);
	}
	for (size_t i = 0; i < r.nsources; i++)
		r.sources[i] = next(&p, end);
	msg = cJSON_CreateObject();
	if (msg != NULL) {
		if (blockkit_message(&r, msg) != 0)
			abort();
		check(msg);
		/* the buttons the daemon adds (each may decline to fit: 1) */
		if (copy[1] & 0x40) {
			if (blockkit_feedback_done(msg, copy[1] & 0x20 ? 1 : -1) < 0)
				abort();
		} else if (blockkit_feedback_buttons(msg, r.text, strlen(r.text), "pmpo_fb:1:0123") < 0) {
			abort();
		}
		if (blockkit_share_button(msg, r.title, strlen(r.title), "pmpo_share:1:0123") < 0)
			abort();
		check(msg);
		free(cJSON_PrintUnformatted(msg));
		cJSON_Delete(msg);
	}
	free(copy);
	return 0;
}
