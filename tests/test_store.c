/* test_store.c -- the SQLite store and the tips tick, on real database files
 * in temporary directories: migrations, reopening, rotation, the tick's
 * once-a-day rules across restarts, write failures (file-size limit,
 * unusable directory), and kill -9 in the middle of heavy traffic. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include <cjson/cJSON.h>

#include "log.h"
#include "report.h"
#include "store.h"
#include "tips.h"

#define DAY 86400

struct fixture {
	char dir[64];
	struct store *st;
};

static time_t
utc(int y, int mo, int d, int h, int mi)
{
	long yy = y - (mo <= 2), era = (yy >= 0 ? yy : yy - 399) / 400, yoe = yy - era * 400;
	long doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long days = era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;

	return (time_t)(days * 86400L + h * 3600L + mi * 60L);
}

static void
rm_rf(const char *dir)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
}

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char err[STORE_ERR_MAX];

	if (f == NULL)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/pmpo-store-XXXXXX");
	if (mkdtemp(f->dir) == NULL)
		return -1;
	if (store_open(f->dir, &f->st, err, sizeof(err)) != 0) {
		fprintf(stderr, "store_open: %s\n", err);
		return -1;
	}
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	store_close(f->st);
	rm_rf(f->dir);
	free(f);
	return 0;
}

static void
reopen(struct fixture *f)
{
	char err[STORE_ERR_MAX];

	store_close(f->st);
	f->st = NULL;
	assert_int_equal(store_open(f->dir, &f->st, err, sizeof(err)), 0);
}

static struct subscription
make_sub(const char *channel, const char *tz, int hh, int mm, int weekdays_only, time_t since)
{
	struct subscription s;

	memset(&s, 0, sizeof(s));
	snprintf(s.channel, sizeof(s.channel), "%s", channel);
	snprintf(s.tz, sizeof(s.tz), "%s", tz);
	snprintf(s.created_by, sizeof(s.created_by), "U123");
	s.hh = hh;
	s.mm = mm;
	s.weekdays_only = weekdays_only;
	s.since = since;
	return s;
}

static void
subscribe_ok(struct store *st, const struct subscription *s)
{
	char err[STORE_ERR_MAX];

	if (store_subscribe(st, s, err, sizeof(err)) != 0)
		fail_msg("store_subscribe: %s", err);
}

/* ---- store ---- */

static void
test_migrations_from_empty(void **state)
{
	struct fixture *f = *state;
	char path[128];
	sqlite3 *db;
	sqlite3_stmt *stmt;
	int tables = 0;

	assert_int_equal(store_schema_version(f->st), 2);
	snprintf(path, sizeof(path), "%s/" STORE_FILE, f->dir);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type='table' "
	                                        "AND name IN ('schema_version','subscriptions',"
	                                        "'rotation','posts','votes','question_counts',"
	                                        "'declined_questions')", -1, &stmt, NULL), SQLITE_OK);
	while (sqlite3_step(stmt) == SQLITE_ROW)
		tables++;
	sqlite3_finalize(stmt);
	assert_int_equal(tables, 7);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &stmt, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(stmt, 0), "wal");
	sqlite3_finalize(stmt);
	/* A database from a newer pmpo-bot is refused, not mangled. */
	assert_int_equal(sqlite3_exec(db, "UPDATE schema_version SET version = 99", NULL, NULL, NULL),
	                 SQLITE_OK);
	sqlite3_close(db);
	store_close(f->st);
	{
		char err[STORE_ERR_MAX];
		assert_int_equal(store_open(f->dir, &f->st, err, sizeof(err)), -1);
		assert_null(f->st);
		assert_non_null(strstr(err, "newer"));
	}
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "UPDATE schema_version SET version = 2", NULL, NULL, NULL),
	                 SQLITE_OK);
	sqlite3_close(db);
	reopen(f);
}

