/* webapi.c -- queued, ordered Web API calls over curl multi, retried only
 * when that cannot post twice (see webapi.h). */
#include "webapi.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "log.h"

#define LANE_MAX 64
#define NAME_MAX_ 48

struct webapi_call {
	struct loop_xfer x; /* first: the loop hands us back &x */
	struct webapi *w;
	struct webapi_call *prev, *next;
	char *url;
	char *body;
	int json;
	enum webapi_token tok;
	char lane[LANE_MAX];
	char name[NAME_MAX_]; /* method, for logs; never the URL (response_url is a credential) */
	int flags;
	webapi_done_fn done;
	void *arg;
	int inflight;
	uint64_t not_before; /* loop ms */
	int attempts;        /* transport / 5xx failures so far */
	int rl_attempts;     /* 429s so far */
	int overflow;        /* response passed WEBAPI_BODY_MAX */
	struct buf resp;
	struct curl_slist *hdrs;
	char errbuf[CURL_ERROR_SIZE];
};

static void pump(struct webapi *w);

int
webapi_error_is_fatal(const char *e)
{
	static const char *const fatal[] = {
		"invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired",
		"not_allowed_token_type", "missing_args", "forbidden_team", "team_disabled",
		"user_removed_from_team", "no_permission", "missing_scope",
	};

	for (size_t i = 0; i < sizeof(fatal) / sizeof(fatal[0]); i++)
		if (strcmp(e, fatal[i]) == 0)
			return 1;
	return 0;
}

/* Slack errors that mean "try again later". */
static int
error_is_transient(const char *e)
{
	return strcmp(e, "internal_error") == 0 || strcmp(e, "fatal_error") == 0 ||
	       strcmp(e, "service_unavailable") == 0 || strcmp(e, "request_timeout") == 0;
}

/* Transient errors after which Slack has not acted on the call: the service
 * was unavailable, or the POST data did not arrive whole (request_timeout).
 * Slack's method docs say of internal_error and fatal_error that "some
 * aspect of the operation" may have succeeded. */
static int
error_not_acted_on(const char *e)
{
	return strcmp(e, "service_unavailable") == 0 || strcmp(e, "request_timeout") == 0;
}

static void
timer_cb(uv_timer_t *t)
{
	pump(t->data);
}

int
webapi_init(struct webapi *w, struct loop *loop, const struct config *cfg)
{
	memset(w, 0, sizeof(*w));
	w->loop = loop;
	w->cfg = cfg;
	if (uv_timer_init(&loop->uv, &w->timer) != 0)
		return -1;
	w->timer.data = w;
	return 0;
}

size_t
webapi_pending(const struct webapi *w)
{
	return w->count;
}

static void
call_free(struct webapi_call *c)
{
	if (c->x.easy != NULL)
		curl_easy_cleanup(c->x.easy);
	curl_slist_free_all(c->hdrs);
	buf_free(&c->resp);
	free(c->url);
	free(c->body);
	free(c);
}

static void
unlink_call(struct webapi *w, struct webapi_call *c)
{
	if (c->prev)
		c->prev->next = c->next;
	else
		w->head = c->next;
	if (c->next)
		c->next->prev = c->prev;
	else
		w->tail = c->prev;
	w->count--;
	w->laned -= c->lane[0] != '\0';
}

static size_t
write_cb(char *ptr, size_t size, size_t n, void *userp)
{
	struct webapi_call *c = userp;

	if (buf_append(&c->resp, ptr, size * n) != 0) {
		c->overflow = 1;
		return 0; /* curl fails the transfer with CURLE_WRITE_ERROR */
	}
	return size * n;
}

/* Jittered exponential delay for the n-th retry (n >= 1): 0.5..1 x 2^(n-1) s, capped. */
static uint64_t
retry_delay_ms(int n)
{
	uint64_t base = 1000u << (n > 6 ? 6 : n - 1);

	if (base > 60000)
		base = 60000;
	return base / 2 + (uint64_t)rand() % (base / 2 + 1);
}

