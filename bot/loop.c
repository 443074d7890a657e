/* loop.c -- libuv loop, signals, and the curl multi_socket glue
 * (the pattern of curl's docs/examples/multi-uv.c). */
#include "loop.h"

#include <signal.h>
#include <stdlib.h>

#include "log.h"

/* One socket curl asked us to watch. */
struct curl_sock {
	uv_poll_t poll;
	curl_socket_t fd;
	struct loop *loop;
};

/* Reaps finished transfers. Called after every socket_action: the last
 * finished transfer must be reaped even when nothing is left running. */
static void
drain(struct loop *l)
{
	CURLMsg *m;
	int pending;

	while ((m = curl_multi_info_read(l->multi, &pending)) != NULL) {
		struct loop_xfer *x = NULL;
		CURLcode rc;
		CURL *easy;
		if (m->msg != CURLMSG_DONE)
			continue;
		easy = m->easy_handle;
		rc = m->data.result;
		curl_easy_getinfo(easy, CURLINFO_PRIVATE, (char **)&x);
		curl_multi_remove_handle(l->multi, easy); /* m is gone now */
		if (x != NULL && x->done != NULL)
			x->done(x, rc);
	}
}

static void
poll_cb(uv_poll_t *h, int status, int events)
{
	struct curl_sock *s = h->data;
	struct loop *l = s->loop;
	int flags = 0, running;

	if (status < 0)
		flags = CURL_CSELECT_ERR;
	if (events & UV_READABLE)
		flags |= CURL_CSELECT_IN;
	if (events & UV_WRITABLE)
		flags |= CURL_CSELECT_OUT;
	if (curl_multi_socket_action(l->multi, s->fd, flags, &running) != CURLM_OK)
		log_error("curl_multi_failed", "where=poll");
	drain(l);
}

static void
sock_close_cb(uv_handle_t *h)
{
	free(h->data);
}

static int
socket_cb(CURL *easy, curl_socket_t fd, int what, void *userp, void *socketp)
{
	struct loop *l = userp;
	struct curl_sock *s = socketp;
	int ev = 0;

	(void)easy;
	if (what == CURL_POLL_REMOVE) {
		if (s != NULL) {
			uv_poll_stop(&s->poll);
			uv_close((uv_handle_t *)&s->poll, sock_close_cb);
			curl_multi_assign(l->multi, fd, NULL);
		}
		return 0;
	}
	if (s == NULL) {
		s = calloc(1, sizeof(*s));
		if (s == NULL)
			return -1;
		s->fd = fd;
		s->loop = l;
		if (uv_poll_init_socket(&l->uv, &s->poll, fd) != 0) {
			free(s);
			return -1;
		}
		s->poll.data = s;
		curl_multi_assign(l->multi, fd, s);
	}
	if (what & CURL_POLL_IN)
		ev |= UV_READABLE;
	if (what & CURL_POLL_OUT)
		ev |= UV_WRITABLE;
	uv_poll_start(&s->poll, ev, poll_cb);
	return 0;
}

static void
curl_timer_cb(uv_timer_t *t)
{
	struct loop *l = t->data;
	int running;

	if (curl_multi_socket_action(l->multi, CURL_SOCKET_TIMEOUT, 0, &running) != CURLM_OK)
		log_error("curl_multi_failed", "where=timer");
	drain(l);
}

/* curl asks for one timer; never call socket_action from here. */
static int
timer_cb(CURLM *multi, long ms, void *userp)
{
	struct loop *l = userp;

	(void)multi;
	if (ms < 0)
		uv_timer_stop(&l->curl_timer);
	else
		uv_timer_start(&l->curl_timer, curl_timer_cb, (uint64_t)ms, 0);
	return 0;
}

static void
signal_cb(uv_signal_t *h, int signum)
{
	struct loop *l = h->data;

	if (l->on_signal != NULL)
		l->on_signal(l, signum);
}

int
loop_init(struct loop *l, loop_signal_fn on_signal, void *user)
{
	l->on_signal = on_signal;
	l->user = user;
	l->handles_open = 0;
	l->multi = NULL;
	signal(SIGPIPE, SIG_IGN);
	if (uv_loop_init(&l->uv) != 0) {
		log_error("loop_init_failed", "what=uv");
		return -1;
	}
	l->multi = curl_multi_init();
	if (l->multi == NULL) {
		log_error("loop_init_failed", "what=curl_multi");
		uv_loop_close(&l->uv);
		return -1;
	}
	curl_multi_setopt(l->multi, CURLMOPT_SOCKETFUNCTION, socket_cb);
	curl_multi_setopt(l->multi, CURLMOPT_SOCKETDATA, l);
	curl_multi_setopt(l->multi, CURLMOPT_TIMERFUNCTION, timer_cb);
	curl_multi_setopt(l->multi, CURLMOPT_TIMERDATA, l);
	uv_timer_init(&l->uv, &l->curl_timer);
	l->curl_timer.data = l;
	uv_signal_init(&l->uv, &l->sig_term);
	uv_signal_init(&l->uv, &l->sig_int);
	uv_signal_init(&l->uv, &l->sig_hup);
	l->sig_term.data = l;
	l->sig_int.data = l;
	l->sig_hup.data = l;
	uv_signal_start(&l->sig_term, signal_cb, SIGTERM);
	uv_signal_start(&l->sig_int, signal_cb, SIGINT);
	uv_signal_start(&l->sig_hup, signal_cb, SIGHUP);
	l->handles_open = 1;
	return 0;
}

int
loop_xfer_start(struct loop *l, struct loop_xfer *x)
{
	curl_easy_setopt(x->easy, CURLOPT_PRIVATE, (char *)x);
	return curl_multi_add_handle(l->multi, x->easy) == CURLM_OK ? 0 : -1;
}

void
loop_xfer_abort(struct loop *l, struct loop_xfer *x)
{
	curl_multi_remove_handle(l->multi, x->easy);
}

void
loop_close_handles(struct loop *l)
{
	if (!l->handles_open)
		return;
	l->handles_open = 0;
	/* May call socket_cb with REMOVE, so the glue stays alive until here. */
	curl_multi_cleanup(l->multi);
	l->multi = NULL;
	uv_timer_stop(&l->curl_timer);
	uv_close((uv_handle_t *)&l->curl_timer, NULL);
	uv_signal_stop(&l->sig_term);
	uv_signal_stop(&l->sig_int);
	uv_signal_stop(&l->sig_hup);
	uv_close((uv_handle_t *)&l->sig_term, NULL);
	uv_close((uv_handle_t *)&l->sig_int, NULL);
	uv_close((uv_handle_t *)&l->sig_hup, NULL);
}

void
loop_run(struct loop *l)
{
	uv_run(&l->uv, UV_RUN_DEFAULT);
}

int
loop_fini(struct loop *l)
{
	if (uv_loop_close(&l->uv) != 0) {
		log_warn("loop_close_busy", "reason=\"a handle was left open\"");
		return -1;
	}
	return 0;
}

uint64_t
loop_now_ms(struct loop *l)
{
	return uv_now(&l->uv);
}
