/* test_slack_e2e.c -- the real pmpo-bot binary against a fake Slack on
 * 127.0.0.1 (fake_slack.c): acks, replies, reconnects, bad input, rate
 * limits, shutdown, daily tips, the share button, SIGHUP, sd_notify. Every
 * wait is bounded. Usage: test_slack_e2e PMPO_BOT PMPO_BOT_TESTCLOCK */
#define _DEFAULT_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <cjson/cJSON.h>
#include <cmocka.h>

#include "blockkit.h"
#include "fake_slack.h"
#include "kb.h"

static const char *bot_path;

struct run {
	struct fake *f;
	pid_t pid;
	char dir[64];
	char log[128];
};

static double
now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static const char *testclock_path; /* pmpo-bot-testclock: same daemon, injectable tips clock */

/* How to start the bot beyond the defaults. */
struct opts {
	const char *bin;       /* NULL: pmpo-bot */
	const char *conf_text; /* NULL: an empty config file */
	int no_level_env;      /* leave PMPO_LOG_LEVEL unset (the file decides) */
	int default_timing;    /* the built-in ping, idle and handshake timeouts */
	int stall_tls;         /* fake_stall_tls(n) before the bot starts */
	const char *env[8];    /* extra "NAME=VALUE" */
};

/* Starts (another) bot process on r's fake and state dir. The log is
 * appended to, so a restart keeps the first run's lines. */
static void
spawn(struct run *r, const char *app_token, const char *bot_token, const struct opts *o)
{
	char url[128], conf[128];
	FILE *fp;

	snprintf(conf, sizeof(conf), "%s/bot.conf", r->dir);
	fp = fopen(conf, "w");
	assert_non_null(fp);
	if (o != NULL && o->conf_text != NULL)
		fputs(o->conf_text, fp);
	fclose(fp);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/api/", fake_port(r->f));
	r->pid = fork();
	assert_true(r->pid >= 0);
	if (r->pid == 0) {
		const char *bin = o != NULL && o->bin != NULL ? o->bin : bot_path;
		char pidbuf[32];
		/* dup2 keeps stderr unbuffered (freopen would make it fully buffered) */
		int lfd = open(r->log, O_WRONLY | O_CREAT | O_APPEND, 0600);
		if (lfd < 0 || dup2(lfd, 2) < 0)
			_exit(126);
		close(lfd);
		setenv("SLACK_APP_TOKEN", app_token, 1);
		setenv("SLACK_BOT_TOKEN", bot_token, 1);
		setenv("SLACK_API_URL", url, 1);
		setenv("PMPO_STATE_DIR", r->dir, 1);
		if (o == NULL || !o->default_timing) {
			setenv("PMPO_PING_INTERVAL", "1", 1);
			setenv("PMPO_IDLE_TIMEOUT", "3", 1);
			setenv("PMPO_HANDSHAKE_TIMEOUT", "3", 1);
		} else {
			unsetenv("PMPO_PING_INTERVAL");
			unsetenv("PMPO_IDLE_TIMEOUT");
			unsetenv("PMPO_HANDSHAKE_TIMEOUT");
		}
		unsetenv("NOTIFY_SOCKET");
		unsetenv("WATCHDOG_USEC");
		if (o == NULL || !o->no_level_env)
			setenv("PMPO_LOG_LEVEL", "info", 1);
		else
			unsetenv("PMPO_LOG_LEVEL");
		for (int i = 0; o != NULL && i < 8 && o->env[i] != NULL; i++)
			putenv((char *)o->env[i]);
		/* the watchdog is meant for this process, which exec keeps */
		snprintf(pidbuf, sizeof(pidbuf), "%ld", (long)getpid());
		setenv("WATCHDOG_PID", pidbuf, 1);
		execl(bin, bin, "--config", conf, "run", (char *)NULL);
		_exit(127);
	}
}

/* Starts a fake, a temp state dir and the bot; ping 1 s, idle 3 s,
 * handshake 3 s unless o->default_timing. */
static void
start_opts(struct run *r, const char *app_token, const char *bot_token, const struct opts *o)
{
	memset(r, 0, sizeof(*r));
	r->f = fake_start();
	assert_non_null(r->f);
	if (o != NULL && o->stall_tls)
		fake_stall_tls(r->f, o->stall_tls);
	snprintf(r->dir, sizeof(r->dir), "/tmp/pmpo-e2e-XXXXXX");
	assert_non_null(mkdtemp(r->dir));
	snprintf(r->log, sizeof(r->log), "%s/bot.log", r->dir);
	spawn(r, app_token, bot_token, o);
}

static void
start(struct run *r, const char *app_token, const char *bot_token)
{
	start_opts(r, app_token, bot_token, NULL);
}

/* Waits up to timeout_ms for the bot to exit; its exit code, or -1. */
static int
wait_exit(struct run *r, int timeout_ms, double *took_ms)
{
	double t0 = now_ms();
	int st;

	while (now_ms() - t0 < timeout_ms) {
		pid_t p = waitpid(r->pid, &st, WNOHANG);
		if (p == r->pid) {
			r->pid = 0;
			if (took_ms)
				*took_ms = now_ms() - t0;
			return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
		}
		usleep(10000);
	}
	return -1;
}

static void
dump_log(const struct run *r)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "tail -n 40 %s >&2", r->log);
	if (system(cmd) != 0)
		fprintf(stderr, "(no log)\n");
}

/* Lines of the bot's log containing needle. */
static int
log_count(const struct run *r, const char *needle)
{
	FILE *fp = fopen(r->log, "r");
	char line[4096];
	int n = 0;

	if (fp == NULL)
		return -1;
	while (fgets(line, sizeof(line), fp) != NULL)
		n += strstr(line, needle) != NULL;
	fclose(fp);
	return n;
}

/* The number right after the last occurrence of needle in the bot's log,
 * or -1. */
static long
log_last_num(const struct run *r, const char *needle)
{
	FILE *fp = fopen(r->log, "r");
	char line[4096];
	long v = -1;

	if (fp == NULL)
		return -1;
	while (fgets(line, sizeof(line), fp) != NULL) {
		const char *p = strstr(line, needle);
		if (p != NULL)
			v = strtol(p + strlen(needle), NULL, 10);
	}
	fclose(fp);
	return v;
}

/* The secret part of every token the tests give the bot: none may ever
 * appear in a log. */
static const char *const token_bodies[] = {
	"1-A0TEST-1-0123456789abcdef", "1234-5678-testtokenabcdef", "revoked-0000000000",
};
static int logs_scanned, token_leaks;

/* Lines of the file at path holding a token body. */
static int
token_lines(const char *path)
{
	FILE *fp = fopen(path, "r");
	char line[8192];
	int n = 0;

	if (fp == NULL)
		return -1;
	while (fgets(line, sizeof(line), fp) != NULL)
		for (size_t i = 0; i < sizeof(token_bodies) / sizeof(token_bodies[0]); i++)
			if (strstr(line, token_bodies[i]) != NULL) {
				fprintf(stderr, "# token in %s: %s", path, line);
				n++;
			}
	fclose(fp);
	return n;
}

/* Kills a bot still running and removes the fake and the temp dir; also
 * the teardown of every test, so a failed assertion leaves nothing behind.
 * Every bot log is scanned for tokens first (test_no_token_in_any_log). */
static void
cleanup(struct run *r)
{
	char cmd[128];
	int n;

	if (r->pid > 0) {
		kill(r->pid, SIGKILL);
		waitpid(r->pid, NULL, 0);
		r->pid = 0;
	}
	if (r->f != NULL) {
		fake_stop(r->f);
		r->f = NULL;
	}
	if (r->dir[0] && (n = token_lines(r->log)) >= 0) {
		logs_scanned++;
		token_leaks += n;
	}
	if (r->dir[0]) {
		snprintf(cmd, sizeof(cmd), "rm -rf %s", r->dir);
		if (system(cmd) != 0)
			fprintf(stderr, "could not remove %s\n", r->dir);
		r->dir[0] = '\0';
	}
}

/* SIGTERM: the bot must exit 0 within 5 s. Then cleans up. */
static void
stop(struct run *r)
{
	int rc = 0;

	if (r->pid > 0) {
		kill(r->pid, SIGTERM);
		rc = wait_exit(r, 5000, NULL);
		if (rc != 0)
			dump_log(r);
	}
	cleanup(r);
	assert_int_equal(rc, 0);
}

static struct run the_run;

static void send_unhandled_event(struct fake *f, const char *id);

static int
teardown(void **state)
{
	(void)state;
	cleanup(&the_run);
	return 0;
}

static void
send_fmt(struct fake *f, const char *fmt, ...)
{
	char buf[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	assert_int_equal(fake_send_text(f, buf), 0);
}

static void
send_slash(struct fake *f, const char *env_id, const char *text)
{
	send_fmt(f,
	         "{\"envelope_id\":\"%s\",\"type\":\"slash_commands\",\"accepts_response_payload\":true,"
	         "\"payload\":{\"team_id\":\"T1\",\"channel_id\":\"C1\",\"user_id\":\"U1\",\"command\":\"/pmpo\","
	         "\"text\":\"%s\",\"response_url\":\"http://127.0.0.1:%d/response/1\",\"trigger_id\":\"t\"}}",
	         env_id, text, fake_port(f));
}

/* An events_api envelope; extra is spliced into the event object. */
static void
send_event(struct fake *f, const char *env_id, const char *event_id, int retry, const char *event)
{
	send_fmt(f,
	         "{\"envelope_id\":\"%s\",\"type\":\"events_api\",\"accepts_response_payload\":false,"
	         "\"retry_attempt\":%d,\"retry_reason\":\"%s\",\"payload\":{\"type\":\"event_callback\","
	         "\"team_id\":\"T1\",\"event_id\":\"%s\",\"event_time\":1,\"event\":%s}}",
	         env_id, retry, retry ? "timeout" : "", event_id, event);
}

static void
send_mention(struct fake *f, const char *env_id, const char *event_id, const char *channel,
             const char *ts)
{
	char ev[512];

	snprintf(ev, sizeof(ev),
	         "{\"type\":\"app_mention\",\"user\":\"U2\",\"text\":\"<@UBOT> who owns the backlog?\","
	         "\"ts\":\"%s\",\"channel\":\"%s\",\"event_ts\":\"%s\"}", ts, channel, ts);
	send_event(f, env_id, event_id, 0, ev);
}

/* A DM from user U2; extra ("\"k\":v") is added, and may name another user. */
static void
send_dm(struct fake *f, const char *env_id, const char *event_id, const char *extra)
{
	char ev[512];

	snprintf(ev, sizeof(ev),
	         "{\"type\":\"message\",\"channel\":\"D1\",\"channel_type\":\"im\",\"text\":\"compare\","
	         "\"ts\":\"300.1\",%s}", extra ? extra : "\"user\":\"U2\"");
	send_event(f, env_id, event_id, 0, ev);
}

static cJSON *
post_json(struct fake *f, int i)
{
	char *s = fake_post(f, i);
	cJSON *j;

	assert_non_null(s);
	j = cJSON_Parse(s);
	free(s);
	assert_non_null(j);
	return j;
}

static const char *
jstr(const cJSON *o, const char *k)
{
	return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, k));
}

static void
connected(struct run *r)
{
	if (fake_wait_hellos(r->f, 1, 5000) != 0)
		dump_log(r);
	assert_int_equal(fake_wait_hellos(r->f, 1, 0), 0);
}

/* A DM as a probe: it must be answered (the bot is alive and connected). */
static void
probe(struct run *r, const char *id, int posts_after)
{
	send_dm(r->f, id, id, NULL);
	assert_int_equal(fake_wait_ack(r->f, id, 3000, NULL, NULL), 0);
	if (fake_wait_count(r->f, "post", posts_after, 5000) != 0)
		dump_log(r);
	assert_int_equal(fake_count(r->f, "post"), posts_after);
}

