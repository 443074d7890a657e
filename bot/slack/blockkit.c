/* blockkit.c -- struct reply to Block Kit JSON. */
#include "blockkit.h"

#include <stdio.h>
#include <string.h>

#include "kb.h"

#define ELLIPSIS "\xe2\x80\xa6"

/* Appends piece (n bytes) to dst if it fits with room for an ellipsis. */
static int
put(char *dst, size_t cap, size_t *o, const char *piece, size_t n)
{
	if (*o + n + sizeof(ELLIPSIS) > cap)
		return -1;
	memcpy(dst + *o, piece, n);
	*o += n;
	return 0;
}

size_t
blockkit_mrkdwn(const char *s, char *dst, size_t cap)
{
	size_t o = 0;
	int line_start = 1;

	if (cap < sizeof(ELLIPSIS) + 1) {
		if (cap)
			dst[0] = '\0';
		return 0;
	}
	while (*s) {
		const char *piece = s;
		size_t n = 1, adv = 1;
		if (line_start && s[0] == '-' && s[1] == ' ') {
			piece = "\xe2\x80\xa2 ";
			n = 4;
			adv = 2;
		} else if (*s == '&') {
			piece = "&amp;";
			n = 5;
		} else if (*s == '<') {
			piece = "&lt;";
			n = 4;
		} else if (*s == '>') {
			piece = "&gt;";
			n = 4;
		} else if (((unsigned char)*s & 0xc0) == 0xc0) {
			/* a whole UTF-8 sequence at once, so a cut never splits it */
			while ((((unsigned char)s[n]) & 0xc0) == 0x80)
				n++;
			adv = n;
		}
		if (put(dst, cap, &o, piece, n) != 0) {
			memcpy(dst + o, ELLIPSIS, sizeof(ELLIPSIS) - 1);
			o += sizeof(ELLIPSIS) - 1;
			break;
		}
		line_start = *s == '\n';
		s += adv;
	}
	dst[o] = '\0';
	return o;
}

/* The first max characters (code points) of s, into dst. */
static void
cut_chars(const char *s, size_t max, char *dst, size_t cap)
{
	size_t i = 0, chars = 0;

	while (s[i] && chars < max) {
		size_t n = 1;
		while ((((unsigned char)s[i + n]) & 0xc0) == 0x80)
			n++;
		if (i + n >= cap)
			break;
		i += n;
		chars++;
	}
	memcpy(dst, s, i);
	dst[i] = '\0';
}

static cJSON *
text_obj(const char *type, const char *text)
{
	cJSON *t = cJSON_CreateObject();

	if (t == NULL || cJSON_AddStringToObject(t, "type", type) == NULL ||
	    cJSON_AddStringToObject(t, "text", text) == NULL) {
		cJSON_Delete(t);
		return NULL;
	}
	return t;
}

/* Adds a block {"type": type} to blocks; returns it, or NULL. */
static cJSON *
add_block(cJSON *blocks, const char *type)
{
	cJSON *b;

	if (cJSON_GetArraySize(blocks) >= BK_BLOCKS_MAX)
		return NULL;
	b = cJSON_CreateObject();
	if (b == NULL || cJSON_AddStringToObject(b, "type", type) == NULL) {
		cJSON_Delete(b);
		return NULL;
	}
	cJSON_AddItemToArray(blocks, b);
	return b;
}

static int
add_section_text(cJSON *blocks, const char *mrkdwn)
{
	cJSON *b = add_block(blocks, "section"), *t;

	if (b == NULL)
		return -1;
	t = text_obj("mrkdwn", mrkdwn);
	if (t == NULL)
		return -1;
	cJSON_AddItemToObject(b, "text", t);
	return 0;
}

/* The reply text as sections of at most BK_SECTION_MAX bytes, split between lines. */
static int
add_text(cJSON *blocks, const char *text, size_t reserve)
{
	static char conv[BK_SECTION_MAX + 1], line[BK_SECTION_MAX + 1];
	size_t used = 0;
	const char *p = text;

	conv[0] = '\0';
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p), n;
		char raw[REPLY_TEXT_MAX + 1];
		if (len > REPLY_TEXT_MAX)
			len = REPLY_TEXT_MAX;
		memcpy(raw, p, len);
		raw[len] = '\0';
		n = blockkit_mrkdwn(raw, line, sizeof(line));
		if (used > 0 && used + 1 + n > BK_SECTION_MAX) {
			if ((size_t)cJSON_GetArraySize(blocks) + reserve >= BK_BLOCKS_MAX ||
			    add_section_text(blocks, conv) != 0)
				return -1;
			used = 0;
		}
		if (used > 0)
			conv[used++] = '\n';
		memcpy(conv + used, line, n + 1);
		used += n;
		p = nl ? nl + 1 : p + strlen(p);
	}
	if (used > 0 && add_section_text(blocks, conv) != 0)
		return -1;
	return 0;
}