static void
test_subscribe_show_unsubscribe_reopen(void **state)
{
	struct fixture *f = *state;
	struct subscription a = make_sub("C1", "Europe/Copenhagen", 9, 30, 1, 1000);
	struct subscription b = make_sub("C2", "UTC", 7, 5, 0, 2000), got, *all;
	char err[STORE_ERR_MAX];
	int found, existed;
	size_t n;

	subscribe_ok(f->st, &a);
	subscribe_ok(f->st, &b);
	reopen(f);
	assert_int_equal(store_get(f->st, "C1", &got, &found, err, sizeof(err)), 0);
	assert_true(found);
	assert_string_equal(got.tz, "Europe/Copenhagen");
	assert_int_equal(got.hh, 9);
	assert_int_equal(got.mm, 30);
	assert_int_equal(got.weekdays_only, 1);
	assert_string_equal(got.created_by, "U123");
	assert_int_equal(got.since, 1000);
	/* Subscribing again replaces the setting. */
	a.hh = 10;
	a.weekdays_only = 0;
	subscribe_ok(f->st, &a);
	assert_int_equal(store_list(f->st, &all, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 2);
	assert_string_equal(all[0].channel, "C1");
	assert_int_equal(all[0].hh, 10);
	assert_int_equal(all[0].weekdays_only, 0);
	free(all);
	assert_int_equal(store_unsubscribe(f->st, "C1", &existed, err, sizeof(err)), 0);
	assert_true(existed);
	assert_int_equal(store_unsubscribe(f->st, "C1", &existed, err, sizeof(err)), 0);
	assert_false(existed);
	reopen(f);
	assert_int_equal(store_get(f->st, "C1", &got, &found, err, sizeof(err)), 0);
	assert_false(found);
	assert_int_equal(store_get(f->st, "C2", &got, &found, err, sizeof(err)), 0);
	assert_true(found);
	/* Pausing keeps the first reason; subscribing again resumes. */
	assert_int_equal(store_pause(f->st, "C2", "not_in_channel", err, sizeof(err)), 0);
	assert_int_equal(store_pause(f->st, "C2", "channel_unavailable", err, sizeof(err)), 0);
	assert_int_equal(store_get(f->st, "C2", &got, &found, err, sizeof(err)), 0);
	assert_true(got.paused);
	assert_string_equal(got.pause_reason, "not_in_channel");
	subscribe_ok(f->st, &b);
	assert_int_equal(store_get(f->st, "C2", &got, &found, err, sizeof(err)), 0);
	assert_false(got.paused);
	assert_string_equal(got.pause_reason, "");
}

static void
test_unusable_directory_is_an_error(void **state)
{
	struct fixture *f = *state;
	char path[128], err[STORE_ERR_MAX];
	struct store *st = (struct store *)1;
	FILE *file;

	/* A state dir below a regular file cannot be created, even by root. */
	snprintf(path, sizeof(path), "%s/afile", f->dir);
	assert_non_null(file = fopen(path, "w"));
	fclose(file);
	snprintf(path, sizeof(path), "%s/afile/state", f->dir);
	assert_int_equal(store_open(path, &st, err, sizeof(err)), -1);
	assert_null(st);
	assert_non_null(strstr(err, "state directory"));
	/* The path is a file, not a directory. */
	snprintf(path, sizeof(path), "%s/afile", f->dir);
	assert_int_equal(store_open(path, &st, err, sizeof(err)), -1);
	assert_int_equal(store_open("", &st, err, sizeof(err)), -1);
	/* A read-only directory (meaningless for root, who writes anyway). */
	if (geteuid() != 0) {
		snprintf(path, sizeof(path), "%s/ro", f->dir);
		assert_int_equal(mkdir(path, 0500), 0);
		assert_int_equal(store_open(path, &st, err, sizeof(err)), -1);
		assert_null(st);
		chmod(path, 0700);
	}
}

/* In a child (the limit and SIGXFSZ must not leak into the test runner):
 * with a file-size limit, writes start failing; each failure is reported,
 * nothing half-written shows, and the store works again once space is back. */
static void
test_disk_full_is_reported(void **state)
{
	struct fixture *f = *state;
	pid_t pid;
	int status;

	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct rlimit rl, lots;
		char err[STORE_ERR_MAX], name[32];
		struct subscription s, got;
		int i, found, failed_at = -1;

		log_set_level(LOG_ERROR);
		signal(SIGXFSZ, SIG_IGN);
		if (getrlimit(RLIMIT_FSIZE, &lots) != 0)
			_exit(9);
		rl = lots; /* lower only the soft limit, so it can be raised again */
		rl.rlim_cur = 256 * 1024;
		if (setrlimit(RLIMIT_FSIZE, &rl) != 0)
			_exit(10);
		for (i = 0; i < 5000; i++) {
			snprintf(name, sizeof(name), "F%05d", i);
			s = make_sub(name, "UTC", 9, 0, 0, 0);
			memset(s.created_by, 'u', sizeof(s.created_by) - 1);
			if (store_subscribe(f->st, &s, err, sizeof(err)) != 0) {
				failed_at = i;
				break;
			}
		}
		if (failed_at < 1)
			_exit(11); /* the limit never bit: the test proves nothing */
		if (store_get(f->st, "F00000", &got, &found, err, sizeof(err)) != 0 || !found)
			_exit(12);
		snprintf(name, sizeof(name), "F%05d", failed_at);
		if (store_get(f->st, name, &got, &found, err, sizeof(err)) != 0 || found)
			_exit(13); /* the failed write must not be half there */
		if (setrlimit(RLIMIT_FSIZE, &lots) != 0)
			_exit(14);
		s = make_sub("after", "UTC", 9, 0, 0, 0);
		if (store_subscribe(f->st, &s, err, sizeof(err)) != 0)
			_exit(15);
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

/* ---- kill -9 ---- */

/* The child subscribes and unsubscribes channels as fast as it can. Before
 * each write it sends "I op name", after the commit "D": a channel the
 * parent saw D for must be in the database afterwards (or gone, for an
 * unsubscribe); only the one write in flight may go either way. */
static void
churn(const char *dir, int fd, int round)
{
	struct store *st;
	char err[STORE_ERR_MAX], line[64], name[32];
	int existed;

	log_set_level(LOG_ERROR);
	if (store_open(dir, &st, err, sizeof(err)) != 0)
		_exit(20);
	for (int i = 0;; i++) {
		int unsub = i % 3 == 2;
		snprintf(name, sizeof(name), "K%d-%d", round, unsub ? i - 2 : i);
		snprintf(line, sizeof(line), "I %c %s\n", unsub ? 'U' : 'S', name);
		if (write(fd, line, strlen(line)) < 0)
			_exit(21);
		if (unsub) {
			if (store_unsubscribe(st, name, &existed, err, sizeof(err)) != 0)
				_exit(22);
		} else {
			struct subscription s = make_sub(name, "Europe/Copenhagen", i % 24, i % 60,
			                                 i & 1, i);
			if (store_subscribe(st, &s, err, sizeof(err)) != 0)
				_exit(23);
		}
		if (write(fd, "D\n", 2) < 0)
			_exit(24);
	}
}

#define MAX_TRACKED 20000

struct model {
	char name[MAX_TRACKED][24];
	char present[MAX_TRACKED];
	int n;
};

static int
model_slot(struct model *m, const char *name)
{
	for (int i = 0; i < m->n; i++)
		if (strcmp(m->name[i], name) == 0)
			return i;
	if (m->n == MAX_TRACKED)
		return -1;
	snprintf(m->name[m->n], sizeof(m->name[0]), "%s", name);
	m->present[m->n] = 0;
	return m->n++;
}

static void
test_kill9_loses_nothing_committed(void **state)
{
	struct fixture *f = *state;
	static struct model m;
	unsigned seed = (unsigned)time(NULL);

	srand(seed);
	memset(&m, 0, sizeof(m));
	store_close(f->st); /* the child is the only writer */
	f->st = NULL;
	for (int round = 0; round < 6; round++) {
		int fds[2], status, slot = -1;
		char pending_op = 0, pending[64] = "", path[128], buf[4096], acc[64];
		size_t acc_len = 0;
		ssize_t got;
		pid_t pid;
		sqlite3 *db;
		sqlite3_stmt *stmt;

		assert_int_equal(pipe(fds), 0);
		pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			close(fds[0]);
			churn(f->dir, fds[1], round);
		}
		close(fds[1]);
		/* Wait for the child's first report, so a slow, loaded machine still
		 * kills it in the middle of its traffic and not before it starts. */
		got = read(fds[0], buf, sizeof(buf));
		assert_true(got > 0);
		{
			/* a random point in the traffic, 20-100 ms in */
			struct timespec ts = {0, (20 + rand() % 80) * 1000000L};
			nanosleep(&ts, NULL);
		}
		assert_int_equal(kill(pid, SIGKILL), 0);
		assert_int_equal(waitpid(pid, &status, 0), pid);
		assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
		/* Everything the child reported is in the pipe; read it all. */
		for (; got > 0; got = read(fds[0], buf, sizeof(buf))) {
			for (ssize_t i = 0; i < got; i++) {
				if (buf[i] != '\n') {
					if (acc_len < sizeof(acc) - 1)
						acc[acc_len++] = buf[i];
					continue;
				}
				acc[acc_len] = '\0';
				acc_len = 0;
				if (acc[0] == 'I') {
					pending_op = acc[2];
					memcpy(pending, acc + 4, sizeof(acc) - 4);
				} else if (acc[0] == 'D' && pending_op) {
					assert_true((slot = model_slot(&m, pending)) >= 0);
					m.present[slot] = pending_op == 'S';
					pending_op = 0;
				}
			}
		}
		close(fds[0]);
		if (pending_op)
			assert_true(model_slot(&m, pending) >= 0);
		assert_true(m.n > 0);

		snprintf(path, sizeof(path), "%s/" STORE_FILE, f->dir);
		assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
		assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &stmt, NULL),
		                 SQLITE_OK);
		assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
		assert_string_equal((const char *)sqlite3_column_text(stmt, 0), "ok");
		sqlite3_finalize(stmt);
		assert_int_equal(sqlite3_prepare_v2(db, "SELECT 1 FROM subscriptions WHERE channel = ?",
		                                    -1, &stmt, NULL), SQLITE_OK);
		for (int i = 0; i < m.n; i++) {
			int in_db;
			sqlite3_reset(stmt);
			sqlite3_bind_text(stmt, 1, m.name[i], -1, SQLITE_STATIC);
			in_db = sqlite3_step(stmt) == SQLITE_ROW;
			if (pending_op && strcmp(m.name[i], pending) == 0) {
				/* In flight at the kill: either way is right, and now settled. */
				m.present[i] = (char)in_db;
				continue;
			}
			if (in_db != m.present[i])
				fail_msg("round %d (seed %u): %s is %s the database but the child "
				         "reported it %s", round, seed, m.name[i], in_db ? "in" : "not in",
				         m.present[i] ? "subscribed" : "unsubscribed");
		}
		sqlite3_finalize(stmt);
		sqlite3_close(db);
	}
	print_message("kill -9: 6 rounds, %d channels checked (seed %u)\n", m.n, seed);
	reopen(f);
}