/* Ends c: unlinks, reports, frees; then lets the queue move on. */
static void
finish(struct webapi *w, struct webapi_call *c, const struct webapi_result *res)
{
	unlink_call(w, c);
	if (!res->ok)
		log_warn("webapi_failed", "method=%s lane=%s error=%s http=%ld attempts=%d outcome=%s",
		         c->name, c->lane[0] ? c->lane : "-", LOG_Q(res->error), res->http_status,
		         c->attempts + c->rl_attempts + 1, res->unknown ? "unknown" : "not_done");
	if (c->done != NULL)
		c->done(c->arg, res);
	call_free(c);
}

static void
xfer_done(struct loop_xfer *x, CURLcode rc)
{
	struct webapi_call *c = (struct webapi_call *)x;
	struct webapi *w = c->w;
	struct webapi_result res = {.error = ""};
	curl_off_t ra = 0;
	uint64_t delay = 0;
	long sent = 0;
	int retry = 0, once = !(c->flags & WEBAPI_IDEMPOTENT);

	c->inflight = 0;
	w->inflight--;
	curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &res.http_status);
	curl_easy_getinfo(x->easy, CURLINFO_RETRY_AFTER, &ra);
	/* bytes of the request written to the connection; 0: Slack saw none */
	if (curl_easy_getinfo(x->easy, CURLINFO_REQUEST_SIZE, &sent) != CURLE_OK)
		sent = 1;
	curl_easy_cleanup(x->easy);
	x->easy = NULL;
	curl_slist_free_all(c->hdrs);
	c->hdrs = NULL;

	if (rc != CURLE_OK) {
		res.transport = 1;
		res.http_status = 0;
		res.error = c->overflow ? "response_too_large" : curl_easy_strerror(rc);
		if (c->overflow)
			res.unknown = once; /* Slack answered: it acted on the call */
		else if (!once || sent == 0)
			retry = 1;
		else
			res.unknown = 1; /* sent, then a timeout, reset or empty reply */
	} else if (res.http_status == 429) {
		res.retry_after_s = ra > 0 ? (long)ra : 1;
		res.error = "ratelimited";
		if (c->rl_attempts++ < WEBAPI_RATELIMIT_RETRIES_MAX && !(c->flags & WEBAPI_NO_RETRY)) {
			log_info("webapi_ratelimited", "method=%s lane=%s retry_after_s=%ld", c->name,
			         c->lane[0] ? c->lane : "-", res.retry_after_s);
			c->not_before = loop_now_ms(w->loop) + (uint64_t)res.retry_after_s * 1000;
			buf_reset(&c->resp);
			pump(w);
			return;
		}
	} else if (res.http_status >= 500 || res.http_status < 200) {
		res.error = "http_error";
		/* 503: the server could not take the request; 500/502/504 may come
		 * after the work was done */
		if (!once || res.http_status == 503)
			retry = 1;
		else
			res.unknown = 1;
	} else {
		res.json = c->resp.len ? cJSON_ParseWithLength(c->resp.data, c->resp.len) : NULL;
		if (res.http_status >= 300) {
			res.error = "http_error";
		} else if (res.json == NULL || !cJSON_IsObject(res.json)) {
			/* response_url may answer with plain "ok"; methods always send JSON. */
			res.ok = c->tok == WEBAPI_TOKEN_NONE;
			res.error = res.ok ? "" : "invalid_response";
		} else if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(res.json, "ok"))) {
			res.ok = 1;
		} else {
			const char *e = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(res.json, "error"));
			res.error = e ? e : "unknown_error";
			if (error_is_transient(res.error)) {
				if (!once || error_not_acted_on(res.error))
					retry = 1;
				else
					res.unknown = 1;
			}
		}
	}
	if (retry && !(c->flags & WEBAPI_NO_RETRY) && c->attempts < WEBAPI_RETRIES_MAX) {
		c->attempts++;
		delay = retry_delay_ms(c->attempts);
		log_info("webapi_retry", "method=%s lane=%s error=%s attempt=%d delay_ms=%llu", c->name,
		         c->lane[0] ? c->lane : "-", LOG_Q(res.error), c->attempts, (unsigned long long)delay);
		c->not_before = loop_now_ms(w->loop) + delay;
		buf_reset(&c->resp);
		cJSON_Delete(res.json);
		pump(w);
		return;
	}
	finish(w, c, &res);
	cJSON_Delete(res.json);
	pump(w);
	if (w->count == 0 && w->on_idle != NULL)
		w->on_idle(w);
}

