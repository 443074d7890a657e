/* slack_app.c -- wires Socket Mode envelopes to the command handlers. */
#include "slack_app.h"

#include <signal.h>
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
#include "log.h"
#include "loop.h"
#include "socket_mode.h"
#include "webapi.h"

#define SHORT_ID 64

struct app {
	const struct config *cfg;
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
};

static void finish(struct app *a);

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

/* Starts the shutdown: no new sockets, outbox flushed within the deadline. */
static void
shutdown_app(struct app *a, int code, const char *why)
{
	if (a->shutting)
		return;
	a->shutting = 1;
	a->exit_code = code;
	log_info("shutdown", "reason=%s exit_code=%d pending_calls=%zu", why, code, webapi_pending(&a->w));
	if (a->sm != NULL)
		sm_stop(a->sm);
	a->w.on_idle = on_outbox_idle;
	uv_timer_start(&a->flush_timer, flush_timer_cb,
	               webapi_pending(&a->w) == 0 ? 100 : SLACK_APP_FLUSH_MS, 0);
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
	webapi_close(&a->w); /* logs whatever could not be sent */
	if (a->sm != NULL)
		sm_destroy_begin(a->sm);
	loop_close_handles(&a->loop);
}

static void
on_signal(struct loop *l, int signum)
{
	struct app *a = l->user;

	if (a->shutting) {
		log_info("signal_again", "signal=%d", signum);
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
}

static void
build_request(const struct envelope *env, enum surface surface, struct request *req)
{
	memset(req, 0, sizeof(*req));
	req->text = env->text;
	req->text_len = env->text_len;
	req->user_id = env->user_id;
	req->channel_id = env->channel_id;
	req->surface = surface;
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

static void
handle_slash(struct app *a, int conn_id, const struct envelope *env)
{
	struct request req;
	struct reply reply;
	struct timespec t0;
	cJSON *payload;
	char *ack = NULL, *body = NULL;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	build_request(env, SURFACE_SLASH, &req);
	cmd_dispatch(&req, &reply);
	payload = cJSON_CreateObject();
	if (payload == NULL || blockkit_message(&reply, payload) != 0 ||
	    cJSON_AddStringToObject(payload, "response_type",
	                            reply.in_channel ? "in_channel" : "ephemeral") == NULL) {
		log_error("render_failed", "envelope_id=%s", env->envelope_id);
		cJSON_Delete(payload);
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
	if (body == NULL)
		goto out;
	if (env->response_url[0]) {
		webapi_post_url(&a->w, env->response_url, body, env->channel_id, post_done, NULL);
	} else {
		/* no response_url: tell the user privately */
		cJSON *o = cJSON_Parse(body);
		char *eph;
		if (o == NULL)
			goto out;
		cJSON_DeleteItemFromObjectCaseSensitive(o, "response_type");
		cJSON_AddStringToObject(o, "channel", env->channel_id);
		cJSON_AddStringToObject(o, "user", env->user_id);
		eph = cJSON_PrintUnformatted(o);
		cJSON_Delete(o);
		if (eph != NULL)
			webapi_call(&a->w, "chat.postEphemeral", WEBAPI_TOKEN_BOT, eph, env->channel_id, 0,
			            post_done, NULL);
		free(eph);
	}
out:
	free(ack);
	free(body);
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
	struct request req;
	struct reply reply;
	enum surface surface;
	const char *why, *thread_ts = NULL;
	cJSON *msg;
	char *body;

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
	build_request(env, surface, &req);
	cmd_dispatch(&req, &reply);
	log_info("event_answered", "event_id=%s type=%s user=%s channel=%s status=%s retry_attempt=%d",
	         env->event_id, env->event_type, env->user_id, env->channel_id, status_name(reply.status),
	         env->retry_attempt);
	msg = cJSON_CreateObject();
	if (msg == NULL || cJSON_AddStringToObject(msg, "channel", env->channel_id) == NULL ||
	    (thread_ts != NULL && cJSON_AddStringToObject(msg, "thread_ts", thread_ts) == NULL) ||
	    cJSON_AddFalseToObject(msg, "unfurl_links") == NULL || blockkit_message(&reply, msg) != 0) {
		log_error("render_failed", "event_id=%s channel=%s", env->event_id, env->channel_id);
		cJSON_Delete(msg);
		return;
	}
	body = cJSON_PrintUnformatted(msg);
	cJSON_Delete(msg);
	if (body != NULL)
		webapi_call(&a->w, "chat.postMessage", WEBAPI_TOKEN_BOT, body, env->channel_id, 0, post_done,
		            NULL);
	else
		log_error("render_failed", "event_id=%s channel=%s", env->event_id, env->channel_id);
	free(body);
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
	default:
		ack_plain(a, conn_id, env);
		log_info("envelope_ignored", "conn=%d envelope_id=%s type=%s", conn_id, env->envelope_id,
		         env->type);
		break;
	}
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
	sm_start(a->sm);
}

int
slack_app_run(const struct config *cfg)
{
	struct app *a = calloc(1, sizeof(*a));
	int rc;

	if (a == NULL)
		return PMPO_EXIT_RUNTIME;
	srand((unsigned)time(NULL) ^ (unsigned)getpid());
	a->cfg = cfg;
	dedup_init(&a->dedup);
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		free(a);
		return PMPO_EXIT_RUNTIME;
	}
	if (loop_init(&a->loop, on_signal, a) != 0) {
		curl_global_cleanup();
		free(a);
		return PMPO_EXIT_RUNTIME;
	}
	webapi_init(&a->w, &a->loop, cfg);
	uv_timer_init(&a->loop.uv, &a->flush_timer);
	a->flush_timer.data = a;
	a->sm = sm_new(&a->loop, &a->w, cfg, on_envelope, on_fatal, a);
	log_info("starting", "api_url=%s ping_interval_s=%d idle_timeout_s=%d", cfg->api_url,
	         cfg->ping_interval_s, cfg->idle_timeout_s);
	if (a->sm == NULL)
		shutdown_app(a, PMPO_EXIT_RUNTIME, "lws_init_failed");
	else
		webapi_call(&a->w, "auth.test", WEBAPI_TOKEN_BOT, NULL, NULL, 0, auth_done, a);
	loop_run(&a->loop);
	sm_free(a->sm);
	loop_fini(&a->loop);
	curl_global_cleanup();
	rc = a->exit_code;
	log_info("stopped", "exit_code=%d", rc);
	free(a);
	return rc;
}
