/* slack_app.c -- wires Socket Mode envelopes to the command handlers, the
 * daily-tips tick to chat.postMessage, and the process to systemd.
 *
 * Nothing here waits: a /pmpo tips on without a zone is acked at once with
 * no payload, the user's zone is fetched with users.info through the
 * outbox, and the confirmation goes to the command's response_url. The
 * contexts waiting on a Web API call live in fixed pools inside struct app
 * (webapi_close drops calls without calling back, so nothing may be
 * malloc'd per call). */
#include "slack_app.h"

#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "blockkit.h"
#include "cli.h"
#include "cmd.h"
#include "dedup.h"
#include "envelope.h"
#include "feedback.h"
#include "log.h"
#include "loop.h"
#include "notify.h"
#include "sched.h"
#include "share.h"
#include "socket_mode.h"
#include "store.h"
#include "tips.h"
#include "webapi.h"

#define SHORT_ID 64
#define TZ_CACHE_MAX 64                   /* users whose zone we remember */
#define TZ_CACHE_TTL_MS (3600 * 1000ULL)  /* people travel: ask again after an hour */
#define LOOKUPS_MAX 32                    /* tips commands waiting for users.info */
#define TIP_POSTS_MAX 64                  /* daily tips in flight */
#define STATUS_MAX 128

/* Where a request came from, and so where its answer goes. */
struct origin {
	enum surface surface;
	char id[ENV_ID_MAX + 1];              /* envelope or event id, for logs */
	char user[ENV_SHORT_MAX + 1];
	char channel[ENV_SHORT_MAX + 1];
	char response_url[ENV_URL_MAX + 1];   /* slash commands, button presses */
	char thread_ts[ENV_SHORT_MAX + 1];    /* mentions */
};

struct app;

/* A tips command waiting for the user's zone (users.info). */
struct lookup {
	struct app *a;
	int used;
	struct origin o;
	char text[CMD_TEXT_MAX + 2];
	size_t text_len;
	unsigned long seed;
};

/* A daily tip being posted: the claim tips_post_done settles. */
struct tip_post {
	struct app *a;
	int used;
	char channel[SCHED_CHANNEL_MAX + 1];
	char date[SCHED_DATE_LEN + 1];
};

struct tz_entry {
	char user[ENV_SHORT_MAX + 1];
	char tz[SCHED_TZ_MAX + 1];
	uint64_t at; /* loop ms; 0: empty */
};

struct app {
	struct config *cfg;
	struct loop loop;
	struct webapi w;
	struct sm *sm;
	struct dedup dedup;
	char user_id[SHORT_ID];
	char bot_id[SHORT_ID];
	int exit_code;
	int shutting;
	int finished;
	uv_timer_t flush_timer; /* shutdown deadline, then the final step */
	uv_timer_t tick_timer;  /* daily tips, once a minute */
	uv_timer_t wd_timer;    /* WATCHDOG=1 at half of WatchdogSec */
	int ready;              /* READY=1 sent (first hello) */
	char status[STATUS_MAX];
	struct store *store;    /* NULL: tips are off, why_no_store says why */
	char why_no_store[STORE_ERR_MAX + 64];
	struct tz_entry tz_cache[TZ_CACHE_MAX];
	struct lookup lookups[LOOKUPS_MAX];
	struct tip_post posts[TIP_POSTS_MAX];
	struct share_key share; /* signs the share and feedback buttons; unset: no buttons */
	char purged_day[STORE_DAY_LEN + 1]; /* UTC day of the last purge of question text */
};

/* ---- the clock ---- */

#ifdef PMPO_TEST_CLOCK
/* Only in pmpo-bot-testclock (tests/CMakeLists.txt), never in pmpo-bot:
 * PMPO_TEST_NOW=EPOCH starts the tips clock at EPOCH (it then runs at real
 * speed), PMPO_TEST_TICK_MS=N ticks every N ms instead of on the minute. */
static time_t test_now_base, test_real_base;
static uint64_t test_tick_ms;

static void
clock_init(void)
{
	const char *now = getenv("PMPO_TEST_NOW"), *tick = getenv("PMPO_TEST_TICK_MS");

	test_real_base = time(NULL);
	test_now_base = now != NULL ? (time_t)strtoll(now, NULL, 10) : 0;
	test_tick_ms = tick != NULL ? strtoull(tick, NULL, 10) : 0;
	log_warn("test_clock", "now=%lld tick_ms=%llu", (long long)test_now_base,
	         (unsigned long long)test_tick_ms);
}

static time_t
app_now(void)
{
	return test_now_base > 0 ? test_now_base + (time(NULL) - test_real_base) : time(NULL);
}
#else
static void
clock_init(void)
{
}

static time_t
app_now(void)
{
	return time(NULL);
}
#endif

/* Milliseconds to the next tick: just after the next full minute, so a
 * 09:30 tip goes out at 09:30:00-ish, not up to a minute late. */
static uint64_t
tick_delay_ms(void)
{
	struct timespec ts;
	uint64_t ms;

#ifdef PMPO_TEST_CLOCK
	if (test_tick_ms > 0)
		return test_tick_ms;
#endif
	clock_gettime(CLOCK_REALTIME, &ts);
	ms = (uint64_t)(ts.tv_sec % 60) * 1000 + (uint64_t)ts.tv_nsec / 1000000;
	return 60000 - ms + 200;
}

static unsigned long
seed_of(const char *id)
{
	unsigned long h = 2166136261UL;

	for (const unsigned char *p = (const unsigned char *)id; *p; p++)
		h = (h ^ *p) * 16777619UL;
	return h ^ (unsigned long)time(NULL);
}

static void finish(struct app *a);

