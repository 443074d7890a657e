/* socket_mode.c -- Socket Mode over libwebsockets on a foreign libuv loop.
 * See /work/shared/notes/one-loop.md for the recipe this follows. */
#include <uv.h> /* before libwebsockets.h: enables its uv declarations */

#include "socket_mode.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libwebsockets.h>

#include "buf.h"
#include "cli.h"
#include "log.h"

#define SM_CONNS 4            /* a swap needs two; the rest is slack for closing ones */
#define SM_TXQ_MAX (256 * 1024)
#define SM_CLOSE_GRACE_MS 2000 /* wait this long for queued acks before closing anyway */
/* too_many_websockets: Slack's cap of 10 sockets per app is full (another
 * instance, or sockets it has not yet reaped). Reconnecting at once would only
 * hit the cap again, so the pause starts at 5-10 s and doubles per repeat up
 * to 150-300 s. */
#define SM_TMW_BASE_MS 10000
#define SM_TMW_MAX_MS 300000

struct frame {
	struct frame *next;
	size_t len;
	unsigned char data[]; /* LWS_PRE bytes of headroom, then the payload */
};

struct conn {
	int used;
	int id;
	struct lws *wsi;
	int established; /* upgraded: only then may lws_close_reason be used */
	int hello;
	uint64_t hello_at;
	uint64_t close_asked_at;
	int close_wanted, closing;
	int tmw; /* Slack said too_many_websockets on it */
	struct buf rx;
	int rx_drop, rx_binary;
	size_t rx_seen;
	struct frame *txq, *txq_tail;
	size_t txq_bytes;
	struct sm *sm;
};

enum connector {
	C_IDLE,      /* nothing in progress */
	C_WAIT,      /* backoff timer running */
	C_OPENING,   /* apps.connections.open in flight */
	C_RESOLVING, /* uv_getaddrinfo in flight */
	C_HANDSHAKE  /* socket opening, waiting for hello */
};

struct sm {
	struct loop *loop;
	struct webapi *w;
	const struct config *cfg;
	sm_envelope_fn on_envelope;
	sm_fatal_fn on_fatal;
	sm_state_fn on_state; /* optional */
	void *user;
	struct lws_context *ctx;
	lws_retry_bo_t policy;
	struct conn conns[SM_CONNS];
	int next_id;
	int current; /* id of the live connection, 0 if none */
	int pending; /* id of the connection waiting for hello, 0 if none */
	enum connector cstate;
	uv_timer_t ctimer; /* backoff, then the hello deadline */
	uv_timer_t closer; /* closes sockets outside lws callbacks */
	uv_getaddrinfo_t gai;
	int failures;      /* consecutive failed attempts, for backoff */
	int tmw_streak;    /* consecutive too_many_websockets, for their longer pause */
	int stopping;
	int timers_open;
	/* the URL being connected to, split */
	char url[ENV_URL_MAX + 1];
	char host[256];
	char path[ENV_URL_MAX + 2];
	int port, tls;
	struct envelope env; /* big: kept here, not on the stack */
};

static void need_connection(struct sm *sm, uint64_t delay_ms);

static struct conn *
conn_find(struct sm *sm, int id)
{
	for (int i = 0; i < SM_CONNS; i++)
		if (sm->conns[i].used && sm->conns[i].id == id)
			return &sm->conns[i];
	return NULL;
}

static void
conn_release(struct conn *c)
{
	struct frame *f, *nx;

	for (f = c->txq; f != NULL; f = nx) {
		nx = f->next;
		free(f);
	}
	buf_free(&c->rx);
	memset(c, 0, sizeof(*c));
}

/* Jittered exponential backoff: 0.5..1 x 2^n s, capped at 60 s. */
static uint64_t
backoff_ms(int n)
{
	uint64_t base = 1000u << (n > 6 ? 6 : n);

	if (base > 60000)
		base = 60000;
	return base / 2 + (uint64_t)rand() % (base / 2 + 1);
}

/* The pause after the n-th too_many_websockets in a row (n >= 0). */
static uint64_t
tmw_delay_ms(int n)
{
	uint64_t base = (uint64_t)SM_TMW_BASE_MS << (n > 5 ? 5 : n);

	if (base > SM_TMW_MAX_MS)
		base = SM_TMW_MAX_MS;
	return base / 2 + (uint64_t)rand() % (base / 2 + 1);
}

