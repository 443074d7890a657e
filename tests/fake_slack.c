/* fake_slack.c -- see fake_slack.h. A small poll() server: HTTP/1.1 with
 * keep-alive, and RFC 6455 server frames written by hand so the test can
 * misbehave at will (drops, silence, binary and huge frames). */
#define _GNU_SOURCE
#include "fake_slack.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <libwebsockets.h>

#define MAXC 32
#define MAXREC 256
#define INBUF_MAX (4 * 1024 * 1024)

struct fconn {
	int fd;
	int ws;          /* upgraded */
	int hello_no;    /* 1-based number of the hello sent on it */
	int silent;
	int dead;        /* dropped by the test: no more writes */
	int hole;        /* black-holed: never read from or written to again */
	int mute;        /* read and discarded, never answered (a stalled peer) */
	struct timespec accepted;
	char *in;
	size_t inlen, incap;
};

struct ack {
	char id[128];
	char *json;
	double latency_ms;
};

struct sent {
	char id[128];
	struct timespec at;
};

struct fake {
	int lfd, port;
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int stop;
	struct fconn c[MAXC];
	int rate_ms;
	int fail_posts, fail_status, n_post5xx;
	int swallow_posts, swallow_hang, n_swallowed;
	int stall_tls;   /* apps.connections.open hands out wss:// to the mute port */
	int mlfd, mport; /* the mute listener: accepts, reads, never answers */
	double held[MAXREC]; /* ms from accept to close, of stalled connections */
	int nheld;
	int stall_upgrades, stall_hello_too;
	int hellos, tickets;
	int n_open, n_auth, n_post, n_post429, n_eph, n_resp, n_ack, n_close, n_ws, n_wsgone;
	char *posts[MAXREC];
	char *ephs[MAXREC];
	char *resps[MAXREC];
	char *updates[MAXREC];
	int n_update;
	struct ack acks[MAXREC];
	struct sent sent[MAXREC];
	int nsent;
	struct { char ch[64]; struct timespec at; int posts; } last[MAXREC];
	int nlast;
	long post_seq;
	/* users.info and per-channel post errors (fake_set_user_tz, fake_post_error) */
	struct { char user[64]; char tz[64]; } tzs[16];
	int ntzs, n_usersinfo;
	struct { char ch[64]; char err[64]; } perr[16];
	int nperr, n_posterr;
};

static double
ms_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