static void
set_status(struct app *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Remembers the STATUS= line (re-sent after a reload) and sends it. */
static void
set_status(struct app *a, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(a->status, sizeof(a->status), fmt, ap);
	va_end(ap);
	if (notify_status("%s", a->status) < 0)
		log_warn("notify_failed", "what=status");
}

static void
flush_timer_cb(uv_timer_t *t)
{
	finish(t->data);
}

static void
on_outbox_idle(struct webapi *w)
{
	struct app *a = w->loop->user;

	/* a short pause lets the close frames go out before lws is torn down */
	if (a->shutting && !a->finished)
		uv_timer_start(&a->flush_timer, flush_timer_cb, 100, 0);
}

/* Starts the shutdown: the sockets close (Slack redelivers what is not
 * acked), and queued answers get up to SLACK_APP_DRAIN_MS to go out; then
 * finish() drops the rest with one summary line. */
static void
shutdown_app(struct app *a, int code, const char *why)
{
	size_t pending = webapi_pending(&a->w);

	if (a->shutting)
		return;
	a->shutting = 1;
	a->exit_code = code;
	log_info("shutdown", "reason=%s exit_code=%d pending_calls=%zu drain_ms=%d", why, code, pending,
	         pending ? SLACK_APP_DRAIN_MS : 0);
	if (notify_stopping() < 0)
		log_warn("notify_failed", "what=stopping");
	if (pending)
		set_status(a, "stopping: sending %zu queued answers (at most %d s)", pending,
		           SLACK_APP_DRAIN_MS / 1000);
	uv_timer_stop(&a->tick_timer);
	if (a->sm != NULL)
		sm_stop(a->sm);
	a->w.on_idle = on_outbox_idle;
	uv_timer_start(&a->flush_timer, flush_timer_cb, pending == 0 ? 100 : SLACK_APP_DRAIN_MS, 0);
}

/* The last step, on the loop but outside any lws callback. */
static void
finish(struct app *a)
{
	if (a->finished)
		return;
	a->finished = 1;
	uv_timer_stop(&a->flush_timer);
	uv_close((uv_handle_t *)&a->flush_timer, NULL);
	uv_timer_stop(&a->tick_timer);
	uv_close((uv_handle_t *)&a->tick_timer, NULL);
	uv_timer_stop(&a->wd_timer);
	uv_close((uv_handle_t *)&a->wd_timer, NULL);
	webapi_close(&a->w); /* one line counting whatever could not be sent */
	if (a->sm != NULL)
		sm_destroy_begin(a->sm);
	loop_close_handles(&a->loop);
}

/* SIGHUP: re-read the reloadable keys (log level, tips defaults); the
 * connection stays up. On the loop, never in a signal handler. */
static void
reload(struct app *a)
{
	char err[512];
	int rc;

	if (notify_reloading() < 0)
		log_warn("notify_failed", "what=reloading");
	rc = config_reload(a->cfg, NULL, err, sizeof(err));
	if (rc < 0)
		log_error("reload_failed", "reason=%s", LOG_Q(err));
	else
		log_info("reloaded", "log_level=%s tips_time=%s tips_timezone=%s restart_needed=%s",
		         log_level_name(a->cfg->log_level), a->cfg->tips_time, a->cfg->tips_timezone,
		         rc == 1 ? LOG_Q(err) : "-");
	/* READY=1 again only if it was ready before: a reload never makes the
	 * bot look connected */
	if (a->ready && notify_ready() < 0)
		log_warn("notify_failed", "what=ready");
	if (a->status[0] && notify_status("%s", a->status) < 0)
		log_warn("notify_failed", "what=status");
}

static void
on_signal(struct loop *l, int signum)
{
	struct app *a = l->user;

	if (signum == SIGHUP) {
		if (!a->shutting)
			reload(a);
		return;
	}
	if (a->shutting) {
		/* a second SIGTERM/SIGINT (a person pressing Ctrl-C again): stop now */
		log_info("signal_again", "signal=%d pending_calls=%zu", signum, webapi_pending(&a->w));
		if (!a->finished)
			uv_timer_start(&a->flush_timer, flush_timer_cb, 0, 0);
		return;
	}
	shutdown_app(a, PMPO_EXIT_OK, signum == SIGTERM ? "sigterm" : "sigint");
}

static void
on_fatal(void *user, int code, const char *reason)
{
	shutdown_app(user, code, reason);
}

/* {"envelope_id": id} plus payload (taken over) if not NULL; returns the
 * printed frame (caller frees) or NULL. */
static char *
ack_json(const char *envelope_id, cJSON *payload)
{
	cJSON *o = cJSON_CreateObject();
	char *s = NULL;

	if (o == NULL || cJSON_AddStringToObject(o, "envelope_id", envelope_id) == NULL) {
		cJSON_Delete(payload);
		goto out;
	}
	if (payload != NULL)
		cJSON_AddItemToObject(o, "payload", payload);
	s = cJSON_PrintUnformatted(o);
out:
	cJSON_Delete(o);
	return s;
}

/* Like ack_json, but payload stays the caller's (the ack only refers to it). */
static char *
ack_json_ref(const char *envelope_id, const cJSON *payload)
{
	cJSON *o = cJSON_CreateObject();
	char *s = NULL;

	if (o != NULL && cJSON_AddStringToObject(o, "envelope_id", envelope_id) != NULL &&
	    cJSON_AddItemReferenceToObject(o, "payload", (cJSON *)payload))
		s = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	return s;
}

static void
ack_plain(struct app *a, int conn_id, const struct envelope *env)
{
	char *s = ack_json(env->envelope_id, NULL);

	if (s == NULL || sm_send(a->sm, conn_id, s, strlen(s)) != 0)
		log_warn("ack_failed", "envelope_id=%s type=%s", env->envelope_id, env->type);
	free(s);
}

static void
post_done(void *arg, const struct webapi_result *res)
{
	(void)arg;
	if (res->ok) {
		const char *ts = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(res->json, "ts"));
		const char *ch = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(res->json, "channel"));
		log_info("reply_posted", "channel=%s ts=%s", ch ? ch : "-", ts ? ts : "-");
	}
	/* a failure is logged by the outbox (webapi_failed, with outcome=unknown
	 * when Slack may have posted it: then it is not sent again) */
}

