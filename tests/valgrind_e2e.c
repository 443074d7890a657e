/* valgrind_e2e.c -- the real daemon under a wrapper (valgrind, from
 * tests/CMakeLists.txt) against the fake Slack: connect, a daily-tips
 * subscription (/pmpo tips on), 1 000 envelopes (700 /pmpo slash commands,
 * 300 mentions answered through chat.postMessage) while the tip comes due and
 * is posted, a refresh_requested disconnect, a dropped socket, 100 more
 * envelopes after each reconnect, then answers queued behind a rate limit
 * and SIGTERM twice (the second ends the drain: the queued answers are
 * dropped). Passes when every envelope was acked, every mention and the one
 * tip posted, the drops counted in one line, and the wrapped command exits 0
 * (valgrind: --error-exitcode=1, so no memory errors and no definite leaks).
 *
 * The daemon is pmpo-bot-testclock: PMPO_TEST_NOW starts its tips clock
 * TIP_LEAD_S before a whole minute, so the tip is due a few seconds in.
 *
 * Usage: valgrind_e2e LOGFILE WRAPPER... PMPO_BOT_TESTCLOCK
 * Every wait is bounded; the whole run takes under two minutes. */
#define _DEFAULT_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fake_slack.h"

#define ENVELOPES 1000
#define AFTER 100 /* after each reconnect */
#define IN_FLIGHT 16
#define WAIT_MS 30000
#define TIP_MINUTE 1773131400L /* 2026-03-10 08:30:00 UTC */
#define TIP_LEAD_S 12          /* the bot's clock starts this long before it */
#define QUEUED 5               /* answers left queued at SIGTERM */

static double
now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Subscribes channel CTIP to daily tips at the first whole minute the bot's
 * clock (started at spawn, TIP_LEAD_S before TIP_MINUTE) has not yet passed,
 * with a margin; 0, or -1 if the command was not acked. */
static int
subscribe_tips(struct fake *f, double since_spawn_s)
{
	char buf[512];
	long at = TIP_MINUTE;

	while ((double)(TIP_MINUTE - TIP_LEAD_S) + since_spawn_s + 3 >= (double)at)
		at += 60;
	snprintf(buf, sizeof(buf),
	         "{\"envelope_id\":\"tips-on\",\"type\":\"slash_commands\",\"accepts_response_payload\":true,"
	         "\"payload\":{\"channel_id\":\"CTIP\",\"user_id\":\"U1\",\"command\":\"/pmpo\","
	         "\"text\":\"tips on %02ld:%02ld UTC\",\"response_url\":\"http://127.0.0.1:%d/response/tips\"}}",
	         at / 3600 % 24, at / 60 % 60, fake_port(f));
	if (fake_send_text(f, buf) != 0 || fake_wait_ack(f, "tips-on", WAIT_MS, NULL, NULL) != 0)
		return -1;
	printf("valgrind_e2e: tips on at %02ld:%02ld UTC, due %.0f s after the start\n", at / 3600 % 24,
	       at / 60 % 60, (double)(at - TIP_MINUTE + TIP_LEAD_S));
	return (int)(at - TIP_MINUTE + TIP_LEAD_S);
}

static int
send_one(struct fake *f, long seq)
{
	char buf[1024];
	int n;

	if (seq % 10 < 3)
		n = snprintf(buf, sizeof(buf),
		             "{\"envelope_id\":\"b%ld\",\"type\":\"events_api\",\"accepts_response_payload\":false,"
		             "\"retry_attempt\":0,\"payload\":{\"type\":\"event_callback\",\"event_id\":\"Ev%ld\","
		             "\"event\":{\"type\":\"app_mention\",\"user\":\"U2\",\"text\":\"<@UBOT> %s\","
		             "\"ts\":\"%ld.000100\",\"channel\":\"C%ld\"}}}",
		             seq, seq, seq % 20 ? "compare" : "who owns the backlog?", 1700000000L + seq, seq % 4);
	else
		n = snprintf(buf, sizeof(buf),
		             "{\"envelope_id\":\"b%ld\",\"type\":\"slash_commands\",\"accepts_response_payload\":true,"
		             "\"payload\":{\"channel_id\":\"C1\",\"user_id\":\"U1\",\"command\":\"/pmpo\","
		             "\"text\":\"%s\",\"response_url\":\"http://127.0.0.1:%d/response/%ld\"}}",
		             seq, seq % 7 ? "compare" : "help", fake_port(f), seq);
	return fake_bench_send(f, seq, buf, (size_t)n);
}