static int
send_all(int fd, const void *p, size_t n)
{
	const char *s = p;

	while (n > 0) {
		ssize_t w = send(fd, s, n, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

/* One unmasked server frame. Caller holds mu. */
static int
ws_frame(struct fconn *c, int opcode, const void *data, size_t len)
{
	unsigned char h[10];
	size_t hl = 2;

	if (c->dead || c->fd < 0)
		return -1;
	h[0] = (unsigned char)(0x80 | opcode);
	if (len < 126) {
		h[1] = (unsigned char)len;
	} else if (len < 65536) {
		h[1] = 126;
		h[2] = (unsigned char)(len >> 8);
		h[3] = (unsigned char)len;
		hl = 4;
	} else {
		h[1] = 127;
		for (int i = 0; i < 8; i++)
			h[2 + i] = (unsigned char)((uint64_t)len >> (56 - 8 * i));
		hl = 10;
	}
	if (send_all(c->fd, h, hl) != 0 || send_all(c->fd, data, len) != 0)
		return -1;
	return 0;
}

static void
http_reply(struct fconn *c, int status, const char *extra, const char *body)
{
	char head[512];
	const char *txt = status == 200 ? "OK" : status == 429 ? "Too Many Requests"
	                : status == 500 ? "Internal Server Error" : status == 502 ? "Bad Gateway"
	                : status == 503 ? "Service Unavailable" : status == 504 ? "Gateway Timeout"
	                : "Not Found";
	int n = snprintf(head, sizeof(head),
	                 "HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n%s\r\n",
	                 status, txt, strlen(body), extra ? extra : "");

	send_all(c->fd, head, (size_t)n);
	send_all(c->fd, body, strlen(body));
}

static void
close_conn(struct fake *f, struct fconn *c)
{
	if (c->fd >= 0) {
		close(c->fd);
		if (c->ws)
			f->n_wsgone++;
		if (c->mute && f->nheld < MAXREC)
			f->held[f->nheld++] = ms_since(&c->accepted);
	}
	free(c->in);
	memset(c, 0, sizeof(*c));
	c->fd = -1;
	pthread_cond_broadcast(&f->cv);
}

static const char *
header(const char *head, const char *name, char *out, size_t cap)
{
	const char *p = head;
	size_t nl = strlen(name);

	out[0] = '\0';
	while ((p = strstr(p, "\r\n")) != NULL) {
		p += 2;
		if (strncasecmp(p, name, nl) == 0 && p[nl] == ':') {
			const char *v = p + nl + 1, *e;
			while (*v == ' ')
				v++;
			e = strstr(v, "\r\n");
			snprintf(out, cap, "%.*s", (int)(e ? e - v : (long)strlen(v)), v);
			return out;
		}
	}
	return NULL;
}

static void
record(char **arr, int *n, const char *body)
{
	if (*n < MAXREC)
		arr[*n] = strdup(body);
	(*n)++;
}

static cJSON *bench_parse_body(const char *body);

static void
do_post_message(struct fake *f, struct fconn *c, const char *body)
{
	cJSON *j = bench_parse_body(body);
	const char *ch = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "channel"));
	char out[256];
	int i;

	if (f->fail_posts > 0) {
		f->fail_posts--;
		f->n_post5xx++;
		http_reply(c, f->fail_status, NULL, f->fail_status == 503
		           ? "{\"ok\":false,\"error\":\"service_unavailable\"}"
		           : "{\"ok\":false,\"error\":\"internal_error\"}");
		cJSON_Delete(j);
		return;
	}
	if (ch == NULL) {
		http_reply(c, 200, NULL, "{\"ok\":false,\"error\":\"channel_not_found\"}");
		cJSON_Delete(j);
		return;
	}
	for (i = 0; i < f->nlast; i++)
		if (strcmp(f->last[i].ch, ch) == 0)
			break;
	if (f->rate_ms > 0 && i < f->nlast && ms_since(&f->last[i].at) < f->rate_ms) {
		f->n_post429++;
		http_reply(c, 429, "Retry-After: 1\r\n", "{\"ok\":false,\"error\":\"ratelimited\"}");
		cJSON_Delete(j);
		return;
	}
	if (i == f->nlast && f->nlast < MAXREC)
		snprintf(f->last[f->nlast++].ch, sizeof(f->last[0].ch), "%s", ch);
	if (i < MAXREC) {
		clock_gettime(CLOCK_MONOTONIC, &f->last[i].at);
		f->last[i].posts++;
	}
	record(f->posts, &f->n_post, body);
	if (f->swallow_posts > 0) {
		/* Slack has it, but the answer never comes: the connection is
		 * closed at once, or left hanging */
		f->swallow_posts--;
		f->n_swallowed++;
		if (f->swallow_hang) {
			c->mute = 1;
		} else {
			shutdown(c->fd, SHUT_RDWR);
			c->dead = 1;
		}
		cJSON_Delete(j);
		return;
	}
	snprintf(out, sizeof(out), "{\"ok\":true,\"channel\":\"%s\",\"ts\":\"%ld.000100\"}", ch,
	         1700000000L + ++f->post_seq);
	http_reply(c, 200, NULL, out);
	cJSON_Delete(j);
}

static void
upgrade(struct fake *f, struct fconn *c, const char *head)
{
	static const char guid[] = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
	char key[128], cat[256], acc[64], resp[512], hello[256];
	unsigned char sha[20];
	int n;

	if (header(head, "Sec-WebSocket-Key", key, sizeof(key)) == NULL) {
		http_reply(c, 404, NULL, "{}");
		return;
	}
	if (f->stall_upgrades > 0 && !f->stall_hello_too) {
		f->stall_upgrades--;
		c->mute = 1;
		return; /* say nothing */
	}
	snprintf(cat, sizeof(cat), "%s%s", key, guid);
	lws_SHA1((const unsigned char *)cat, strlen(cat), sha);
	lws_b64_encode_string((const char *)sha, 20, acc, sizeof(acc));
	n = snprintf(resp, sizeof(resp),
	             "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
	             "Sec-WebSocket-Accept: %s\r\n\r\n", acc);
	send_all(c->fd, resp, (size_t)n);
	c->ws = 1;
	f->n_ws++;
	if (f->stall_upgrades > 0) {
		f->stall_upgrades--;
		return; /* upgraded, but no hello */
	}
	c->hello_no = ++f->hellos;
	n = snprintf(hello, sizeof(hello),
	             "{\"type\":\"hello\",\"num_connections\":1,\"debug_info\":{\"host\":\"fake-%d\","
	             "\"approximate_connection_time\":3600},\"connection_info\":{\"app_id\":\"A1\"}}",
	             c->hello_no);
	ws_frame(c, 1, hello, (size_t)n);
	pthread_cond_broadcast(&f->cv);
}

/* users.info (form body user=ID) and chat.postMessage to a channel set to
 * fail; 1 if the request was answered here. Caller holds mu. */
static int
wire_http(struct fake *f, struct fconn *c, const char *path, const char *auth, const char *body)
{
	char out[256];

	if (strcmp(path, "/api/users.info") == 0) {
		const char *u = strstr(body, "user=");
		f->n_usersinfo++;
		if (strncmp(auth, "Bearer xoxb-", 12) != 0) {
			http_reply(c, 200, NULL, "{\"ok\":false,\"error\":\"not_authed\"}");
			return 1;
		}
		for (int i = 0; u != NULL && i < f->ntzs; i++)
			if (strncmp(u + 5, f->tzs[i].user, strlen(f->tzs[i].user)) == 0 &&
			    (u[5 + strlen(f->tzs[i].user)] == '\0' || u[5 + strlen(f->tzs[i].user)] == '&')) {
				snprintf(out, sizeof(out), "{\"ok\":true,\"user\":{\"id\":\"%s\",\"tz\":\"%s\","
				         "\"tz_offset\":-18000}}", f->tzs[i].user, f->tzs[i].tz);
				http_reply(c, 200, NULL, out);
				return 1;
			}
		http_reply(c, 200, NULL, "{\"ok\":false,\"error\":\"user_not_found\"}");
		return 1;
	}
	if (strcmp(path, "/api/chat.postMessage") == 0 && f->nperr > 0) {
		cJSON *j = cJSON_Parse(body);
		const char *ch = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "channel"));
		for (int i = 0; ch != NULL && i < f->nperr; i++)
			if (strcmp(ch, f->perr[i].ch) == 0) {
				f->n_posterr++;
				snprintf(out, sizeof(out), "{\"ok\":false,\"error\":\"%s\"}", f->perr[i].err);
				http_reply(c, 200, NULL, out);
				cJSON_Delete(j);
				return 1;
			}
		cJSON_Delete(j);
	}
	return 0;
}

