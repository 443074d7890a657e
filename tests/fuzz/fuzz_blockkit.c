/* fuzz_blockkit.c -- libFuzzer target: Block Kit rendering of arbitrary
 * replies. The input is split on NUL bytes into title, text, footer, the
 * two column titles, nrows x (label, left, right) and nsources source names,
 * with nrows and nsources taken from the first two bytes. Checks Slack's
 * limits on the output (blockkit.h): blocks, fields per section, bytes per
 * field and section text, characters in the header; and that rendering
 * never fails (it may only when out of memory). */
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
		free(cJSON_PrintUnformatted(msg));
		cJSON_Delete(msg);
	}
	free(copy);
	return 0;
}
