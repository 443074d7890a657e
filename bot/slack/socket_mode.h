/* socket_mode.h -- Slack Socket Mode: the websocket(s) and their one
 * reconnection owner.
 *
 * Runs libwebsockets on the daemon's libuv loop (a "foreign loop"). Each
 * connect asks apps.connections.open for a fresh URL, resolves the host
 * with uv_getaddrinfo (lws would block) and opens the socket; the
 * connection counts only after "hello". Handles hello and disconnect
 * itself: refresh_requested/warning open the replacement first and close the
 * old socket after the new hello; link_disabled and auth errors are fatal.
 * Drops, refused connects, handshakes that reach no hello within
 * handshake_timeout_s and dead peers reconnect with capped, jittered
 * exponential backoff, reset once a connection has stayed up a while. A peer
 * is dead when nothing at all arrives for idle_timeout_s: every frame
 * (message, PONG) counts, and a PING goes out after ping_interval_s of
 * silence. too_many_websockets closes the socket first and waits longer
 * (SM_TMW_BASE_MS, doubling). Every other envelope goes to the on_envelope
 * callback, which acks with sm_send. */
#ifndef PMPO_SOCKET_MODE_H
#define PMPO_SOCKET_MODE_H

#include <stddef.h>

#include "config.h"
#include "envelope.h"
#include "loop.h"
#include "webapi.h"

#define SM_FRAME_OUT_MAX 20000    /* Slack drops socket responses of 20 KB or more */
#define SM_FRAME_IN_MAX (512 * 1024) /* larger inbound messages are dropped */
#define SM_HEALTHY_MS 30000       /* a connection up this long resets the backoff */

struct sm;

/* An envelope arrived on connection conn_id (valid during the call only). */
typedef void (*sm_envelope_fn)(void *user, int conn_id, const struct envelope *env);
/* Socket Mode cannot go on: exit_code is a PMPO_EXIT_* value. */
typedef void (*sm_fatal_fn)(void *user, int exit_code, const char *reason);

/* Connection state changes, for systemd's STATUS= line and READY=1: a
 * socket said hello (host from its debug_info, "-" if none), or a reconnect
 * is scheduled in delay_ms. */
enum sm_state { SM_STATE_UP, SM_STATE_RECONNECTING };
typedef void (*sm_state_fn)(void *user, enum sm_state st, const char *host,
                            unsigned long long delay_ms);

/* Creates the lws context on loop. NULL on failure (logged). */
struct sm *sm_new(struct loop *loop, struct webapi *w, const struct config *cfg,
                  sm_envelope_fn on_envelope, sm_fatal_fn on_fatal, void *user);
/* Sets (or clears, NULL) the state callback; it gets sm_new's user. */
void sm_set_state_cb(struct sm *sm, sm_state_fn fn);
/* Starts the first connect. */
void sm_start(struct sm *sm);
/* Queues one text frame on conn_id, or on the live connection if that one
 * is gone. 0, or -1 (too big, no connection; logged). */
int sm_send(struct sm *sm, int conn_id, const char *text, size_t len);
/* Stops reconnecting and closes every socket with code 1000. */
void sm_stop(struct sm *sm);
/* Begins destroying the lws context; the loop must run afterwards so lws
 * can close its handles. */
void sm_destroy_begin(struct sm *sm);
/* After the loop has returned: finishes the context and frees sm. */
void sm_free(struct sm *sm);

#endif
