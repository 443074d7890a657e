/* loadgen.c -- load generator for Socket Mode apps, built on the fake Slack
 * of the tests (tests/fake_slack.c). It starts the app under test (any
 * command: pmpo-bot, the Bolt anchor, ack_only) against the fake, waits for
 * hello, then sends envelopes with at most C unacked at a time and reports,
 * one key=value per line:
 *   start_to_hello_ms, envelopes, env_per_s, ack_p50_ms .. ack_max_ms,
 *   cpu_s and cpu_s_per_10k (the app's utime+stime during the load),
 *   vmhwm_kib (the app's peak RSS), posts (chat.postMessage received).
 * A mix (-m) sends that percentage of app_mention events, answered through
 * chat.postMessage, the rest /pmpo compare slash commands. Soak mode (-d)
 * sends at a steady rate for a duration, reconnects every -R seconds
 * (alternately refresh_requested and a dropped socket) and checks that the
 * app's RSS at the end is within 10 % of its RSS at the 5-minute mark.
 *
 * Usage: loadgen [-n N] [-c C] [-m PCT] [-w WARMUP] [-d SEC -r RATE -R SEC]
 *                [-L LOGFILE] -- COMMAND [ARGS...]
 * Exit: 0 when every envelope was acked (and, in soak, RSS stayed flat). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fake_slack.h"

#define APP_TOKEN "xapp-1-A0TEST-1-0123456789abcdef"
#define BOT_TOKEN "xoxb-1234-5678-testtokenabcdef"
#define ACK_WAIT_MS 10000
#define HELLO_WAIT_MS 30000

struct opts {
	long n, warmup;
	int c, mention_pct;
	int soak_s, rate, reconnect_s;
	const char *logfile;
	char **cmd;
};

static double
now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* utime+stime of pid in seconds, or -1. */
static double
proc_cpu_s(pid_t pid)
{
	char path[64], buf[2048], *p;
	unsigned long ut, st;
	FILE *fp;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if ((fp = fopen(path, "r")) == NULL)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	fclose(fp);
	buf[n] = '\0';
	if ((p = strrchr(buf, ')')) == NULL)
		return -1;
	/* after ")": state(3) ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime(14) stime(15) */
	if (sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) != 2)
		return -1;
	return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

/* A "VmHWM:" or "VmRSS:" figure of pid in KiB, or -1. */
static long
proc_kib(pid_t pid, const char *key)
{
	char path[64], line[256];
	size_t kl = strlen(key);
	long v = -1;
	FILE *fp;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if ((fp = fopen(path, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), fp) != NULL)
		if (strncmp(line, key, kl) == 0) {
			v = atol(line + kl);
			break;
		}
	fclose(fp);
	return v;
}