/* ---- the tick ---- */

struct posts {
	int n;
	char channel[64][16];
	char tip[64][16];
	enum tips_post_result answer; /* what the fake transport says */
};

static enum tips_post_result
fake_post(void *ctx, const char *channel, const struct kb_tip *tip, const char *local_date)
{
	struct posts *p = ctx;

	(void)local_date;
	if (p->n < 64) {
		snprintf(p->channel[p->n], sizeof(p->channel[0]), "%s", channel);
		snprintf(p->tip[p->n], sizeof(p->tip[0]), "%s", tip->id);
	}
	p->n++;
	return p->answer;
}

static void
test_tick_posts_once_per_day_across_restarts(void **state)
{
	struct fixture *f = *state;
	struct subscription s = make_sub("C1", "Europe/Copenhagen", 9, 0, 0, utc(2026, 6, 1, 0, 0));
	struct posts p = {0};

	subscribe_ok(f->st, &s);
	/* 09:00 CEST is 07:00 UTC. */
	assert_int_equal(tips_tick(f->st, utc(2026, 6, 1, 6, 59), fake_post, &p), 0);
	assert_int_equal(tips_tick(f->st, utc(2026, 6, 1, 7, 0), fake_post, &p), 1);
	assert_int_equal(tips_tick(f->st, utc(2026, 6, 1, 7, 1), fake_post, &p), 0);
	assert_int_equal(p.n, 1);
	assert_string_equal(p.channel[0], "C1");
	/* A restart the same day does not post again. */
	reopen(f);
	assert_int_equal(tips_tick(f->st, utc(2026, 6, 1, 12, 0), fake_post, &p), 0);
	/* Off and on again the same day does not repeat the day either. */
	{
		char err[STORE_ERR_MAX];
		int existed;
		assert_int_equal(store_unsubscribe(f->st, "C1", &existed, err, sizeof(err)), 0);
		subscribe_ok(f->st, &s);
	}
	assert_int_equal(tips_tick(f->st, utc(2026, 6, 1, 12, 0), fake_post, &p), 0);
	/* Next day, a new tip. */
	assert_int_equal(tips_tick(f->st, utc(2026, 6, 2, 7, 0), fake_post, &p), 1);
	assert_int_equal(p.n, 2);
	assert_string_not_equal(p.tip[0], p.tip[1]);
	/* Down from June 2 to June 9 afternoon: one tip, not a backlog. */
	reopen(f);
	assert_int_equal(tips_tick(f->st, utc(2026, 6, 9, 13, 0), fake_post, &p), 1);
	assert_int_equal(tips_tick(f->st, utc(2026, 6, 9, 13, 1), fake_post, &p), 0);
	assert_int_equal(p.n, 3);
}