/* One field: "*label*" over body, both converted, within BK_FIELD_MAX bytes. */
static int
add_field(cJSON *fields, const char *label, const char *body)
{
	char out[BK_FIELD_MAX + 1], lab[256];
	size_t o = 0;
	cJSON *t;

	if (label != NULL && *label) {
		blockkit_mrkdwn(label, lab, sizeof(lab));
		o = (size_t)snprintf(out, sizeof(out), "*%s*%s", lab, *body ? "\n" : "");
	}
	blockkit_mrkdwn(body, out + o, sizeof(out) - o);
	t = text_obj("mrkdwn", out);
	if (t == NULL)
		return -1;
	cJSON_AddItemToArray(fields, t);
	return 0;
}

/* Two-column table: 5 rows (10 fields) per section, column titles first. */
static int
add_table(cJSON *blocks, const struct reply *r, size_t reserve)
{
	cJSON *fields = NULL;

	for (size_t i = 0; i <= r->nrows; i++) {
		if (fields == NULL || cJSON_GetArraySize(fields) >= BK_FIELDS_MAX) {
			cJSON *b;
			if ((size_t)cJSON_GetArraySize(blocks) + reserve >= BK_BLOCKS_MAX)
				return 0; /* the fallback text still says what it is */
			b = add_block(blocks, "section");
			if (b == NULL || (fields = cJSON_AddArrayToObject(b, "fields")) == NULL)
				return -1;
		}
		if (i == 0) {
			if (add_field(fields, r->col_left ? r->col_left : "-", "") != 0 ||
			    add_field(fields, r->col_right ? r->col_right : "-", "") != 0)
				return -1;
			continue;
		}
		if (add_field(fields, r->rows[i - 1].label, r->rows[i - 1].left) != 0 ||
		    add_field(fields, r->rows[i - 1].label, r->rows[i - 1].right) != 0)
			return -1;
	}
	return 0;
}

static int
add_context(cJSON *blocks, const char *mrkdwn)
{
	cJSON *b = add_block(blocks, "context"), *els, *t;

	if (b == NULL || (els = cJSON_AddArrayToObject(b, "elements")) == NULL)
		return -1;
	t = text_obj("mrkdwn", mrkdwn);
	if (t == NULL)
		return -1;
	cJSON_AddItemToArray(els, t);
	return 0;
}

static int
add_sources(cJSON *blocks, const struct reply *r)
{
	char raw[BK_FIELD_MAX], conv[BK_FIELD_MAX];
	size_t o;

	o = (size_t)snprintf(raw, sizeof(raw), "Sources: ");
	for (size_t i = 0; i < r->nsources && o < sizeof(raw); i++) {
		const struct kb_source *s = kb_source_find(r->sources[i]);
		o += (size_t)snprintf(raw + o, sizeof(raw) - o, "%s%s", i ? " \xc2\xb7 " : "",
		                      s ? s->title : r->sources[i]);
	}
	blockkit_mrkdwn(raw, conv, sizeof(conv));
	return add_context(blocks, conv);
}

/* Fallback: the title, else the first line of the text; plain, escaped. */
static void
fallback(const struct reply *r, char *dst, size_t cap)
{
	char raw[REPLY_TEXT_MAX + 1];
	size_t n;

	if (r->title[0]) {
		snprintf(raw, sizeof(raw), "%s", r->title);
	} else {
		n = strcspn(r->text, "\n");
		snprintf(raw, sizeof(raw), "%.*s", (int)n, r->text);
	}
	blockkit_mrkdwn(raw[0] ? raw : "PM vs PO bot", dst, cap);
}

int
blockkit_message(const struct reply *r, cJSON *msg)
{
	static char buf[BK_FALLBACK_MAX + 1];
	size_t reserve = (r->nsources > 0) + (r->footer[0] != '\0');
	cJSON *blocks;

	fallback(r, buf, sizeof(buf));
	if (cJSON_AddStringToObject(msg, "text", buf) == NULL ||
	    (blocks = cJSON_AddArrayToObject(msg, "blocks")) == NULL)
		return -1;
	if (r->title[0]) {
		cJSON *b = add_block(blocks, "header"), *t;
		cut_chars(r->title, BK_HEADER_MAX, buf, sizeof(buf));
		if (b == NULL || (t = text_obj("plain_text", buf)) == NULL)
			return -1;
		cJSON_AddItemToObject(b, "text", t);
	}
	if (r->text[0] && add_text(blocks, r->text, reserve + (r->nrows > 0)) != 0)
		return -1;
	if (r->nrows > 0 && add_table(blocks, r, reserve) != 0)
		return -1;
	if (r->nsources > 0 && add_sources(blocks, r) != 0)
		return -1;
	if (r->footer[0]) {
		blockkit_mrkdwn(r->footer, buf, sizeof(buf) > BK_FIELD_MAX ? BK_FIELD_MAX : sizeof(buf));
		if (add_context(blocks, buf) != 0)
			return -1;
	}
	return 0;
}