static pid_t
spawn(struct fake *f, const struct opts *o, const char *state_dir)
{
	char url[128];
	pid_t pid;

	snprintf(url, sizeof(url), "http://127.0.0.1:%d/api/", fake_port(f));
	pid = fork();
	if (pid != 0)
		return pid;
	{
		int lfd = open(o->logfile, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (lfd < 0 || dup2(lfd, 1) < 0 || dup2(lfd, 2) < 0)
			_exit(126);
		close(lfd);
	}
	setenv("SLACK_APP_TOKEN", APP_TOKEN, 1);
	setenv("SLACK_BOT_TOKEN", BOT_TOKEN, 1);
	setenv("SLACK_API_URL", url, 1);
	setenv("PMPO_STATE_DIR", state_dir, 1);
	setenv("PMPO_LOG_LEVEL", "warn", 0);
	execvp(o->cmd[0], o->cmd);
	_exit(127);
}

/* Envelope seq: a /pmpo compare slash command, or (mention) an app_mention. */
static int
envelope(long seq, int mention, int port, char *buf, size_t cap)
{
	if (mention)
		return snprintf(buf, cap,
		                "{\"envelope_id\":\"b%ld\",\"type\":\"events_api\",\"accepts_response_payload\":false,"
		                "\"retry_attempt\":0,\"retry_reason\":\"\",\"payload\":{\"type\":\"event_callback\","
		                "\"team_id\":\"T1\",\"event_id\":\"Ev%ld\",\"event_time\":1,\"event\":{"
		                "\"type\":\"app_mention\",\"user\":\"U2\",\"text\":\"<@UBOT> compare\","
		                "\"ts\":\"%ld.000100\",\"channel\":\"C%ld\",\"event_ts\":\"%ld.000100\"}}}",
		                seq, seq, 1700000000L + seq, seq % 8, 1700000000L + seq);
	return snprintf(buf, cap,
	                "{\"envelope_id\":\"b%ld\",\"type\":\"slash_commands\",\"accepts_response_payload\":true,"
	                "\"payload\":{\"token\":\"x\",\"team_id\":\"T1\",\"team_domain\":\"bench\","
	                "\"channel_id\":\"C%ld\",\"channel_name\":\"general\",\"user_id\":\"U%ld\","
	                "\"user_name\":\"bench\",\"command\":\"/pmpo\",\"text\":\"compare\",\"api_app_id\":\"A1\","
	                "\"is_enterprise_install\":\"false\",\"response_url\":\"http://127.0.0.1:%d/response/%ld\","
	                "\"trigger_id\":\"t%ld\"}}",
	                seq, seq % 8, seq % 100, port, seq, seq);
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
pct(const double *sorted, long n, double p)
{
	long i = (long)(p / 100.0 * (double)(n - 1) + 0.5);

	return n > 0 ? sorted[i < n ? i : n - 1] : -1;
}

/* Sends seq [from, to) keeping at most c unacked; with rate > 0, no faster
 * than rate per second from t0. Mentions are counted into *mentions. 0, -1. */
static int
send_range(struct fake *f, const struct opts *o, long from, long to, double t0, long *mentions)
{
	char buf[2048];
	int port = fake_port(f);

	for (long s = from; s < to; s++) {
		int mention = o->mention_pct > 0 && (s * 37 % 100) < o->mention_pct;
		int len = envelope(s, mention, port, buf, sizeof(buf));
		if (o->rate > 0) {
			double due = t0 + (double)(s - from) * 1000.0 / o->rate, wait = due - now_ms();
			if (wait > 0)
				usleep((useconds_t)(wait * 1000));
		}
		if (s - o->c + 1 > 0 && fake_bench_wait_acked(f, s - o->c + 1, ACK_WAIT_MS) < s - o->c + 1) {
			fprintf(stderr, "loadgen: no ack for envelope b%ld within %d ms\n", s - o->c, ACK_WAIT_MS);
			return -1;
		}
		if (fake_bench_send(f, s, buf, (size_t)len) != 0) {
			fprintf(stderr, "loadgen: send b%ld failed\n", s);
			return -1;
		}
		*mentions += mention;
	}
	return 0;
}

static int
usage(void)
{
	fprintf(stderr, "usage: loadgen [-n N] [-c C] [-m PCT] [-w WARMUP] [-d SEC -r RATE -R SEC] "
	                "[-L LOGFILE] -- COMMAND [ARGS...]\n");
	return 2;
}

/* Soak: steady rate, a reconnect every reconnect_s; RSS sampled each 10 s. */
static int
soak(struct fake *f, const struct opts *o, pid_t pid, long *sent, long *mentions)
{
	double t0 = now_ms(), next_sample = t0, next_reconnect = t0 + o->reconnect_s * 1000.0;
	long rss5 = -1, rss_end, chunk = o->rate > 10 ? o->rate / 10 : 1;
	int hellos = 1, drop = 0;

	while (now_ms() - t0 < o->soak_s * 1000.0) {
		double t = now_ms();
		if (t >= next_sample) {
			long rss = proc_kib(pid, "VmRSS:");
			printf("sample t_s=%.0f vmrss_kib=%ld acked=%ld posts=%d\n", (t - t0) / 1000, rss,
			       fake_bench_wait_acked(f, 0, 0), fake_count(f, "post"));
			fflush(stdout);
			if (rss5 < 0 && t - t0 >= 300000)
				rss5 = rss;
			next_sample += 10000;
		}
		if (o->reconnect_s > 0 && t >= next_reconnect) {
			/* drain, then reconnect; the next envelopes go to the new socket */
			if (fake_bench_wait_acked(f, *sent, ACK_WAIT_MS) < *sent)
				return -1;
			if (drop)
				fake_drop(f);
			else
				fake_bench_disconnect(f, "refresh_requested");
			drop = !drop;
			if (fake_wait_hellos(f, ++hellos, HELLO_WAIT_MS) != 0) {
				fprintf(stderr, "loadgen: no hello %d after a reconnect\n", hellos);
				return -1;
			}
			next_reconnect += o->reconnect_s * 1000.0;
		}
		if (send_range(f, o, *sent, *sent + chunk, t, mentions) != 0)
			return -1;
		*sent += chunk;
	}
	rss_end = proc_kib(pid, "VmRSS:");
	printf("soak_reconnects=%d\nrss_5min_kib=%ld\nrss_end_kib=%ld\n", hellos - 1, rss5, rss_end);
	if (rss5 > 0) {
		double d = ((double)rss_end - (double)rss5) / (double)rss5 * 100;
		printf("rss_change_pct=%.1f\nsoak_rss_flat=%d\n", d, d <= 10 && d >= -10);
		return d <= 10 && d >= -10 ? 0 : 1;
	}
	printf("soak_rss_flat=unknown (shorter than 5 minutes)\n");
	return 0;
}

int
main(int argc, char **argv)
{
	struct opts o = {.n = 20000, .warmup = -1, .c = 64, .rate = 200, .logfile = "/dev/null"};
	char state_dir[] = "/tmp/pmpo-bench-XXXXXX", rm[64];
	struct fake *f = NULL;
	double t_spawn, t_hello, t_start, t_end, cpu0, cpu1, *lat = NULL;
	long sent = 0, mentions = 0, n_lat, acked, total;
	struct rusage ru0, ru1;
	pid_t pid = -1;
	int opt, rc = 1, st;

	while ((opt = getopt(argc, argv, "n:c:m:w:d:r:R:L:")) != -1) {
		switch (opt) {
		case 'n': o.n = atol(optarg); break;
		case 'c': o.c = atoi(optarg); break;
		case 'm': o.mention_pct = atoi(optarg); break;
		case 'w': o.warmup = atol(optarg); break;
		case 'd': o.soak_s = atoi(optarg); break;
		case 'r': o.rate = atoi(optarg); break;
		case 'R': o.reconnect_s = atoi(optarg); break;
		case 'L': o.logfile = optarg; break;
		default: return usage();
		}
	}
	if (optind >= argc || o.n < 1 || o.c < 1 || o.mention_pct < 0 || o.mention_pct > 100)
		return usage();
	o.cmd = argv + optind;
	if (o.warmup < 0)
		o.warmup = o.n / 10 < 500 ? o.n / 10 : 500;
	if (o.soak_s == 0)
		o.rate = 0;
	total = o.soak_s > 0 ? (long)o.soak_s * o.rate * 11 / 10 + 100000 : o.warmup + o.n;
	signal(SIGPIPE, SIG_IGN);
	if (mkdtemp(state_dir) == NULL || (f = fake_start()) == NULL) {
		fprintf(stderr, "loadgen: setup failed\n");
		return 1;
	}
	fake_set_rate_limit(f, 0);
	if (fake_bench_begin(f, total) != 0)
		goto out;
	t_spawn = now_ms();
	pid = spawn(f, &o, state_dir);
	if (pid < 0 || fake_wait_hellos(f, 1, HELLO_WAIT_MS) != 0) {
		fprintf(stderr, "loadgen: no hello from %s (log: %s)\n", o.cmd[0], o.logfile);
		goto out;
	}
	t_hello = now_ms();
	printf("command=%s\nstart_to_hello_ms=%.1f\n", o.cmd[0], t_hello - t_spawn);
	{
		/* one probe, outside the bench ids: is the answer really in the ack? */
		char buf[2048], *ack = NULL;
		envelope(0, 0, fake_port(f), buf, sizeof(buf));
		memcpy(buf + strlen("{\"envelope_id\":\""), "p", 1); /* "b0" -> "p0" */
		if (fake_send_text(f, buf) != 0 || fake_wait_ack(f, "p0", ACK_WAIT_MS, &ack, NULL) != 0) {
			fprintf(stderr, "loadgen: probe not acked\n");
			goto out;
		}
		printf("ack_bytes=%zu\nack_has_blocks=%d\n", strlen(ack),
		       strstr(ack, "\"payload\":{\"text\":") != NULL && strstr(ack, "\"blocks\":[") != NULL);
		free(ack);
	}
	/* warm-up, not measured: JIT compilers, caches and pools settle */
	if (o.soak_s == 0 && o.warmup > 0) {
		if (send_range(f, &o, 0, o.warmup, 0, &mentions) != 0 ||
		    fake_bench_wait_acked(f, o.warmup, ACK_WAIT_MS) < o.warmup)
			goto out;
		if (fake_wait_count(f, "post", (int)mentions, ACK_WAIT_MS) != 0)
			goto out;
		sent = o.warmup;
	}
	mentions = 0;
	cpu0 = proc_cpu_s(pid);
	getrusage(RUSAGE_SELF, &ru0);
	{
		int posts0 = fake_count(f, "post");
		t_start = now_ms();
		if (o.soak_s > 0) {
			st = soak(f, &o, pid, &sent, &mentions);
			if (st < 0)
				goto out;
			rc = st;
		} else {
			if (send_range(f, &o, sent, sent + o.n, 0, &mentions) != 0)
				goto out;
			sent += o.n;
		}
		acked = fake_bench_wait_acked(f, sent, ACK_WAIT_MS);
		t_end = now_ms();
		/* mentions are done when their posts have arrived */
		if (fake_wait_count(f, "post", posts0 + (int)mentions, 30000) != 0)
			fprintf(stderr, "loadgen: only %d of %ld posts\n", fake_count(f, "post") - posts0, mentions);
		printf("posts=%d\nmentions=%ld\nposts_done_s=%.3f\n", fake_count(f, "post") - posts0, mentions,
		       (now_ms() - t_start) / 1000);
	}
	cpu1 = proc_cpu_s(pid);
	getrusage(RUSAGE_SELF, &ru1);
	{
		long measured = sent - (o.soak_s > 0 ? 0 : o.warmup);
		double secs = (t_end - t_start) / 1000;
		double gen = (double)(ru1.ru_utime.tv_sec - ru0.ru_utime.tv_sec + ru1.ru_stime.tv_sec -
		                      ru0.ru_stime.tv_sec) +
		             (double)(ru1.ru_utime.tv_usec - ru0.ru_utime.tv_usec + ru1.ru_stime.tv_usec -
		                      ru0.ru_stime.tv_usec) / 1e6;
		printf("envelopes=%ld\nacked=%ld\nin_flight=%d\nmention_pct=%d\nseconds=%.3f\nenv_per_s=%.0f\n",
		       measured, acked - (sent - measured), o.c, o.mention_pct, secs, (double)measured / secs);
		printf("cpu_s=%.2f\ncpu_s_per_10k=%.3f\nloadgen_cpu_s=%.2f\nvmhwm_kib=%ld\nvmrss_kib=%ld\n",
		       cpu1 - cpu0, (cpu1 - cpu0) * 10000 / (double)measured, gen, proc_kib(pid, "VmHWM:"),
		       proc_kib(pid, "VmRSS:"));
		if (acked < sent)
			rc = 1;
		else if (o.soak_s == 0)
			rc = 0;
	}
out:
	if (pid > 0) {
		double t0 = now_ms();
		kill(pid, SIGTERM);
		while (waitpid(pid, &st, WNOHANG) == 0 && now_ms() - t0 < 5000)
			usleep(10000);
		if (now_ms() - t0 >= 5000) {
			kill(pid, SIGKILL);
			waitpid(pid, &st, 0);
			printf("exit=killed\n");
		} else {
			printf("exit=%d\n", WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
		}
	}
	if (f != NULL) {
		if (o.soak_s == 0 && (lat = malloc((size_t)total * sizeof(*lat))) != NULL) {
			n_lat = fake_bench_end(f, lat, total);
			/* only the measured envelopes, the ones acked */
			{
				long k = 0;
				for (long i = o.warmup; i < n_lat && i < sent; i++)
					if (lat[i] >= 0)
						lat[k++] = lat[i];
				qsort(lat, (size_t)k, sizeof(*lat), cmp_double);
				printf("ack_p50_ms=%.3f\nack_p90_ms=%.3f\nack_p99_ms=%.3f\nack_max_ms=%.3f\n",
				       pct(lat, k, 50), pct(lat, k, 90), pct(lat, k, 99), k ? lat[k - 1] : -1);
			}
			free(lat);
		} else {
			fake_bench_end(f, NULL, 0);
		}
		fake_stop(f);
	}
	snprintf(rm, sizeof(rm), "rm -rf %s", state_dir);
	if (system(rm) != 0)
		fprintf(stderr, "loadgen: could not remove %s\n", state_dir);
	printf("rc=%d\n", rc);
	return rc;
}