/* One complete HTTP request: head (NUL-terminated) and body. */
static void
http_request(struct fake *f, struct fconn *c, char *head, const char *body)
{
	char method[16] = "", path[512] = "", auth[300], out[512];
	int bad_app, bad_bot;

	sscanf(head, "%15s %511s", method, path);
	header(head, "Authorization", auth, sizeof(auth));
	bad_app = strcmp(auth, "Bearer xapp-revoked-0000000000") == 0;
	bad_bot = strcmp(auth, "Bearer xoxb-revoked-0000000000") == 0;
	if (strcmp(method, "GET") == 0 && strncmp(path, "/link/", 6) == 0) {
		upgrade(f, c, head);
		return;
	}
	if (wire_http(f, c, path, auth, body)) {
		pthread_cond_broadcast(&f->cv);
		return;
	}
	if (strcmp(path, "/api/apps.connections.open") == 0) {
		f->n_open++;
		if (bad_app || strncmp(auth, "Bearer xapp-", 12) != 0) {
			http_reply(c, 200, NULL, "{\"ok\":false,\"error\":\"invalid_auth\"}");
		} else if (f->stall_tls > 0) {
			f->stall_tls--;
			snprintf(out, sizeof(out), "{\"ok\":true,\"url\":\"wss://127.0.0.1:%d/link/?ticket=%d\"}",
			         f->mport, ++f->tickets);
			http_reply(c, 200, NULL, out);
		} else {
			snprintf(out, sizeof(out), "{\"ok\":true,\"url\":\"ws://127.0.0.1:%d/link/?ticket=%d\"}",
			         f->port, ++f->tickets);
			http_reply(c, 200, NULL, out);
		}
	} else if (strcmp(path, "/api/auth.test") == 0) {
		f->n_auth++;
		if (bad_bot || strncmp(auth, "Bearer xoxb-", 12) != 0)
			http_reply(c, 200, NULL, "{\"ok\":false,\"error\":\"invalid_auth\"}");
		else
			http_reply(c, 200, NULL, "{\"ok\":true,\"user_id\":\"UBOT\",\"bot_id\":\"BBOT\","
			                         "\"team_id\":\"T1\",\"user\":\"pmpo\"}");
	} else if (strcmp(path, "/api/chat.postMessage") == 0) {
		if (strncmp(auth, "Bearer xoxb-", 12) != 0)
			http_reply(c, 200, NULL, "{\"ok\":false,\"error\":\"not_authed\"}");
		else
			do_post_message(f, c, body);
	} else if (strcmp(path, "/api/chat.postEphemeral") == 0) {
		cJSON *j = cJSON_Parse(body);
		const char *ch = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "channel"));
		const char *u = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "user"));
		if (strncmp(auth, "Bearer xoxb-", 12) != 0)
			http_reply(c, 200, NULL, "{\"ok\":false,\"error\":\"not_authed\"}");
		else if (ch == NULL || *ch == '\0')
			http_reply(c, 200, NULL, "{\"ok\":false,\"error\":\"channel_not_found\"}");
		else if (u == NULL || *u == '\0')
			http_reply(c, 200, NULL, "{\"ok\":false,\"error\":\"user_not_found\"}");
		else {
			record(f->ephs, &f->n_eph, body);
			http_reply(c, 200, NULL, "{\"ok\":true,\"message_ts\":\"1.2\"}");
		}
		cJSON_Delete(j);
	} else if (strcmp(path, "/api/chat.update") == 0) {
		/* as Slack: bot token, channel and ts of the message, JSON body */
		cJSON *j = cJSON_Parse(body);
		const char *ch = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "channel"));
		const char *ts = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "ts"));
		if (strncmp(auth, "Bearer xoxb-", 12) != 0) {
			http_reply(c, 200, NULL, "{\"ok\":false,\"error\":\"not_authed\"}");
		} else if (ch == NULL || *ch == '\0' || ts == NULL || *ts == '\0') {
			http_reply(c, 200, NULL, "{\"ok\":false,\"error\":\"message_not_found\"}");
		} else {
			record(f->updates, &f->n_update, body);
			snprintf(out, sizeof(out), "{\"ok\":true,\"channel\":\"%.64s\",\"ts\":\"%.64s\"}", ch, ts);
			http_reply(c, 200, NULL, out);
		}
		cJSON_Delete(j);
	} else if (strncmp(path, "/response/", 10) == 0) {
		record(f->resps, &f->n_resp, body);
		http_reply(c, 200, NULL, "{\"ok\":true}");
	} else {
		http_reply(c, 404, NULL, "{\"ok\":false,\"error\":\"unknown_method\"}");
	}
	pthread_cond_broadcast(&f->cv);
}

