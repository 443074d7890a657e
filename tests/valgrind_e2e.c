/* valgrind_e2e.c -- the real pmpo-bot under a wrapper (valgrind, from
 * tests/CMakeLists.txt) against the fake Slack: connect, 1 000 envelopes
 * (700 /pmpo slash commands, 300 mentions answered through
 * chat.postMessage), a refresh_requested disconnect, a dropped socket, 100
 * more envelopes after each reconnect, then SIGTERM. Passes when every
 * envelope was acked, every mention posted, and the wrapped command exits 0
 * (valgrind: --error-exitcode=1, so no memory errors and no definite leaks).
 *
 * Usage: valgrind_e2e LOGFILE WRAPPER... PMPO_BOT
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
	char dir[] = "/tmp/pmpo-vg-XXXXXX", conf[64], url[128], cmd[96];
	struct fake *f = NULL;
	int mentions = 0, m, st = 0, rc = 1;
	pid_t pid = -1;
	FILE *fp;

	if (argc < 3) {
		fprintf(stderr, "usage: valgrind_e2e LOGFILE WRAPPER... PMPO_BOT\n");
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
		execvp(av[0], av);
		_exit(127);
	}
	if (pid < 0 || fake_wait_hellos(f, 1, WAIT_MS) != 0) {
		fprintf(stderr, "valgrind_e2e: no hello\n");
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
	if (fake_wait_count(f, "post", mentions, WAIT_MS) != 0) {
		fprintf(stderr, "valgrind_e2e: %d of %d mentions posted\n", fake_count(f, "post"), mentions);
		goto out;
	}
	printf("valgrind_e2e: %d envelopes acked, %d posts, 2 reconnects\n", ENVELOPES + 2 * AFTER, mentions);
	kill(pid, SIGTERM);
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