static void
test_slash_compare_in_ack(void **state)
{
	struct run *rp = &the_run;
	char *ack = NULL;
	double lat = -1;
	cJSON *j, *p, *blocks, *b0;
	int fields = 0;

	(void)state;
	start(rp, "xapp-1-A0TEST-1-0123456789abcdef", "xoxb-1234-5678-testtokenabcdef");
	connected(rp);
	send_slash(rp->f, "env-slash-1", "compare");
	assert_int_equal(fake_wait_ack(rp->f, "env-slash-1", 3000, &ack, &lat), 0);
	fprintf(stderr, "# slash command ack latency: %.2f ms\n", lat);
	assert_true(lat >= 0 && lat < 3000);
	j = cJSON_Parse(ack);
	assert_non_null(j);
	p = cJSON_GetObjectItemCaseSensitive(j, "payload");
	assert_non_null(p);
	assert_string_equal(jstr(p, "response_type"), "ephemeral");
	assert_non_null(jstr(p, "text"));
	blocks = cJSON_GetObjectItemCaseSensitive(p, "blocks");
	assert_true(cJSON_GetArraySize(blocks) >= 3);
	b0 = cJSON_GetArrayItem(blocks, 0);
	assert_string_equal(jstr(b0, "type"), "header");
	for (int i = 0; i < cJSON_GetArraySize(blocks); i++) {
		cJSON *f = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(blocks, i), "fields");
		assert_true(cJSON_GetArraySize(f) <= 10);
		fields += cJSON_GetArraySize(f);
	}
	assert_true(fields >= 4 && fields % 2 == 0);
	assert_true(strlen(ack) < 20000);
	/* the answer is in the ack: no Web API call was needed */
	assert_int_equal(fake_count(rp->f, "post") + fake_count(rp->f, "response"), 0);
	cJSON_Delete(j);
	free(ack);
	stop(rp);
}

static void
test_mention_answered_in_thread(void **state)
{
	struct run *rp = &the_run;
	cJSON *j;
	char ev[512];

	(void)state;
	start(rp, "xapp-1-A0TEST-1-0123456789abcdef", "xoxb-1234-5678-testtokenabcdef");
	connected(rp);
	send_mention(rp->f, "env-m1", "Ev-m1", "C7", "100.000200");
	assert_int_equal(fake_wait_ack(rp->f, "env-m1", 3000, NULL, NULL), 0);
	assert_int_equal(fake_wait_count(rp->f, "post", 1, 5000), 0);
	j = post_json(rp->f, 0);
	assert_string_equal(jstr(j, "channel"), "C7");
	assert_string_equal(jstr(j, "thread_ts"), "100.000200");
	assert_non_null(jstr(j, "text"));
	assert_true(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(j, "blocks")) > 0);
	cJSON_Delete(j);
	/* a mention inside a thread answers in that thread */
	snprintf(ev, sizeof(ev), "{\"type\":\"app_mention\",\"user\":\"U2\",\"text\":\"<@UBOT> compare\","
	                         "\"ts\":\"101.5\",\"thread_ts\":\"99.1\",\"channel\":\"C7\"}");
	send_event(rp->f, "env-m2", "Ev-m2", 0, ev);
	assert_int_equal(fake_wait_count(rp->f, "post", 2, 5000), 0);
	j = post_json(rp->f, 1);
	assert_string_equal(jstr(j, "thread_ts"), "99.1");
	cJSON_Delete(j);
	stop(rp);
}

static void
test_dm_answered(void **state)
{
	struct run *rp = &the_run;
	cJSON *j;

	(void)state;
	start(rp, "xapp-1-A0TEST-1-0123456789abcdef", "xoxb-1234-5678-testtokenabcdef");
	connected(rp);
	probe(rp, "Ev-dm1", 1);
	j = post_json(rp->f, 0);
	assert_string_equal(jstr(j, "channel"), "D1");
	assert_null(cJSON_GetObjectItemCaseSensitive(j, "thread_ts"));
	cJSON_Delete(j);
	stop(rp);
}

static void
test_own_and_bot_messages_ignored(void **state)
{
	struct run *rp = &the_run;
	char ev[512];

	(void)state;
	start(rp, "xapp-1-A0TEST-1-0123456789abcdef", "xoxb-1234-5678-testtokenabcdef");
	connected(rp);
	/* our own user id (from auth.test), another bot, an edit */
	snprintf(ev, sizeof(ev), "{\"type\":\"message\",\"channel\":\"D1\",\"channel_type\":\"im\","
	                         "\"user\":\"UBOT\",\"text\":\"compare\",\"ts\":\"1.1\"}");
	send_event(rp->f, "env-own", "Ev-own", 0, ev);
	send_dm(rp->f, "env-bot", "Ev-bot", "\"user\":\"U3\",\"bot_id\":\"B9\"");
	send_dm(rp->f, "env-edit", "Ev-edit", "\"user\":\"U2\",\"subtype\":\"message_changed\"");
	assert_int_equal(fake_wait_ack(rp->f, "env-own", 3000, NULL, NULL), 0);
	assert_int_equal(fake_wait_ack(rp->f, "env-bot", 3000, NULL, NULL), 0);
	assert_int_equal(fake_wait_ack(rp->f, "env-edit", 3000, NULL, NULL), 0);
	/* a real user's DM after them is the only one answered */
	send_dm(rp->f, "env-user", "Ev-user", "\"user\":\"U2\"");
	assert_int_equal(fake_wait_count(rp->f, "post", 1, 5000), 0);
	usleep(300000);
	assert_int_equal(fake_count(rp->f, "post"), 1);
	stop(rp);
}

static void
test_duplicate_event_answered_once(void **state)
{
	struct run *rp = &the_run;
	char ev[512];

	(void)state;
	start(rp, "xapp-1-A0TEST-1-0123456789abcdef", "xoxb-1234-5678-testtokenabcdef");
	connected(rp);
	snprintf(ev, sizeof(ev), "{\"type\":\"message\",\"channel\":\"D1\",\"channel_type\":\"im\","
	                         "\"user\":\"U2\",\"text\":\"compare\",\"ts\":\"5.5\"}");
	send_event(rp->f, "env-d1", "Ev-dup", 0, ev);
	send_event(rp->f, "env-d2", "Ev-dup", 1, ev); /* Slack's redelivery */
	assert_int_equal(fake_wait_ack(rp->f, "env-d1", 3000, NULL, NULL), 0);
	assert_int_equal(fake_wait_ack(rp->f, "env-d2", 3000, NULL, NULL), 0);
	/* a retry of an event never seen is answered */
	send_event(rp->f, "env-d3", "Ev-new", 2, ev);
	assert_int_equal(fake_wait_count(rp->f, "post", 2, 5000), 0);
	usleep(300000);
	assert_int_equal(fake_count(rp->f, "post"), 2);
	stop(rp);
}

static void
test_reconnect_on_refresh(void **state)
{
	struct run *rp = &the_run;
	char *ack = NULL;

	(void)state;
	start(rp, "xapp-1-A0TEST-1-0123456789abcdef", "xoxb-1234-5678-testtokenabcdef");
	connected(rp);
	send_fmt(rp->f, "{\"type\":\"disconnect\",\"reason\":\"refresh_requested\","
	              "\"debug_info\":{\"host\":\"fake-1\"}}");
	/* still delivered on the old socket during the swap */
	send_dm(rp->f, "env-r1", "Ev-r1", "\"user\":\"U2\"");
	assert_int_equal(fake_wait_ack(rp->f, "env-r1", 3000, &ack, NULL), 0);
	free(ack);
	assert_int_equal(fake_wait_hellos(rp->f, 2, 5000), 0);
	/* the old socket is closed with a close frame once the new one said hello */
	assert_int_equal(fake_wait_count(rp->f, "close", 1, 3000), 0);
	assert_int_equal(fake_count(rp->f, "open"), 2);
	send_dm(rp->f, "env-r2", "Ev-r2", "\"user\":\"U2\"");
	assert_int_equal(fake_wait_ack(rp->f, "env-r2", 3000, NULL, NULL), 0);
	assert_int_equal(fake_wait_count(rp->f, "post", 2, 5000), 0);
	stop(rp);
}

static void
test_reconnect_on_warning(void **state)
{
	struct run *rp = &the_run;

	(void)state;
	start(rp, "xapp-1-A0TEST-1-0123456789abcdef", "xoxb-1234-5678-testtokenabcdef");
	connected(rp);
	send_fmt(rp->f, "{\"type\":\"disconnect\",\"reason\":\"warning\",\"debug_info\":{\"host\":\"h\"}}");
	assert_int_equal(fake_wait_hellos(rp->f, 2, 5000), 0);
	probe(rp, "Ev-w1", 1);
	stop(rp);
}

static void
test_reconnect_on_drop(void **state)
{
	struct run *rp = &the_run;

	(void)state;
	start(rp, "xapp-1-A0TEST-1-0123456789abcdef", "xoxb-1234-5678-testtokenabcdef");
	connected(rp);
	probe(rp, "Ev-before", 1); /* the bot has the connection up */
	fake_drop(rp->f);
	if (fake_wait_hellos(rp->f, 2, 6000) != 0)
		dump_log(rp);
	assert_int_equal(fake_wait_hellos(rp->f, 2, 0), 0);
	assert_int_equal(fake_count(rp->f, "open"), 2); /* a fresh URL for the new socket */
	probe(rp, "Ev-drop", 2);
	stop(rp);
}

/* Reset right after the server's hello, before the bot has read it: lws
 * may not report it, so the handshake timeout has to catch it. */
static void
test_reconnect_on_drop_during_handshake(void **state)
{
	struct run *rp = &the_run;
	double t0;

	(void)state;
	start(rp, "xapp-1-A0TEST-1-0123456789abcdef", "xoxb-1234-5678-testtokenabcdef");
	connected(rp);
	t0 = now_ms();
	fake_drop(rp->f);
	if (fake_wait_hellos(rp->f, 2, 12000) != 0)
		dump_log(rp);
	assert_int_equal(fake_wait_hellos(rp->f, 2, 0), 0);
	fprintf(stderr, "# reset during handshake: new hello after %.0f ms\n", now_ms() - t0);
	probe(rp, "Ev-hs", 1);
	stop(rp);
}

/* A socket that never gets to hello is given up after the handshake
 * timeout (3 s here) and replaced: once stuck before the upgrade, once after
 * it. */
static void
test_handshake_without_hello_replaced(void **state)
{
	struct run *rp = &the_run;
	double t0 = now_ms();

	(void)state;
	start(rp, "xapp-1-A0TEST-1-0123456789abcdef", "xoxb-1234-5678-testtokenabcdef");
	fake_stall_upgrades(rp->f, 1, 0);
	if (fake_wait_hellos(rp->f, 1, 9000) != 0)
		dump_log(rp);
	assert_int_equal(fake_wait_hellos(rp->f, 1, 0), 0);
	fprintf(stderr, "# upgrade unanswered: hello on the next socket after %.0f ms, the stalled one "
	        "held %.0f ms\n", now_ms() - t0, fake_stall_held_ms(rp->f, 0));
	assert_int_equal(fake_count(rp->f, "open"), 2);
	assert_int_equal(log_count(rp, "event=socket_no_hello"), 1);
	/* the stalled socket itself was closed, at the deadline */
	assert_int_equal(fake_wait_count(rp->f, "stallclosed", 1, 2000), 0);
	assert_true(fake_stall_held_ms(rp->f, 0) >= 2500 && fake_stall_held_ms(rp->f, 0) <= 4500);
	/* The fake counts a hello when it writes it; drop only after the bot has
	 * read it, or the RST can discard the 101 before the bot sees it. */
	for (int i = 0; i < 300 && log_count(rp, "event=socket_hello conn=2") < 1; i++)
		usleep(10 * 1000);
	assert_int_equal(log_count(rp, "event=socket_hello conn=2"), 1);
	fake_stall_upgrades(rp->f, 1, 1);
	fake_drop(rp->f);
	if (fake_wait_hellos(rp->f, 2, 10000) != 0)
		dump_log(rp);
	assert_int_equal(fake_wait_hellos(rp->f, 2, 0), 0);
	assert_int_equal(log_count(rp, "event=socket_no_hello"), 2);
	probe(rp, "Ev-nohello", 1);
	stop(rp);
}

static void
test_reconnect_on_dead_peer(void **state)
{
	struct run *rp = &the_run;
	double t0;

	(void)state;
	start(rp, "xapp-1-A0TEST-1-0123456789abcdef", "xoxb-1234-5678-testtokenabcdef");
	connected(rp);
	t0 = now_ms();
	fake_silence(rp->f); /* TCP stays up, pings go unanswered */
	if (fake_wait_hellos(rp->f, 2, 9000) != 0)
		dump_log(rp);
	assert_int_equal(fake_wait_hellos(rp->f, 2, 0), 0);
	fprintf(stderr, "# dead peer replaced after %.0f ms (idle timeout 3 s)\n", now_ms() - t0);
	probe(rp, "Ev-dead", 1);
	stop(rp);
}

