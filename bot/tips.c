/* tips.c -- tips actions and the posting tick.
 *
 * Crash safety of the tick: claim first, then post. store_claim commits
 * "channel X, local day D, tip T: CLAIMED" (and advances the rotation) before
 * post() is called; the outcome is recorded after. So:
 *   - a crash before the claim commits: nothing recorded; the restart finds
 *     the day still due and posts (no skipped day);
 *   - a crash after the claim, before or during the post: the restart finds
 *     day D already CLAIMED and does not post again. If the post had not gone
 *     out, that day's tip is lost;
 *   - a crash after the post, before POSTED is recorded: same, and correct.
 * Posting first and recording after would turn the middle case into a double
 * post on every crash in that window. We prefer at most once: a duplicate is
 * visible noise in someone's channel, while the lost tip needs a crash inside
 * the second or so one HTTP request takes, at the posting minute. A failed
 * post (Slack answered with an error, or no connection) is known not to have
 * gone out, so it is FAILED, not CLAIMED, and later ticks the same local day
 * retry it, up to TIPS_MAX_ATTEMPTS. */
#include "tips.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "sched.h"

/* ---- actions ---- */

static int
parse_hhmm(const char *s, int *hh, int *mm)
{
	if (s == NULL || strlen(s) != 5 || s[2] != ':')
		return -1;
	for (int i = 0; i < 5; i++)
		if (i != 2 && (s[i] < '0' || s[i] > '9'))
			return -1;
	*hh = (s[0] - '0') * 10 + (s[1] - '0');
	*mm = (s[3] - '0') * 10 + (s[4] - '0');
	return *hh <= 23 && *mm <= 59 ? 0 : -1;
}

static void
describe(const struct subscription *sub, struct reply *reply)
{
	reply_append(reply, "every %s at *%02d:%02d* (%s)", sub->weekdays_only ? "weekday" : "day",
	             sub->hh, sub->mm, sub->tz);
}

static void
append_next(struct store *st, const struct subscription *sub, time_t now, struct reply *reply)
{
	struct store_post last;
	char when[64];
	int found;
	char err[STORE_ERR_MAX];
	time_t next;

	if (store_last_post(st, sub->channel, &last, &found, err, sizeof(err)) != 0)
		found = 0;
	next = sched_next_post(sub, now, found ? last.local_date : NULL);
	if (next != (time_t)-1 && sched_format(sub->tz, next, when, sizeof(when)) == 0)
		reply_append(reply, "\nNext tip: *%s*%s.", when, next == now ? " (now)" : "");
	if (found)
		reply_append(reply, "\nLast tip: %s.", last.local_date);
}

static void
storage_failed(struct reply *reply, const char *err)
{
	reply_set_title(reply, "I could not save that");
	reply->text[0] = '\0';
	reply_append(reply, "My storage failed, so nothing was changed. Please try again in a "
	             "while; if it keeps failing, tell whoever runs this bot (the details are in its log).");
	log_warn("tips_action_failed", "reason=\"%s\"", err);
}

static void
apply_subscribe(struct store *st, const struct tips_defaults *def, const struct request *req,
                time_t now, struct reply *reply)
{
	const struct reply_action *a = &reply->action;
	struct subscription sub;
	const char *tz = a->tz, *why_tz = "the timezone you gave";
	char err[STORE_ERR_MAX];

	memset(&sub, 0, sizeof(sub));
	if (parse_hhmm(a->hhmm[0] ? a->hhmm : def->hhmm, &sub.hh, &sub.mm) != 0) {
		sub.hh = 9;
		sub.mm = 0;
	}
	if (!a->tz_explicit) {
		why_tz = "your timezone";
		if (tz[0] == '\0' || !sched_tz_valid(tz)) {
			tz = def->tz;
			why_tz = "the bot's default timezone";
		}
		if (!sched_tz_valid(tz))
			tz = "UTC";
	} else if (!sched_tz_valid(tz)) {
		reply_set_title(reply, "I don't know that timezone");
		reply_append(reply, "`%s` is not a timezone on this system. Check the spelling and "
		             "capitals, for example `/pmpo tips on 09:30 Europe/Copenhagen weekdays` "
		             "or `America/New_York`.", tz);
		reply->status = REPLY_USAGE;
		return;
	}
	if (strlen(req->channel_id) > SCHED_CHANNEL_MAX || strlen(tz) > SCHED_TZ_MAX) {
		reply_set_title(reply, "I could not save that");
		reply_append(reply, "That channel id is longer than I can store.");
		return;
	}
	snprintf(sub.channel, sizeof(sub.channel), "%s", req->channel_id);
	snprintf(sub.tz, sizeof(sub.tz), "%s", tz);
	snprintf(sub.created_by, sizeof(sub.created_by), "%s", req->user_id ? req->user_id : "");
	sub.weekdays_only = a->weekdays_only;
	sub.since = now;
	if (store_subscribe(st, &sub, err, sizeof(err)) != 0) {
		storage_failed(reply, err);
		return;
	}
	log_info("tips_subscribed", "channel=%s user=%s time=%02d:%02d tz=%s weekdays_only=%d",
	         sub.channel, sub.created_by, sub.hh, sub.mm, sub.tz, sub.weekdays_only);
	reply_set_title(reply, "Daily tips are on");
	reply_append(reply, "I'll post a tip here ");
	describe(&sub, reply);
	reply_append(reply, ", %s.", why_tz);
	append_next(st, &sub, now, reply);
	reply_append(reply, "\nChange it with `/pmpo tips on ...` again; stop with `/pmpo tips off`.");
}