static void
fail_attempt(struct sm *sm, uint64_t delay_ms, const char *why)
{
	uint64_t d = delay_ms ? delay_ms : backoff_ms(sm->failures);

	sm->failures++;
	sm->cstate = C_IDLE;
	log_warn("reconnect_scheduled", "reason=%s delay_ms=%llu failures=%d", why,
	         (unsigned long long)d, sm->failures);
	if (sm->on_state != NULL && !sm->stopping)
		sm->on_state(sm->user, SM_STATE_RECONNECTING, sm->host, (unsigned long long)d);
	need_connection(sm, d);
}

static void
closer_cb(uv_timer_t *t)
{
	struct sm *sm = t->data;
	uint64_t now = loop_now_ms(sm->loop);
	int again = 0;

	for (int i = 0; i < SM_CONNS; i++) {
		struct conn *c = &sm->conns[i];
		if (!c->used || !c->close_wanted || c->closing || c->wsi == NULL)
			continue;
		/* let queued acks go out first, within a grace period */
		if (c->txq != NULL && now - c->close_asked_at < SM_CLOSE_GRACE_MS) {
			again = 1;
			continue;
		}
		c->closing = 1;
		log_info("socket_closing", "conn=%d established=%d", c->id, c->established);
		/* lws asserts if a close reason is set before the ws upgrade */
		if (c->established)
			lws_close_reason(c->wsi, LWS_CLOSE_STATUS_NORMAL, (unsigned char *)"bye", 3);
		lws_set_timeout(c->wsi, PENDING_TIMEOUT_CLOSE_SEND, LWS_TO_KILL_SYNC);
	}
	if (again)
		uv_timer_start(&sm->closer, closer_cb, 50, 0);
	lws_cancel_service(sm->ctx);
}

/* Asks for c to be closed from the loop, never inside an lws callback. */
static void
request_close(struct sm *sm, struct conn *c)
{
	if (c->close_wanted)
		return;
	c->close_wanted = 1;
	c->close_asked_at = loop_now_ms(sm->loop);
	uv_timer_start(&sm->closer, closer_cb, 0, 0);
}

static void
on_hello(struct sm *sm, struct conn *c)
{
	c->hello = 1;
	c->hello_at = loop_now_ms(sm->loop);
	log_info("socket_hello", "conn=%d host=%s approx_connection_time_s=%d", c->id,
	         sm->env.debug_host[0] ? sm->env.debug_host : "-", sm->env.approx_connection_time);
	if (c->id == sm->pending) {
		sm->pending = 0;
		sm->cstate = C_IDLE;
		uv_timer_stop(&sm->ctimer);
	}
	sm->current = c->id;
	/* the replacement is live: retire every older socket */
	for (int i = 0; i < SM_CONNS; i++) {
		struct conn *o = &sm->conns[i];
		if (o->used && o != c && o->id != sm->pending)
			request_close(sm, o);
	}
	if (sm->on_state != NULL)
		sm->on_state(sm->user, SM_STATE_UP, sm->env.debug_host[0] ? sm->env.debug_host : "-", 0);
}

static void
on_disconnect(struct sm *sm, struct conn *c)
{
	const char *r = sm->env.reason[0] ? sm->env.reason : "unknown";

	log_info("socket_disconnect", "conn=%d reason=%s host=%s", c->id, r,
	         sm->env.debug_host[0] ? sm->env.debug_host : "-");
	if (strcmp(r, "link_disabled") == 0) {
		log_error("socket_mode_disabled",
		          "reason=\"Slack says Socket Mode is disabled for this app (link_disabled); "
		          "turn it on in the app settings\"");
		sm->on_fatal(sm->user, PMPO_EXIT_REFUSED, "link_disabled");
		return;
	}
	if (strcmp(r, "too_many_websockets") == 0) {
		/* close first, then come back after a long pause (conn_ended) */
		log_warn("socket_too_many", "conn=%d reason=\"Slack's limit of 10 sockets for this app is "
		         "reached; is another instance running?\"", c->id);
		c->tmw = 1;
		request_close(sm, c);
		return;
	}
	/* warning, refresh_requested, anything else: replacement first; this
	 * socket keeps reading and acking until the new one says hello */
	need_connection(sm, 0);
}

static void
handle_message(struct sm *sm, struct conn *c, const char *data, size_t len)
{
	const char *why;

	if (envelope_parse(data, len, &sm->env, &why) != 0) {
		log_warn("frame_ignored", "conn=%d reason=%s bytes=%zu", c->id, why, len);
		return;
	}
	switch (sm->env.kind) {
	case ENV_HELLO:
		on_hello(sm, c);
		break;
	case ENV_DISCONNECT:
		on_disconnect(sm, c);
		break;
	default:
		sm->on_envelope(sm->user, c->id, &sm->env);
		break;
	}
}