static void
test_malformed_frames(void **state)
{
	struct run *rp = &the_run;
	static char big[1024 * 1024 + 1];
	static const unsigned char bin[] = {0, 1, 2, 3, 0xff};

	(void)state;
	start(rp, "xapp-1-A0TEST-1-0123456789abcdef", "xoxb-1234-5678-testtokenabcdef");
	connected(rp);
	assert_int_equal(fake_send_text(rp->f, "{not json"), 0);
	assert_int_equal(fake_send(rp->f, 2, bin, sizeof(bin)), 0);
	memset(big, 'x', sizeof(big) - 1);
	big[0] = '{';
	big[1] = '"';
	assert_int_equal(fake_send(rp->f, 1, big, sizeof(big) - 1), 0);
	assert_int_equal(fake_send_text(rp->f, "{\"type\":\"events_api\",\"payload\":{}}"), 0);
	assert_int_equal(fake_send_text(rp->f, "[1,2,3]"), 0);
	assert_int_equal(fake_send_text(rp->f, "{\"type\":\"slash_commands\",\"envelope_id\":\"env-nop\"}"), 0);
	send_fmt(rp->f, "{\"envelope_id\":\"env-odd\",\"type\":\"some_new_type\",\"payload\":{}}");
	/* unknown types are still acked; the bot keeps answering */
	assert_int_equal(fake_wait_ack(rp->f, "env-odd", 3000, NULL, NULL), 0);
	send_slash(rp->f, "env-after", "help");
	assert_int_equal(fake_wait_ack(rp->f, "env-after", 3000, NULL, NULL), 0);
	assert_int_equal(fake_count(rp->f, "hello"), 1); /* no reconnect was needed */
	probe(rp, "Ev-after", 1);
	assert_int_equal(log_count(rp, "reason=not_a_json_object"), 2); /* "{not json", "[1,2,3]" */
	assert_int_equal(log_count(rp, "reason=binary"), 1);
	assert_int_equal(log_count(rp, "reason=too_large"), 1);
	assert_int_equal(log_count(rp, "reason=no_envelope_id"), 1);
	/* a known type without its payload is still acked, then ignored */
	assert_int_equal(fake_wait_ack(rp->f, "env-nop", 1000, NULL, NULL), 0);
	stop(rp);
}

static void
test_rate_limited_posts_all_arrive_in_order(void **state)
{
	struct run *rp = &the_run;
	char env[32], ev[32], ts[32];
	double t0;

	(void)state;
	start(rp, "xapp-1-A0TEST-1-0123456789abcdef", "xoxb-1234-5678-testtokenabcdef");
	connected(rp);
	fake_set_rate_limit(rp->f, 1000);
	t0 = now_ms();
	for (int i = 1; i <= 5; i++) {
		snprintf(env, sizeof(env), "env-rl%d", i);
		snprintf(ev, sizeof(ev), "Ev-rl%d", i);
		snprintf(ts, sizeof(ts), "200.%d", i);
		send_mention(rp->f, env, ev, "C9", ts);
	}
	if (fake_wait_count(rp->f, "post", 5, 15000) != 0)
		dump_log(rp);
	assert_int_equal(fake_count(rp->f, "post"), 5);
	fprintf(stderr, "# 5 posts under 1/s: %.0f ms, %d answered 429\n", now_ms() - t0,
	        fake_count(rp->f, "post429"));
	assert_true(fake_count(rp->f, "post429") > 0);
	for (int i = 0; i < 5; i++) {
		cJSON *j = post_json(rp->f, i);
		snprintf(ts, sizeof(ts), "200.%d", i + 1);
		assert_string_equal(jstr(j, "thread_ts"), ts);
		cJSON_Delete(j);
	}
	stop(rp);
}

static void
test_slash_without_payload_uses_response_url(void **state)
{
	struct run *rp = &the_run;
	char *ack = NULL, *resp;
	cJSON *j;

	(void)state;
	start(rp, "xapp-1-A0TEST-1-0123456789abcdef", "xoxb-1234-5678-testtokenabcdef");
	connected(rp);
	send_fmt(rp->f,
	         "{\"envelope_id\":\"env-ru\",\"type\":\"slash_commands\",\"accepts_response_payload\":false,"
	         "\"payload\":{\"channel_id\":\"C1\",\"user_id\":\"U1\",\"command\":\"/pmpo\",\"text\":\"compare\","
	         "\"response_url\":\"http://127.0.0.1:%d/response/2\"}}", fake_port(rp->f));
	assert_int_equal(fake_wait_ack(rp->f, "env-ru", 3000, &ack, NULL), 0);
	j = cJSON_Parse(ack);
	assert_null(cJSON_GetObjectItemCaseSensitive(j, "payload")); /* a bare ack */
	cJSON_Delete(j);
	free(ack);
	assert_int_equal(fake_wait_count(rp->f, "response", 1, 5000), 0);
	resp = fake_response(rp->f, 0);
	j = cJSON_Parse(resp);
	assert_non_null(j);
	assert_string_equal(jstr(j, "response_type"), "ephemeral");
	assert_true(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(j, "blocks")) >= 3);
	cJSON_Delete(j);
	free(resp);
	stop(rp);
}

/* HTTP 503 (the server could not take the request) is retried. */
static void
test_server_errors_retried(void **state)
{
	struct run *rp = &the_run;

	(void)state;
	start(rp, "xapp-1-A0TEST-1-0123456789abcdef", "xoxb-1234-5678-testtokenabcdef");
	connected(rp);
	fake_fail_posts(rp->f, 2, 503);
	send_mention(rp->f, "env-5xx", "Ev-5xx", "C5", "400.1");
	if (fake_wait_count(rp->f, "post", 1, 8000) != 0)
		dump_log(rp);
	assert_int_equal(fake_count(rp->f, "post"), 1);
	assert_int_equal(fake_count(rp->f, "post5xx"), 2);
	assert_true(log_count(rp, "event=webapi_retry method=chat.postMessage lane=C5") == 2);
	stop(rp);
}

static void
test_sigterm_flushes_outbox(void **state)
{
	struct run *rp = &the_run;
	double took = 0;

	(void)state;
	start(rp, "xapp-1-A0TEST-1-0123456789abcdef", "xoxb-1234-5678-testtokenabcdef");
	connected(rp);
	fake_set_rate_limit(rp->f, 1000);
	send_mention(rp->f, "env-f1", "Ev-f1", "C8", "500.1");
	send_mention(rp->f, "env-f2", "Ev-f2", "C8", "500.2");
	assert_int_equal(fake_wait_count(rp->f, "post429", 1, 3000), 0);
	/* the second reply waits on Retry-After when the signal comes */
	kill(rp->pid, SIGTERM);
	assert_int_equal(wait_exit(rp, 5000, &took), 0);
	fprintf(stderr, "# SIGTERM with a rate-limited reply queued: exit after %.0f ms\n", took);
	assert_int_equal(fake_count(rp->f, "post"), 2);
	stop(rp);
}

static void
test_sigterm_exits_zero_quickly(void **state)
{
	struct run *rp = &the_run;
	double took = 0;

	(void)state;
	start(rp, "xapp-1-A0TEST-1-0123456789abcdef", "xoxb-1234-5678-testtokenabcdef");
	connected(rp);
	kill(rp->pid, SIGTERM);
	assert_int_equal(wait_exit(rp, 5000, &took), 0);
	fprintf(stderr, "# SIGTERM to exit: %.0f ms\n", took);
	/* the socket was closed with a close frame, not dropped */
	assert_int_equal(fake_wait_count(rp->f, "close", 1, 1000), 0);
	stop(rp);
}

static void
expect_refused(const char *app, const char *bot, const char *disconnect)
{
	struct run *rp = &the_run;
	double took = 0;
	int rc;

	start(rp, app, bot);
	if (disconnect != NULL) {
		connected(rp);
		send_fmt(rp->f, "{\"type\":\"disconnect\",\"reason\":\"%s\"}", disconnect);
	}
	rc = wait_exit(rp, 5000, &took);
	if (rc != 4)
		dump_log(rp);
	fprintf(stderr, "# refused (%s %s %s) -> exit %d in %.0f ms\n", app, bot,
	        disconnect ? disconnect : "-", rc, took);
	assert_int_equal(rc, 4);
	stop(rp); /* already gone: nothing to signal */
}

static void
test_bad_bot_token_exits_4(void **state)
{
	(void)state;
	expect_refused("xapp-1-A0TEST-1-0123456789abcdef", "xoxb-revoked-0000000000", NULL);
}

static void
test_bad_app_token_exits_4(void **state)
{
	(void)state;
	expect_refused("xapp-revoked-0000000000", "xoxb-1234-5678-testtokenabcdef", NULL);
}

static void
test_link_disabled_exits_4(void **state)
{
	(void)state;
	expect_refused("xapp-1-A0TEST-1-0123456789abcdef", "xoxb-1234-5678-testtokenabcdef", "link_disabled");
}

/* ---- reliability: dead links, too_many_websockets, posts that may have
 * landed, the postEphemeral fallback, the drain on SIGTERM ---- */

/* Issue 13, item 1, at the built-in defaults: a link that goes silent (the
 * server stops reading, writing and ponging; TCP stays open) is replaced
 * within 15 s. The probe just before makes this the worst case: the last
 * frame arrived right before the silence. */
static void
test_blackholed_link_replaced_at_defaults(void **state)
{
	struct run *rp = &the_run;
	struct opts o = {.default_timing = 1};
	double t0, took;
	int rc;

	(void)state;
	start_opts(rp, "xapp-1-A0TEST-1-0123456789abcdef", "xoxb-1234-5678-testtokenabcdef", &o);
	connected(rp);
	probe(rp, "Ev-bh0", 1);
	t0 = now_ms();
	fake_blackhole(rp->f);
	rc = fake_wait_hellos(rp->f, 2, 20000);
	took = now_ms() - t0;
	fprintf(stderr, "# black-holed link replaced after %.0f ms (defaults: ping 4 s, idle 10 s)\n", took);
	if (rc != 0)
		dump_log(rp);
	assert_int_equal(rc, 0);
	assert_true(took <= 15000);
	probe(rp, "Ev-bh1", 2);
	stop(rp);
}

/* A link that keeps delivering messages is alive even when its pongs never
 * come (ping 1 s, idle 3 s): 8 s of traffic, no reconnect. Once the traffic
 * stops too, it is replaced. */
static void
test_receiving_link_never_declared_dead(void **state)
{
	struct run *rp = &the_run;
	char id[32];
	double t0;
	int n = 0;

	(void)state;
	start(rp, "xapp-1-A0TEST-1-0123456789abcdef", "xoxb-1234-5678-testtokenabcdef");
	connected(rp);
	fake_silence(rp->f); /* no more pongs */
	t0 = now_ms();
	while (now_ms() - t0 < 8000) {
		snprintf(id, sizeof(id), "Ev-alive%d", n++);
		send_unhandled_event(rp->f, id);
		assert_int_equal(fake_wait_ack(rp->f, id, 3000, NULL, NULL), 0);
		usleep(400 * 1000);
	}
	fprintf(stderr, "# %d envelopes over %.0f ms without a pong: %d hello(s)\n", n, now_ms() - t0,
	        fake_count(rp->f, "hello"));
	if (fake_count(rp->f, "hello") != 1)
		dump_log(rp);
	assert_int_equal(fake_count(rp->f, "hello"), 1);
	assert_int_equal(fake_count(rp->f, "open"), 1);
	assert_int_equal(log_count(rp, "event=socket_closed"), 0);
	/* silence now: dead after the idle timeout, replaced */
	t0 = now_ms();
	assert_int_equal(fake_wait_hellos(rp->f, 2, 8000), 0);
	fprintf(stderr, "# ... then silent: replaced after %.0f ms (idle 3 s)\n", now_ms() - t0);
	stop(rp);
}

/* A TLS handshake that stalls (the server accepts, then says nothing) is
 * abandoned within 10 s at the built-in defaults, and the next socket
 * works. */
static void
test_stalled_tls_handshake_abandoned_at_defaults(void **state)
{
	struct run *rp = &the_run;
	struct opts o = {.default_timing = 1, .stall_tls = 1};
	double held;

	(void)state;
	start_opts(rp, "xapp-1-A0TEST-1-0123456789abcdef", "xoxb-1234-5678-testtokenabcdef", &o);
	if (fake_wait_count(rp->f, "stallclosed", 1, 15000) != 0)
		dump_log(rp);
	held = fake_stall_held_ms(rp->f, 0);
	fprintf(stderr, "# stalled TLS handshake abandoned after %.0f ms (defaults)\n", held);
	assert_true(held > 0 && held <= 10000);
	assert_int_equal(log_count(rp, "event=socket_no_hello"), 1);
	if (fake_wait_hellos(rp->f, 1, 8000) != 0)
		dump_log(rp);
	assert_int_equal(fake_wait_hellos(rp->f, 1, 0), 0);
	assert_int_equal(fake_count(rp->f, "open"), 2);
	probe(rp, "Ev-tls", 1);
	stop(rp);
}