static void
apply_unsubscribe(struct store *st, const struct request *req, struct reply *reply)
{
	char err[STORE_ERR_MAX];
	int existed;

	if (store_unsubscribe(st, req->channel_id, &existed, err, sizeof(err)) != 0) {
		storage_failed(reply, err);
		return;
	}
	if (existed) {
		log_info("tips_unsubscribed", "channel=%s user=%s", req->channel_id,
		         req->user_id ? req->user_id : "");
		reply_set_title(reply, "Daily tips are off");
		reply_append(reply, "No more daily tips in this channel. `/pmpo tips on` starts them "
		             "again, and `/pmpo tip` gives one any time.");
	} else {
		reply_set_title(reply, "Daily tips were not on");
		reply_append(reply, "This channel has no daily tips, so there was nothing to stop.");
	}
}

static void
apply_show(struct store *st, const struct request *req, time_t now, struct reply *reply)
{
	struct subscription sub;
	char err[STORE_ERR_MAX];
	int found;

	if (store_get(st, req->channel_id, &sub, &found, err, sizeof(err)) != 0) {
		reply_set_title(reply, "I could not read the setting");
		reply_append(reply, "My storage failed; please try again in a while.");
		log_warn("tips_action_failed", "reason=\"%s\"", err);
		return;
	}
	if (!found) {
		reply_set_title(reply, "No daily tips here yet");
		reply_append(reply, "Start them with `/pmpo tips on` (09:00 in your timezone), or "
		             "choose, for example `/pmpo tips on 09:30 Europe/Copenhagen weekdays`.");
		return;
	}
	if (sub.paused) {
		reply_set_title(reply, "Daily tips are paused");
		reply_append(reply, "They were set for ");
		describe(&sub, reply);
		reply_append(reply, ", but I could not post here (%s). Add me to the channel and run "
		             "`/pmpo tips on` again to resume.", sub.pause_reason[0] ? sub.pause_reason :
		             "the channel refused my posts");
		return;
	}
	reply_set_title(reply, "Daily tips are on");
	reply_append(reply, "A tip ");
	describe(&sub, reply);
	reply_append(reply, ".");
	append_next(st, &sub, now, reply);
	reply_append(reply, "\nStop them with `/pmpo tips off`.");
}

void
tips_apply(struct store *st, const char *why_no_store, const struct tips_defaults *def,
           const struct request *req, time_t now, struct reply *reply)
{
	enum reply_action_kind kind = reply->action.kind;

	if (kind == ACTION_NONE)
		return;
	reply->text[0] = '\0';
	if (st == NULL) {
		reply_set_title(reply, "Daily tips are not available");
		reply_append(reply, "I have nowhere to keep them: %s. `/pmpo tip` still gives a tip "
		             "on demand.", why_no_store ? why_no_store : "no state directory");
	} else if (kind == ACTION_TIPS_SUBSCRIBE) {
		apply_subscribe(st, def, req, now, reply);
	} else if (kind == ACTION_TIPS_UNSUBSCRIBE) {
		apply_unsubscribe(st, req, reply);
	} else {
		apply_show(st, req, now, reply);
	}
	reply->action.kind = ACTION_NONE; /* done: applying twice does nothing */
}