static void
test_tick_late_start_same_day_posts_once(void **state)
{
	struct fixture *f = *state;
	struct subscription s = make_sub("C1", "Asia/Kathmandu", 9, 0, 0, utc(2026, 5, 1, 0, 0));
	struct posts p = {0};

	subscribe_ok(f->st, &s);
	/* The daemon starts at 15:00 local (09:15 UTC), long after 09:00 (03:15 UTC). */
	assert_int_equal(tips_tick(f->st, utc(2026, 6, 1, 9, 15), fake_post, &p), 1);
	reopen(f);
	assert_int_equal(tips_tick(f->st, utc(2026, 6, 1, 9, 16), fake_post, &p), 0);
	assert_int_equal(p.n, 1);
}

static void
test_tick_retries_known_failures_and_pauses_gone_channels(void **state)
{
	struct fixture *f = *state;
	struct subscription a = make_sub("C1", "UTC", 9, 0, 0, 0);
	struct subscription b = make_sub("C2", "UTC", 9, 0, 0, 0), got;
	struct posts p = {0};
	char err[STORE_ERR_MAX];
	int found;

	subscribe_ok(f->st, &a);
	p.answer = TIPS_POST_RETRY;
	for (int minute = 0; minute < 10; minute++)
		(void)tips_tick(f->st, utc(2026, 6, 1, 9, minute), fake_post, &p);
	assert_int_equal(p.n, TIPS_MAX_ATTEMPTS);
	for (int i = 1; i < TIPS_MAX_ATTEMPTS; i++)
		assert_string_equal(p.tip[i], p.tip[0]); /* a retry resends the same tip */
	/* A retry that works ends it. */
	p.n = 0;
	(void)tips_tick(f->st, utc(2026, 6, 2, 9, 0), fake_post, &p);
	p.answer = TIPS_POST_OK;
	assert_int_equal(tips_tick(f->st, utc(2026, 6, 2, 9, 1), fake_post, &p), 1);
	assert_int_equal(tips_tick(f->st, utc(2026, 6, 2, 9, 2), fake_post, &p), 0);
	assert_int_equal(p.n, 2);
	/* A channel that is gone is paused and left alone. */
	subscribe_ok(f->st, &b);
	p.n = 0;
	p.answer = TIPS_POST_GONE;
	(void)tips_tick(f->st, utc(2026, 6, 3, 9, 0), fake_post, &p);
	assert_int_equal(p.n, 2); /* C1 and C2 were both tried */
	p.answer = TIPS_POST_OK;
	p.n = 0;
	assert_int_equal(tips_tick(f->st, utc(2026, 6, 4, 9, 0), fake_post, &p), 0);
	assert_int_equal(p.n, 0);
	assert_int_equal(store_get(f->st, "C2", &got, &found, err, sizeof(err)), 0);
	assert_true(got.paused);
	/* The transport's own pause keeps its precise reason. */
	subscribe_ok(f->st, &b);
	assert_int_equal(tips_pause(f->st, "C2", "not_in_channel"), 0);
	assert_int_equal(store_get(f->st, "C2", &got, &found, err, sizeof(err)), 0);
	assert_string_equal(got.pause_reason, "not_in_channel");
}