static void
send_too_many(struct fake *f)
{
	send_fmt(f, "{\"type\":\"disconnect\",\"reason\":\"too_many_websockets\",\"num_connections\":10,"
	            "\"debug_info\":{\"host\":\"applink-1\"},\"connection_info\":{\"app_id\":\"A1\"}}");
}

/* too_many_websockets: the bot closes that socket itself, does not come
 * back for 5-10 s, and waits twice as long after a second one in a row. */
static void
test_too_many_websockets_backs_off(void **state)
{
	struct run *rp = &the_run;
	double t0, back;
	long d1, d2;

	(void)state;
	start(rp, "xapp-1-A0TEST-1-0123456789abcdef", "xoxb-1234-5678-testtokenabcdef");
	connected(rp);
	probe(rp, "Ev-tmw0", 1);
	t0 = now_ms();
	send_too_many(rp->f);
	assert_int_equal(fake_wait_count(rp->f, "close", 1, 3000), 0); /* closed by the bot */
	usleep(4000 * 1000);
	/* no spinning: not one apps.connections.open in those 4 s */
	if (fake_count(rp->f, "open") != 1)
		dump_log(rp);
	assert_int_equal(fake_count(rp->f, "open"), 1);
	d1 = log_last_num(rp, "reason=too_many_websockets delay_ms=");
	assert_true(d1 >= 5000 && d1 <= 10000);
	assert_int_equal(fake_wait_hellos(rp->f, 2, 9000), 0);
	back = now_ms() - t0;
	fprintf(stderr, "# too_many_websockets: back after %.0f ms (scheduled %ld ms)\n", back, d1);
	assert_true(back >= 4900);
	assert_int_equal(fake_count(rp->f, "open"), 2);
	/* a second one right after: twice the pause */
	send_too_many(rp->f);
	assert_int_equal(fake_wait_count(rp->f, "close", 2, 3000), 0);
	usleep(300 * 1000);
	d2 = log_last_num(rp, "reason=too_many_websockets delay_ms=");
	fprintf(stderr, "# second too_many_websockets: next try in %ld ms\n", d2);
	assert_true(d2 >= 10000 && d2 <= 20000);
	assert_int_equal(log_count(rp, "event=socket_too_many"), 2);
	stop(rp); /* exits at once while it waits */
}

/* A slash command whose answer cannot go in the ack and that has no
 * response_url is answered with chat.postEphemeral, to the user, privately:
 * an answer at once, and a tips confirmation after users.info. */
static void
test_slash_without_response_url_posts_ephemeral(void **state)
{
	struct run *rp = &the_run;
	char *ack = NULL, *e;
	cJSON *j;

	(void)state;
	start(rp, "xapp-1-A0TEST-1-0123456789abcdef", "xoxb-1234-5678-testtokenabcdef");
	fake_set_user_tz(rp->f, "U1", "Europe/Berlin");
	connected(rp);
	send_fmt(rp->f,
	         "{\"envelope_id\":\"env-eph\",\"type\":\"slash_commands\",\"accepts_response_payload\":false,"
	         "\"payload\":{\"channel_id\":\"C3\",\"user_id\":\"U1\",\"command\":\"/pmpo\",\"text\":\"compare\"}}");
	assert_int_equal(fake_wait_ack(rp->f, "env-eph", 3000, &ack, NULL), 0);
	j = cJSON_Parse(ack);
	assert_null(cJSON_GetObjectItemCaseSensitive(j, "payload"));
	cJSON_Delete(j);
	free(ack);
	if (fake_wait_count(rp->f, "ephemeral", 1, 5000) != 0)
		dump_log(rp);
	e = fake_ephemeral(rp->f, 0);
	assert_non_null(e);
	j = cJSON_Parse(e);
	assert_non_null(j);
	assert_string_equal(jstr(j, "channel"), "C3");
	assert_string_equal(jstr(j, "user"), "U1");
	assert_null(cJSON_GetObjectItemCaseSensitive(j, "response_type"));
	assert_non_null(jstr(j, "text"));
	assert_true(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(j, "blocks")) >= 3);
	cJSON_Delete(j);
	free(e);
	/* the tips confirmation that waits for users.info takes the same way */
	send_fmt(rp->f,
	         "{\"envelope_id\":\"env-eph2\",\"type\":\"slash_commands\",\"accepts_response_payload\":true,"
	         "\"payload\":{\"channel_id\":\"C3\",\"user_id\":\"U1\",\"command\":\"/pmpo\",\"text\":\"tips on 08:15\"}}");
	assert_int_equal(fake_wait_ack(rp->f, "env-eph2", 3000, NULL, NULL), 0);
	if (fake_wait_count(rp->f, "ephemeral", 2, 5000) != 0)
		dump_log(rp);
	e = fake_ephemeral(rp->f, 1);
	assert_non_null(e);
	assert_non_null(strstr(e, "\"user\":\"U1\""));
	assert_non_null(strstr(e, "Daily tips are on"));
	assert_non_null(strstr(e, "Europe/Berlin"));
	free(e);
	assert_int_equal(fake_count(rp->f, "post") + fake_count(rp->f, "response"), 0);
	stop(rp);
}

/* A post that reached Slack but whose answer was lost (the connection closed
 * with no reply) is not sent again, and the next one goes out. */
static void
test_post_not_repeated_after_lost_answer(void **state)
{
	struct run *rp = &the_run;

	(void)state;
	start(rp, "xapp-1-A0TEST-1-0123456789abcdef", "xoxb-1234-5678-testtokenabcdef");
	connected(rp);
	fake_swallow_posts(rp->f, 1, 0);
	send_mention(rp->f, "env-lost1", "Ev-lost1", "C5", "410.1");
	assert_int_equal(fake_wait_count(rp->f, "swallowed", 1, 5000), 0);
	usleep(3000 * 1000); /* longer than any retry delay */
	if (fake_count(rp->f, "post") != 1)
		dump_log(rp);
	assert_int_equal(fake_count(rp->f, "post"), 1);
	assert_int_equal(log_count(rp, "event=webapi_failed method=chat.postMessage lane=C5"), 1);
	assert_int_equal(log_count(rp, "outcome=unknown"), 1);
	assert_int_equal(log_count(rp, "event=webapi_retry"), 0);
	/* HTTP 500 (internal_error: "some aspect may have succeeded"): no retry either */
	fake_fail_posts(rp->f, 1, 500);
	send_mention(rp->f, "env-lost2", "Ev-lost2", "C5", "410.2");
	assert_int_equal(fake_wait_count(rp->f, "post5xx", 1, 5000), 0);
	usleep(2500 * 1000);
	assert_int_equal(fake_count(rp->f, "post"), 1);
	assert_int_equal(log_count(rp, "outcome=unknown"), 2);
	/* the channel goes on */
	send_mention(rp->f, "env-lost3", "Ev-lost3", "C5", "410.3");
	assert_int_equal(fake_wait_count(rp->f, "post", 2, 5000), 0);
	stop(rp);
}

/* The case of the issue: the post times out (Slack took it, never
 * answered, 15 s). It is not sent again. */
static void
test_post_not_repeated_after_timeout(void **state)
{
	struct run *rp = &the_run;
	double t0 = 0;

	(void)state;
	start(rp, "xapp-1-A0TEST-1-0123456789abcdef", "xoxb-1234-5678-testtokenabcdef");
	connected(rp);
	fake_swallow_posts(rp->f, 1, 1);
	send_mention(rp->f, "env-to1", "Ev-to1", "C6", "420.1");
	assert_int_equal(fake_wait_count(rp->f, "swallowed", 1, 5000), 0);
	t0 = now_ms();
	while (log_count(rp, "event=webapi_failed") < 1 && now_ms() - t0 < 20000)
		usleep(100 * 1000);
	fprintf(stderr, "# post without an answer: given up after %.0f ms\n", now_ms() - t0);
	usleep(3000 * 1000); /* longer than any retry delay */
	if (fake_count(rp->f, "post") != 1)
		dump_log(rp);
	assert_int_equal(fake_count(rp->f, "post"), 1);
	assert_int_equal(log_count(rp, "method=chat.postMessage lane=C6 error=\"Timeout was reached\""), 1);
	assert_int_equal(log_count(rp, "outcome=unknown"), 1);
	send_mention(rp->f, "env-to2", "Ev-to2", "C6", "420.2");
	assert_int_equal(fake_wait_count(rp->f, "post", 2, 5000), 0);
	stop(rp);
}

/* A request that provably never reached anyone (connection refused) is
 * retried. */
static void
test_refused_connect_retried(void **state)
{
	struct run *rp = &the_run;
	double t0;

	(void)state;
	start(rp, "xapp-1-A0TEST-1-0123456789abcdef", "xoxb-1234-5678-testtokenabcdef");
	connected(rp);
	send_fmt(rp->f,
	         "{\"envelope_id\":\"env-refused\",\"type\":\"slash_commands\",\"accepts_response_payload\":false,"
	         "\"payload\":{\"channel_id\":\"C1\",\"user_id\":\"U1\",\"command\":\"/pmpo\",\"text\":\"help\","
	         "\"response_url\":\"http://127.0.0.1:1/response/refused\"}}");
	assert_int_equal(fake_wait_ack(rp->f, "env-refused", 3000, NULL, NULL), 0);
	t0 = now_ms();
	while (log_count(rp, "event=webapi_retry method=response_url") < 2 && now_ms() - t0 < 6000)
		usleep(100 * 1000);
	assert_int_equal(log_count(rp, "event=webapi_retry method=response_url lane=C1 "
	                               "error=\"Couldn't connect to server\" attempt=1 "), 1);
	assert_int_equal(log_count(rp, "event=webapi_retry method=response_url lane=C1 "
	                               "error=\"Couldn't connect to server\" attempt=2 "), 1);
	cleanup(rp); /* a SIGTERM would wait for the retries, up to the drain's 10 s */
}

/* SIGTERM with 30 answers queued behind a rate limit (1 post/s): they go
 * out for up to 10 s, the bot exits 0 well within systemd's
 * TimeoutStopSec=15s, and what is left is one log line with its count. */
static void
test_sigterm_drains_then_counts_drops(void **state)
{
	struct run *rp = &the_run;
	char env[32], ev[32], ts[32];
	double took = 0;
	int before, after;
	long dropped;

	(void)state;
	start(rp, "xapp-1-A0TEST-1-0123456789abcdef", "xoxb-1234-5678-testtokenabcdef");
	connected(rp);
	fake_set_rate_limit(rp->f, 1000);
	for (int i = 1; i <= 30; i++) {
		snprintf(env, sizeof(env), "env-dr%d", i);
		snprintf(ev, sizeof(ev), "Ev-dr%d", i);
		snprintf(ts, sizeof(ts), "600.%d", i);
		send_mention(rp->f, env, ev, "C8", ts);
	}
	assert_int_equal(fake_wait_ack(rp->f, "env-dr30", 3000, NULL, NULL), 0);
	assert_int_equal(fake_wait_count(rp->f, "post429", 1, 3000), 0);
	before = fake_count(rp->f, "post");
	kill(rp->pid, SIGTERM);
	assert_int_equal(wait_exit(rp, 15000, &took), 0);
	after = fake_count(rp->f, "post");
	dropped = log_last_num(rp, "event=webapi_dropped reason=shutdown count=");
	fprintf(stderr, "# SIGTERM with 30 answers queued at 1/s: exit after %.0f ms, %d posted during "
	        "the drain, %ld dropped\n", took, after - before, dropped);
	assert_true(took <= 13000);
	assert_true(after - before >= 6); /* about one a second for 10 s */
	assert_int_equal(log_count(rp, "event=webapi_dropped"), 1);
	assert_int_equal((int)dropped, 30 - after);
	assert_int_equal(log_count(rp, "event=shutdown reason=sigterm"), 1);
	stop(rp);
}

/* A flood into one channel fills only that channel's lane (100 answers);
 * the overflow is counted, not logged line by line, and another channel is
 * still answered at once. */
