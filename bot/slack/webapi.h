/* webapi.h -- the asynchronous Web API outbox (libcurl multi on the loop).
 *
 * Every call is queued and returns at once; a callback gets the outcome.
 * Calls that share a lane (a channel id) go out strictly one after another
 * in the order queued, so replies in a channel keep their order. ok:false is
 * logged with Slack's error name. Response bodies are capped.
 *
 * Posting twice is worse than not posting, so a call not flagged
 * WEBAPI_IDEMPOTENT is sent at most once: it goes out on a fresh connection
 * (curl silently re-sends a request whose reused keep-alive connection
 * died, even a POST) and is retried only when Slack provably did not act on
 * it: HTTP 429 (after Retry-After), HTTP 503 or Slack's
 * service_unavailable / request_timeout, or a transport failure before a
 * single byte of the request was written (DNS, refused connect, TLS). After
 * a timeout, a reset, an empty reply, HTTP 500/502/504 or internal_error the
 * request may have been carried out: it is not retried, and the result says
 * unknown. Idempotent calls (reads) retry every transient failure.
 *
 * Ceilings: at most WEBAPI_LANE_MAX calls wait in one lane and
 * WEBAPI_QUEUE_MAX in all lanes; past them a new call is refused (-1) and
 * the refusals are logged as counts, at most one line per
 * WEBAPI_DROP_LOG_MS, never one line per call. Calls without a lane (the
 * bot's own: auth.test, apps.connections.open, users.info) are bounded by
 * their callers and always accepted. */
#ifndef PMPO_WEBAPI_H
#define PMPO_WEBAPI_H

#include <stdint.h>

#include <cjson/cJSON.h>

#include "config.h"
#include "loop.h"

#define WEBAPI_BODY_MAX (256 * 1024)   /* response ceiling */
#define WEBAPI_QUEUE_MAX 2000          /* calls with a lane, queued or in flight */
#define WEBAPI_LANE_MAX 100            /* in one lane: ~100 s of posts at Slack's 1/s/channel */
#define WEBAPI_DROP_LOG_MS 10000       /* refused calls: one summary line per 10 s at most */
#define WEBAPI_INFLIGHT_MAX 8
#define WEBAPI_TIMEOUT_MS 15000
#define WEBAPI_RETRIES_MAX 4           /* 5xx / transport retries */
#define WEBAPI_RATELIMIT_RETRIES_MAX 20

enum webapi_token {
	WEBAPI_TOKEN_NONE, /* response_url: the URL is the credential */
	WEBAPI_TOKEN_BOT,  /* xoxb- */
	WEBAPI_TOKEN_APP   /* xapp-, only for apps.connections.open */
};

enum webapi_flags {
	WEBAPI_NO_RETRY = 1,  /* the caller owns retrying (apps.connections.open) */
	WEBAPI_IDEMPOTENT = 2 /* safe to send twice (reads such as auth.test, users.info) */
};

/* The outcome. json is the parsed body (may be NULL), valid during the
 * callback only. error: Slack's error code, or a transport reason. */
struct webapi_result {
	int ok;             /* HTTP 2xx and (no JSON body or "ok": true) */
	long http_status;   /* 0 if no response */
	long retry_after_s; /* from a 429, else 0 */
	int transport;      /* no usable HTTP response (connect, timeout, body too big) */
	int unknown;        /* failed, but Slack may have carried it out (not retried) */
	const char *error;  /* "" when ok */
	cJSON *json;
};

typedef void (*webapi_done_fn)(void *arg, const struct webapi_result *res);

struct webapi_call;

struct webapi {
	struct loop *loop;
	const struct config *cfg;
	struct webapi_call *head, *tail; /* queued and in-flight calls, oldest first */
	size_t count;
	size_t laned;                    /* of count, calls with a lane */
	size_t inflight;
	uv_timer_t timer;                /* next retry due */
	void (*on_idle)(struct webapi *w); /* called when the queue empties, if set */
	int closed;
	unsigned long refused_lane, refused_queue; /* refused at a ceiling, not yet logged */
	char refused_last_lane[64];
	uint64_t refused_logged_at;      /* loop ms of the last refusal summary */
};

/* Binds the outbox to the loop; cfg (tokens, api_url) must outlive it. */
int webapi_init(struct webapi *w, struct loop *loop, const struct config *cfg);

/* Queues POST api_url + method with a JSON body (NULL: empty form body).
 * lane: NULL or "" for no ordering. done may be NULL. The body is copied.
 * 0, or -1 when the queue is full (logged with the lane). */
int webapi_call(struct webapi *w, const char *method, enum webapi_token tok, const char *json_body,
                const char *lane, int flags, webapi_done_fn done, void *arg);

/* Same, with a form-encoded body (key=value&...; the caller encodes it), for
 * methods that take no JSON body, such as users.info. */
int webapi_call_form(struct webapi *w, const char *method, enum webapi_token tok, const char *form_body,
                     const char *lane, int flags, webapi_done_fn done, void *arg);

/* Same, to a full URL (a slash command's response_url), without a token. */
int webapi_post_url(struct webapi *w, const char *url, const char *json_body, const char *lane,
                    webapi_done_fn done, void *arg);

/* Calls queued or in flight. */
size_t webapi_pending(const struct webapi *w);

/* Aborts everything still queued (callbacks are not called), logs one
 * summary line with how many calls were dropped (and how many of them were
 * in flight, so may have reached Slack), then closes the timer. Returns the
 * number dropped. */
size_t webapi_close(struct webapi *w);

/* 1 if a Slack error code means the token or app is dead for good. */
int webapi_error_is_fatal(const char *error);

#endif