int
tips_next_post_text(struct store *st, const char *channel, time_t now, char *buf, size_t len)
{
	struct subscription sub;
	struct store_post last;
	char err[STORE_ERR_MAX];
	int found, have_last;
	time_t next;

	if (store_get(st, channel, &sub, &found, err, sizeof(err)) != 0 || !found)
		return -1;
	if (store_last_post(st, channel, &last, &have_last, err, sizeof(err)) != 0)
		return -1;
	next = sched_next_post(&sub, now, have_last ? last.local_date : NULL);
	if (next == (time_t)-1)
		return -1;
	return sched_format(sub.tz, next, buf, len);
}

/* ---- the tick ---- */

static int
record(struct store *st, const char *channel, const char *date, enum tips_post_result r,
       time_t now)
{
	char err[STORE_ERR_MAX];
	int rc = 0;

	switch (r) {
	case TIPS_POST_OK:
		rc = store_post_result(st, channel, date, STORE_POST_POSTED, now, err, sizeof(err));
		break;
	case TIPS_POST_PENDING:
		break; /* stays CLAIMED until tips_post_done */
	case TIPS_POST_RETRY:
		rc = store_post_result(st, channel, date, STORE_POST_FAILED, now, err, sizeof(err));
		break;
	case TIPS_POST_GONE:
		rc = store_post_result(st, channel, date, STORE_POST_FAILED, now, err, sizeof(err));
		if (store_pause(st, channel, "channel_unavailable", err, sizeof(err)) != 0)
			rc = -1;
		else
			log_warn("tips_paused", "channel=%s", channel);
		break;
	}
	return rc;
}

int
tips_post_done(struct store *st, const char *channel, const char *local_date,
               enum tips_post_result result, time_t now)
{
	return record(st, channel, local_date, result == TIPS_POST_PENDING ? TIPS_POST_OK : result,
	              now);
}

int
tips_pause(struct store *st, const char *channel, const char *reason)
{
	char err[STORE_ERR_MAX];

	if (store_pause(st, channel, reason, err, sizeof(err)) != 0)
		return -1;
	log_warn("tips_paused", "channel=%s reason=%s", channel, reason);
	return 0;
}

/* Handles one subscription; 1 if a tip went out, 0 if none was due, -1 on a
 * store failure. */
static int
tick_one(struct store *st, const struct subscription *sub, time_t now, tips_post_fn post,
         void *ctx)
{
	char today[SCHED_DATE_LEN + 1], err[STORE_ERR_MAX];
	struct store_post last;
	enum tips_post_result r;
	long idx;
	int found, rc;

	if (sub->paused || kb_ntips == 0)
		return 0;
	if (sched_local_date(sub->tz, now, today) != 0) {
		log_warn("tips_bad_zone", "channel=%s", sub->channel);
		return 0;
	}
	if (store_last_post(st, sub->channel, &last, &found, err, sizeof(err)) != 0)
		return -1;
	if (found && strcmp(last.local_date, today) == 0) {
		/* Today's tip is done, in flight, or lost in a crash (see the top):
		 * only a known failure is tried again. */
		if (last.state != STORE_POST_FAILED || last.attempts >= TIPS_MAX_ATTEMPTS)
			return 0;
		if (store_retry(st, sub->channel, today, now, err, sizeof(err)) != 0)
			return -1;
		idx = last.tip_index;
	} else {
		if (!sched_due(sub, now, found ? last.local_date : NULL))
			return 0;
		rc = store_claim(st, sub->channel, today, kb_ntips, now, &idx, err, sizeof(err));
		if (rc == 1)
			return 0;
		if (rc != 0)
			return -1;
	}
	if (idx < 0 || (size_t)idx >= kb_ntips)
		idx = 0; /* a claim from a build with more tips */
	r = post(ctx, sub->channel, &kb_tips[idx], today);
	log_info("tip_posted", "channel=%s date=%s tip=%s result=%d", sub->channel, today,
	         kb_tips[idx].id, (int)r);
	if (record(st, sub->channel, today, r, now) != 0)
		return -1;
	return r == TIPS_POST_OK || r == TIPS_POST_PENDING;
}

int
tips_tick(struct store *st, time_t now, tips_post_fn post, void *ctx)
{
	struct subscription *subs;
	char err[STORE_ERR_MAX];
	size_t n;
	int posted = 0, failed = 0;

	if (st == NULL)
		return 0;
	if (store_list(st, &subs, &n, err, sizeof(err)) != 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		int rc = tick_one(st, &subs[i], now, post, ctx);
		if (rc < 0)
			failed = 1; /* logged by the store; the other channels still get theirs */
		else
			posted += rc;
	}
	free(subs);
	return failed ? -1 : posted;
}