static void
test_flooded_channel_does_not_block_others(void **state)
{
	struct run *rp = &the_run;
	char env[32], ev[32], ts[32];
	int n = 110, found = 0;

	(void)state;
	start(rp, "xapp-1-A0TEST-1-0123456789abcdef", "xoxb-1234-5678-testtokenabcdef");
	connected(rp);
	fake_set_rate_limit(rp->f, 60000); /* C8 takes one post, then 429s */
	for (int i = 1; i <= n; i++) {
		snprintf(env, sizeof(env), "env-fl%d", i);
		snprintf(ev, sizeof(ev), "Ev-fl%d", i);
		snprintf(ts, sizeof(ts), "700.%d", i);
		send_mention(rp->f, env, ev, "C8", ts);
	}
	assert_int_equal(fake_wait_ack(rp->f, "env-fl110", 5000, NULL, NULL), 0);
	send_mention(rp->f, "env-fl-other", "Ev-fl-other", "C9", "701.1");
	if (fake_wait_count(rp->f, "post", 2, 3000) != 0)
		dump_log(rp);
	assert_int_equal(fake_wait_count(rp->f, "post", 2, 0), 0);
	for (int i = 0; i < fake_count(rp->f, "post"); i++) {
		cJSON *j = post_json(rp->f, i);
		found += strcmp(jstr(j, "channel"), "C9") == 0;
		cJSON_Delete(j);
	}
	assert_int_equal(found, 1);
	/* 10 refused: the first logged at once, the rest counted for later */
	assert_int_equal(log_count(rp, "event=webapi_dropped reason=outbox_full count=1 lane_full=1"), 1);
	assert_int_equal(log_count(rp, "event=webapi_dropped"), 1);
	assert_int_equal(log_count(rp, "event=reply_not_sent"), 0);
	cleanup(rp); /* a SIGTERM would wait out the drain */
}

/* ---- daily tips, users.info, the share button ---- */

/* Tue 2026-03-10 09:30:00 in Europe/Copenhagen (CET, UTC+1). */
#define TIP_T 1773131400L

static void
send_slash_as(struct fake *f, const char *env_id, const char *user, const char *channel,
              const char *text)
{
	send_fmt(f,
	         "{\"envelope_id\":\"%s\",\"type\":\"slash_commands\",\"accepts_response_payload\":true,"
	         "\"payload\":{\"team_id\":\"T1\",\"channel_id\":\"%s\",\"user_id\":\"%s\",\"command\":\"/pmpo\","
	         "\"text\":\"%s\",\"response_url\":\"http://127.0.0.1:%d/response/%s\",\"trigger_id\":\"t\"}}",
	         env_id, channel, user, text, fake_port(f), env_id);
}

/* The ack's payload, parsed (caller deletes the returned root). */
static cJSON *
ack_payload(struct run *r, const char *env_id, cJSON **root)
{
	char *ack = NULL;
	cJSON *p;

	if (fake_wait_ack(r->f, env_id, 3000, &ack, NULL) != 0)
		dump_log(r);
	assert_non_null(ack);
	*root = cJSON_Parse(ack);
	free(ack);
	assert_non_null(*root);
	p = cJSON_GetObjectItemCaseSensitive(*root, "payload");
	return p;
}

/* All the text of a message (fallback and every block), for searching. */
static char *
msg_text(const cJSON *msg)
{
	return cJSON_PrintUnformatted(msg);
}

/* Starts the testclock bot with its clock at now_epoch, ticking every 300 ms. */
static void
spawn_clock(struct run *r, long now_epoch, int fresh)
{
	static char now_env[64];
	struct opts o = {.bin = testclock_path, .env = {now_env, "PMPO_TEST_TICK_MS=300"}};

	snprintf(now_env, sizeof(now_env), "PMPO_TEST_NOW=%ld", now_epoch);
	if (fresh)
		start_opts(r, "xapp-1-A0TEST-1-0123456789abcdef", "xoxb-1234-5678-testtokenabcdef", &o);
	else
		spawn(r, "xapp-1-A0TEST-1-0123456789abcdef", "xoxb-1234-5678-testtokenabcdef", &o);
}

/* Checks that post i is a daily tip for channel: one of the knowledge
 * base's tips, with its role tag and its source article's title. */
static void
check_tip_post(struct run *r, int i, const char *channel)
{
	cJSON *j = post_json(r->f, i), *blocks, *b0, *ctx;
	const char *sec;
	char want[4096], title[1024];
	const struct kb_tip *tip = NULL;
	char *ctxs;

	assert_string_equal(jstr(j, "channel"), channel);
	blocks = cJSON_GetObjectItemCaseSensitive(j, "blocks");
	assert_true(cJSON_GetArraySize(blocks) >= 2);
	b0 = cJSON_GetArrayItem(blocks, 0);
	assert_string_equal(jstr(b0, "type"), "section");
	sec = jstr(cJSON_GetObjectItemCaseSensitive(b0, "text"), "text");
	assert_non_null(sec);
	for (size_t k = 0; k < kb_ntips && tip == NULL; k++) {
		blockkit_mrkdwn(kb_tips[k].text, want, sizeof(want));
		if (strstr(sec, want) != NULL)
			tip = &kb_tips[k];
	}
	assert_non_null(tip);
	assert_non_null(strstr(sec, tip->role == KB_ROLE_PM ? "`PM`" : tip->role == KB_ROLE_PO ? "`PO`"
	                                                                                  : "`PM+PO`"));
	ctx = cJSON_GetArrayItem(blocks, 1);
	assert_string_equal(jstr(ctx, "type"), "context");
	ctxs = strdup(jstr(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(ctx, "elements"), 0), "text"));
	assert_non_null(ctxs);
	assert_non_null(tip->sources[0]);
	assert_non_null(kb_source_find(tip->sources[0]));
	blockkit_mrkdwn(kb_source_find(tip->sources[0])->title, title, sizeof(title));
	assert_non_null(strstr(ctxs, "Source: "));
	assert_non_null(strstr(ctxs, title));
	free(ctxs);
	cJSON_Delete(j);
}

static void
test_daily_tip_posted_once_across_restart(void **state)
{
	struct run *rp = &the_run;
	cJSON *root, *p;
	char *t;

	(void)state;
	spawn_clock(rp, TIP_T - 8, 1); /* 09:29:52 */
	connected(rp);
	send_slash(rp->f, "env-tips-on", "tips on 09:30 Europe/Copenhagen");
	p = ack_payload(rp, "env-tips-on", &root);
	t = msg_text(p);
	assert_non_null(strstr(t, "Daily tips are on"));
	assert_non_null(strstr(t, "09:30"));
	assert_non_null(strstr(t, "Europe/Copenhagen"));
	assert_null(strstr(t, BK_SHARE_ACTION)); /* a subscription is not for sharing */
	free(t);
	cJSON_Delete(root);
	assert_int_equal(fake_count(rp->f, "usersinfo"), 0); /* the zone was typed */
	assert_int_equal(fake_count(rp->f, "post"), 0);
	if (fake_wait_count(rp->f, "post", 1, 15000) != 0)
		dump_log(rp);
	assert_int_equal(fake_count(rp->f, "post"), 1);
	check_tip_post(rp, 0, "C1");
	usleep(1500 * 1000); /* five more ticks */
	assert_int_equal(fake_count(rp->f, "post"), 1);
	/* restart on the same state, later the same local day */
	kill(rp->pid, SIGTERM);
	assert_int_equal(wait_exit(rp, 5000, NULL), 0);
	spawn_clock(rp, TIP_T + 120, 0);
	if (fake_wait_hellos(rp->f, 2, 5000) != 0)
		dump_log(rp);
	assert_int_equal(fake_wait_hellos(rp->f, 2, 0), 0);
	usleep(1500 * 1000);
	assert_int_equal(fake_count(rp->f, "post"), 1);
	/* the restarted bot knows the day is done */
	send_slash(rp->f, "env-tips-show", "tips");
	p = ack_payload(rp, "env-tips-show", &root);
	t = msg_text(p);
	assert_non_null(strstr(t, "Last tip: 2026-03-10"));
	assert_non_null(strstr(t, "2026-03-11 09:30"));
	free(t);
	cJSON_Delete(root);
	stop(rp);
}

static void
test_tips_on_uses_users_timezone(void **state)
{
	struct run *rp = &the_run;
	cJSON *root, *p, *j;
	char *resp, *ack = NULL, *t;

	(void)state;
	start(rp, "xapp-1-A0TEST-1-0123456789abcdef", "xoxb-1234-5678-testtokenabcdef");
	fake_set_user_tz(rp->f, "U1", "America/New_York");
	connected(rp);
	send_slash(rp->f, "env-tz1", "tips on 07:15 weekdays");
	/* acked at once, without a payload: the answer needs users.info */
	assert_int_equal(fake_wait_ack(rp->f, "env-tz1", 3000, &ack, NULL), 0);
	j = cJSON_Parse(ack);
	assert_null(cJSON_GetObjectItemCaseSensitive(j, "payload"));
	cJSON_Delete(j);
	free(ack);
	if (fake_wait_count(rp->f, "response", 1, 5000) != 0)
		dump_log(rp);
	assert_int_equal(fake_count(rp->f, "usersinfo"), 1);
	resp = fake_response(rp->f, 0);
	assert_non_null(resp);
	j = cJSON_Parse(resp);
	assert_non_null(j);
	assert_string_equal(jstr(j, "response_type"), "ephemeral");
	t = msg_text(j);
	assert_non_null(strstr(t, "Daily tips are on"));
	assert_non_null(strstr(t, "07:15"));
	assert_non_null(strstr(t, "America/New_York"));
	assert_non_null(strstr(t, "your timezone"));
	free(t);
	cJSON_Delete(j);
	free(resp);
	/* the zone is remembered: the next one is answered in the ack */
	send_slash(rp->f, "env-tz2", "tips on 08:00");
	p = ack_payload(rp, "env-tz2", &root);
	t = msg_text(p);
	assert_non_null(strstr(t, "America/New_York"));
	free(t);
	cJSON_Delete(root);
	assert_int_equal(fake_count(rp->f, "usersinfo"), 1);
	/* a user Slack knows no zone for gets the configured default (UTC) */
	send_slash_as(rp->f, "env-tz3", "U9", "C2", "tips on 10:00");
	if (fake_wait_count(rp->f, "response", 2, 5000) != 0)
		dump_log(rp);
	resp = fake_response(rp->f, 1);
	assert_non_null(resp);
	assert_non_null(strstr(resp, "(UTC)"));
	assert_non_null(strstr(resp, "default timezone"));
	free(resp);
	assert_int_equal(fake_count(rp->f, "usersinfo"), 2);
	stop(rp);
}

/* Sends a press of a share button with this block_id and value, as Slack
 * does for an ephemeral message; its response_url is /response/share<resp_no>. */
static void
send_share_press(struct run *r, const char *env_id, const char *block_id, const char *value,
                 int resp_no)
{
	send_fmt(r->f,
	         "{\"envelope_id\":\"%s\",\"type\":\"interactive\",\"accepts_response_payload\":false,"
	         "\"payload\":{\"type\":\"block_actions\",\"user\":{\"id\":\"U1\",\"username\":\"u\"},"
	         "\"team\":{\"id\":\"T1\"},\"channel\":{\"id\":\"C1\",\"name\":\"general\"},"
	         "\"container\":{\"type\":\"message\",\"is_ephemeral\":true,\"channel_id\":\"C1\"},"
	         "\"trigger_id\":\"t\",\"response_url\":\"http://127.0.0.1:%d/response/share%d\","
	         "\"actions\":[{\"type\":\"button\",\"action_id\":\"%s\",\"block_id\":\"%s\","
	         "\"value\":\"%s\",\"action_ts\":\"1.2\"}]}}",
	         env_id, fake_port(r->f), resp_no, BK_SHARE_ACTION, block_id, value);
}

/* The share button in an ack's payload: its block_id and value (owned by payload). */
static void
share_button(const cJSON *payload, const char **block_id, const char **value)
{
	const cJSON *blocks = cJSON_GetObjectItemCaseSensitive(payload, "blocks"), *b, *btn = NULL;

	*block_id = NULL;
	cJSON_ArrayForEach(b, blocks)
		if (strcmp(jstr(b, "type"), "actions") == 0) {
			*block_id = jstr(b, "block_id");
			btn = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(b, "elements"), 0);
		}
	assert_non_null(btn);
	assert_non_null(*block_id);
	assert_string_equal(jstr(btn, "action_id"), BK_SHARE_ACTION);
	*value = jstr(btn, "value");
	assert_non_null(*value);
}