static int bench_on_ack(struct fake *f, const char *data, size_t len);

static void
on_ack(struct fake *f, const char *data, size_t len)
{
	cJSON *j;
	const char *id;
	struct ack *a;

	if (bench_on_ack(f, data, len))
		return; /* a bench envelope: recorded without parsing (see the end) */
	j = cJSON_ParseWithLength(data, len);
	id = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "envelope_id"));
	if (id != NULL && f->n_ack < MAXREC) {
		a = &f->acks[f->n_ack];
		snprintf(a->id, sizeof(a->id), "%s", id);
		a->json = strndup(data, len);
		a->latency_ms = -1;
		for (int i = f->nsent - 1; i >= 0; i--)
			if (strcmp(f->sent[i].id, id) == 0) {
				a->latency_ms = ms_since(&f->sent[i].at);
				break;
			}
		f->n_ack++;
	}
	cJSON_Delete(j);
	pthread_cond_broadcast(&f->cv);
}

/* Parses what is buffered on c; returns -1 to close it. */
static int
process(struct fake *f, struct fconn *c)
{
	for (;;) {
		if (!c->ws) {
			char *end = c->inlen ? memmem(c->in, c->inlen, "\r\n\r\n", 4) : NULL;
			char cl[32];
			size_t headlen, bodylen;
			if (end == NULL)
				return 0;
			headlen = (size_t)(end - c->in) + 4;
			c->in[headlen - 2] = '\0'; /* keeps the last header's \r\n */
			bodylen = header(c->in, "Content-Length", cl, sizeof(cl)) ? (size_t)atol(cl) : 0;
			if (c->inlen < headlen + bodylen) {
				c->in[headlen - 2] = '\r';
				return 0;
			}
			{
				char *body = strndup(c->in + headlen, bodylen);
				http_request(f, c, c->in, body ? body : "");
				free(body);
			}
			memmove(c->in, c->in + headlen + bodylen, c->inlen - headlen - bodylen);
			c->inlen -= headlen + bodylen;
			continue;
		}
		/* websocket frame from the client: always masked */
		{
			unsigned char *p = (unsigned char *)c->in;
			size_t need = 2, len, off;
			int op;
			if (c->inlen < 2)
				return 0;
			op = p[0] & 0x0f;
			len = p[1] & 0x7f;
			if (len == 126) {
				need = 4;
				if (c->inlen < need)
					return 0;
				len = ((size_t)p[2] << 8) | p[3];
			} else if (len == 127) {
				need = 10;
				if (c->inlen < need)
					return 0;
				len = 0;
				for (int i = 0; i < 8; i++)
					len = (len << 8) | p[2 + i];
			}
			off = need + 4;
			if (c->inlen < off + len)
				return 0;
			for (size_t i = 0; i < len; i++)
				p[off + i] ^= p[need + (i & 3)];
			if (op == 0x9) {
				if (!c->silent)
					ws_frame(c, 0xA, p + off, len);
			} else if (op == 0x8) {
				f->n_close++;
				ws_frame(c, 0x8, p + off, len < 2 ? len : 2);
				pthread_cond_broadcast(&f->cv);
				return -1;
			} else if (op == 0x1) {
				on_ack(f, (const char *)p + off, len);
			}
			memmove(c->in, c->in + off + len, c->inlen - off - len);
			c->inlen -= off + len;
		}
	}
}