static int
add_button(cJSON *els, const char *text, const char *action_id, const char *value)
{
	cJSON *btn = cJSON_CreateObject(), *t;

	if (btn == NULL)
		return -1;
	cJSON_AddItemToArray(els, btn);
	if (cJSON_AddStringToObject(btn, "type", "button") == NULL ||
	    (t = text_obj("plain_text", text)) == NULL)
		return -1;
	cJSON_AddItemToObject(btn, "text", t);
	if (cJSON_AddStringToObject(btn, "action_id", action_id) == NULL ||
	    cJSON_AddStringToObject(btn, "value", value) == NULL)
		return -1;
	return 0;
}

/* Appends an actions block with block_id to msg and points *els at its
 * elements; the button value value[0..len) is copied into v (BK_VALUE_MAX + 1
 * bytes). 1 (left as it was) if the value, the block_id or the block count is
 * past Slack's limits, -1 if out of memory, else 0. */
static int
add_actions(cJSON *msg, const char *value, size_t len, const char *block_id, char *v, cJSON **els)
{
	cJSON *blocks = cJSON_GetObjectItemCaseSensitive(msg, "blocks"), *b;

	if (!cJSON_IsArray(blocks) || len == 0 || len > BK_VALUE_MAX || memchr(value, '\0', len) ||
	    strlen(block_id) > BK_BLOCK_ID_MAX || cJSON_GetArraySize(blocks) >= BK_BLOCKS_MAX)
		return 1;
	memcpy(v, value, len);
	v[len] = '\0';
	if ((b = add_block(blocks, "actions")) == NULL ||
	    cJSON_AddStringToObject(b, "block_id", block_id) == NULL ||
	    (*els = cJSON_AddArrayToObject(b, "elements")) == NULL)
		return -1;
	return 0;
}

int
blockkit_share_button(cJSON *msg, const char *value, size_t len, const char *block_id)
{
	char v[BK_VALUE_MAX + 1];
	cJSON *els;
	int rc = add_actions(msg, value, len, block_id, v, &els);

	if (rc != 0)
		return rc;
	return add_button(els, "Share in channel", BK_SHARE_ACTION, v);
}

int
blockkit_feedback_buttons(cJSON *msg, const char *value, size_t len, const char *block_id)
{
	char v[BK_VALUE_MAX + 1];
	cJSON *els;
	int rc = add_actions(msg, value, len, block_id, v, &els);

	if (rc != 0)
		return rc;
	if (add_button(els, "\xf0\x9f\x91\x8d Helpful", BK_FEEDBACK_UP, v) != 0 ||
	    add_button(els, "\xf0\x9f\x91\x8e Not right", BK_FEEDBACK_DOWN, v) != 0)
		return -1;
	return 0;
}

int
blockkit_feedback_done(cJSON *msg, int verdict)
{
	cJSON *blocks = cJSON_GetObjectItemCaseSensitive(msg, "blocks");

	if (!cJSON_IsArray(blocks) || cJSON_GetArraySize(blocks) >= BK_BLOCKS_MAX)
		return 1;
	return add_context(blocks, verdict > 0
	                   ? "You found this \xf0\x9f\x91\x8d helpful. Thanks, your vote is saved."
	                   : "You marked this \xf0\x9f\x91\x8e not right. Thanks, your vote is saved "
	                     "and helps fix the answer.") == 0 ? 0 : -1;
}

static const char *
role_tag(enum kb_role r)
{
	return r == KB_ROLE_PM ? "PM" : r == KB_ROLE_PO ? "PO" : "PM+PO";
}

int
blockkit_tip(const struct kb_tip *tip, cJSON *msg)
{
	static char body[BK_SECTION_MAX + 1], conv[BK_SECTION_MAX];
	char raw[BK_FIELD_MAX], src[BK_FIELD_MAX];
	size_t o;
	cJSON *blocks;

	snprintf(raw, sizeof(raw), "Daily tip for %s", tip->role == KB_ROLE_BOTH ? "PMs and POs" :
	         tip->role == KB_ROLE_PM ? "Product Managers" : "Product Owners");
	blockkit_mrkdwn(raw, conv, sizeof(conv));
	if (cJSON_AddStringToObject(msg, "text", conv) == NULL ||
	    (blocks = cJSON_AddArrayToObject(msg, "blocks")) == NULL)
		return -1;
	o = (size_t)snprintf(body, sizeof(body), "`%s` *%s*\n", role_tag(tip->role), conv);
	blockkit_mrkdwn(tip->text, body + o, sizeof(body) - o);
	if (add_section_text(blocks, body) != 0)
		return -1;
	o = (size_t)snprintf(raw, sizeof(raw), "Source: ");
	for (size_t i = 0; i < KB_MAX_SOURCES && tip->sources[i] && o < sizeof(raw); i++) {
		const struct kb_source *ks = kb_source_find(tip->sources[i]);
		o += (size_t)snprintf(raw + o, sizeof(raw) - o, "%s%s", i ? " \xc2\xb7 " : "",
		                      ks ? ks->title : tip->sources[i]);
	}
	if (tip->sources[0] == NULL)
		return 0;
	blockkit_mrkdwn(raw, src, sizeof(src));
	return add_context(blocks, src);
}