/* Presses the share button found in an ack's payload. */
static void
press_share(struct run *r, const char *env_id, const cJSON *payload, int resp_no)
{
	const char *block_id, *value;

	share_button(payload, &block_id, &value);
	send_share_press(r, env_id, block_id, value, resp_no);
}

static void
test_share_button_posts_in_channel(void **state)
{
	struct run *rp = &the_run;
	cJSON *root, *p, *j, *b;
	char *resp;
	double lat = -1;
	const char *cmds[] = {"compare", "tip po"};

	(void)state;
	start(rp, "xapp-1-A0TEST-1-0123456789abcdef", "xoxb-1234-5678-testtokenabcdef");
	connected(rp);
	for (int k = 0; k < 2; k++) {
		char env_id[32], press_id[32];
		snprintf(env_id, sizeof(env_id), "env-share-%d", k);
		snprintf(press_id, sizeof(press_id), "env-press-%d", k);
		send_slash(rp->f, env_id, cmds[k]);
		p = ack_payload(rp, env_id, &root);
		assert_string_equal(jstr(p, "response_type"), "ephemeral");
		press_share(rp, press_id, p, k);
		assert_int_equal(fake_wait_ack(rp->f, press_id, 3000, NULL, &lat), 0);
		fprintf(stderr, "# share button ack latency: %.2f ms\n", lat);
		assert_true(lat >= 0 && lat < 3000);
		if (fake_wait_count(rp->f, "response", k + 1, 5000) != 0)
			dump_log(rp);
		resp = fake_response(rp->f, k);
		assert_non_null(resp);
		j = cJSON_Parse(resp);
		assert_non_null(j);
		assert_string_equal(jstr(j, "response_type"), "in_channel");
		assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "delete_original")));
		/* the same answer the user saw (a tip too: its seed rides in the button) */
		assert_string_equal(jstr(j, "text"), jstr(p, "text"));
		assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(j, "blocks")) + 1,
		                 cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(p, "blocks")));
		cJSON_ArrayForEach(b, cJSON_GetObjectItemCaseSensitive(j, "blocks"))
			assert_string_not_equal(jstr(b, "type"), "actions");
		cJSON_Delete(j);
		free(resp);
		cJSON_Delete(root);
	}
	/* forged presses: test_forged_share_changes_nothing_public */
	assert_int_equal(log_count(rp, "event=share_refused"), 0);
	stop(rp);
}

/* A press whose value is not what the bot put on that button (garbage, or a
 * real button's block_id with another command) changes nothing public: it
 * is acked, the clicker is told privately on the response_url, and logged. */
static void
test_forged_share_changes_nothing_public(void **state)
{
	struct run *rp = &the_run;
	cJSON *root, *p, *j;
	const char *block_id, *value;
	char *resp;
	struct {
		const char *env_id, *block_id, *value;
	} forged[4] = {
		{"env-forged-garbage", "pmpo_share:1", "qwzx garbage 123"},
		{"env-forged-noblock", "", "compare"},
		{"env-forged-other", NULL, "po"},      /* a real button's block_id, another value */
		{"env-forged-action", NULL, "tips off"},
	};

	(void)state;
	start(rp, "xapp-1-A0TEST-1-0123456789abcdef", "xoxb-1234-5678-testtokenabcdef");
	connected(rp);
	send_slash(rp->f, "env-real", "compare");
	p = ack_payload(rp, "env-real", &root);
	share_button(p, &block_id, &value);
	forged[2].block_id = forged[3].block_id = block_id;
	for (int k = 0; k < 4; k++) {
		send_share_press(rp, forged[k].env_id, forged[k].block_id, forged[k].value, k);
		assert_int_equal(fake_wait_ack(rp->f, forged[k].env_id, 3000, NULL, NULL), 0);
		if (fake_wait_count(rp->f, "response", k + 1, 5000) != 0)
			dump_log(rp);
		resp = fake_response(rp->f, k);
		assert_non_null(resp);
		j = cJSON_Parse(resp);
		assert_non_null(j);
		/* private, and the private answer the button sits on stays */
		assert_string_equal(jstr(j, "response_type"), "ephemeral");
		assert_false(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "delete_original")));
		assert_true(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(j, "replace_original")));
		assert_non_null(strstr(jstr(j, "text"), "nothing was shared"));
		cJSON_Delete(j);
		free(resp);
	}
	/* the genuine button still works */
	send_share_press(rp, "env-genuine", block_id, value, 9);
	assert_int_equal(fake_wait_ack(rp->f, "env-genuine", 3000, NULL, NULL), 0);
	assert_int_equal(fake_wait_count(rp->f, "response", 5, 5000), 0);
	resp = fake_response(rp->f, 4);
	assert_non_null(resp);
	j = cJSON_Parse(resp);
	assert_non_null(j);
	assert_string_equal(jstr(j, "response_type"), "in_channel");
	assert_string_equal(jstr(j, "text"), jstr(p, "text"));
	cJSON_Delete(j);
	free(resp);
	cJSON_Delete(root);
	usleep(200000);
	assert_int_equal(fake_count(rp->f, "response"), 5);
	assert_int_equal(fake_count(rp->f, "post"), 0);
	assert_int_equal(fake_count(rp->f, "ephemeral"), 0);
	assert_int_equal(log_count(rp, "event=share_refused"), 4);
	assert_int_equal(log_count(rp, "event=share_posted"), 1);
	stop(rp);
}

/* ---- feedback buttons ---- */

/* A DM from U2 with this text (no quotes or backslashes in it). */
static void
send_dm_text(struct fake *f, const char *env_id, const char *event_id, const char *text)
{
	char ev[1024];

	snprintf(ev, sizeof(ev),
	         "{\"type\":\"message\",\"channel\":\"D1\",\"channel_type\":\"im\",\"text\":\"%s\","
	         "\"ts\":\"400.1\",\"user\":\"U2\"}", text);
	send_event(f, env_id, event_id, 0, ev);
}

/* The feedback actions block of a message, or NULL. */
static const cJSON *
feedback_block(const cJSON *msg)
{
	const cJSON *b;

	cJSON_ArrayForEach(b, cJSON_GetObjectItemCaseSensitive(msg, "blocks")) {
		const char *id = jstr(b, "block_id");
		if (strcmp(jstr(b, "type"), "actions") == 0 && id != NULL && strncmp(id, "pmpo_fb:", 8) == 0)
			return b;
	}
	return NULL;
}

/* Presses a feedback button as Slack does: on a posted message (message_ts
 * given) or an ephemeral one (NULL); response_url /response/fb<resp_no>. */
static void
send_feedback_press(struct run *r, const char *env_id, const char *user, const char *channel,
                    const char *action_id, const char *block_id, const char *value,
                    const char *message_ts, int resp_no)
{
	char cont[256];

	if (message_ts != NULL)
		snprintf(cont, sizeof(cont), "{\"type\":\"message\",\"message_ts\":\"%s\",\"channel_id\":\"%s\","
		         "\"is_ephemeral\":false}", message_ts, channel);
	else
		snprintf(cont, sizeof(cont), "{\"type\":\"message\",\"message_ts\":\"1.5\",\"channel_id\":\"%s\","
		         "\"is_ephemeral\":true}", channel);
	send_fmt(r->f,
	         "{\"envelope_id\":\"%s\",\"type\":\"interactive\",\"accepts_response_payload\":false,"
	         "\"payload\":{\"type\":\"block_actions\",\"user\":{\"id\":\"%s\",\"username\":\"u\"},"
	         "\"team\":{\"id\":\"T1\"},\"channel\":{\"id\":\"%s\",\"name\":\"x\"},\"container\":%s,"
	         "\"trigger_id\":\"t\",\"response_url\":\"http://127.0.0.1:%d/response/fb%d\","
	         "\"actions\":[{\"type\":\"button\",\"action_id\":\"%s\",\"block_id\":\"%s\","
	         "\"value\":\"%s\",\"action_ts\":\"1.2\"}]}}",
	         env_id, user, channel, cont, fake_port(r->f), resp_no, action_id, block_id, value);
}

/* Runs "pmpo-bot report --json" on r's state dir; the parsed object (or
 * NULL when the exit code is not 0). */
static cJSON *
report_json(struct run *r, int *exit_code)
{
	char cmd[512], *out = NULL;
	size_t cap = 0, n = 0;
	FILE *p;
	cJSON *j = NULL;
	int st;

	snprintf(cmd, sizeof(cmd), "PMPO_STATE_DIR=%s '%s' --config %s/bot.conf report --json", r->dir,
	         bot_path, r->dir);
	p = popen(cmd, "r");
	assert_non_null(p);
	for (;;) {
		if (n + 4096 > cap) {
			cap = cap ? cap * 2 : 8192;
			out = realloc(out, cap);
			assert_non_null(out);
		}
		size_t got = fread(out + n, 1, cap - n - 1, p);
		if (got == 0)
			break;
		n += got;
	}
	out[n] = '\0';
	st = pclose(p);
	*exit_code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	if (*exit_code == 0)
		j = cJSON_Parse(out);
	if (*exit_code == 0 && j == NULL)
		fprintf(stderr, "# report output: %s\n", out);
	free(out);
	return j;
}

/* The 👍/👎 counts of topic in a report, or -1s when absent. */
static void
report_votes(const cJSON *rep, const char *topic, int *up, int *down)
{
	const cJSON *t;

	*up = *down = -1;
	cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(rep, "votes_by_topic"))
		if (strcmp(jstr(t, "topic"), topic) == 0) {
			*up = (int)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(t, "helpful"));
			*down = (int)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(t, "not_right"));
		}
}

/* A DM answer carries both buttons; a 👎 is acked at once, saved, and the
 * message updated (chat.update, same ts) to show it without buttons; a
 * second press by the same user replaces the vote; tips and help get no
 * buttons. */
static void
test_feedback_vote_on_dm_answer(void **state)
{
	struct run *rp = &the_run;
	const cJSON *fb, *b, *els;
	cJSON *post, *up;
	const char *block_id, *value;
	char *s;
	double lat = -1;
	int n;

	(void)state;
	start(rp, "xapp-1-A0TEST-1-0123456789abcdef", "xoxb-1234-5678-testtokenabcdef");
	connected(rp);
	send_dm_text(rp->f, "env-q", "Ev-q", "who owns the product backlog?");
	assert_int_equal(fake_wait_ack(rp->f, "env-q", 3000, NULL, NULL), 0);
	if (fake_wait_count(rp->f, "post", 1, 5000) != 0)
		dump_log(rp);
	post = post_json(rp->f, 0);
	fb = feedback_block(post);
	assert_non_null(fb);
	els = cJSON_GetObjectItemCaseSensitive(fb, "elements");
	assert_int_equal(cJSON_GetArraySize(els), 2);
	assert_string_equal(jstr(cJSON_GetArrayItem(els, 0), "action_id"), BK_FEEDBACK_UP);
	assert_string_equal(jstr(cJSON_GetArrayItem(els, 1), "action_id"), BK_FEEDBACK_DOWN);
	assert_non_null(strstr(jstr(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(els, 0), "text"),
	                            "text"), "Helpful"));
	assert_non_null(strstr(jstr(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(els, 1), "text"),
	                            "text"), "Not right"));
	block_id = jstr(fb, "block_id");
	value = jstr(cJSON_GetArrayItem(els, 1), "value");
	assert_string_equal(value, "who owns the product backlog?");

	/* 👎 */
	send_feedback_press(rp, "env-down", "U2", "D1", BK_FEEDBACK_DOWN, block_id, value,
	                    "1700000001.000100", 0);
	assert_int_equal(fake_wait_ack(rp->f, "env-down", 3000, NULL, &lat), 0);
	fprintf(stderr, "# feedback ack latency: %.2f ms\n", lat);
	assert_true(lat >= 0 && lat <= 3000);
	if (fake_wait_count(rp->f, "update", 1, 5000) != 0)
		dump_log(rp);
	s = fake_update(rp->f, 0);
	assert_non_null(s);
	up = cJSON_Parse(s);
	free(s);
	assert_non_null(up);
	assert_string_equal(jstr(up, "channel"), "D1");
	assert_string_equal(jstr(up, "ts"), "1700000001.000100");
	assert_string_equal(jstr(up, "text"), jstr(post, "text"));
	cJSON_ArrayForEach(b, cJSON_GetObjectItemCaseSensitive(up, "blocks"))
		assert_string_not_equal(jstr(b, "type"), "actions"); /* no second invitation */
	s = cJSON_PrintUnformatted(up);
	assert_non_null(strstr(s, "not right"));
	free(s);
	cJSON_Delete(up);
	/* committed before the update: the report sees it */
	{
		int rc, u, d;
		cJSON *rep = report_json(rp, &rc);
		assert_int_equal(rc, 0);
		assert_non_null(rep);
		report_votes(rep, "po-backlog", &u, &d);
		assert_int_equal(u, 0);
		assert_int_equal(d, 1);
		n = cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(rep, "votes_by_topic"));
		assert_int_equal(n, 1);
		b = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(rep, "votes_by_topic"), 0);
		assert_int_equal((int)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(b, "not_right")), 1);
		assert_int_equal((int)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(b, "helpful")), 0);
		b = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(rep, "not_right_questions"), 0);
		assert_non_null(b);
		assert_string_equal(jstr(b, "question"), "who owns the product backlog?");
		cJSON_Delete(rep);
	}
	/* a second press by the same user on the same answer replaces the vote */
	send_feedback_press(rp, "env-up", "U2", "D1", BK_FEEDBACK_UP, block_id, value,
	                    "1700000001.000100", 1);
	assert_int_equal(fake_wait_ack(rp->f, "env-up", 3000, NULL, NULL), 0);
	assert_int_equal(fake_wait_count(rp->f, "update", 2, 5000), 0);
	{
		int rc;
		cJSON *rep = report_json(rp, &rc);
		assert_int_equal(rc, 0);
		assert_non_null(rep);
		assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(rep, "votes_by_topic")), 1);
		b = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(rep, "votes_by_topic"), 0);
		assert_int_equal((int)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(b, "not_right")), 0);
		assert_int_equal((int)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(b, "helpful")), 1);
		assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(rep, "not_right_questions")), 0);
		cJSON_Delete(rep);
	}
	assert_int_equal(log_count(rp, "event=feedback_saved"), 2);
	assert_int_equal(log_count(rp, "replaced=1"), 1);
	cJSON_Delete(post);

	/* tips and help: no buttons */
	send_dm_text(rp->f, "env-tip", "Ev-tip", "tip po");
	send_dm_text(rp->f, "env-help", "Ev-help", "help");
	assert_int_equal(fake_wait_count(rp->f, "post", 3, 5000), 0);
	for (int i = 1; i < 3; i++) {
		post = post_json(rp->f, i);
		assert_null(feedback_block(post));
		cJSON_Delete(post);
	}
	stop(rp);
}