static void
test_tick_after_crash_mid_post_does_not_post_twice(void **state)
{
	struct fixture *f = *state;
	struct subscription s = make_sub("C1", "UTC", 9, 0, 0, 0);
	struct posts p = {0};
	char err[STORE_ERR_MAX];
	long idx;

	subscribe_ok(f->st, &s);
	/* A claim committed and then the process died (post outcome unknown). */
	assert_int_equal(store_claim(f->st, "C1", "2026-06-01", kb_ntips, utc(2026, 6, 1, 9, 0),
	                             &idx, err, sizeof(err)), 0);
	reopen(f);
	assert_int_equal(tips_tick(f->st, utc(2026, 6, 1, 9, 1), fake_post, &p), 0);
	assert_int_equal(p.n, 0);
	/* A second claim for the same day is refused. */
	assert_int_equal(store_claim(f->st, "C1", "2026-06-01", kb_ntips, utc(2026, 6, 1, 9, 2),
	                             &idx, err, sizeof(err)), 1);
	/* The next day goes on normally. */
	assert_int_equal(tips_tick(f->st, utc(2026, 6, 2, 9, 0), fake_post, &p), 1);
}

static void
test_rotation_no_repeat_until_all_shown(void **state)
{
	struct fixture *f = *state;
	static char seen_c1[4096];
	char err[STORE_ERR_MAX], date[32];
	long idx, first_c1 = -1;
	int same_start = 0;

	assert_true(kb_ntips >= 60);
	memset(seen_c1, 0, sizeof(seen_c1));
	for (size_t day = 0; day < kb_ntips; day++) {
		snprintf(date, sizeof(date), "D%05u", (unsigned)day % 100000u);
		assert_int_equal(store_claim(f->st, "C1", date, kb_ntips, 0, &idx, err, sizeof(err)), 0);
		assert_true(idx >= 0 && (size_t)idx < kb_ntips);
		assert_int_equal(seen_c1[idx], 0);
		seen_c1[idx] = 1;
		if (day == 0)
			first_c1 = idx;
		if (day == kb_ntips / 2)
			reopen(f); /* the rotation survives a restart */
	}
	/* All shown: the next cycle starts, so tips may come round again. */
	assert_int_equal(store_claim(f->st, "C1", "E00000", kb_ntips, 0, &idx, err, sizeof(err)), 0);
	/* Other channels start elsewhere in a different order. */
	for (int c = 0; c < 5; c++) {
		char ch[8];
		snprintf(ch, sizeof(ch), "X%d", c);
		assert_int_equal(store_claim(f->st, ch, "D00000", kb_ntips, 0, &idx, err, sizeof(err)), 0);
		same_start += idx == first_c1;
	}
	assert_true(same_start < 5);
}