static int
start(struct webapi *w, struct webapi_call *c)
{
	char auth[CONFIG_TOKEN_MAX + 32];
	const char *token = c->tok == WEBAPI_TOKEN_APP ? w->cfg->app_token
	                  : c->tok == WEBAPI_TOKEN_BOT ? w->cfg->bot_token : NULL;
	CURL *e = curl_easy_init();

	if (e == NULL)
		return -1;
	c->x.easy = e;
	c->x.done = xfer_done;
	c->overflow = 0;
	buf_reset(&c->resp);
	c->errbuf[0] = '\0';
	if (token != NULL) {
		snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token);
		c->hdrs = curl_slist_append(c->hdrs, auth);
	}
	c->hdrs = curl_slist_append(c->hdrs, c->json ? "Content-Type: application/json; charset=utf-8"
	                                            : "Content-Type: application/x-www-form-urlencoded");
	curl_easy_setopt(e, CURLOPT_URL, c->url);
	curl_easy_setopt(e, CURLOPT_POST, 1L);
	curl_easy_setopt(e, CURLOPT_POSTFIELDS, c->body ? c->body : "");
	curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, (long)(c->body ? strlen(c->body) : 0));
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, c->hdrs);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, write_cb);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, c);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, c->errbuf);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)WEBAPI_TIMEOUT_MS);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_USERAGENT, "pmpo-bot/" PMPO_VERSION);
	if (!(c->flags & WEBAPI_IDEMPOTENT)) {
		/* never on a reused connection: if it turns out dead, curl re-sends
		 * the request by itself, and Slack may already have acted on it */
		curl_easy_setopt(e, CURLOPT_FRESH_CONNECT, 1L);
		curl_easy_setopt(e, CURLOPT_FORBID_REUSE, 1L);
	}
	if (loop_xfer_start(w->loop, &c->x) != 0) {
		curl_easy_cleanup(e);
		c->x.easy = NULL;
		curl_slist_free_all(c->hdrs);
		c->hdrs = NULL;
		return -1;
	}
	c->inflight = 1;
	w->inflight++;
	return 0;
}

/* 1 if an earlier call in c's lane is still queued or in flight. */
static int
lane_busy_before(const struct webapi *w, const struct webapi_call *c)
{
	if (c->lane[0] == '\0')
		return 0;
	for (const struct webapi_call *p = w->head; p != NULL && p != c; p = p->next)
		if (strcmp(p->lane, c->lane) == 0)
			return 1;
	return 0;
}

/* Starts what may start, arms the timer for the earliest waiting call. */
static void
pump(struct webapi *w)
{
	uint64_t now = loop_now_ms(w->loop), next = UINT64_MAX;
	struct webapi_call *c, *nx;

	if (w->closed)
		return;
	for (c = w->head; c != NULL; c = nx) {
		nx = c->next;
		if (c->inflight || lane_busy_before(w, c))
			continue;
		if (c->not_before > now) {
			if (c->not_before < next)
				next = c->not_before;
			continue;
		}
		if (w->inflight >= WEBAPI_INFLIGHT_MAX)
			break;
		if (start(w, c) != 0) {
			struct webapi_result res = {.error = "curl_start_failed", .transport = 1};
			finish(w, c, &res);
		}
	}
	if (next != UINT64_MAX)
		uv_timer_start(&w->timer, timer_cb, next - now, 0);
}

/* Calls queued or in flight in lane. */
static size_t
lane_count(const struct webapi *w, const char *lane)
{
	size_t n = 0;

	for (const struct webapi_call *p = w->head; p != NULL; p = p->next)
		n += strcmp(p->lane, lane) == 0;
	return n;
}

/* Logs the calls refused at a ceiling since the last such line, if any and
 * if the last line is old enough (or force). */
static void
log_refused(struct webapi *w, int force)
{
	uint64_t now = loop_now_ms(w->loop);

	if (w->refused_lane + w->refused_queue == 0 ||
	    (!force && w->refused_logged_at != 0 && now - w->refused_logged_at < WEBAPI_DROP_LOG_MS))
		return;
	log_error("webapi_dropped", "reason=outbox_full count=%lu lane_full=%lu queue_full=%lu "
	          "last_lane=%s lane_max=%d queue_max=%d", w->refused_lane + w->refused_queue,
	          w->refused_lane, w->refused_queue, w->refused_last_lane, WEBAPI_LANE_MAX,
	          WEBAPI_QUEUE_MAX);
	w->refused_lane = w->refused_queue = 0;
	w->refused_logged_at = now ? now : 1;
}