/* kill -9 the moment the vote's confirmation (the chat.update) reaches
 * Slack: the vote was committed before it, so it is in the report. */
static void
test_vote_survives_kill_9(void **state)
{
	struct run *rp = &the_run;
	const cJSON *fb, *els;
	cJSON *post, *rep;
	int rc, up = -1, down = -1;

	(void)state;
	start(rp, "xapp-1-A0TEST-1-0123456789abcdef", "xoxb-1234-5678-testtokenabcdef");
	connected(rp);
	send_dm_text(rp->f, "env-k9", "Ev-k9", "who writes the acceptance criteria?");
	assert_int_equal(fake_wait_ack(rp->f, "env-k9", 3000, NULL, NULL), 0);
	if (fake_wait_count(rp->f, "post", 1, 5000) != 0)
		dump_log(rp);
	post = post_json(rp->f, 0);
	fb = feedback_block(post);
	assert_non_null(fb);
	els = cJSON_GetObjectItemCaseSensitive(fb, "elements");
	send_feedback_press(rp, "env-k9-down", "U7", "D1", BK_FEEDBACK_DOWN, jstr(fb, "block_id"),
	                    jstr(cJSON_GetArrayItem(els, 1), "value"), "1700000001.000100", 0);
	assert_int_equal(fake_wait_count(rp->f, "update", 1, 5000), 0);
	kill(rp->pid, SIGKILL);
	waitpid(rp->pid, NULL, 0);
	rp->pid = 0;
	cJSON_Delete(post);
	rep = report_json(rp, &rc);
	assert_int_equal(rc, 0);
	assert_non_null(rep);
	report_votes(rep, "po-user-stories", &up, &down);
	assert_int_equal(up, 0);
	assert_int_equal(down, 1);
	cJSON_Delete(rep);
}

/* An ephemeral /pmpo ask answer: the vote replaces the original through
 * the press's response_url. Forged presses (garbage, another question under
 * a real block_id, no block_id) are acked, told privately, change nothing. */
static void
test_feedback_ephemeral_and_forged(void **state)
{
	struct run *rp = &the_run;
	cJSON *root, *p, *j;
	const cJSON *fb;
	const char *block_id, *value;
	char *resp;
	int rc;
	struct {
		const char *env_id, *block_id, *value;
	} forged[3] = {
		{"env-fb-garbage", "pmpo_fb:1:00ff", "qwzx garbage"},
		{"env-fb-other", NULL, "who writes the user stories?"},
		{"env-fb-noblock", "", "ask who owns the product backlog?"},
	};

	(void)state;
	start(rp, "xapp-1-A0TEST-1-0123456789abcdef", "xoxb-1234-5678-testtokenabcdef");
	connected(rp);
	send_slash(rp->f, "env-ask", "ask who owns the product backlog?");
	p = ack_payload(rp, "env-ask", &root);
	assert_string_equal(jstr(p, "response_type"), "ephemeral");
	fb = feedback_block(p);
	assert_non_null(fb);
	block_id = jstr(fb, "block_id");
	value = jstr(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(fb, "elements"), 0), "value");
	forged[1].block_id = block_id;
	for (int k = 0; k < 3; k++) {
		send_feedback_press(rp, forged[k].env_id, "U1", "C1", BK_FEEDBACK_DOWN, forged[k].block_id,
		                    forged[k].value, NULL, k);
		assert_int_equal(fake_wait_ack(rp->f, forged[k].env_id, 3000, NULL, NULL), 0);
		if (fake_wait_count(rp->f, "response", k + 1, 5000) != 0)
			dump_log(rp);
		resp = fake_response(rp->f, k);
		assert_non_null(resp);
		j = cJSON_Parse(resp);
		free(resp);
		assert_non_null(j);
		assert_string_equal(jstr(j, "response_type"), "ephemeral");
		assert_true(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(j, "replace_original")));
		assert_non_null(strstr(jstr(j, "text"), "no vote was saved"));
		cJSON_Delete(j);
	}
	j = report_json(rp, &rc);
	assert_int_equal(rc, 0);
	assert_non_null(j);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(j, "votes_by_topic")), 0);
	cJSON_Delete(j);
	assert_int_equal(log_count(rp, "event=feedback_refused"), 3);

	/* the genuine press */
	send_feedback_press(rp, "env-fb-real", "U1", "C1", BK_FEEDBACK_UP, block_id, value, NULL, 9);
	assert_int_equal(fake_wait_ack(rp->f, "env-fb-real", 3000, NULL, NULL), 0);
	assert_int_equal(fake_wait_count(rp->f, "response", 4, 5000), 0);
	resp = fake_response(rp->f, 3);
	assert_non_null(resp);
	j = cJSON_Parse(resp);
	free(resp);
	assert_non_null(j);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "replace_original")));
	assert_string_equal(jstr(j, "text"), jstr(p, "text"));
	assert_null(feedback_block(j));
	cJSON_Delete(j);
	cJSON_Delete(root);
	assert_int_equal(fake_count(rp->f, "update"), 0);
	assert_int_equal(fake_count(rp->f, "post"), 0);
	assert_int_equal(log_count(rp, "event=feedback_saved"), 1);
	stop(rp);
}

/* Privacy: a declined question's text is kept for the report, except in
 * a DM; with question_log_days = 0 a vote is counted but its text is not
 * kept; the state file is 0600. */
static void
test_question_text_kept_only_where_allowed(void **state)
{
	struct run *rp = &the_run;
	struct opts o = {.conf_text = "question_log_days = 0\n"};
	cJSON *rep, *post;
	const cJSON *fb;
	char path[512];
	struct stat sb;
	int rc;

	(void)state;
	start(rp, "xapp-1-A0TEST-1-0123456789abcdef", "xoxb-1234-5678-testtokenabcdef");
	connected(rp);
	send_dm_text(rp->f, "env-dm-idk", "Ev-dm-idk", "what is the airspeed of a swallow?");
	send_slash(rp->f, "env-sl-idk", "ask what is the airspeed of a pigeon?");
	send_slash(rp->f, "env-sl-ok", "ask who owns the product backlog?");
	assert_int_equal(fake_wait_ack(rp->f, "env-sl-ok", 3000, NULL, NULL), 0);
	assert_int_equal(fake_wait_count(rp->f, "post", 1, 5000), 0);
	usleep(300000); /* the counts follow the answers */
	rep = report_json(rp, &rc);
	assert_int_equal(rc, 0);
	assert_non_null(rep);
	fb = cJSON_GetObjectItemCaseSensitive(rep, "totals");
	assert_int_equal((int)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(fb, "answered")), 1);
	assert_int_equal((int)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(fb, "declined")), 2);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(rep, "declined_questions")), 1);
	assert_string_equal(jstr(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(rep, "declined_questions"), 0),
	                         "question"), "ask what is the airspeed of a pigeon?");
	cJSON_Delete(rep);
	snprintf(path, sizeof(path), "%s/state.db", rp->dir);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	stop(rp);

	/* counts only */
	start_opts(rp, "xapp-1-A0TEST-1-0123456789abcdef", "xoxb-1234-5678-testtokenabcdef", &o);
	connected(rp);
	send_slash(rp->f, "env-sl-idk0", "ask what is the airspeed of a pigeon?");
	send_dm_text(rp->f, "env-q0", "Ev-q0", "who owns the product backlog?");
	assert_int_equal(fake_wait_count(rp->f, "post", 1, 5000), 0);
	post = post_json(rp->f, 0);
	fb = feedback_block(post);
	assert_non_null(fb);
	send_feedback_press(rp, "env-down0", "U2", "D1", BK_FEEDBACK_DOWN, jstr(fb, "block_id"),
	                    "who owns the product backlog?", "1700000001.000100", 0);
	assert_int_equal(fake_wait_count(rp->f, "update", 1, 5000), 0);
	cJSON_Delete(post);
	rep = report_json(rp, &rc);
	assert_int_equal(rc, 0);
	assert_non_null(rep);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(rep, "votes_by_topic")), 1);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(rep, "not_right_questions")), 0);
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(rep, "declined_questions")), 0);
	fb = cJSON_GetObjectItemCaseSensitive(rep, "totals");
	assert_int_equal((int)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(fb, "declined")), 1);
	cJSON_Delete(rep);
	stop(rp);
}

static void
test_tip_post_not_in_channel_pauses(void **state)
{
	struct run *rp = &the_run;
	cJSON *root, *p;
	char *t;

	(void)state;
	spawn_clock(rp, TIP_T - 8, 1);
	fake_post_error(rp->f, "C404", "not_in_channel");
	connected(rp);
	send_slash_as(rp->f, "env-gone", "U1", "C404", "tips on 09:30 Europe/Copenhagen");
	p = ack_payload(rp, "env-gone", &root);
	cJSON_Delete(root);
	if (fake_wait_count(rp->f, "posterr", 1, 15000) != 0)
		dump_log(rp);
	assert_int_equal(fake_count(rp->f, "posterr"), 1);
	usleep(1500 * 1000); /* five more ticks: no retry */
	assert_int_equal(fake_count(rp->f, "posterr"), 1);
	assert_int_equal(fake_count(rp->f, "post"), 0);
	assert_int_equal(log_count(rp, "event=tips_paused channel=C404 reason=not_in_channel"), 1);
	send_slash_as(rp->f, "env-gone-show", "U1", "C404", "tips");
	p = ack_payload(rp, "env-gone-show", &root);
	t = msg_text(p);
	assert_non_null(strstr(t, "paused"));
	assert_non_null(strstr(t, "not_in_channel"));
	free(t);
	cJSON_Delete(root);
	stop(rp);
}

/* A daily tip that may have reached Slack (no answer came) counts as
 * posted: later ticks do not post it again. */