static void *
serve(void *arg)
{
	struct fake *f = arg;
	struct pollfd pfd[MAXC + 1];
	int map[MAXC + 1];

	for (;;) {
		int n = 0;
		pthread_mutex_lock(&f->mu);
		if (f->stop) {
			pthread_mutex_unlock(&f->mu);
			break;
		}
		pfd[n].fd = f->lfd;
		pfd[n].events = POLLIN;
		map[n++] = -1;
		pfd[n].fd = f->mlfd;
		pfd[n].events = POLLIN;
		map[n++] = -2;
		for (int i = 0; i < MAXC; i++)
			if (f->c[i].fd >= 0 && !f->c[i].hole) {
				pfd[n].fd = f->c[i].fd;
				pfd[n].events = POLLIN;
				map[n++] = i;
			}
		pthread_mutex_unlock(&f->mu);
		if (poll(pfd, (nfds_t)n, 50) <= 0)
			continue;
		pthread_mutex_lock(&f->mu);
		for (int k = 0; k < n; k++) {
			if (!pfd[k].revents)
				continue;
			if (map[k] < 0) {
				int fd = accept(map[k] == -1 ? f->lfd : f->mlfd, NULL, NULL);
				int i;
				if (fd < 0)
					continue;
				for (i = 0; i < MAXC && f->c[i].fd >= 0; i++)
					;
				if (i == MAXC) {
					close(fd);
					continue;
				}
				f->c[i].fd = fd;
				f->c[i].mute = map[k] == -2;
				clock_gettime(CLOCK_MONOTONIC, &f->c[i].accepted);
				/* frames and replies go out in two writes: no Nagle wait between them */
				setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &(int){1}, sizeof(int));
				continue;
			}
			{
				struct fconn *c = &f->c[map[k]];
				char tmp[65536];
				ssize_t r;
				if (c->fd != pfd[k].fd)
					continue;
				r = recv(c->fd, tmp, sizeof(tmp), 0);
				if (r <= 0 || c->dead) {
					close_conn(f, c);
					continue;
				}
				if (c->mute)
					continue; /* heard, never answered */
				if (c->inlen + (size_t)r > INBUF_MAX) {
					close_conn(f, c);
					continue;
				}
				if (c->inlen + (size_t)r + 1 > c->incap) {
					c->incap = (c->inlen + (size_t)r + 1) * 2;
					c->in = realloc(c->in, c->incap);
				}
				memcpy(c->in + c->inlen, tmp, (size_t)r);
				c->inlen += (size_t)r;
				if (process(f, c) != 0)
					close_conn(f, c);
			}
		}
		pthread_mutex_unlock(&f->mu);
	}
	return NULL;
}