static void
origin_from(const struct envelope *env, enum surface surface, const char *thread_ts,
            struct origin *o)
{
	memset(o, 0, sizeof(*o));
	o->surface = surface;
	snprintf(o->id, sizeof(o->id), "%s", env->event_id[0] ? env->event_id : env->envelope_id);
	snprintf(o->user, sizeof(o->user), "%s", env->user_id);
	snprintf(o->channel, sizeof(o->channel), "%s", env->channel_id);
	snprintf(o->response_url, sizeof(o->response_url), "%s", env->response_url);
	snprintf(o->thread_ts, sizeof(o->thread_ts), "%s", thread_ts ? thread_ts : "");
}

static void
build_request(const struct origin *o, const char *text, size_t len, unsigned long seed,
              const char *user_tz, struct request *req)
{
	memset(req, 0, sizeof(*req));
	req->text = text;
	req->text_len = len;
	req->user_id = o->user;
	req->channel_id = o->channel;
	req->surface = o->surface;
	req->seed = seed;
	req->user_tz = user_tz;
}

static const char *
status_name(enum reply_status s)
{
	static const char *const names[] = {"ok", "decline", "usage", "unknown", "bad_input"};

	return (size_t)s < sizeof(names) / sizeof(names[0]) ? names[s] : "other";
}

static double
elapsed_ms(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

/* ---- users' time zones ---- */

static const char *
tz_cache_get(struct app *a, const char *user)
{
	uint64_t now = loop_now_ms(&a->loop);

	for (size_t i = 0; i < TZ_CACHE_MAX; i++) {
		struct tz_entry *e = &a->tz_cache[i];
		if (e->at != 0 && now - e->at < TZ_CACHE_TTL_MS && strcmp(e->user, user) == 0)
			return e->tz;
	}
	return NULL;
}

static void
tz_cache_put(struct app *a, const char *user, const char *tz)
{
	struct tz_entry *victim = &a->tz_cache[0];

	if (strlen(user) >= sizeof(victim->user) || strlen(tz) >= sizeof(victim->tz))
		return;
	for (size_t i = 0; i < TZ_CACHE_MAX; i++) {
		struct tz_entry *e = &a->tz_cache[i];
		if (e->at != 0 && strcmp(e->user, user) == 0) {
			victim = e;
			break;
		}
		if (e->at < victim->at)
			victim = e; /* empty or oldest */
	}
	snprintf(victim->user, sizeof(victim->user), "%s", user);
	snprintf(victim->tz, sizeof(victim->tz), "%s", tz);
	victim->at = loop_now_ms(&a->loop);
	if (victim->at == 0)
		victim->at = 1;
}

/* ---- rendering and delivery ---- */

/* 1 if question text may be kept at all (question_log_days > 0). */
static int
question_text_allowed(const struct app *a)
{
	return a->cfg->question_log_days > 0;
}

/* 1 if the reply may carry a "Share in channel" button: a private answer
 * with nothing done on the asker's behalf. */
static int
shareable(const struct reply *r)
{
	return !r->in_channel && r->action.kind == ACTION_NONE &&
	       (r->status == REPLY_OK || r->status == REPLY_DECLINE);
}

/* The reply as a message object (response_type set for slash surfaces),
 * with feedback buttons signed with fb (NULL: none) on answers to questions
 * and a share button signed with share (NULL: none) when the text fits;
 * NULL (logged) on failure. */
static cJSON *
render(const struct reply *reply, const struct request *req, const struct share_key *share,
       const struct share_key *fb, int slash)
{
	cJSON *msg = cJSON_CreateObject();
	char block_id[SHARE_BLOCK_ID_MAX + 1];

	if (msg == NULL || blockkit_message(reply, msg) != 0 || feedback_add(msg, reply, req, fb) != 0)
		goto fail;
	/* a text too long to sign is too long for a button value too: no button */
	if (share != NULL && share->set &&
	    share_block_id(share, req->seed, req->text, req->text_len, block_id, sizeof(block_id)) == 0 &&
	    blockkit_share_button(msg, req->text, req->text_len, block_id) < 0)
		goto fail;
	if (slash && cJSON_AddStringToObject(msg, "response_type",
	                                     reply->in_channel ? "in_channel" : "ephemeral") == NULL)
		goto fail;
	return msg;
fail:
	cJSON_Delete(msg);
	return NULL;
}

/* Sends msg (taken over) to where o came from, through the outbox: the
 * response_url for slash commands (else privately with chat.postEphemeral),
 * the channel or thread for mentions and DMs. */
static void
deliver(struct app *a, const struct origin *o, cJSON *msg)
{
	const char *method = "chat.postMessage";
	char *body = NULL;
	int rc = -1, queued = 0; /* queued: the outbox took it or logged why not */

	if (msg == NULL)
		goto out;
	if (o->surface == SURFACE_SLASH && o->response_url[0]) {
		if ((body = cJSON_PrintUnformatted(msg)) != NULL) {
			rc = webapi_post_url(&a->w, o->response_url, body, o->channel, post_done, NULL);
			queued = 1;
		}
		goto out;
	}
	if (o->surface == SURFACE_SLASH) {
		/* no response_url: tell the user privately */
		method = "chat.postEphemeral";
		cJSON_DeleteItemFromObjectCaseSensitive(msg, "response_type");
		if (cJSON_AddStringToObject(msg, "user", o->user) == NULL)
			goto out;
	} else if (o->thread_ts[0] && cJSON_AddStringToObject(msg, "thread_ts", o->thread_ts) == NULL) {
		goto out;
	}
	if (cJSON_AddStringToObject(msg, "channel", o->channel) == NULL ||
	    cJSON_AddFalseToObject(msg, "unfurl_links") == NULL)
		goto out;
	if ((body = cJSON_PrintUnformatted(msg)) != NULL) {
		rc = webapi_call(&a->w, method, WEBAPI_TOKEN_BOT, body, o->channel, 0, post_done, NULL);
		queued = 1;
	}
out:
	/* a refusal by the outbox is already counted in its summary lines */
	if (rc != 0 && !queued)
		log_error("reply_not_sent", "id=%s channel=%s reason=render", o->id, o->channel);
	cJSON_Delete(msg);
	free(body);
}

/* Counts an answered or declined question for the report; keeps its text
 * only for a decline outside DMs (a DM's text is kept only if voted on) and
 * only when question_log_days allows text at all. After the answer went
 * out: the count is not worth delaying it. */
static void
log_question(struct app *a, const struct request *req, const struct reply *reply)
{
	char question[CMD_TEXT_MAX + 1], err[STORE_ERR_MAX];
	int declined = reply->status == REPLY_DECLINE, keep;

	if (a->store == NULL || !feedback_wanted(reply))
		return;
	keep = declined && req->surface != SURFACE_DM && question_text_allowed(a);
	if (keep)
		feedback_question(req->text, req->text_len, question, sizeof(question));
	if (store_log_question(a->store, app_now(), reply->topic, declined, keep ? question : NULL, err,
	                       sizeof(err)) != 0)
		log_warn("question_not_counted", "reason=%s", LOG_Q(err));
}

static void
tips_defaults(const struct app *a, struct tips_defaults *d)
{
	d->hhmm = a->cfg->tips_time;
	d->tz = a->cfg->tips_timezone;
}

/* Performs the reply's tips action, if any, at the tips clock's now. */
static void
apply_action(struct app *a, const struct request *req, struct reply *reply)
{
	struct tips_defaults d;

	if (reply->action.kind == ACTION_NONE)
		return;
	tips_defaults(a, &d);
	tips_apply(a->store, a->why_no_store, &d, req, app_now(), reply);
}

static void
lookup_done(void *arg, const struct webapi_result *res)
{
	struct lookup *l = arg;
	struct app *a = l->a;
	const cJSON *user = res->ok ? cJSON_GetObjectItemCaseSensitive(res->json, "user") : NULL;
	const char *tz = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(user, "tz"));
	struct request req;
	struct reply reply;

	if (tz != NULL && sched_tz_valid(tz)) {
		tz_cache_put(a, l->o.user, tz);
		log_info("user_tz", "user=%s tz=%s", l->o.user, tz);
	} else {
		log_info("user_tz_unknown", "user=%s error=%s", l->o.user, res->ok ? "no_tz" : res->error);
		tz = NULL;
	}
	build_request(&l->o, l->text, l->text_len, l->seed, tz, &req);
	cmd_dispatch(&req, &reply);
	apply_action(a, &req, &reply);
	log_info("tips_answered", "id=%s user=%s channel=%s status=%s", l->o.id, l->o.user, l->o.channel,
	         status_name(reply.status));
	deliver(a, &l->o, render(&reply, &req, NULL, NULL, l->o.surface == SURFACE_SLASH));
	l->used = 0;
}