/* ---- votes, question counts, the report ---- */

/* report_run on f's directory as JSON; the parsed object (caller frees). */
static cJSON *
report_of(const char *dir, int days, time_t now)
{
	char err[256] = "", *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	cJSON *j;

	assert_non_null(fp);
	assert_int_equal(report_run(dir, days, 1, now, fp, err, sizeof(err)), 0);
	fclose(fp);
	j = cJSON_Parse(buf);
	free(buf);
	assert_non_null(j);
	return j;
}

static int
arr_len(const cJSON *o, const char *k)
{
	return cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(o, k));
}

static double
field(const cJSON *o, const char *arr, int i, const char *k)
{
	return cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(
		cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(o, arr), i), k));
}

static const char *
sfield(const cJSON *o, const char *arr, int i, const char *k)
{
	return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
		cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(o, arr), i), k));
}

static void
test_votes_replace_and_report(void **state)
{
	struct fixture *f = *state;
	char err[STORE_ERR_MAX];
	time_t now = utc(2026, 3, 10, 12, 0);
	struct store_vote v = {.answer = "42", .user = "U1", .channel = "C1",
	                       .question = "who owns the backlog?", .topic = "po-backlog",
	                       .role = "po", .verdict = -1, .at = now};
	int replaced = -1;
	cJSON *r;

	assert_int_equal(store_vote(f->st, &v, &replaced, err, sizeof(err)), 0);
	assert_int_equal(replaced, 0);
	/* another user on the same answer: a second vote */
	v.user = "U2";
	assert_int_equal(store_vote(f->st, &v, &replaced, err, sizeof(err)), 0);
	assert_int_equal(replaced, 0);
	/* the same user again: replaces */
	v.user = "U1";
	v.verdict = 1;
	assert_int_equal(store_vote(f->st, &v, &replaced, err, sizeof(err)), 0);
	assert_int_equal(replaced, 1);
	/* a decline with its text, answered questions per day, one old day */
	assert_int_equal(store_log_question(f->st, now, NULL, 1, "what is a burndown?", err, sizeof(err)), 0);
	assert_int_equal(store_log_question(f->st, now, NULL, 1, "what is a burndown?", err, sizeof(err)), 0);
	assert_int_equal(store_log_question(f->st, now, "po-backlog", 0, NULL, err, sizeof(err)), 0);
	assert_int_equal(store_log_question(f->st, now - DAY, "po-backlog", 0, NULL, err, sizeof(err)), 0);
	assert_int_equal(store_log_question(f->st, now - DAY, "pm-vision", 0, NULL, err, sizeof(err)), 0);
	assert_int_equal(store_log_question(f->st, now - 40 * DAY, "pm-vision", 0, NULL, err, sizeof(err)), 0);

	r = report_of(f->dir, 30, now);
	assert_int_equal(arr_len(r, "per_day"), 2);
	assert_string_equal(sfield(r, "per_day", 1, "day"), "2026-03-10");
	assert_int_equal(field(r, "per_day", 1, "answered"), 1);
	assert_int_equal(field(r, "per_day", 1, "declined"), 2);
	assert_int_equal(arr_len(r, "votes_by_topic"), 1);
	assert_int_equal(field(r, "votes_by_topic", 0, "helpful"), 1);
	assert_int_equal(field(r, "votes_by_topic", 0, "not_right"), 1);
	assert_int_equal(arr_len(r, "not_right_questions"), 1);
	assert_string_equal(sfield(r, "not_right_questions", 0, "question"), "who owns the backlog?");
	assert_string_equal(sfield(r, "not_right_questions", 0, "topic"), "po-backlog");
	assert_int_equal(arr_len(r, "declined_questions"), 1);
	assert_int_equal(field(r, "declined_questions", 0, "count"), 2);
	assert_string_equal(sfield(r, "top_topics", 0, "topic"), "po-backlog");
	assert_int_equal(field(r, "top_topics", 0, "count"), 2);
	assert_int_equal(field(r, "top_topics", 1, "count"), 1); /* the 40-day-old one is outside */
	cJSON_Delete(r);
	/* --days 1: today only */
	r = report_of(f->dir, 1, now);
	assert_int_equal(arr_len(r, "per_day"), 1);
	cJSON_Delete(r);
	cJSON_Delete(NULL);
}

