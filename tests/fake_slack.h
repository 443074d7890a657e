/* fake_slack.h -- a fake Slack for integration tests, on 127.0.0.1.
 *
 * One thread serves, on an ephemeral port, the Web API methods pmpo-bot
 * calls (apps.connections.open, auth.test, chat.postMessage,
 * chat.postEphemeral, chat.update), a response_url endpoint (/response/...), and the
 * Socket Mode websocket (/link/?ticket=N) with hello. The test drives it
 * through these functions (thread-safe) and reads what it recorded.
 * Tokens "xapp-revoked-0000000000" / "xoxb-revoked-0000000000" get invalid_auth. */
#ifndef FAKE_SLACK_H
#define FAKE_SLACK_H

#include <stddef.h>

struct fake;

struct fake *fake_start(void);
int fake_port(struct fake *f);
void fake_stop(struct fake *f);

/* chat.postMessage answers 429 (Retry-After: 1) to a second post in the
 * same channel within ms milliseconds; 0 turns it off. */
void fake_set_rate_limit(struct fake *f, int ms);

/* The next n chat.postMessage calls answer HTTP status (500: internal_error,
 * 503: service_unavailable; counter "post5xx"); they are not recorded. */
void fake_fail_posts(struct fake *f, int n, int status);

/* The next n chat.postMessage calls are recorded as posted (counter "post"
 * and "swallowed"), then get no answer: the connection is closed at once
 * (hang 0: an empty reply), or left open and never answered (hang 1). */
void fake_swallow_posts(struct fake *f, int n, int hang);

/* The next n websocket upgrade requests get no answer at all (the client
 * hangs in its HTTP handshake); with hello_too, the next n are upgraded but
 * get no hello. */
void fake_stall_upgrades(struct fake *f, int n, int hello_too);
/* The next n apps.connections.open calls hand out a wss:// URL whose server
 * accepts the TCP connection and never says a word (a stalled TLS handshake). */
void fake_stall_tls(struct fake *f, int n);
/* How long the bot held the i-th stalled connection (an unanswered upgrade,
 * a stalled TLS handshake, a post left hanging) before closing it, in ms from
 * the accept; -1 if fewer have been closed (counter "stallclosed"). */
double fake_stall_held_ms(struct fake *f, int i);

/* Waits until n hellos have been sent in total; 0, or -1 on timeout. */
int fake_wait_hellos(struct fake *f, int n, int timeout_ms);
/* Sends a frame on the newest live websocket (opcode 1 text, 2 binary);
 * a text frame's envelope_id, if any, starts the ack clock. 0, or -1. */
int fake_send(struct fake *f, int opcode, const void *data, size_t len);
int fake_send_text(struct fake *f, const char *json);
/* Same, on the websocket that got hello number n (1-based). */
int fake_send_text_on(struct fake *f, int n, const char *json);
/* Closes the newest websocket abruptly (no close frame). */
void fake_drop(struct fake *f);
/* The newest websocket stops answering pings. */
void fake_silence(struct fake *f);
/* The newest websocket is black-holed: TCP stays open, but nothing is read
 * from it or written to it again (no pongs, no data, no close). */
void fake_blackhole(struct fake *f);

/* Waits for the ack of envelope_id: 0 and a copy of the frame in *json
 * (caller frees; may be NULL) and the latency since it was sent; -1. */
int fake_wait_ack(struct fake *f, const char *envelope_id, int timeout_ms, char **json,
                  double *latency_ms);
/* Waits until the counter reaches n; 0, or -1 on timeout. */
int fake_wait_count(struct fake *f, const char *what, int n, int timeout_ms);
/* Counters: "open" (apps.connections.open), "auth", "post" (accepted
 * chat.postMessage), "post429", "post5xx", "swallowed", "ephemeral",
 * "response", "ack", "close" (close frames from the bot), "ws" (websockets
 * accepted), "wsgone", "hello", "stallclosed". */
int fake_count(struct fake *f, const char *what);
/* The body of the i-th accepted chat.postMessage (0-based), copied; or NULL. */
char *fake_post(struct fake *f, int i);
/* How many chat.postMessage calls to channel were accepted (any number of
 * posts, unlike the bodies kept by fake_post). */
int fake_channel_posts(struct fake *f, const char *channel);
/* The body of the i-th accepted chat.update (bot token, channel and ts
 * required, else message_not_found and not recorded; counter "update"),
 * copied; or NULL. */
char *fake_update(struct fake *f, int i);
/* The body of the i-th response_url POST, copied; or NULL. */
char *fake_response(struct fake *f, int i);
/* The body of the i-th accepted chat.postEphemeral (bot token, channel and
 * user required, else an error and not recorded), copied; or NULL. */
char *fake_ephemeral(struct fake *f, int i);

/* users.info (form body user=ID, bot token): answers {"user": {"id", "tz"}}
 * for a user given here, user_not_found for any other (counter "usersinfo"). */
void fake_set_user_tz(struct fake *f, const char *user, const char *tz);
/* chat.postMessage to channel answers ok:false with error, such as
 * "not_in_channel" (counter "posterr"; such posts are not recorded). */
void fake_post_error(struct fake *f, const char *channel, const char *error);
/* ---- Bench support (bench/loadgen.c); one recorder per process. */
/* Starts recording acks of envelopes "b<seq>", 0 <= seq < n. 0, or -1. */
int fake_bench_begin(struct fake *f, long n);
/* Sends the text frame json (envelope_id "b<seq>") on the newest websocket
 * and starts seq's ack clock. 0, or -1. */
int fake_bench_send(struct fake *f, long seq, const char *json, size_t len);
/* Waits until n bench acks have arrived; returns how many have (-1: none begun). */
long fake_bench_wait_acked(struct fake *f, long n, int timeout_ms);
/* Stops recording; copies up to cap latencies (ms, -1 = never acked) by seq
 * into lat_ms (may be NULL); returns how many were copied, or -1. */
long fake_bench_end(struct fake *f, double *lat_ms, long cap);
/* Sends a Socket Mode disconnect frame (reason e.g. "refresh_requested"). */
int fake_bench_disconnect(struct fake *f, const char *reason);

#endif