static void
test_tip_post_not_repeated_after_lost_answer(void **state)
{
	struct run *rp = &the_run;
	cJSON *root;

	(void)state;
	spawn_clock(rp, TIP_T - 8, 1);
	connected(rp);
	fake_swallow_posts(rp->f, 1, 0);
	send_slash_as(rp->f, "env-tiplost", "U1", "C77", "tips on 09:30 Europe/Copenhagen");
	(void)ack_payload(rp, "env-tiplost", &root);
	cJSON_Delete(root);
	if (fake_wait_count(rp->f, "swallowed", 1, 15000) != 0)
		dump_log(rp);
	assert_int_equal(fake_count(rp->f, "swallowed"), 1);
	usleep(2000 * 1000); /* six more ticks */
	assert_int_equal(fake_count(rp->f, "post"), 1);
	assert_int_equal(log_count(rp, "event=tip_delivered channel=C77"), 1);
	assert_int_equal(log_count(rp, "outcome=unknown"), 2); /* webapi_failed, tip_delivered */
	stop(rp);
}

/* No usable state directory: tips say why, everything else still works. */
static void
test_tips_without_store_keep_running(void **state)
{
	struct run *rp = &the_run;
	struct opts o = {.env = {"PMPO_STATE_DIR=/dev/null/state"}};
	cJSON *root, *p;
	char *t;

	(void)state;
	start_opts(rp, "xapp-1-A0TEST-1-0123456789abcdef", "xoxb-1234-5678-testtokenabcdef", &o);
	connected(rp);
	send_slash(rp->f, "env-nostore", "tips on 09:30 Europe/Copenhagen");
	p = ack_payload(rp, "env-nostore", &root);
	t = msg_text(p);
	assert_non_null(strstr(t, "Daily tips are not available"));
	free(t);
	cJSON_Delete(root);
	assert_int_equal(log_count(rp, "event=store_unavailable"), 1);
	probe(rp, "Ev-nostore", 1);
	stop(rp);
}

/* ---- operations: SIGHUP, sd_notify ---- */

static void
send_unhandled_event(struct fake *f, const char *id)
{
	send_event(f, id, id, 0, "{\"type\":\"reaction_added\",\"user\":\"U2\",\"reaction\":\"x\"}");
}

static void
write_conf(const struct run *r, const char *text)
{
	char conf[128];
	FILE *fp;

	snprintf(conf, sizeof(conf), "%s/bot.conf", r->dir);
	fp = fopen(conf, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

static void
test_sighup_reloads_log_level(void **state)
{
	struct run *rp = &the_run;
	struct opts o = {.conf_text = "log_level = info\ntips_timezone = UTC\n", .no_level_env = 1};
	char *resp;
	double t0;

	(void)state;
	start_opts(rp, "xapp-1-A0TEST-1-0123456789abcdef", "xoxb-1234-5678-testtokenabcdef", &o);
	connected(rp);
	send_unhandled_event(rp->f, "Ev-hup1");
	assert_int_equal(fake_wait_ack(rp->f, "Ev-hup1", 3000, NULL, NULL), 0);
	usleep(200000);
	assert_int_equal(log_count(rp, "level=debug"), 0);
	write_conf(rp, "log_level = debug\ntips_timezone = Asia/Kathmandu\n");
	kill(rp->pid, SIGHUP);
	t0 = now_ms();
	while (log_count(rp, "event=reloaded") < 1 && now_ms() - t0 < 3000)
		usleep(20000);
	assert_int_equal(log_count(rp, "event=reloaded log_level=debug"), 1);
	send_unhandled_event(rp->f, "Ev-hup2");
	assert_int_equal(fake_wait_ack(rp->f, "Ev-hup2", 3000, NULL, NULL), 0);
	usleep(200000);
	assert_true(log_count(rp, "level=debug event=event_ignored event_id=Ev-hup2") >= 1);
	/* the connection stayed: one socket, one hello, and it still answers */
	assert_int_equal(fake_count(rp->f, "hello"), 1);
	assert_int_equal(fake_count(rp->f, "ws"), 1);
	assert_int_equal(fake_count(rp->f, "open"), 1);
	probe(rp, "Ev-hup3", 1);
	/* the tips default changed too: a user without a Slack zone gets it */
	send_slash_as(rp->f, "env-hup4", "U5", "C5", "tips on 07:00");
	if (fake_wait_count(rp->f, "response", 1, 5000) != 0)
		dump_log(rp);
	resp = fake_response(rp->f, 0);
	assert_non_null(resp);
	assert_non_null(strstr(resp, "(Asia/Kathmandu)"));
	free(resp);
	stop(rp);
}

/* Datagrams received on s within timeout_ms, appended to acc (NUL-terminated);
 * returns when acc contains want, or at the deadline. 0 if found. */
static int
notify_wait(int s, char *acc, size_t cap, const char *want, int timeout_ms)
{
	double t0 = now_ms();

	while (strstr(acc, want) == NULL) {
		struct pollfd pfd = {s, POLLIN, 0};
		int left = timeout_ms - (int)(now_ms() - t0);
		char buf[1024];
		ssize_t n;
		size_t len = strlen(acc);
		if (left <= 0 || poll(&pfd, 1, left) <= 0)
			return -1;
		n = recv(s, buf, sizeof(buf) - 1, 0);
		if (n <= 0)
			continue;
		buf[n] = '\0';
		snprintf(acc + len, cap - len, "%s|", buf);
	}
	return 0;
}

static void
test_sd_notify_ready_status_watchdog_stopping(void **state)
{
	struct run *rp = &the_run;
	static char acc[16384], sockenv[160];
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	struct opts o = {.env = {sockenv, "WATCHDOG_USEC=1000000"}};
	int s, hellos_at_ready;
	char dir[64] = "/tmp/pmpo-ntf-XXXXXX";

	(void)state;
	acc[0] = '\0';
	assert_non_null(mkdtemp(dir));
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/notify.sock", dir);
	snprintf(sockenv, sizeof(sockenv), "NOTIFY_SOCKET=%s", sa.sun_path);
	s = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	assert_true(s >= 0);
	assert_int_equal(bind(s, (struct sockaddr *)&sa, sizeof(sa)), 0);
	start_opts(rp, "xapp-1-A0TEST-1-0123456789abcdef", "xoxb-1234-5678-testtokenabcdef", &o);
	if (notify_wait(s, acc, sizeof(acc), "READY=1", 5000) != 0)
		dump_log(rp);
	hellos_at_ready = fake_count(rp->f, "hello");
	fprintf(stderr, "# sd_notify so far: %s\n", acc);
	assert_non_null(strstr(acc, "READY=1"));
	assert_true(hellos_at_ready >= 1); /* READY only after the hello */
	assert_int_equal(notify_wait(s, acc, sizeof(acc), "STATUS=connected to fake-1", 2000), 0);
	/* WATCHDOG_USEC=1 s: a ping at least every 0.5 s */
	assert_int_equal(notify_wait(s, acc, sizeof(acc), "WATCHDOG=1", 2000), 0);
	assert_null(strstr(acc, "STOPPING=1"));
	kill(rp->pid, SIGTERM);
	assert_int_equal(notify_wait(s, acc, sizeof(acc), "STOPPING=1", 3000), 0);
	assert_int_equal(wait_exit(rp, 5000, NULL), 0);
	close(s);
	unlink(sa.sun_path);
	rmdir(dir);
	stop(rp);
}

/* Last: no bot log of this whole run (each test's captured stderr, scanned
 * in cleanup before the temp dir goes) holds a token's secret part. */
static void
test_no_token_in_any_log(void **state)
{
	char path[] = "/tmp/pmpo-tok-XXXXXX";
	int fd = mkstemp(path);

	(void)state;
	if (getenv("E2E_FILTER") != NULL)
		skip(); /* only meaningful after the whole run */
	/* the scanner itself finds a token when there is one */
	assert_true(fd >= 0);
	assert_true(write(fd, "level=info token=xoxb-1234-5678-testtokenabcdef\n", 48) == 48);
	close(fd);
	assert_int_equal(token_lines(path), 1);
	unlink(path);
	fprintf(stderr, "# bot logs scanned for tokens: %d, lines with a token: %d\n", logs_scanned,
	        token_leaks);
	assert_true(logs_scanned >= 20);
	assert_int_equal(token_leaks, 0);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_slash_compare_in_ack, teardown),
		cmocka_unit_test_teardown(test_mention_answered_in_thread, teardown),
		cmocka_unit_test_teardown(test_dm_answered, teardown),
		cmocka_unit_test_teardown(test_own_and_bot_messages_ignored, teardown),
		cmocka_unit_test_teardown(test_duplicate_event_answered_once, teardown),
		cmocka_unit_test_teardown(test_reconnect_on_refresh, teardown),
		cmocka_unit_test_teardown(test_reconnect_on_warning, teardown),
		cmocka_unit_test_teardown(test_reconnect_on_drop, teardown),
		cmocka_unit_test_teardown(test_reconnect_on_drop_during_handshake, teardown),
		cmocka_unit_test_teardown(test_handshake_without_hello_replaced, teardown),
		cmocka_unit_test_teardown(test_reconnect_on_dead_peer, teardown),
		cmocka_unit_test_teardown(test_malformed_frames, teardown),
		cmocka_unit_test_teardown(test_rate_limited_posts_all_arrive_in_order, teardown),
		cmocka_unit_test_teardown(test_slash_without_payload_uses_response_url, teardown),
		cmocka_unit_test_teardown(test_server_errors_retried, teardown),
		cmocka_unit_test_teardown(test_post_not_repeated_after_lost_answer, teardown),
		cmocka_unit_test_teardown(test_refused_connect_retried, teardown),
		cmocka_unit_test_teardown(test_slash_without_response_url_posts_ephemeral, teardown),
		cmocka_unit_test_teardown(test_flooded_channel_does_not_block_others, teardown),
		cmocka_unit_test_teardown(test_sigterm_flushes_outbox, teardown),
		cmocka_unit_test_teardown(test_sigterm_exits_zero_quickly, teardown),
		cmocka_unit_test_teardown(test_bad_bot_token_exits_4, teardown),
		cmocka_unit_test_teardown(test_bad_app_token_exits_4, teardown),
		cmocka_unit_test_teardown(test_link_disabled_exits_4, teardown),
		cmocka_unit_test_teardown(test_daily_tip_posted_once_across_restart, teardown),
		cmocka_unit_test_teardown(test_tips_on_uses_users_timezone, teardown),
		cmocka_unit_test_teardown(test_share_button_posts_in_channel, teardown),
		cmocka_unit_test_teardown(test_forged_share_changes_nothing_public, teardown),
		cmocka_unit_test_teardown(test_feedback_vote_on_dm_answer, teardown),
		cmocka_unit_test_teardown(test_feedback_ephemeral_and_forged, teardown),
		cmocka_unit_test_teardown(test_vote_survives_kill_9, teardown),
		cmocka_unit_test_teardown(test_question_text_kept_only_where_allowed, teardown),
		cmocka_unit_test_teardown(test_tip_post_not_in_channel_pauses, teardown),
		cmocka_unit_test_teardown(test_tip_post_not_repeated_after_lost_answer, teardown),
		cmocka_unit_test_teardown(test_tips_without_store_keep_running, teardown),
		cmocka_unit_test_teardown(test_sighup_reloads_log_level, teardown),
		cmocka_unit_test_teardown(test_sd_notify_ready_status_watchdog_stopping, teardown),
		cmocka_unit_test(test_no_token_in_any_log),
	};
	/* The tests that wait out real timeouts, as a second ctest entry so the
	 * two run side by side (about a minute each). */
	const struct CMUnitTest timing[] = {
		cmocka_unit_test_teardown(test_blackholed_link_replaced_at_defaults, teardown),
		cmocka_unit_test_teardown(test_receiving_link_never_declared_dead, teardown),
		cmocka_unit_test_teardown(test_stalled_tls_handshake_abandoned_at_defaults, teardown),
		cmocka_unit_test_teardown(test_too_many_websockets_backs_off, teardown),
		cmocka_unit_test_teardown(test_post_not_repeated_after_timeout, teardown),
		cmocka_unit_test_teardown(test_sigterm_drains_then_counts_drops, teardown),
	};

	if (argc < 3) {
		fprintf(stderr, "usage: %s PMPO_BOT PMPO_BOT_TESTCLOCK [timing]\n", argv[0]);
		return 2;
	}
	bot_path = argv[1];
	testclock_path = argv[2];
	if (getenv("E2E_FILTER") != NULL) /* e.g. E2E_FILTER='*drop*' to loop on one test */
		cmocka_set_test_filter(getenv("E2E_FILTER"));
	signal(SIGPIPE, SIG_IGN);
	if (argc > 3 && strcmp(argv[3], "timing") == 0)
		return cmocka_run_group_tests_name("slack_e2e_timing", timing, NULL, NULL);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