static void
on_receive(struct sm *sm, struct conn *c, struct lws *wsi, const char *in, size_t len)
{
	/* Any frame from Slack proves the link is alive, not only a PONG: lws
	 * then neither pings nor hangs up while messages keep arriving. */
	lws_validity_confirmed(wsi);
	if (lws_is_first_fragment(wsi)) {
		if (c->rx.cap > 64 * 1024)
			buf_free(&c->rx);
		buf_reset(&c->rx);
		c->rx_drop = 0;
		c->rx_seen = 0;
		c->rx_binary = lws_frame_is_binary(wsi);
	}
	c->rx_seen += len;
	if (!c->rx_drop && !c->rx_binary && buf_append(&c->rx, in, len) != 0) {
		c->rx_drop = 1;
		buf_free(&c->rx);
	}
	if (!lws_is_final_fragment(wsi))
		return;
	if (c->rx_binary)
		log_warn("frame_ignored", "conn=%d reason=binary bytes=%zu", c->id, c->rx_seen);
	else if (c->rx_drop)
		log_warn("frame_ignored", "conn=%d reason=too_large bytes=%zu", c->id, c->rx_seen);
	else
		handle_message(sm, c, buf_str(&c->rx), c->rx.len);
	buf_reset(&c->rx);
}

static void
on_writeable(struct conn *c)
{
	struct frame *f = c->txq;
	int n;

	if (f == NULL || c->closing)
		return;
	c->txq = f->next;
	if (c->txq == NULL)
		c->txq_tail = NULL;
	c->txq_bytes -= f->len;
	/* one frame per write: Slack rejects fragmented acks */
	n = lws_write(c->wsi, f->data + LWS_PRE, f->len, LWS_WRITE_TEXT);
	if (n < (int)f->len)
		log_warn("socket_write_failed", "conn=%d bytes=%zu", c->id, f->len);
	free(f);
	if (c->txq != NULL)
		lws_callback_on_writable(c->wsi);
}

/* The socket c is gone (closed, dropped, refused, dead peer). */
static void
conn_ended(struct sm *sm, struct conn *c, const char *how)
{
	uint64_t now = loop_now_ms(sm->loop);
	int id = c->id, was_current = id == sm->current, was_pending = id == sm->pending;
	int healthy = c->hello && now - c->hello_at >= SM_HEALTHY_MS, tmw = c->tmw;

	log_info("socket_closed", "conn=%d how=%s current=%d up_ms=%llu", id, how, was_current,
	         c->hello ? (unsigned long long)(now - c->hello_at) : 0ULL);
	if (c->wsi != NULL)
		lws_set_opaque_user_data(c->wsi, NULL);
	conn_release(c);
	if (was_current)
		sm->current = 0;
	if (sm->stopping)
		return;
	if (healthy) {
		sm->failures = 0;
		sm->tmw_streak = 0;
	}
	if (tmw && (was_pending || (was_current && sm->cstate == C_IDLE))) {
		if (was_pending) {
			sm->pending = 0;
			uv_timer_stop(&sm->ctimer);
		}
		fail_attempt(sm, tmw_delay_ms(sm->tmw_streak++), "too_many_websockets");
	} else if (was_pending) {
		sm->pending = 0;
		uv_timer_stop(&sm->ctimer);
		fail_attempt(sm, 0, "handshake_failed");
	} else if (was_current && sm->cstate == C_IDLE) {
		fail_attempt(sm, 0, "socket_lost");
	}
}

static int
ws_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
	struct conn *c = wsi ? lws_get_opaque_user_data(wsi) : NULL;

	(void)user;
	if (c == NULL || !c->used)
		return 0;
	switch (reason) {
	case LWS_CALLBACK_CLIENT_ESTABLISHED:
		c->established = 1;
		log_info("socket_established", "conn=%d", c->id);
		break;
	case LWS_CALLBACK_CLIENT_RECEIVE:
		on_receive(c->sm, c, wsi, in, len);
		break;
	case LWS_CALLBACK_CLIENT_WRITEABLE:
		on_writeable(c);
		break;
	case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE:
		log_info("socket_peer_close", "conn=%d code=%d", c->id,
		         len >= 2 ? (((unsigned char *)in)[0] << 8) | ((unsigned char *)in)[1] : 0);
		break;
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
		log_warn("socket_connect_failed", "conn=%d reason=\"%.200s\"", c->id,
		         in ? (const char *)in : "unknown");
		c->wsi = wsi;
		conn_ended(c->sm, c, "connect_error");
		break;
	case LWS_CALLBACK_CLIENT_CLOSED:
		c->wsi = wsi;
		conn_ended(c->sm, c, c->closing ? "closed" : "dropped");
		break;
	default:
		break;
	}
	return 0;
}