/* Asks users.info for the user's zone; the answer comes in lookup_done.
 * 0, or -1 when none can be asked now (the caller answers with the default). */
static int
start_lookup(struct app *a, const struct origin *o, const char *text, size_t len,
             unsigned long seed)
{
	struct lookup *l = NULL;
	char form[ENV_SHORT_MAX + 8];

	for (size_t i = 0; i < LOOKUPS_MAX && l == NULL; i++)
		if (!a->lookups[i].used)
			l = &a->lookups[i];
	if (l == NULL || len >= sizeof(l->text)) {
		log_warn("user_tz_skipped", "user=%s reason=busy", o->user);
		return -1;
	}
	/* user ids are [A-Z0-9]: nothing to encode, but refuse anything else */
	for (const char *p = o->user; *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')))
			return -1;
	l->a = a;
	l->o = *o;
	memcpy(l->text, text, len);
	l->text[len] = '\0';
	l->text_len = len;
	l->seed = seed;
	l->used = 1;
	snprintf(form, sizeof(form), "user=%s", o->user);
	if (webapi_call_form(&a->w, "users.info", WEBAPI_TOKEN_BOT, form, NULL, WEBAPI_IDEMPOTENT,
	                     lookup_done, l) != 0) {
		l->used = 0;
		return -1;
	}
	return 0;
}

/* 1 if answering this reply needs the user's zone first. */
static int
needs_user_tz(struct app *a, const struct reply *reply, const char *cached)
{
	return reply->action.kind == ACTION_TIPS_SUBSCRIBE && !reply->action.tz_explicit &&
	       cached == NULL && a->store != NULL;
}

static void
handle_slash(struct app *a, int conn_id, const struct envelope *env)
{
	struct origin o;
	struct request req;
	struct reply reply;
	struct timespec t0;
	const char *cached;
	cJSON *payload;
	char *ack = NULL, *body = NULL;
	int share;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	origin_from(env, SURFACE_SLASH, NULL, &o);
	cached = tz_cache_get(a, env->user_id);
	build_request(&o, env->text, env->text_len, seed_of(env->envelope_id), cached, &req);
	cmd_dispatch(&req, &reply);
	if (needs_user_tz(a, &reply, cached) &&
	    start_lookup(a, &o, env->text, env->text_len, req.seed) == 0) {
		/* the confirmation follows on the response_url */
		ack_plain(a, conn_id, env);
		log_info("slash_acked", "envelope_id=%s user=%s channel=%s status=%s in_ack=0 deferred=users.info",
		         env->envelope_id, env->user_id, env->channel_id, status_name(reply.status));
		return;
	}
	share = shareable(&reply);
	apply_action(a, &req, &reply);
	payload = render(&reply, &req, share ? &a->share : NULL, &a->share, 1);
	if (payload == NULL) {
		log_error("render_failed", "envelope_id=%s", env->envelope_id);
		ack_plain(a, conn_id, env);
		return;
	}
	/* one print: the ack refers to payload; payload alone is printed only if needed */
	if (env->accepts_response_payload)
		ack = ack_json_ref(env->envelope_id, payload);
	if (ack != NULL && strlen(ack) < SM_FRAME_OUT_MAX) {
		cJSON_Delete(payload);
		if (sm_send(a->sm, conn_id, ack, strlen(ack)) != 0)
			log_warn("ack_failed", "envelope_id=%s type=%s", env->envelope_id, env->type);
		log_info("slash_acked", "envelope_id=%s user=%s channel=%s status=%s in_ack=1 bytes=%zu build_ms=%.2f",
		         env->envelope_id, env->user_id, env->channel_id, status_name(reply.status),
		         strlen(ack), elapsed_ms(&t0));
		goto out;
	}
	/* too big for one ack frame (or no payload allowed): small ack, reply later */
	body = cJSON_PrintUnformatted(payload);
	cJSON_Delete(payload);
	ack_plain(a, conn_id, env);
	log_info("slash_acked", "envelope_id=%s user=%s channel=%s status=%s in_ack=0 bytes=%zu",
	         env->envelope_id, env->user_id, env->channel_id, status_name(reply.status),
	         body ? strlen(body) : 0);
	if (body != NULL)
		deliver(a, &o, cJSON_Parse(body));
out:
	log_question(a, &req, &reply);
	free(ack);
	free(body);
}

/* Tells the clicker alone, on the press's response_url (else with
 * chat.postEphemeral), that the press changed nothing. */
static void
tell_clicker(struct app *a, const struct envelope *env, const struct origin *o, const char *text)
{
	cJSON *msg = cJSON_CreateObject();

	if (msg == NULL || cJSON_AddStringToObject(msg, "response_type", "ephemeral") == NULL ||
	    cJSON_AddFalseToObject(msg, "replace_original") == NULL ||
	    cJSON_AddStringToObject(msg, "text", text) == NULL) {
		log_error("render_failed", "envelope_id=%s", env->envelope_id);
		cJSON_Delete(msg);
		return;
	}
	deliver(a, o, msg);
}

/* A share press the bot will not carry out: logged, and the clicker alone
 * is told, on the press's response_url; the private answer stays. */
static void
share_refuse(struct app *a, const struct envelope *env, const struct origin *o, const char *reason,
             const char *text)
{
	log_warn("share_refused", "envelope_id=%s user=%s channel=%s reason=%s", env->envelope_id,
	         env->user_id, env->channel_id, reason);
	tell_clicker(a, env, o, text);
}

static void
update_done(void *arg, const struct webapi_result *res)
{
	(void)arg;
	if (res->ok)
		log_info("answer_updated", "how=chat.update");
}

/* A press of "👍 Helpful" / "👎 Not right": checked (feedback.h), the
 * question run again for its topic and role, the vote committed, and only
 * then the answer updated to show the vote in place of the buttons (its
 * response_url for an ephemeral answer, chat.update for a posted one). A
 * press that does not check out changes nothing; the clicker is told. */
static void
handle_feedback(struct app *a, const struct envelope *env)
{
	struct feedback_click c;
	struct origin o;
	struct request req;
	struct reply reply;
	struct store_vote v;
	char question[CMD_TEXT_MAX + 1], err[STORE_ERR_MAX], *body = NULL;
	const char *why;
	int replaced = 0, slash = env->is_ephemeral || env->message_ts[0] == '\0';
	cJSON *msg = NULL;

	origin_from(env, SURFACE_SLASH, NULL, &o);
	if (env->user_id[0] == '\0' || env->channel_id[0] == '\0') {
		log_warn("feedback_ignored", "envelope_id=%s reason=incomplete_payload", env->envelope_id);
		return;
	}
	if (feedback_check(&a->share, env, &c, &why) != 0) {
		log_warn("feedback_refused", "envelope_id=%s user=%s channel=%s reason=%s", env->envelope_id,
		         env->user_id, env->channel_id, why);
		tell_clicker(a, env, &o, "That button does not match an answer I gave, so no vote was "
		             "saved. Ask again and vote on the new answer.");
		return;
	}
	build_request(&o, env->text, env->text_len, c.seed, NULL, &req);
	req.surface = slash ? SURFACE_SLASH : env->channel_id[0] == 'D' ? SURFACE_DM : SURFACE_MENTION;
	cmd_dispatch(&req, &reply);
	if (!feedback_wanted(&reply)) {
		log_warn("feedback_refused", "envelope_id=%s user=%s channel=%s reason=not_an_answer",
		         env->envelope_id, env->user_id, env->channel_id);
		tell_clicker(a, env, &o, "That is not an answer I can take a vote on, so no vote was saved.");
		return;
	}
	if (a->store == NULL) {
		log_warn("feedback_not_saved", "envelope_id=%s reason=no_store", env->envelope_id);
		tell_clicker(a, env, &o, "Your vote could not be saved: the bot's state directory cannot be "
		             "used right now. Nothing was saved.");
		return;
	}
	feedback_question(env->text, env->text_len, question, sizeof(question));
	memset(&v, 0, sizeof(v));
	v.answer = c.answer;
	v.user = env->user_id;
	v.channel = env->channel_id;
	v.question = question_text_allowed(a) ? question : NULL;
	v.topic = reply.topic;
	v.role = kb_role_name(reply.role);
	v.declined = reply.status == REPLY_DECLINE;
	v.verdict = c.verdict;
	v.at = app_now();
	if (store_vote(a->store, &v, &replaced, err, sizeof(err)) != 0) {
		tell_clicker(a, env, &o, "Your vote could not be saved (the bot's storage failed). "
		             "Nothing was saved; try again later.");
		return;
	}
	log_info("feedback_saved", "envelope_id=%s user=%s channel=%s answer=%s verdict=%s topic=%s replaced=%d",
	         env->envelope_id, env->user_id, env->channel_id, c.answer, c.verdict > 0 ? "up" : "down",
	         reply.topic ? reply.topic : "-", replaced);
	/* the same answer, with the vote where the buttons were */
	msg = render(&reply, &req, slash && shareable(&reply) ? &a->share : NULL, NULL, slash);
	if (msg == NULL || blockkit_feedback_done(msg, c.verdict) < 0)
		goto fail;
	if (slash) {
		if (env->response_url[0] == '\0') {
			log_warn("feedback_not_shown", "envelope_id=%s reason=no_response_url", env->envelope_id);
			goto out;
		}
		if (cJSON_AddTrueToObject(msg, "replace_original") == NULL ||
		    (body = cJSON_PrintUnformatted(msg)) == NULL)
			goto fail;
		if (webapi_post_url(&a->w, env->response_url, body, env->channel_id, post_done, NULL) != 0)
			log_warn("feedback_not_shown", "envelope_id=%s reason=outbox", env->envelope_id);
		goto out;
	}
	if (cJSON_AddStringToObject(msg, "channel", env->channel_id) == NULL ||
	    cJSON_AddStringToObject(msg, "ts", env->message_ts) == NULL ||
	    (body = cJSON_PrintUnformatted(msg)) == NULL)
		goto fail;
	/* an update says the same thing however often it lands: safe to retry */
	if (webapi_call(&a->w, "chat.update", WEBAPI_TOKEN_BOT, body, env->channel_id, WEBAPI_IDEMPOTENT,
	                update_done, NULL) != 0)
		log_warn("feedback_not_shown", "envelope_id=%s reason=outbox", env->envelope_id);
	goto out;
fail:
	log_error("render_failed", "envelope_id=%s", env->envelope_id);
out:
	cJSON_Delete(msg);
	free(body);
}

/* A button press: "Share in channel" re-runs the command (handlers are pure,
 * and the seed rides in the block_id) and posts the answer for everyone,
 * removing the private copy. Only a press of a button the bot signed
 * (share.h) does: anything else changes nothing public. */
static void
handle_interactive(struct app *a, int conn_id, const struct envelope *env)
{
	struct origin o;
	struct request req;
	struct reply reply;
	unsigned long seed = 0;
	cJSON *msg;

	ack_plain(a, conn_id, env); /* first: the work may take a moment */
	if (strcmp(env->payload_type, "block_actions") == 0 && feedback_is_action(env->action_id)) {
		handle_feedback(a, env);
		return;
	}
	if (strcmp(env->payload_type, "block_actions") != 0 || strcmp(env->action_id, BK_SHARE_ACTION) != 0) {
		log_info("interactive_ignored", "envelope_id=%s type=%s action_id=%s", env->envelope_id,
		         env->payload_type[0] ? env->payload_type : "-", env->action_id[0] ? env->action_id : "-");
		return;
	}
	if (env->response_url[0] == '\0' || !env->has_text || env->channel_id[0] == '\0') {
		log_warn("share_ignored", "envelope_id=%s reason=incomplete_payload", env->envelope_id);
		return;
	}
	origin_from(env, SURFACE_SLASH, NULL, &o);
	if (share_check(&a->share, env->block_id, env->text, env->text_len, &seed) != 0) {
		share_refuse(a, env, &o, "bad_signature",
		             "That button does not match an answer I gave, so nothing was shared. "
		             "Run the command again and share the new answer.");
		return;
	}
	build_request(&o, env->text, env->text_len, seed, tz_cache_get(a, env->user_id), &req);
	cmd_dispatch(&req, &reply);
	if (!shareable(&reply)) {
		/* only what the button was put on is shared; never an action */
		share_refuse(a, env, &o, "not_shareable",
		             "That answer cannot be shared, so nothing was shared.");
		return;
	}
	reply.in_channel = 1;
	msg = render(&reply, &req, NULL, NULL, 1);
	if (msg == NULL || cJSON_AddTrueToObject(msg, "delete_original") == NULL ||
	    cJSON_AddFalseToObject(msg, "replace_original") == NULL) {
		log_error("render_failed", "envelope_id=%s", env->envelope_id);
		cJSON_Delete(msg);
		return;
	}
	log_info("share_posted", "envelope_id=%s user=%s channel=%s", env->envelope_id, env->user_id,
	         env->channel_id);
	deliver(a, &o, msg);
}

/* Why this event is not for us, or NULL. */
static const char *
ignore_reason(const struct app *a, const struct envelope *env)
{
	if (env->bot_id[0])
		return "bot_message";
	if (env->subtype[0])
		return "subtype"; /* edits, deletes, joins, bot_message... */
	if (env->user_id[0] == '\0')
		return "no_user";
	if (a->user_id[0] && strcmp(env->user_id, a->user_id) == 0)
		return "own_message";
	if (env->channel_id[0] == '\0')
		return "no_channel";
	return NULL;
}

static void
handle_event(struct app *a, const struct envelope *env)
{
	struct origin o;
	struct request req;
	struct reply reply;
	enum surface surface;
	const char *why, *thread_ts = NULL, *cached;

	if (env->event_id[0] && dedup_check(&a->dedup, env->event_id, loop_now_ms(&a->loop))) {
		log_info("event_duplicate", "event_id=%s retry_attempt=%d", env->event_id, env->retry_attempt);
		return;
	}
	if (strcmp(env->event_type, "app_mention") == 0) {
		surface = SURFACE_MENTION;
		thread_ts = env->thread_ts[0] ? env->thread_ts : env->ts;
	} else if (strcmp(env->event_type, "message") == 0 && strcmp(env->channel_type, "im") == 0) {
		surface = SURFACE_DM;
		thread_ts = env->thread_ts[0] ? env->thread_ts : NULL;
	} else {
		log_debug("event_ignored", "event_id=%s type=%s reason=not_handled", env->event_id, env->event_type);
		return;
	}
	if ((why = ignore_reason(a, env)) != NULL) {
		log_info("event_ignored", "event_id=%s type=%s reason=%s", env->event_id, env->event_type, why);
		return;
	}
	origin_from(env, surface, thread_ts, &o);
	cached = tz_cache_get(a, env->user_id);
	build_request(&o, env->text, env->text_len, seed_of(env->ts[0] ? env->ts : env->event_id), cached,
	              &req);
	cmd_dispatch(&req, &reply);
	if (needs_user_tz(a, &reply, cached) &&
	    start_lookup(a, &o, env->text, env->text_len, req.seed) == 0) {
		log_info("event_deferred", "event_id=%s user=%s channel=%s wait=users.info", env->event_id,
		         env->user_id, env->channel_id);
		return;
	}
	apply_action(a, &req, &reply);
	log_info("event_answered", "event_id=%s type=%s user=%s channel=%s status=%s retry_attempt=%d",
	         env->event_id, env->event_type, env->user_id, env->channel_id, status_name(reply.status),
	         env->retry_attempt);
	deliver(a, &o, render(&reply, &req, NULL, &a->share, 0));
	log_question(a, &req, &reply);
}

static void
on_envelope(void *user, int conn_id, const struct envelope *env)
{
	struct app *a = user;

	if (env->envelope_id[0] == '\0') {
		log_warn("envelope_ignored", "conn=%d type=%s reason=no_envelope_id", conn_id, env->type);
		return;
	}
	if (a->shutting) {
		ack_plain(a, conn_id, env);
		return;
	}
	switch (env->kind) {
	case ENV_SLASH:
		handle_slash(a, conn_id, env);
		break;
	case ENV_EVENT:
		ack_plain(a, conn_id, env); /* ack first, then the work */
		handle_event(a, env);
		break;
	case ENV_INTERACTIVE:
		handle_interactive(a, conn_id, env);
		break;
	default:
		ack_plain(a, conn_id, env);
		log_info("envelope_ignored", "conn=%d envelope_id=%s type=%s", conn_id, env->envelope_id,
		         env->type);
		break;
	}
}

/* ---- daily tips ---- */

/* Slack errors after which posting to the channel is pointless. */
static int
channel_gone(const char *error)
{
	return strcmp(error, "not_in_channel") == 0 || strcmp(error, "channel_not_found") == 0 ||
	       strcmp(error, "is_archived") == 0;
}

static void
tip_post_done(void *arg, const struct webapi_result *res)
{
	struct tip_post *p = arg;
	struct app *a = p->a;
	enum tips_post_result r = TIPS_POST_OK;
	time_t now = app_now();

	if (!res->ok && channel_gone(res->error)) {
		r = TIPS_POST_GONE;
		if (tips_pause(a->store, p->channel, res->error) != 0)
			log_error("tips_pause_failed", "channel=%s", p->channel);
	} else if (!res->ok && res->unknown) {
		/* Slack may have posted it: counted as posted, so the day's tip is
		 * never posted twice (at worst it is missing) */
		r = TIPS_POST_OK;
	} else if (!res->ok) {
		r = TIPS_POST_RETRY;
	}
	if (tips_post_done(a->store, p->channel, p->date, r, now) != 0)
		log_error("tips_record_failed", "channel=%s date=%s", p->channel, p->date);
	log_info("tip_delivered", "channel=%s date=%s ok=%d error=%s outcome=%s", p->channel, p->date,
	         res->ok, res->ok ? "-" : LOG_Q(res->error),
	         res->ok ? "posted" : res->unknown ? "unknown" : "not_posted");
	p->used = 0;
}

/* tips_tick's post function: chat.postMessage through the outbox. */
static enum tips_post_result
slack_post_tip(void *ctx, const char *channel, const struct kb_tip *tip, const char *local_date)
{
	struct app *a = ctx;
	struct tip_post *p = NULL;
	cJSON *msg;
	char *body = NULL;
	int rc = -1;

	for (size_t i = 0; i < TIP_POSTS_MAX && p == NULL; i++)
		if (!a->posts[i].used)
			p = &a->posts[i];
	if (p == NULL || strlen(channel) >= sizeof(p->channel)) {
		log_warn("tip_post_busy", "channel=%s", channel);
		return TIPS_POST_RETRY;
	}
	msg = cJSON_CreateObject();
	if (msg != NULL && cJSON_AddStringToObject(msg, "channel", channel) != NULL &&
	    cJSON_AddFalseToObject(msg, "unfurl_links") != NULL && blockkit_tip(tip, msg) == 0)
		body = cJSON_PrintUnformatted(msg);
	cJSON_Delete(msg);
	if (body == NULL) {
		log_error("render_failed", "tip=%s channel=%s", tip->id, channel);
		return TIPS_POST_RETRY;
	}
	p->a = a;
	p->used = 1;
	snprintf(p->channel, sizeof(p->channel), "%s", channel);
	snprintf(p->date, sizeof(p->date), "%s", local_date);
	rc = webapi_call(&a->w, "chat.postMessage", WEBAPI_TOKEN_BOT, body, channel, 0, tip_post_done, p);
	free(body);
	if (rc != 0) {
		p->used = 0;
		return TIPS_POST_RETRY;
	}
	return TIPS_POST_PENDING; /* p may already be settled: tip_post_done can run inside webapi_call */
}

/* Once a UTC day (and at the first tick): forgets question text older than
 * question_log_days (all of it when 0: counts only). */
static void
purge_questions(struct app *a, time_t now)
{
	char day[STORE_DAY_LEN + 1], err[STORE_ERR_MAX];
	time_t before = now - (time_t)a->cfg->question_log_days * 86400 + (a->cfg->question_log_days ? 0 : 1);
	int purged = 0;

	store_day(now, day);
	if (strcmp(day, a->purged_day) == 0)
		return;
	if (store_purge_questions(a->store, before, &purged, err, sizeof(err)) != 0) {
		log_warn("questions_purge_failed", "reason=%s", LOG_Q(err)); /* tried again next tick */
		return;
	}
	memcpy(a->purged_day, day, sizeof(day));
	log_info("questions_purged", "rows=%d question_log_days=%d", purged, a->cfg->question_log_days);
}

static void
run_tick(struct app *a)
{
	int n;

	if (a->store == NULL || a->shutting)
		return;
	purge_questions(a, app_now());
	n = tips_tick(a->store, app_now(), slack_post_tip, a);
	if (n < 0)
		log_warn("tips_tick_failed", "reason=store");
	else if (n > 0)
		log_info("tips_tick", "posted=%d", n);
}

static void
tick_cb(uv_timer_t *t)
{
	struct app *a = t->data;

	run_tick(a);
	if (!a->shutting)
		uv_timer_start(&a->tick_timer, tick_cb, tick_delay_ms(), 0);
}

static void
wd_cb(uv_timer_t *t)
{
	(void)t;
	if (notify_watchdog() < 0)
		log_warn("notify_failed", "what=watchdog");
}

static void
on_sm_state(void *user, enum sm_state st, const char *host, unsigned long long delay_ms)
{
	struct app *a = user;

	if (a->shutting)
		return;
	if (st == SM_STATE_RECONNECTING) {
		set_status(a, "reconnecting in %llu s", (delay_ms + 999) / 1000);
		return;
	}
	if (!a->ready) {
		a->ready = 1;
		if (notify_ready() < 0)
			log_warn("notify_failed", "what=ready");
		/* first hello: tips that came due while we were down go out now */
		run_tick(a);
		uv_timer_start(&a->tick_timer, tick_cb, tick_delay_ms(), 0);
	}
	set_status(a, "connected to %s", host);
}

static void
auth_done(void *arg, const struct webapi_result *res)
{
	struct app *a = arg;
	const char *uid, *bid;

	if (a->shutting)
		return;
	if (!res->ok) {
		if (webapi_error_is_fatal(res->error)) {
			log_error("slack_refused", "method=auth.test error=%s "
			          "reason=\"check SLACK_BOT_TOKEN (xoxb-) and the app's installation\"", res->error);
			shutdown_app(a, PMPO_EXIT_REFUSED, res->error);
		} else {
			log_error("auth_test_failed", "error=%s http=%ld", res->error, res->http_status);
			shutdown_app(a, PMPO_EXIT_RUNTIME, "auth_test_failed");
		}
		return;
	}
	uid = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(res->json, "user_id"));
	bid = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(res->json, "bot_id"));
	snprintf(a->user_id, sizeof(a->user_id), "%s", uid ? uid : "");
	snprintf(a->bot_id, sizeof(a->bot_id), "%s", bid ? bid : "");
	log_info("auth_ok", "user_id=%s bot_id=%s", a->user_id[0] ? a->user_id : "-",
	         a->bot_id[0] ? a->bot_id : "-");
	set_status(a, "connecting to Slack");
	sm_start(a->sm);
}

