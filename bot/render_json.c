/* render_json.c -- a question's answer as one JSON object (ask --json). */
#include "render.h"

#include <cjson/cJSON.h>
#include <stdlib.h>

/* Appends s without the *bold* and `code` markers. */
static int
put_plain(struct buf *out, const char *s)
{
	for (; *s; s++)
		if (*s != '*' && *s != '`' && buf_append(out, s, 1) != 0)
			return -1;
	return 0;
}

int
render_answer_json(const struct reply *reply, struct buf *out)
{
	cJSON *o = cJSON_CreateObject(), *src;
	struct buf text;
	char *s = NULL;
	int rc = -1;

	buf_init(&text, 64 * 1024);
	if (o == NULL)
		goto out;
	/* The text is what a person would read (title, body, table rows), unwrapped
	 * and without markup; sources have their own field. */
	if (put_plain(&text, reply->title) != 0 || buf_puts(&text, "\n") != 0 ||
	    put_plain(&text, reply->text) != 0)
		goto out;
	for (size_t i = 0; i < reply->nrows; i++)
		if (buf_printf(&text, "\n%s: ", reply->rows[i].label) != 0 ||
		    put_plain(&text, reply->rows[i].left) != 0 || buf_puts(&text, " / ") != 0 ||
		    put_plain(&text, reply->rows[i].right) != 0)
			goto out;
	if (!cJSON_AddStringToObject(o, "role", kb_role_name(reply->role)) ||
	    !cJSON_AddStringToObject(o, "topic", reply->topic ? reply->topic : "") ||
	    !cJSON_AddNumberToObject(o, "confidence", reply->confidence) ||
	    !cJSON_AddStringToObject(o, "text", buf_str(&text)) ||
	    (src = cJSON_AddArrayToObject(o, "sources")) == NULL)
		goto out;
	for (size_t i = 0; i < reply->nsources; i++) {
		cJSON *item = cJSON_CreateString(reply->sources[i]);
		if (item == NULL || !cJSON_AddItemToArray(src, item)) {
			cJSON_Delete(item);
			goto out;
		}
	}
	s = cJSON_PrintUnformatted(o);
	if (s != NULL && buf_puts(out, s) == 0 && buf_puts(out, "\n") == 0)
		rc = 0;
out:
	free(s);
	cJSON_Delete(o);
	buf_free(&text);
	return rc;
}