static const struct lws_protocols protocols[] = {
	{"pmpo-slack", ws_callback, 0, 65536, 0, NULL, 0},
	{NULL, NULL, 0, 0, 0, NULL, 0},
};

static void ctimer_cb(uv_timer_t *t);

/* Connect, TLS, upgrade and hello must all happen within the handshake
 * timeout: a reset mid-handshake is not always reported by lws under libuv,
 * and its own handshake timeout proved unreliable, so this deadline is the
 * net. */
static void
start_hello_deadline(struct sm *sm)
{
	uv_timer_start(&sm->ctimer, ctimer_cb, (uint64_t)sm->cfg->handshake_timeout_s * 1000, 0);
}

static int
is_loopback(const char *addr)
{
	return strncmp(addr, "127.", 4) == 0 || strcmp(addr, "::1") == 0;
}

static void
gai_cb(uv_getaddrinfo_t *req, int status, struct addrinfo *res)
{
	struct sm *sm = req->data;
	struct lws_client_connect_info ci;
	char addr[64] = "";
	struct conn *c = NULL;
	int id;

	if (status == UV_ECANCELED || sm->stopping) {
		uv_freeaddrinfo(res);
		sm->cstate = C_IDLE;
		return;
	}
	if (status != 0 || res == NULL) {
		log_warn("resolve_failed", "host=%s error=%s", sm->host, uv_strerror(status));
		uv_freeaddrinfo(res);
		fail_attempt(sm, 0, "resolve_failed");
		return;
	}
	if (res->ai_family == AF_INET6)
		uv_ip6_name((struct sockaddr_in6 *)res->ai_addr, addr, sizeof(addr));
	else
		uv_ip4_name((struct sockaddr_in *)res->ai_addr, addr, sizeof(addr));
	uv_freeaddrinfo(res);
	if (!sm->tls && !is_loopback(addr)) {
		log_error("socket_refused_plaintext", "host=%s reason=\"ws:// is only accepted on loopback\"",
		          sm->host);
		fail_attempt(sm, 0, "plaintext_url");
		return;
	}
	for (int i = 0; i < SM_CONNS && c == NULL; i++)
		if (!sm->conns[i].used)
			c = &sm->conns[i];
	if (c == NULL) {
		fail_attempt(sm, 0, "too_many_sockets");
		return;
	}
	memset(c, 0, sizeof(*c));
	c->used = 1;
	c->id = id = ++sm->next_id;
	c->sm = sm;
	buf_init(&c->rx, SM_FRAME_IN_MAX);
	memset(&ci, 0, sizeof(ci));
	ci.context = sm->ctx;
	ci.address = addr;
	ci.port = sm->port;
	ci.path = sm->path;
	ci.host = sm->host;
	ci.origin = sm->host;
	ci.ssl_connection = sm->tls ? LCCSCF_USE_SSL : 0;
	ci.local_protocol_name = protocols[0].name;
	ci.alpn = "http/1.1";
	ci.retry_and_idle_policy = &sm->policy;
	ci.opaque_user_data = c;
	ci.pwsi = &c->wsi;
	sm->cstate = C_HANDSHAKE;
	sm->pending = id;
	log_info("socket_connecting", "conn=%d host=%s address=%s port=%d tls=%d", id, sm->host, addr,
	         sm->port, sm->tls);
	start_hello_deadline(sm);
	if (lws_client_connect_via_info(&ci) == NULL) {
		/* lws may already have reported CONNECTION_ERROR (slot freed) */
		c = conn_find(sm, id);
		if (c != NULL)
			conn_ended(sm, c, "connect_error");
		return;
	}
	/* lws timers scheduled outside its own callbacks only run once lws is
	 * woken (one-loop.md): without this the handshake could stall */
	lws_cancel_service(sm->ctx);
}


