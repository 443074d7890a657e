/* ack_only.c -- the thinnest possible Socket Mode client, for measuring the
 * load generator's own ceiling: it opens the connection like a real app and
 * acks every envelope with nothing but its envelope_id. No parsing beyond
 * finding that id, no replies, no Web API calls.
 *
 * Usage: SLACK_API_URL=http://127.0.0.1:PORT/api/ SLACK_APP_TOKEN=xapp-... ack_only
 * Exits when the server closes the socket. A bench tool: it blocks on the
 * one apps.connections.open call, which a daemon must never do. */
#include <curl/curl.h>
#include <libwebsockets.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MSG_MAX (1 << 20)
#define QUEUE_MAX 4096
#define ID_MAX 96

static char rx[MSG_MAX];
static size_t rx_len;
static char queue[QUEUE_MAX][ID_MAX];
static size_t q_head, q_tail;
static int done;
static unsigned long acked;

static size_t
collect(char *p, size_t size, size_t n, void *ud)
{
	char *body = ud;
	size_t have = strlen(body), add = size * n;

	if (have + add >= 4096)
		return 0;
	memcpy(body + have, p, add);
	body[have + add] = '\0';
	return add;
}

/* Finds "envelope_id":"..." in the frame and queues an ack for it. */
static void
queue_ack(struct lws *wsi)
{
	const char *key = "\"envelope_id\":\"", *p, *e;

	rx[rx_len] = '\0';
	p = strstr(rx, key);
	if (p == NULL)
		return;
	p += strlen(key);
	e = strchr(p, '"');
	if (e == NULL || (size_t)(e - p) >= ID_MAX || (q_tail + 1) % QUEUE_MAX == q_head)
		return;
	memcpy(queue[q_tail], p, (size_t)(e - p));
	queue[q_tail][e - p] = '\0';
	q_tail = (q_tail + 1) % QUEUE_MAX;
	lws_callback_on_writable(wsi);
}

static int
callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
	(void)user;
	switch (reason) {
	case LWS_CALLBACK_CLIENT_RECEIVE:
		if (lws_is_first_fragment(wsi))
			rx_len = 0;
		if (rx_len + len < MSG_MAX) {
			memcpy(rx + rx_len, in, len);
			rx_len += len;
		}
		if (lws_is_final_fragment(wsi))
			queue_ack(wsi);
		break;
	case LWS_CALLBACK_CLIENT_WRITEABLE:
		if (q_head != q_tail) {
			unsigned char buf[LWS_PRE + ID_MAX + 32];
			int n = snprintf((char *)buf + LWS_PRE, sizeof(buf) - LWS_PRE, "{\"envelope_id\":\"%s\"}",
			                 queue[q_head]);
			q_head = (q_head + 1) % QUEUE_MAX;
			if (lws_write(wsi, buf + LWS_PRE, (size_t)n, LWS_WRITE_TEXT) < n)
				return -1;
			acked++;
			if (q_head != q_tail)
				lws_callback_on_writable(wsi);
		}
		break;
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
	case LWS_CALLBACK_CLIENT_CLOSED:
		done = 1;
		break;
	default:
		break;
	}
	return 0;
}

static const struct lws_protocols protocols[] = {
	{"ack-only", callback, 0, 65536, 0, NULL, 0},
	{NULL, NULL, 0, 0, 0, NULL, 0},
};

int
main(void)
{
	const char *api = getenv("SLACK_API_URL"), *token = getenv("SLACK_APP_TOKEN");
	char url[1024], body[4096] = "", auth[512], *u, *path;
	const char *proto, *address, *p;
	struct lws_context_creation_info info;
	struct lws_client_connect_info ci;
	struct lws_context *ctx;
	struct curl_slist *hdr = NULL;
	CURL *c;
	int port;

	if (api == NULL || token == NULL) {
		fprintf(stderr, "ack_only: set SLACK_API_URL and SLACK_APP_TOKEN\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	snprintf(url, sizeof(url), "%sapps.connections.open", api);
	snprintf(auth, sizeof(auth), "Authorization: Bearer %s", token);
	c = curl_easy_init();
	hdr = curl_slist_append(hdr, auth);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, "");
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, body);
	if (curl_easy_perform(c) != CURLE_OK) {
		fprintf(stderr, "ack_only: apps.connections.open failed\n");
		return 1;
	}
	curl_easy_cleanup(c);
	curl_slist_free_all(hdr);
	p = strstr(body, "\"url\":\"");
	if (p == NULL) {
		fprintf(stderr, "ack_only: no url in %s\n", body);
		return 1;
	}
	p += 7;
	snprintf(url, sizeof(url), "%.*s", (int)strcspn(p, "\""), p);
	for (char *s = url; (s = strstr(s, "\\/")) != NULL;)
		memmove(s, s + 1, strlen(s));

	lws_set_log_level(LLL_ERR, NULL);
	memset(&info, 0, sizeof(info));
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.protocols = protocols;
	ctx = lws_create_context(&info);
	if (ctx == NULL)
		return 1;
	u = strdup(url);
	if (lws_parse_uri(u, &proto, &address, &port, (const char **)&path) != 0)
		return 1;
	memset(&ci, 0, sizeof(ci));
	ci.context = ctx;
	ci.address = address;
	ci.port = port;
	snprintf(url, sizeof(url), "/%s", path);
	ci.path = url;
	ci.host = address;
	ci.origin = address;
	ci.local_protocol_name = "ack-only";
	if (lws_client_connect_via_info(&ci) == NULL)
		return 1;
	while (!done && lws_service(ctx, 0) >= 0)
		;
	lws_context_destroy(ctx);
	free(u);
	fprintf(stderr, "ack_only: acked %lu envelopes\n", acked);
	return 0;
}