static void
test_purge_keeps_counts_drops_text(void **state)
{
	struct fixture *f = *state;
	char err[STORE_ERR_MAX];
	time_t now = utc(2026, 3, 10, 12, 0);
	struct store_vote v = {.answer = "7", .user = "U1", .channel = "C1", .question = "old question?",
	                       .topic = "po-backlog", .role = "po", .verdict = -1, .at = now - 31 * DAY};
	int replaced, purged = -1;
	cJSON *r;

	assert_int_equal(store_vote(f->st, &v, &replaced, err, sizeof(err)), 0);
	v.answer = "8";
	v.question = "new question?";
	v.at = now;
	assert_int_equal(store_vote(f->st, &v, &replaced, err, sizeof(err)), 0);
	assert_int_equal(store_log_question(f->st, now - 31 * DAY, NULL, 1, "old decline", err, sizeof(err)), 0);
	assert_int_equal(store_log_question(f->st, now, NULL, 1, "new decline", err, sizeof(err)), 0);
	assert_int_equal(store_purge_questions(f->st, now - 30 * DAY, &purged, err, sizeof(err)), 0);
	assert_int_equal(purged, 2);
	r = report_of(f->dir, 60, now);
	assert_int_equal(arr_len(r, "votes_by_topic"), 1);
	assert_int_equal(field(r, "votes_by_topic", 0, "not_right"), 2); /* the count stays */
	assert_int_equal(arr_len(r, "not_right_questions"), 1);
	assert_string_equal(sfield(r, "not_right_questions", 0, "question"), "new question?");
	assert_int_equal(arr_len(r, "declined_questions"), 1);
	assert_string_equal(sfield(r, "declined_questions", 0, "question"), "new decline");
	cJSON_Delete(r);
	/* the state file stays private */
	{
		char path[128];
		struct stat sb;
		snprintf(path, sizeof(path), "%s/" STORE_FILE, f->dir);
		assert_int_equal(stat(path, &sb), 0);
		assert_int_equal(sb.st_mode & 077, 0);
	}
}