/* Splits sm->url into host, port, path, tls. 0, or -1. */
static int
split_url(struct sm *sm)
{
	char copy[ENV_URL_MAX + 1];
	const char *prot, *ads, *path;
	int port;

	snprintf(copy, sizeof(copy), "%s", sm->url);
	if (lws_parse_uri(copy, &prot, &ads, &port, &path) != 0)
		return -1;
	if (strcmp(prot, "wss") == 0)
		sm->tls = 1;
	else if (strcmp(prot, "ws") == 0)
		sm->tls = 0;
	else
		return -1;
	if (*ads == '\0' || strlen(ads) >= sizeof(sm->host))
		return -1;
	snprintf(sm->host, sizeof(sm->host), "%s", ads);
	/* lws_parse_uri drops the leading '/'; the query stays in the path */
	snprintf(sm->path, sizeof(sm->path), "/%s", path);
	sm->port = port;
	return 0;
}

static void
open_done(void *arg, const struct webapi_result *res)
{
	struct sm *sm = arg;
	const char *url;
	struct addrinfo hints;
	int rc;

	if (sm->stopping) {
		sm->cstate = C_IDLE;
		return;
	}
	if (!res->ok) {
		if (webapi_error_is_fatal(res->error)) {
			log_error("slack_refused", "method=apps.connections.open error=%s "
			          "reason=\"check SLACK_APP_TOKEN (xapp-, scope connections:write)\"", res->error);
			sm->cstate = C_IDLE;
			sm->on_fatal(sm->user, PMPO_EXIT_REFUSED, res->error);
			return;
		}
		log_warn("connections_open_failed", "error=%s http=%ld", res->error, res->http_status);
		fail_attempt(sm, res->retry_after_s > 0 ? (uint64_t)res->retry_after_s * 1000 : 0,
		             "connections_open_failed");
		return;
	}
	url = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(res->json, "url"));
	if (url == NULL || strlen(url) >= sizeof(sm->url)) {
		fail_attempt(sm, 0, "no_url");
		return;
	}
	snprintf(sm->url, sizeof(sm->url), "%s", url);
	if (split_url(sm) != 0) {
		log_warn("connections_open_bad_url", "reason=\"not a ws/wss URL\"");
		fail_attempt(sm, 0, "bad_url");
		return;
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	sm->cstate = C_RESOLVING;
	sm->gai.data = sm;
	rc = uv_getaddrinfo(&sm->loop->uv, &sm->gai, gai_cb, sm->host, NULL, &hints);
	if (rc != 0) {
		log_warn("resolve_failed", "host=%s error=%s", sm->host, uv_strerror(rc));
		fail_attempt(sm, 0, "resolve_failed");
	}
}

static void
ctimer_cb(uv_timer_t *t)
{
	struct sm *sm = t->data;
	struct conn *c;

	if (sm->stopping)
		return;
	if (sm->cstate == C_WAIT) {
		sm->cstate = C_OPENING;
		if (webapi_call(sm->w, "apps.connections.open", WEBAPI_TOKEN_APP, NULL, NULL,
		                WEBAPI_NO_RETRY | WEBAPI_IDEMPOTENT, open_done, sm) != 0)
			fail_attempt(sm, 0, "queue_full");
	} else if (sm->cstate == C_HANDSHAKE && (c = conn_find(sm, sm->pending)) != NULL) {
		/* Abandon it ourselves: killing a wsi still in its HTTP handshake
		 * was seen to produce no lws callback at all, so waiting for one
		 * would leave the connector stuck. */
		struct lws *wsi = c->wsi;
		log_warn("socket_no_hello", "conn=%d established=%d", c->id, c->established);
		conn_ended(sm, c, "no_hello"); /* detaches wsi, schedules the next attempt */
		if (wsi != NULL)
			lws_set_timeout(wsi, PENDING_TIMEOUT_USER_OK, LWS_TO_KILL_SYNC);
		lws_cancel_service(sm->ctx);
	}
}

/* The single entry point for (re)connecting: does nothing if an attempt is
 * already under way. */
static void
need_connection(struct sm *sm, uint64_t delay_ms)
{
	if (sm->stopping || sm->cstate != C_IDLE)
		return;
	sm->cstate = C_WAIT;
	uv_timer_start(&sm->ctimer, ctimer_cb, delay_ms, 0);
}

static void
lws_log_emit(int level, const char *line)
{
	size_t n = strlen(line);

	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		n--;
	log_msg(level == LLL_ERR ? LOG_ERROR : LOG_WARN, "lws", "msg=\"%.*s\"", (int)n, line);
}

