/* tips.c -- "tips [on [HH:MM] [Area/City] [weekdays] | off]": daily tips for a
 * channel. The handler only parses and checks; storing the subscription is a
 * side effect, asked for in reply->action and done by bot/tips.c, which also
 * writes the confirmation (it knows the next post time). */
#include "cmd.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define EXAMPLE "`/pmpo tips on 09:30 Europe/Copenhagen weekdays`"

/* The IANA areas; a zone outside them ("Mars/Olympus") is refused here,
 * without I/O. Whether the city exists is checked where the zone files are. */
static const char *const tz_areas[] = {
	"Africa", "America", "Antarctica", "Arctic", "Asia", "Atlantic", "Australia",
	"Europe", "Indian", "Pacific", "Etc", NULL,
};

static int
usage(struct reply *reply, const char *title)
{
	reply->status = REPLY_USAGE;
	reply->action.kind = ACTION_NONE;
	reply_set_title(reply, "%s", title);
	return -1;
}

static int
word_is(const char *w, const char *const *list)
{
	for (size_t i = 0; list[i]; i++)
		if (strcasecmp(w, list[i]) == 0)
			return 1;
	return 0;
}

/* "H:MM" or "HH:MM", 00:00-23:59, into out "HH:MM". 0, or -1. */
static int
parse_time(const char *w, char out[6])
{
	size_t n = strlen(w), colon;
	int h, m;

	if (n != 4 && n != 5)
		return -1;
	colon = n - 3;
	if (w[colon] != ':')
		return -1;
	for (size_t i = 0; i < n; i++)
		if (i != colon && !isdigit((unsigned char)w[i]))
			return -1;
	h = colon == 1 ? w[0] - '0' : (w[0] - '0') * 10 + (w[1] - '0');
	m = (w[colon + 1] - '0') * 10 + (w[colon + 2] - '0');
	if (h > 23 || m > 59)
		return -1;
	out[0] = (char)('0' + h / 10);
	out[1] = (char)('0' + h % 10);
	out[2] = ':';
	out[3] = (char)('0' + m / 10);
	out[4] = (char)('0' + m % 10);
	out[5] = '\0';
	return 0;
}

static int
looks_like_time(const char *w)
{
	if (strchr(w, ':') != NULL)
		return 1;
	for (; *w; w++)
		if (isdigit((unsigned char)*w))
			return 1;
	return 0;
}

/* An Area/City zone name (or UTC), with the area's capitals fixed, into out.
 * 0, -1 if it is not zone-shaped at all, -2 if the area is unknown. */
static int
parse_zone(const char *w, char *out, size_t cap)
{
	const char *slash = strchr(w, '/');
	size_t alen;

	if (strcasecmp(w, "UTC") == 0) {
		snprintf(out, cap, "UTC");
		return 0;
	}
	if (slash == NULL)
		return -1;
	for (const char *p = w; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("/_-+", *p))
			return -2;
	if (strstr(w, "..") != NULL || slash[1] == '\0' || strlen(w) >= cap)
		return -2;
	alen = (size_t)(slash - w);
	for (size_t i = 0; tz_areas[i]; i++)
		if (strlen(tz_areas[i]) == alen && strncasecmp(w, tz_areas[i], alen) == 0) {
			snprintf(out, cap, "%s%s", tz_areas[i], slash);
			return 0;
		}
	return -2;
}

static int
parse_on(const struct request *req, const struct cmd_args *args, struct reply *reply)
{
	static const char *const weekdays[] = {"weekdays", "weekday", "workdays", "mon-fri", NULL};
	static const char *const daily[] = {"daily", "everyday", "every-day", NULL};
	struct reply_action *a = &reply->action;
	int have_time = 0, have_days = 0;

	if (args->argc > 4) {
		usage(reply, "Too many words");
		reply_append(reply, "After `on` I take at most a time, a timezone and `weekdays`, "
		             "for example " EXAMPLE ".");
		return -1;
	}
	a->kind = ACTION_TIPS_SUBSCRIBE;
	for (int i = 1; i < args->argc && i < CMD_ARGS_MAX; i++) {
		const char *w = args->argv[i];
		int z;
		if (word_is(w, weekdays) || word_is(w, daily)) {
			if (have_days++)
				goto twice;
			a->weekdays_only = word_is(w, weekdays);
		} else if ((z = parse_zone(w, a->tz, sizeof(a->tz))) != -1) {
			if (a->tz_explicit++)
				goto twice;
			if (z == -2) {
				usage(reply, "I don't know that timezone");
				reply_append(reply, "`%s` is not a timezone name I know. Use an IANA name "
				             "such as `Europe/Copenhagen`, `America/New_York` or `UTC`, for "
				             "example " EXAMPLE ".", w);
				return -1;
			}
		} else if (looks_like_time(w)) {
			if (have_time++)
				goto twice;
			if (parse_time(w, a->hhmm) != 0) {
				usage(reply, "That time does not work");
				reply_append(reply, "`%s` is not a time I can use. Give a 24-hour time from "
				             "`00:00` to `23:59` with two-digit minutes, for example "
				             EXAMPLE ".", w);
				return -1;
			}
		} else {
			usage(reply, "I don't understand that");
			reply_append(reply, "I don't know what `%s` means here. After `on` I take a time, "
			             "a timezone and `weekdays` (each optional), for example " EXAMPLE ".", w);
			return -1;
		}
	}
	if (!a->tz_explicit && req->user_tz != NULL && strlen(req->user_tz) < sizeof(a->tz))
		snprintf(a->tz, sizeof(a->tz), "%s", req->user_tz);
	reply_set_title(reply, "Daily tips");
	return 0;
twice:
	usage(reply, "Say that once");
	reply_append(reply, "Give at most one time, one timezone and one of `weekdays`/`daily`, "
	             "for example " EXAMPLE ".");
	return -1;
}

static int
tips_exec(const struct request *req, const struct cmd_args *args, struct reply *reply)
{
	static const char *const on[] = {"on", "subscribe", "start", NULL};
	static const char *const off[] = {"off", "unsubscribe", "stop", NULL};
	static const char *const show[] = {"show", "status", NULL};

	if (args->argc == 0 || (args->argc == 1 && word_is(args->argv[0], show))) {
		reply->action.kind = ACTION_TIPS_SHOW;
		reply_set_title(reply, "Daily tips");
		return 0;
	}
	if (word_is(args->argv[0], on))
		return parse_on(req, args, reply);
	if (word_is(args->argv[0], off) && args->argc == 1) {
		reply->action.kind = ACTION_TIPS_UNSUBSCRIBE;
		reply_set_title(reply, "Daily tips");
		return 0;
	}
	usage(reply, "Usage");
	reply_append(reply, "- `/pmpo tips on [HH:MM] [Area/City] [weekdays]` posts a tip here "
	             "every day (default 09:00 in your timezone), e.g. " EXAMPLE "\n"
	             "- `/pmpo tips off` stops them\n"
	             "- `/pmpo tips` shows this channel's setting and the next tip's time");
	return -1;
}

const struct cmd_entry cmd_tips_entry = {
	.name = "tips",
	.alias = NULL,
	.summary = "Daily tips in this channel: `on [HH:MM] [Area/City] [weekdays]`, `off`, or "
	           "no word to see the setting.",
	.usage = "[on [HH:MM] [Area/City] [weekdays] | off]",
	.min_args = 0,
	.max_args = -1,
	.exec = tips_exec,
};