struct fake *
fake_start(void)
{
	struct fake *f = calloc(1, sizeof(*f));
	struct sockaddr_in sa;
	socklen_t sl = sizeof(sa);
	int one = 1;

	if (f == NULL)
		return NULL;
	for (int i = 0; i < MAXC; i++)
		f->c[i].fd = -1;
	pthread_mutex_init(&f->mu, NULL);
	pthread_cond_init(&f->cv, NULL);
	f->lfd = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(f->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sa.sin_port = 0;
	if (bind(f->lfd, (struct sockaddr *)&sa, sizeof(sa)) != 0 || listen(f->lfd, 16) != 0 ||
	    getsockname(f->lfd, (struct sockaddr *)&sa, &sl) != 0) {
		close(f->lfd);
		free(f);
		return NULL;
	}
	f->port = ntohs(sa.sin_port);
	f->mlfd = socket(AF_INET, SOCK_STREAM, 0);
	sa.sin_port = 0;
	sl = sizeof(sa);
	if (f->mlfd < 0 || bind(f->mlfd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
	    listen(f->mlfd, 16) != 0 || getsockname(f->mlfd, (struct sockaddr *)&sa, &sl) != 0) {
		close(f->lfd);
		if (f->mlfd >= 0)
			close(f->mlfd);
		free(f);
		return NULL;
	}
	f->mport = ntohs(sa.sin_port);
	f->fail_status = 500;
	pthread_create(&f->th, NULL, serve, f);
	return f;
}

int
fake_port(struct fake *f)
{
	return f->port;
}

void
fake_stop(struct fake *f)
{
	pthread_mutex_lock(&f->mu);
	f->stop = 1;
	pthread_mutex_unlock(&f->mu);
	pthread_join(f->th, NULL);
	for (int i = 0; i < MAXC; i++)
		if (f->c[i].fd >= 0)
			close_conn(f, &f->c[i]);
	close(f->lfd);
	close(f->mlfd);
	for (int i = 0; i < MAXREC; i++) {
		free(f->posts[i]);
		free(f->ephs[i]);
		free(f->resps[i]);
		free(f->updates[i]);
		free(f->acks[i].json);
	}
	pthread_mutex_destroy(&f->mu);
	pthread_cond_destroy(&f->cv);
	free(f);
}

void
fake_set_rate_limit(struct fake *f, int ms)
{
	pthread_mutex_lock(&f->mu);
	f->rate_ms = ms;
	pthread_mutex_unlock(&f->mu);
}

void
fake_fail_posts(struct fake *f, int n, int status)
{
	pthread_mutex_lock(&f->mu);
	f->fail_posts = n;
	f->fail_status = status;
	pthread_mutex_unlock(&f->mu);
}

void
fake_swallow_posts(struct fake *f, int n, int hang)
{
	pthread_mutex_lock(&f->mu);
	f->swallow_posts = n;
	f->swallow_hang = hang;
	pthread_mutex_unlock(&f->mu);
}

void
fake_stall_tls(struct fake *f, int n)
{
	pthread_mutex_lock(&f->mu);
	f->stall_tls = n;
	pthread_mutex_unlock(&f->mu);
}

double
fake_stall_held_ms(struct fake *f, int i)
{
	double ms = -1;

	pthread_mutex_lock(&f->mu);
	if (i >= 0 && i < f->nheld)
		ms = f->held[i];
	pthread_mutex_unlock(&f->mu);
	return ms;
}

void
fake_stall_upgrades(struct fake *f, int n, int hello_too)
{
	pthread_mutex_lock(&f->mu);
	f->stall_upgrades = n;
	f->stall_hello_too = hello_too;
	pthread_mutex_unlock(&f->mu);
}

static void
deadline(struct timespec *ts, int timeout_ms)
{
	clock_gettime(CLOCK_REALTIME, ts);
	ts->tv_sec += timeout_ms / 1000;
	ts->tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

static int *
counter(struct fake *f, const char *w)
{
	if (strcmp(w, "open") == 0) return &f->n_open;
	if (strcmp(w, "auth") == 0) return &f->n_auth;
	if (strcmp(w, "post") == 0) return &f->n_post;
	if (strcmp(w, "post429") == 0) return &f->n_post429;
	if (strcmp(w, "post5xx") == 0) return &f->n_post5xx;
	if (strcmp(w, "swallowed") == 0) return &f->n_swallowed;
	if (strcmp(w, "stallclosed") == 0) return &f->nheld;
	if (strcmp(w, "ephemeral") == 0) return &f->n_eph;
	if (strcmp(w, "response") == 0) return &f->n_resp;
	if (strcmp(w, "update") == 0) return &f->n_update;
	if (strcmp(w, "ack") == 0) return &f->n_ack;
	if (strcmp(w, "close") == 0) return &f->n_close;
	if (strcmp(w, "ws") == 0) return &f->n_ws;
	if (strcmp(w, "wsgone") == 0) return &f->n_wsgone;
	if (strcmp(w, "hello") == 0) return &f->hellos;
	if (strcmp(w, "usersinfo") == 0) return &f->n_usersinfo;
	if (strcmp(w, "posterr") == 0) return &f->n_posterr;
	return NULL;
}

int
fake_wait_count(struct fake *f, const char *what, int n, int timeout_ms)
{
	struct timespec ts;
	int *v = counter(f, what), rc = 0;

	if (v == NULL)
		return -1;
	deadline(&ts, timeout_ms);
	pthread_mutex_lock(&f->mu);
	while (*v < n && rc == 0)
		rc = pthread_cond_timedwait(&f->cv, &f->mu, &ts);
	rc = *v >= n ? 0 : -1;
	pthread_mutex_unlock(&f->mu);
	return rc;
}

int
fake_count(struct fake *f, const char *what)
{
	int *v = counter(f, what), n;

	pthread_mutex_lock(&f->mu);
	n = v ? *v : -1;
	pthread_mutex_unlock(&f->mu);
	return n;
}

int
fake_wait_hellos(struct fake *f, int n, int timeout_ms)
{
	return fake_wait_count(f, "hello", n, timeout_ms);
}

/* The live websocket with the highest hello number, or with number n. */
static struct fconn *
ws_pick(struct fake *f, int n)
{
	struct fconn *best = NULL;

	for (int i = 0; i < MAXC; i++) {
		struct fconn *c = &f->c[i];
		if (c->fd < 0 || !c->ws || c->dead || c->hole)
			continue;
		if (n > 0 ? c->hello_no == n : (best == NULL || c->hello_no > best->hello_no))
			best = c;
	}
	return best;
}

static int
send_on(struct fake *f, int n, int opcode, const void *data, size_t len)
{
	struct fconn *c;
	int rc = -1;

	pthread_mutex_lock(&f->mu);
	c = ws_pick(f, n);
	if (c != NULL) {
		if (opcode == 1 && f->nsent < MAXREC) {
			cJSON *j = cJSON_ParseWithLength(data, len);
			const char *id = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "envelope_id"));
			if (id != NULL) {
				snprintf(f->sent[f->nsent].id, sizeof(f->sent[0].id), "%s", id);
				clock_gettime(CLOCK_MONOTONIC, &f->sent[f->nsent].at);
				f->nsent++;
			}
			cJSON_Delete(j);
		}
		rc = ws_frame(c, opcode, data, len);
	}
	pthread_mutex_unlock(&f->mu);
	return rc;
}

int
fake_send(struct fake *f, int opcode, const void *data, size_t len)
{
	return send_on(f, 0, opcode, data, len);
}

int
fake_send_text(struct fake *f, const char *json)
{
	return send_on(f, 0, 1, json, strlen(json));
}

int
fake_send_text_on(struct fake *f, int n, const char *json)
{
	return send_on(f, n, 1, json, strlen(json));
}

void
fake_drop(struct fake *f)
{
	struct fconn *c;

	pthread_mutex_lock(&f->mu);
	c = ws_pick(f, 0);
	if (c != NULL) {
		struct linger lg = {1, 0}; /* RST, like a dead path or a killed pod */
		setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
		shutdown(c->fd, SHUT_RDWR);
		c->dead = 1;
	}
	pthread_mutex_unlock(&f->mu);
}

void
fake_blackhole(struct fake *f)
{
	struct fconn *c;

	pthread_mutex_lock(&f->mu);
	c = ws_pick(f, 0);
	if (c != NULL)
		c->hole = 1;
	pthread_mutex_unlock(&f->mu);
}

void
fake_silence(struct fake *f)
{
	struct fconn *c;

	pthread_mutex_lock(&f->mu);
	c = ws_pick(f, 0);
	if (c != NULL)
		c->silent = 1;
	pthread_mutex_unlock(&f->mu);
}

int
fake_wait_ack(struct fake *f, const char *id, int timeout_ms, char **json, double *latency_ms)
{
	struct timespec ts;
	int rc = 0, found = -1;

	deadline(&ts, timeout_ms);
	pthread_mutex_lock(&f->mu);
	for (;;) {
		for (int i = 0; i < f->n_ack && i < MAXREC; i++)
			if (strcmp(f->acks[i].id, id) == 0) {
				found = i;
				break;
			}
		if (found >= 0 || rc != 0)
			break;
		rc = pthread_cond_timedwait(&f->cv, &f->mu, &ts);
	}
	if (found >= 0) {
		if (json)
			*json = strdup(f->acks[found].json);
		if (latency_ms)
			*latency_ms = f->acks[found].latency_ms;
	}
	pthread_mutex_unlock(&f->mu);
	return found >= 0 ? 0 : -1;
}

static char *
copy_rec(struct fake *f, char **arr, int n, int i)
{
	char *s = NULL;

	pthread_mutex_lock(&f->mu);
	if (i >= 0 && i < n && i < MAXREC && arr[i])
		s = strdup(arr[i]);
	pthread_mutex_unlock(&f->mu);
	return s;
}

char *
fake_post(struct fake *f, int i)
{
	return copy_rec(f, f->posts, f->n_post, i);
}

char *
fake_response(struct fake *f, int i)
{
	return copy_rec(f, f->resps, f->n_resp, i);
}

char *
fake_update(struct fake *f, int i)
{
	return copy_rec(f, f->updates, f->n_update, i);
}

int
fake_channel_posts(struct fake *f, const char *channel)
{
	int n = 0;

	pthread_mutex_lock(&f->mu);
	for (int i = 0; i < f->nlast; i++)
		if (strcmp(f->last[i].ch, channel) == 0)
			n = f->last[i].posts;
	pthread_mutex_unlock(&f->mu);
	return n;
}

char *
fake_ephemeral(struct fake *f, int i)
{
	return copy_rec(f, f->ephs, f->n_eph, i);
}

void
fake_set_user_tz(struct fake *f, const char *user, const char *tz)
{
	pthread_mutex_lock(&f->mu);
	if (f->ntzs < (int)(sizeof(f->tzs) / sizeof(f->tzs[0]))) {
		snprintf(f->tzs[f->ntzs].user, sizeof(f->tzs[0].user), "%s", user);
		snprintf(f->tzs[f->ntzs].tz, sizeof(f->tzs[0].tz), "%s", tz);
		f->ntzs++;
	}
	pthread_mutex_unlock(&f->mu);
}

void
fake_post_error(struct fake *f, const char *channel, const char *error)
{
	pthread_mutex_lock(&f->mu);
	if (f->nperr < (int)(sizeof(f->perr) / sizeof(f->perr[0]))) {
		snprintf(f->perr[f->nperr].ch, sizeof(f->perr[0].ch), "%s", channel);
		snprintf(f->perr[f->nperr].err, sizeof(f->perr[0].err), "%s", error);
		f->nperr++;
	}
	pthread_mutex_unlock(&f->mu);
}

/* ---- Bench support (bench/loadgen.c): an ack-latency recorder sized for
 * hundreds of thousands of envelopes. Bench envelope ids are "b<seq>"; an
 * ack for one is found with a memmem and an index, never a JSON parse or a
 * list walk, so the generator's cost per ack is constant. One recorder per
 * process (the bench runs one fake), kept outside struct fake. */
struct bench_rec {
	struct fake *f;
	long n, sent, acked;
	struct timespec *at; /* send time of seq */
	double *lat_ms;      /* ack latency of seq; -1 until acked */
};

static struct bench_rec *bench;

static int
bench_on_ack(struct fake *f, const char *data, size_t len)
{
	static const char key[] = "\"envelope_id\":\"b";
	const char *p;
	char *end;
	long seq;

	if (bench == NULL || bench->f != f)
		return 0;
	p = memmem(data, len < 256 ? len : 256, key, sizeof(key) - 1);
	if (p == NULL)
		return 0;
	p += sizeof(key) - 1;
	seq = strtol(p, &end, 10);
	if (end == p || *end != '"' || seq < 0 || seq >= bench->n || bench->lat_ms[seq] >= 0)
		return 0;
	bench->lat_ms[seq] = ms_since(&bench->at[seq]);
	bench->acked++;
	pthread_cond_broadcast(&f->cv);
	return 1;
}

int
fake_bench_begin(struct fake *f, long n)
{
	struct bench_rec *b = calloc(1, sizeof(*b));

	if (b == NULL || bench != NULL)
		goto fail;
	b->at = calloc((size_t)n, sizeof(*b->at));
	b->lat_ms = malloc((size_t)n * sizeof(*b->lat_ms));
	if (b->at == NULL || b->lat_ms == NULL)
		goto fail;
	for (long i = 0; i < n; i++)
		b->lat_ms[i] = -1;
	b->f = f;
	b->n = n;
	pthread_mutex_lock(&f->mu);
	bench = b;
	pthread_mutex_unlock(&f->mu);
	return 0;
fail:
	if (b != NULL) {
		free(b->at);
		free(b->lat_ms);
	}
	free(b);
	return -1;
}

int
fake_bench_send(struct fake *f, long seq, const char *json, size_t len)
{
	struct fconn *c;
	int rc = -1;

	pthread_mutex_lock(&f->mu);
	c = ws_pick(f, 0);
	if (c != NULL && bench != NULL && seq >= 0 && seq < bench->n) {
		clock_gettime(CLOCK_MONOTONIC, &bench->at[seq]);
		bench->sent++;
		rc = ws_frame(c, 1, json, len);
	}
	pthread_mutex_unlock(&f->mu);
	return rc;
}

long
fake_bench_wait_acked(struct fake *f, long n, int timeout_ms)
{
	struct timespec ts;
	long got;
	int rc = 0;

	deadline(&ts, timeout_ms);
	pthread_mutex_lock(&f->mu);
	while (bench != NULL && bench->acked < n && rc == 0)
		rc = pthread_cond_timedwait(&f->cv, &f->mu, &ts);
	got = bench != NULL ? bench->acked : -1;
	pthread_mutex_unlock(&f->mu);
	return got;
}

long
fake_bench_end(struct fake *f, double *lat_ms, long cap)
{
	struct bench_rec *b;
	long n = 0;

	pthread_mutex_lock(&f->mu);
	b = bench;
	bench = NULL;
	pthread_mutex_unlock(&f->mu);
	if (b == NULL)
		return -1;
	if (lat_ms != NULL) {
		n = b->n < cap ? b->n : cap;
		memcpy(lat_ms, b->lat_ms, (size_t)n * sizeof(*lat_ms));
	}
	free(b->at);
	free(b->lat_ms);
	free(b);
	return n;
}

int
fake_bench_disconnect(struct fake *f, const char *reason)
{
	char msg[256];

	snprintf(msg, sizeof(msg),
	         "{\"type\":\"disconnect\",\"reason\":\"%s\",\"debug_info\":{\"host\":\"fake\"}}", reason);
	return fake_send_text(f, msg);
}

static int
hexval(int ch)
{
	return ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10
	     : ch >= 'A' && ch <= 'F' ? ch - 'A' + 10 : -1;
}

/* A Web API body as JSON: JSON as is, or application/x-www-form-urlencoded
 * (what the Node SDK sends, e.g. the Bolt anchor) as an object of strings.
 * Caller deletes; NULL if neither. */
static cJSON *
bench_parse_body(const char *body)
{
	cJSON *o = cJSON_Parse(body);
	char *dec = NULL;

	if (o != NULL || strchr(body, '=') == NULL)
		return o;
	if ((o = cJSON_CreateObject()) == NULL || (dec = malloc(strlen(body) + 1)) == NULL)
		goto fail;
	for (const char *p = body; *p;) {
		size_t n = strcspn(p, "&"), k = 0;
		const char *eq = memchr(p, '=', n);
		size_t keylen = eq ? (size_t)(eq - p) : n;
		for (size_t i = 0; i < n; i++) {
			int hi, lo;
			if (p[i] == '=' && i == keylen) {
				dec[k++] = '\0';
			} else if (p[i] == '+') {
				dec[k++] = ' ';
			} else if (p[i] == '%' && i + 2 < n && (hi = hexval(p[i + 1])) >= 0 &&
			           (lo = hexval(p[i + 2])) >= 0) {
				dec[k++] = (char)(hi * 16 + lo);
				i += 2;
			} else {
				dec[k++] = p[i];
			}
		}
		dec[k] = '\0';
		if (eq != NULL && cJSON_AddStringToObject(o, dec, dec + strlen(dec) + 1) == NULL)
			goto fail;
		p += n + (p[n] == '&');
	}
	free(dec);
	return o;
fail:
	free(dec);
	cJSON_Delete(o);
	return NULL;
}
