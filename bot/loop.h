/* loop.h -- the one libuv loop: signals, and libcurl's multi_socket API
 * driven from uv polls and one uv timer.
 *
 * Everything in the daemon runs on this loop: lws (as a foreign loop, see
 * socket_mode.h), HTTP transfers, timers. Nothing here blocks: curl resolves
 * names on its own thread and reports sockets to poll. */
#ifndef PMPO_LOOP_H
#define PMPO_LOOP_H

#include <curl/curl.h>
#include <uv.h>

struct loop;

/* One HTTP transfer in flight. The owner embeds it, sets easy and done, and
 * gets done() once, after the easy has left the multi (the owner then frees
 * the easy). */
struct loop_xfer {
	CURL *easy;
	void (*done)(struct loop_xfer *x, CURLcode rc);
};

typedef void (*loop_signal_fn)(struct loop *l, int signum);

struct loop {
	uv_loop_t uv;
	CURLM *multi;
	uv_timer_t curl_timer;
	uv_signal_t sig_term, sig_int, sig_hup;
	loop_signal_fn on_signal;
	void *user;        /* for the owner's callbacks */
	int handles_open;  /* timer and signals initialised */
};

/* Initialises the loop, curl's multi and SIGTERM/SIGINT/SIGHUP watchers;
 * on_signal is called on the loop (never in a signal handler) for each. 0, or
 * -1 (logged). */
int loop_init(struct loop *l, loop_signal_fn on_signal, void *user);
/* Adds x->easy (its CURLOPT_PRIVATE is set to x). 0, or -1. */
int loop_xfer_start(struct loop *l, struct loop_xfer *x);
/* Takes x->easy out of the multi without calling done (shutdown). */
void loop_xfer_abort(struct loop *l, struct loop_xfer *x);
/* Ends curl's multi and closes our handles; uv_run then returns once the
 * other owners (lws) have closed theirs. Abort every transfer first. */
void loop_close_handles(struct loop *l);
/* uv_run until no handle is left. */
void loop_run(struct loop *l);
/* uv_loop_close; 0, or -1 if a handle was left open (logged). */
int loop_fini(struct loop *l);
/* Milliseconds on the loop's clock. */
uint64_t loop_now_ms(struct loop *l);

#endif