static int
enqueue(struct webapi *w, char *url, const char *name, enum webapi_token tok, const char *body,
        int json, const char *lane, int flags, webapi_done_fn done, void *arg)
{
	struct webapi_call *c = NULL;

	if (url == NULL || w->closed) {
		log_error("webapi_dropped", "method=%s lane=%s reason=%s", name,
		          lane && *lane ? lane : "-", url == NULL ? "no_memory" : "closing");
		free(url);
		return -1;
	}
	if (lane != NULL && *lane) {
		int lane_full = lane_count(w, lane) >= WEBAPI_LANE_MAX;
		if (lane_full || w->laned >= WEBAPI_QUEUE_MAX) {
			if (lane_full)
				w->refused_lane++;
			else
				w->refused_queue++;
			snprintf(w->refused_last_lane, sizeof(w->refused_last_lane), "%s", lane);
			log_refused(w, 0);
			free(url);
			return -1;
		}
	}
	log_refused(w, 0);
	c = calloc(1, sizeof(*c));
	if (c == NULL || (body != NULL && (c->body = strdup(body)) == NULL)) {
		log_error("webapi_dropped", "method=%s lane=%s reason=no_memory", name, lane && *lane ? lane : "-");
		free(c);
		free(url);
		return -1;
	}
	c->w = w;
	c->url = url;
	c->json = json && body != NULL;
	c->tok = tok;
	snprintf(c->lane, sizeof(c->lane), "%s", lane ? lane : "");
	snprintf(c->name, sizeof(c->name), "%s", name);
	c->flags = flags;
	c->done = done;
	c->arg = arg;
	buf_init(&c->resp, WEBAPI_BODY_MAX);
	c->prev = w->tail;
	if (w->tail)
		w->tail->next = c;
	else
		w->head = c;
	w->tail = c;
	w->count++;
	w->laned += c->lane[0] != '\0';
	pump(w);
	return 0;
}

/* The Web API URL of method, allocated (enqueue takes it, NULL included). */
static char *
method_url(const struct webapi *w, const char *method)
{
	size_t n = strlen(w->cfg->api_url) + strlen(method) + 1;
	char *url = malloc(n);

	if (url != NULL)
		snprintf(url, n, "%s%s", w->cfg->api_url, method);
	return url;
}

int
webapi_call(struct webapi *w, const char *method, enum webapi_token tok, const char *json_body,
            const char *lane, int flags, webapi_done_fn done, void *arg)
{
	return enqueue(w, method_url(w, method), method, tok, json_body, 1, lane, flags, done, arg);
}

int
webapi_call_form(struct webapi *w, const char *method, enum webapi_token tok, const char *form_body,
                 const char *lane, int flags, webapi_done_fn done, void *arg)
{
	return enqueue(w, method_url(w, method), method, tok, form_body, 0, lane, flags, done, arg);
}

int
webapi_post_url(struct webapi *w, const char *url, const char *json_body, const char *lane,
                webapi_done_fn done, void *arg)
{
	if (strncmp(url, "https://", 8) != 0 && strncmp(url, "http://", 7) != 0) {
		log_error("webapi_dropped", "method=response_url lane=%s reason=bad_url", lane ? lane : "-");
		return -1;
	}
	return enqueue(w, strdup(url), "response_url", WEBAPI_TOKEN_NONE, json_body, 1, lane, 0, done, arg);
}

size_t
webapi_close(struct webapi *w)
{
	struct webapi_call *c;
	size_t n = 0, inflight = 0;

	if (w->closed)
		return 0;
	log_refused(w, 1);
	w->closed = 1;
	while ((c = w->head) != NULL) {
		n++;
		if (c->inflight) {
			inflight++;
			loop_xfer_abort(w->loop, &c->x);
		}
		unlink_call(w, c);
		call_free(c);
	}
	/* one line, however many: a flood can leave thousands behind */
	if (n > 0)
		log_error("webapi_dropped", "reason=shutdown count=%zu in_flight=%zu", n, inflight);
	uv_timer_stop(&w->timer);
	uv_close((uv_handle_t *)&w->timer, NULL);
	return n;
}