/* Sends seq [from, to), at most IN_FLIGHT unacked; returns mentions sent, or -1. */
static int
send_range(struct fake *f, long from, long to)
{
	int mentions = 0;

	for (long s = from; s < to; s++) {
		long need = s - IN_FLIGHT + 1;
		if (need > 0 && fake_bench_wait_acked(f, need, WAIT_MS) < need) {
			fprintf(stderr, "valgrind_e2e: envelope b%ld not acked\n", need - 1);
			return -1;
		}
		if (send_one(f, s) != 0) {
			fprintf(stderr, "valgrind_e2e: send b%ld failed\n", s);
			return -1;
		}
		mentions += s % 10 < 3;
	}
	if (fake_bench_wait_acked(f, to, WAIT_MS) < to) {
		fprintf(stderr, "valgrind_e2e: not all of b%ld..b%ld acked\n", from, to - 1);
		return -1;
	}
	return mentions;
}

static int
wait_exit(pid_t pid, int timeout_ms, int *status)
{
	for (int waited = 0; waited < timeout_ms; waited += 50) {
		if (waitpid(pid, status, WNOHANG) == pid)
			return 0;
		usleep(50000);
	}
	return -1;
}

int
main(int argc, char **argv)
{
	char dir[] = "/tmp/pmpo-vg-XXXXXX", conf[64], url[128], cmd[96], now_env[64];
	struct fake *f = NULL;
	int mentions = 0, m, st = 0, rc = 1, due_s;
	double spawned;
	pid_t pid = -1;
	FILE *fp;

	if (argc < 3) {
		fprintf(stderr, "usage: valgrind_e2e LOGFILE WRAPPER... PMPO_BOT_TESTCLOCK\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	if (mkdtemp(dir) == NULL || (f = fake_start()) == NULL ||
	    fake_bench_begin(f, ENVELOPES + 2 * AFTER) != 0)
		goto out;
	snprintf(conf, sizeof(conf), "%s/empty.conf", dir);
	if ((fp = fopen(conf, "w")) == NULL)
		goto out;
	fclose(fp);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/api/", fake_port(f));
	snprintf(now_env, sizeof(now_env), "%ld", TIP_MINUTE - TIP_LEAD_S);
	spawned = now_s();
	pid = fork();
	if (pid == 0) {
		int lfd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0600);
		char **av = calloc((size_t)argc + 3, sizeof(*av));
		int k = 0;
		if (lfd < 0 || dup2(lfd, 2) < 0 || av == NULL)
			_exit(126);
		close(lfd);
		for (int i = 2; i < argc; i++)
			av[k++] = argv[i];
		av[k++] = "--config";
		av[k++] = conf;
		av[k++] = "run";
		setenv("SLACK_APP_TOKEN", "xapp-1-A0TEST-1-0123456789abcdef", 1);
		setenv("SLACK_BOT_TOKEN", "xoxb-1234-5678-testtokenabcdef", 1);
		setenv("SLACK_API_URL", url, 1);
		setenv("PMPO_STATE_DIR", dir, 1);
		setenv("PMPO_LOG_LEVEL", "warn", 1);
		setenv("PMPO_TEST_NOW", now_env, 1);
		setenv("PMPO_TEST_TICK_MS", "300", 1);
		execvp(av[0], av);
		_exit(127);
	}
	if (pid < 0 || fake_wait_hellos(f, 1, WAIT_MS) != 0) {
		fprintf(stderr, "valgrind_e2e: no hello\n");
		goto out;
	}
	if ((due_s = subscribe_tips(f, now_s() - spawned)) < 0) {
		fprintf(stderr, "valgrind_e2e: tips on not acked\n");
		goto out;
	}
	if ((m = send_range(f, 0, ENVELOPES)) < 0)
		goto out;
	mentions += m;
	fake_bench_disconnect(f, "refresh_requested");
	if (fake_wait_hellos(f, 2, WAIT_MS) != 0 || (m = send_range(f, ENVELOPES, ENVELOPES + AFTER)) < 0) {
		fprintf(stderr, "valgrind_e2e: no service after refresh_requested\n");
		goto out;
	}
	mentions += m;
	fake_drop(f);
	if (fake_wait_hellos(f, 3, WAIT_MS) != 0 ||
	    (m = send_range(f, ENVELOPES + AFTER, ENVELOPES + 2 * AFTER)) < 0) {
		fprintf(stderr, "valgrind_e2e: no service after a dropped socket\n");
		goto out;
	}
	mentions += m;
	/* the tip: due due_s after the start; one post to CTIP, no more */
	while (fake_channel_posts(f, "CTIP") < 1 && now_s() - spawned < due_s + WAIT_MS / 1000)
		usleep(100000);
	if (fake_channel_posts(f, "CTIP") != 1) {
		fprintf(stderr, "valgrind_e2e: %d daily tips posted, want 1\n", fake_channel_posts(f, "CTIP"));
		goto out;
	}
	if (fake_wait_count(f, "post", mentions + 1, WAIT_MS) != 0) {
		fprintf(stderr, "valgrind_e2e: %d of %d mentions posted\n", fake_count(f, "post") - 1, mentions);
		goto out;
	}
	usleep(1000000); /* three more ticks: the day's tip is not posted again */
	if (fake_channel_posts(f, "CTIP") != 1 || fake_count(f, "post") != mentions + 1) {
		fprintf(stderr, "valgrind_e2e: posts after the tip: %d tips, %d posts\n",
		        fake_channel_posts(f, "CTIP"), fake_count(f, "post"));
		goto out;
	}
	printf("valgrind_e2e: %d envelopes acked, %d mention posts, 1 daily tip, 2 reconnects\n",
	       ENVELOPES + 2 * AFTER, mentions);
	/* answers stuck behind a rate limit, and one post that never gets an
	 * answer (in flight at the stop), then stop without waiting for them */
	fake_set_rate_limit(f, 60000);
	fake_swallow_posts(f, 1, 1);
	for (int i = 0; i < QUEUED; i++) {
		char buf[512], id[16];
		snprintf(id, sizeof(id), "q%d", i);
		snprintf(buf, sizeof(buf),
		         "{\"envelope_id\":\"%s\",\"type\":\"events_api\",\"payload\":{\"type\":\"event_callback\","
		         "\"event_id\":\"Evq%d\",\"event\":{\"type\":\"app_mention\",\"user\":\"U2\","
		         "\"text\":\"<@UBOT> compare\",\"ts\":\"9.%d\",\"channel\":\"%s\"}}}", id, i, i,
		         i == 0 ? "CHANG" : "CQ");
		if (fake_send_text(f, buf) != 0 || fake_wait_ack(f, id, WAIT_MS, NULL, NULL) != 0) {
			fprintf(stderr, "valgrind_e2e: queued answer %d not acked\n", i);
			goto out;
		}
	}
	if (fake_wait_count(f, "post429", 1, WAIT_MS) != 0 || fake_wait_count(f, "swallowed", 1, WAIT_MS) != 0) {
		fprintf(stderr, "valgrind_e2e: no answer waiting on the rate limit\n");
		goto out;
	}
	kill(pid, SIGTERM);
	usleep(500000);
	kill(pid, SIGTERM); /* again: stop now */
	if (wait_exit(pid, WAIT_MS, &st) != 0) {
		fprintf(stderr, "valgrind_e2e: no exit within %d ms of SIGTERM\n", WAIT_MS);
		goto out;
	}
	pid = -1;
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		fprintf(stderr, "valgrind_e2e: exit status %d (log: %s)\n",
		        WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st), argv[1]);
		goto out;
	}
	if ((fp = fopen(argv[1], "r")) != NULL) {
		char line[1024];
		int summaries = 0;
		while (fgets(line, sizeof(line), fp) != NULL)
			summaries += strstr(line, "event=webapi_dropped reason=shutdown count=4 in_flight=1") != NULL;
		fclose(fp);
		if (summaries != 1) {
			fprintf(stderr, "valgrind_e2e: %d shutdown summaries (count=4 in_flight=1) in the log, "
			        "want 1\n", summaries);
			goto out;
		}
	}
	rc = 0;
out:
	if (pid > 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
	if (f != NULL) {
		fake_bench_end(f, NULL, 0);
		fake_stop(f);
	}
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "valgrind_e2e: could not remove %s\n", dir);
	if (rc != 0 && (fp = fopen(argv[1], "r")) != NULL) {
		char line[1024];
		while (fgets(line, sizeof(line), fp) != NULL)
			if (strstr(line, "==") != NULL)
				fputs(line, stderr);
		fclose(fp);
	}
	return rc;
}