struct sm *
sm_new(struct loop *loop, struct webapi *w, const struct config *cfg, sm_envelope_fn on_envelope,
       sm_fatal_fn on_fatal, void *user)
{
	struct lws_context_creation_info info;
	void *foreign[1];
	struct sm *sm = calloc(1, sizeof(*sm));

	if (sm == NULL)
		return NULL;
	sm->loop = loop;
	sm->w = w;
	sm->cfg = cfg;
	sm->on_envelope = on_envelope;
	sm->on_fatal = on_fatal;
	sm->user = user;
	sm->policy.secs_since_valid_ping = (uint16_t)cfg->ping_interval_s;
	sm->policy.secs_since_valid_hangup = (uint16_t)cfg->idle_timeout_s;
	lws_set_log_level(LLL_ERR | LLL_WARN, lws_log_emit);
	foreign[0] = &loop->uv;
	memset(&info, 0, sizeof(info));
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.protocols = protocols;
	info.options = LWS_SERVER_OPTION_LIBUV | LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
	info.foreign_loops = foreign;
	info.pcontext = &sm->ctx;
	/* lws's own pending timeouts: later than the hello deadline, which acts first */
	info.timeout_secs = (unsigned int)cfg->handshake_timeout_s + 2;
	sm->ctx = lws_create_context(&info);
	if (sm->ctx == NULL) {
		log_error("lws_init_failed", "reason=\"lws_create_context failed; is libwebsockets-evlib-uv installed?\"");
		free(sm);
		return NULL;
	}
	uv_timer_init(&loop->uv, &sm->ctimer);
	uv_timer_init(&loop->uv, &sm->closer);
	sm->ctimer.data = sm;
	sm->closer.data = sm;
	sm->timers_open = 1;
	return sm;
}

void
sm_set_state_cb(struct sm *sm, sm_state_fn fn)
{
	sm->on_state = fn;
}

void
sm_start(struct sm *sm)
{
	need_connection(sm, 0);
}

int
sm_send(struct sm *sm, int conn_id, const char *text, size_t len)
{
	struct conn *c = conn_find(sm, conn_id);
	struct frame *f;

	if (len >= SM_FRAME_OUT_MAX) {
		log_error("socket_send_refused", "conn=%d reason=too_large bytes=%zu", conn_id, len);
		return -1;
	}
	if (c == NULL || c->wsi == NULL || c->closing)
		c = conn_find(sm, sm->current); /* any live socket of the app takes acks */
	if (c == NULL || c->wsi == NULL || c->closing) {
		log_warn("socket_send_lost", "conn=%d reason=no_connection", conn_id);
		return -1;
	}
	if (c->txq_bytes + len > SM_TXQ_MAX) {
		log_warn("socket_send_lost", "conn=%d reason=queue_full", c->id);
		return -1;
	}
	f = malloc(sizeof(*f) + LWS_PRE + len);
	if (f == NULL)
		return -1;
	f->next = NULL;
	f->len = len;
	memcpy(f->data + LWS_PRE, text, len);
	if (c->txq_tail)
		c->txq_tail->next = f;
	else
		c->txq = f;
	c->txq_tail = f;
	c->txq_bytes += len;
	lws_callback_on_writable(c->wsi);
	return 0;
}

void
sm_stop(struct sm *sm)
{
	if (sm->stopping)
		return;
	sm->stopping = 1;
	uv_timer_stop(&sm->ctimer);
	if (sm->cstate == C_RESOLVING)
		uv_cancel((uv_req_t *)&sm->gai);
	for (int i = 0; i < SM_CONNS; i++)
		if (sm->conns[i].used)
			request_close(sm, &sm->conns[i]);
}

void
sm_destroy_begin(struct sm *sm)
{
	sm->stopping = 1;
	if (sm->timers_open) {
		sm->timers_open = 0;
		uv_timer_stop(&sm->ctimer);
		uv_timer_stop(&sm->closer);
		uv_close((uv_handle_t *)&sm->ctimer, NULL);
		uv_close((uv_handle_t *)&sm->closer, NULL);
	}
	if (sm->ctx != NULL)
		lws_context_destroy(sm->ctx); /* step 1 of 2 on a foreign loop */
}

void
sm_free(struct sm *sm)
{
	if (sm == NULL)
		return;
	if (sm->ctx != NULL)
		lws_context_destroy(sm->ctx); /* step 2: frees it, *pcontext becomes NULL */
	for (int i = 0; i < SM_CONNS; i++)
		if (sm->conns[i].used)
			conn_release(&sm->conns[i]);
	free(sm);
}