/* Daily tips need the state directory; without it the bot still answers. */
static void
open_store(struct app *a)
{
	char err[STORE_ERR_MAX];

	if (store_open(a->cfg->state_dir, &a->store, err, sizeof(err)) == 0)
		return;
	a->store = NULL;
	snprintf(a->why_no_store, sizeof(a->why_no_store), "the state directory cannot be used (%s)", err);
	log_error("store_unavailable", "dir=%s reason=%s tips=off", LOG_Q(a->cfg->state_dir), LOG_Q(err));
}

int
slack_app_run(struct config *cfg)
{
	struct app *a = calloc(1, sizeof(*a));
	uint64_t wd_usec;
	int rc;

	if (a == NULL)
		return PMPO_EXIT_RUNTIME;
	srand((unsigned)time(NULL) ^ (unsigned)getpid());
	clock_init();
	a->cfg = cfg;
	dedup_init(&a->dedup);
	if (share_key_init(&a->share, cfg->bot_token, strlen(cfg->bot_token)) != 0)
		log_warn("share_off", "reason=no_key"); /* answers go out without the button */
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		free(a);
		return PMPO_EXIT_RUNTIME;
	}
	if (loop_init(&a->loop, on_signal, a) != 0) {
		curl_global_cleanup();
		free(a);
		return PMPO_EXIT_RUNTIME;
	}
	open_store(a);
	webapi_init(&a->w, &a->loop, cfg);
	uv_timer_init(&a->loop.uv, &a->flush_timer);
	uv_timer_init(&a->loop.uv, &a->tick_timer);
	uv_timer_init(&a->loop.uv, &a->wd_timer);
	a->flush_timer.data = a;
	a->tick_timer.data = a;
	a->wd_timer.data = a;
	wd_usec = notify_watchdog_usec();
	if (wd_usec >= 2000) /* ping at half the interval */
		uv_timer_start(&a->wd_timer, wd_cb, 0, wd_usec / 2000);
	a->sm = sm_new(&a->loop, &a->w, cfg, on_envelope, on_fatal, a);
	log_info("starting", "api_url=%s ping_interval_s=%d idle_timeout_s=%d handshake_timeout_s=%d "
	         "watchdog_ms=%llu tips=%s",
	         cfg->api_url, cfg->ping_interval_s, cfg->idle_timeout_s, cfg->handshake_timeout_s,
	         (unsigned long long)(wd_usec / 1000), a->store ? "on" : "off");
	if (a->sm == NULL) {
		shutdown_app(a, PMPO_EXIT_RUNTIME, "lws_init_failed");
	} else {
		sm_set_state_cb(a->sm, on_sm_state);
		set_status(a, "checking the bot token");
		if (webapi_call(&a->w, "auth.test", WEBAPI_TOKEN_BOT, NULL, NULL, WEBAPI_IDEMPOTENT,
		                auth_done, a) != 0)
			shutdown_app(a, PMPO_EXIT_RUNTIME, "auth_test_not_queued");
	}
	loop_run(&a->loop);
	sm_free(a->sm);
	loop_fini(&a->loop);
	curl_global_cleanup();
	store_close(a->store);
	rc = a->exit_code;
	log_info("stopped", "exit_code=%d", rc);
	share_key_clear(&a->share);
	free(a);
	return rc;
}