static void
test_report_fresh_and_missing_dir(void **state)
{
	struct fixture *f = *state;
	char dir[128], err[256] = "";
	FILE *null = fopen("/dev/null", "w");
	cJSON *r;

	/* a fresh state directory (no database yet): an empty report */
	snprintf(dir, sizeof(dir), "%s/fresh", f->dir);
	assert_int_equal(mkdir(dir, 0700), 0);
	r = report_of(dir, 30, utc(2026, 3, 10, 12, 0));
	assert_int_equal(arr_len(r, "per_day"), 0);
	assert_int_equal(arr_len(r, "votes_by_topic"), 0);
	cJSON_Delete(r);
	/* missing: exit 3 and a reason naming it */
	snprintf(dir, sizeof(dir), "%s/missing", f->dir);
	assert_non_null(null);
	assert_int_equal(report_run(dir, 30, 0, time(NULL), null, err, sizeof(err)), 3);
	assert_non_null(strstr(err, "missing"));
	/* a database that is not one: exit 3 */
	snprintf(dir, sizeof(dir), "%s/garbage", f->dir);
	assert_int_equal(mkdir(dir, 0700), 0);
	{
		char path[192];
		FILE *fp;
		snprintf(path, sizeof(path), "%s/" STORE_FILE, dir);
		fp = fopen(path, "w");
		assert_non_null(fp);
		fputs("this is not a database, not at all, it is text long enough to be a header", fp);
		fclose(fp);
	}
	err[0] = '\0';
	assert_int_equal(report_run(dir, 30, 1, time(NULL), null, err, sizeof(err)), 3);
	assert_true(err[0] != '\0');
	fclose(null);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_migrations_from_empty, setup, teardown),
		cmocka_unit_test_setup_teardown(test_subscribe_show_unsubscribe_reopen, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unusable_directory_is_an_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_disk_full_is_reported, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kill9_loses_nothing_committed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tick_posts_once_per_day_across_restarts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tick_late_start_same_day_posts_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tick_retries_known_failures_and_pauses_gone_channels,
		                                setup, teardown),
		cmocka_unit_test_setup_teardown(test_tick_after_crash_mid_post_does_not_post_twice, setup,
		                                teardown),
		cmocka_unit_test_setup_teardown(test_rotation_no_repeat_until_all_shown, setup, teardown),
		cmocka_unit_test_setup_teardown(test_votes_replace_and_report, setup, teardown),
		cmocka_unit_test_setup_teardown(test_purge_keeps_counts_drops_text, setup, teardown),
		cmocka_unit_test_setup_teardown(test_report_fresh_and_missing_dir, setup, teardown),
	};

	log_init(LOG_ERROR);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
