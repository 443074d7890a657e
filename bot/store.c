/* store.c -- SQLite state: schema migrations, subscriptions, rotation, posts.
 *
 * Durability choice: WAL with synchronous=FULL. WAL with NORMAL survives a
 * kill -9 too, but a power cut can lose the last commits, and we tell users
 * "subscribed" right after a commit; FULL makes that answer hold. We write a
 * few rows a day, so the extra fsync per commit costs nothing that matters. */
#include "store.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sqlite3.h>

#include "log.h"
#include "rotation.h"

#define BUSY_TIMEOUT_MS 5000
#define STORE_LIST_MAX 100000 /* subscriptions store_list will return */

struct store {
	sqlite3 *db;
	int version;
};

/* Migration N (1-based) takes the schema from version N-1 to N. Never edit a
 * migration that has shipped; add a new one. */
static const char *const migrations[] = {
	/* 1: subscriptions, rotation, last post per channel. */
	"CREATE TABLE subscriptions ("
	"  channel TEXT PRIMARY KEY NOT NULL,"
	"  hh INTEGER NOT NULL CHECK (hh BETWEEN 0 AND 23),"
	"  mm INTEGER NOT NULL CHECK (mm BETWEEN 0 AND 59),"
	"  tz TEXT NOT NULL,"
	"  weekdays_only INTEGER NOT NULL DEFAULT 0,"
	"  paused INTEGER NOT NULL DEFAULT 0,"
	"  pause_reason TEXT,"
	"  created_by TEXT NOT NULL,"
	"  since INTEGER NOT NULL);"
	"CREATE TABLE rotation ("
	"  channel TEXT PRIMARY KEY NOT NULL,"
	"  seed INTEGER NOT NULL,"
	"  cycle INTEGER NOT NULL,"
	"  position INTEGER NOT NULL,"
	"  ntips INTEGER NOT NULL);"
	"CREATE TABLE posts ("
	"  channel TEXT PRIMARY KEY NOT NULL,"
	"  local_date TEXT NOT NULL,"
	"  state INTEGER NOT NULL CHECK (state IN (0, 1, 2)),"
	"  tip_index INTEGER NOT NULL,"
	"  attempts INTEGER NOT NULL,"
	"  updated_at INTEGER NOT NULL);",
	/* 2: feedback votes, questions counted per day, declined questions.
	 * question is NULL when no text may be kept (question_log_days = 0, or
	 * purged after question_log_days). */
	"CREATE TABLE votes ("
	"  answer TEXT NOT NULL,"
	"  user TEXT NOT NULL,"
	"  channel TEXT NOT NULL,"
	"  question TEXT,"
	"  topic TEXT NOT NULL,"
	"  role TEXT NOT NULL,"
	"  declined INTEGER NOT NULL,"
	"  verdict INTEGER NOT NULL CHECK (verdict IN (-1, 1)),"
	"  at INTEGER NOT NULL,"
	"  PRIMARY KEY (answer, user));"
	"CREATE TABLE question_counts ("
	"  day TEXT NOT NULL,"
	"  topic TEXT NOT NULL,"
	"  declined INTEGER NOT NULL,"
	"  n INTEGER NOT NULL,"
	"  PRIMARY KEY (day, topic, declined));"
	"CREATE TABLE declined_questions ("
	"  at INTEGER NOT NULL,"
	"  question TEXT NOT NULL);"
	"CREATE INDEX declined_at ON declined_questions (at);",
};
#define NMIGRATIONS ((int)(sizeof(migrations) / sizeof(migrations[0])))

static void
fail(struct store *st, char *err, size_t errlen, const char *what)
{
	const char *why = st && st->db ? sqlite3_errmsg(st->db) : "out of memory";

	snprintf(err, errlen, "%s: %s", what, why);
	log_error("store_failed", "op=\"%s\" reason=\"%s\"", what, why);
}

static int
exec(struct store *st, const char *sql)
{
	return sqlite3_exec(st->db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

/* BEGIN IMMEDIATE takes the write lock up front, so a busy database shows up
 * here (after busy_timeout) and not halfway through. */
static int
begin(struct store *st, char *err, size_t errlen)
{
	if (exec(st, "BEGIN IMMEDIATE") != 0) {
		fail(st, err, errlen, "begin transaction");
		return -1;
	}
	return 0;
}

/* After a failure inside a transaction: undo it, if SQLite has not already. */
static void
rollback(struct store *st)
{
	if (!sqlite3_get_autocommit(st->db))
		(void)exec(st, "ROLLBACK"); /* nothing better to do if even this fails */
}

/* Commits; a failed commit (disk full) is rolled back here, so callers only
 * report it. */
static int
commit(struct store *st, char *err, size_t errlen)
{
	if (exec(st, "COMMIT") != 0) {
		fail(st, err, errlen, "commit");
		rollback(st);
		return -1;
	}
	return 0;
}

/* Prepares sql and binds the arguments described by types: 't' text, 'i'
 * int64 (passed as long long). NULL on error. */
static sqlite3_stmt *
prepare(struct store *st, const char *sql, const char *types, ...)
{
	sqlite3_stmt *stmt = NULL;
	va_list ap;
	int rc = SQLITE_OK, i = 1;

	if (sqlite3_prepare_v2(st->db, sql, -1, &stmt, NULL) != SQLITE_OK)
		return NULL;
	va_start(ap, types);
	for (const char *t = types; *t && rc == SQLITE_OK; t++, i++) {
		if (*t == 't')
			rc = sqlite3_bind_text(stmt, i, va_arg(ap, const char *), -1, SQLITE_TRANSIENT);
		else
			rc = sqlite3_bind_int64(stmt, i, va_arg(ap, long long));
	}
	va_end(ap);
	if (rc != SQLITE_OK) {
		sqlite3_finalize(stmt);
		return NULL;
	}
	return stmt;
}

/* Runs a statement that returns no rows; finalizes it. 0, or -1. */
static int
run_stmt(sqlite3_stmt *stmt)
{
	int rc;

	if (stmt == NULL)
		return -1;
	rc = sqlite3_step(stmt);
	sqlite3_finalize(stmt);
	return rc == SQLITE_DONE ? 0 : -1;
}

static int
migrate(struct store *st, char *err, size_t errlen)
{
	sqlite3_stmt *stmt;
	int version = 0, rc;

	if (begin(st, err, errlen) != 0)
		return -1;
	if (exec(st, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)") != 0)
		goto fail;
	if ((stmt = prepare(st, "SELECT version FROM schema_version", "")) == NULL)
		goto fail;
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		version = sqlite3_column_int(stmt, 0);
	sqlite3_finalize(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		goto fail;
	if (rc == SQLITE_DONE && exec(st, "INSERT INTO schema_version VALUES (0)") != 0)
		goto fail;
	if (version > NMIGRATIONS) {
		rollback(st);
		snprintf(err, errlen, "the state database is at schema version %d, newer than this "
		         "pmpo-bot knows (%d); use a newer pmpo-bot", version, NMIGRATIONS);
		log_error("store_failed", "op=migrate reason=newer_schema version=%d", version);
		return -1;
	}
	for (int v = version; v < NMIGRATIONS; v++) {
		if (exec(st, migrations[v]) != 0)
			goto fail;
		if (run_stmt(prepare(st, "UPDATE schema_version SET version = ?", "i",
		                     (long long)(v + 1))) != 0)
			goto fail;
		log_info("store_migrated", "version=%d", v + 1);
	}
	if (commit(st, err, errlen) != 0)
		return -1;
	st->version = NMIGRATIONS;
	return 0;
fail:
	fail(st, err, errlen, "migrate schema");
	rollback(st);
	return -1;
}

/* Runs a PRAGMA that answers one text value and checks the answer. */
static int
pragma_expect(struct store *st, const char *sql, const char *want)
{
	sqlite3_stmt *stmt = prepare(st, sql, "");
	int ok;

	if (stmt == NULL)
		return -1;
	ok = sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_text(stmt, 0) != NULL &&
	     strcmp((const char *)sqlite3_column_text(stmt, 0), want) == 0;
	sqlite3_finalize(stmt);
	return ok ? 0 : -1;
}

int
store_open(const char *dir, struct store **out, char *err, size_t errlen)
{
	struct store *st;
	char path[1100];
	struct stat sb;

	*out = NULL;
	if (dir == NULL || *dir == '\0') {
		snprintf(err, errlen, "no state directory configured");
		return -1;
	}
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		snprintf(err, errlen, "cannot create the state directory %s: %s", dir, strerror(errno));
		log_error("store_failed", "op=mkdir dir=\"%s\" errno=%d", dir, errno);
		return -1;
	}
	if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
		snprintf(err, errlen, "the state directory %s is not a directory", dir);
		return -1;
	}
	if (snprintf(path, sizeof(path), "%s/%s", dir, STORE_FILE) >= (int)sizeof(path)) {
		snprintf(err, errlen, "the state directory path is too long");
		return -1;
	}
	if ((st = calloc(1, sizeof(*st))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
	    SQLITE_OK) {
		fail(st, err, errlen, "open the state database");
		goto fail;
	}
	sqlite3_extended_result_codes(st->db, 1);
	/* question text lives here: private whatever the umask (SQLite gives the
	 * -wal and -shm files the database's mode) */
	if (chmod(path, 0600) != 0) {
		snprintf(err, errlen, "cannot make %s private: %s", path, strerror(errno));
		log_error("store_failed", "op=chmod errno=%d", errno);
		goto fail;
	}
	if (sqlite3_busy_timeout(st->db, BUSY_TIMEOUT_MS) != SQLITE_OK) {
		fail(st, err, errlen, "set busy_timeout");
		goto fail;
	}
	/* WAL needs a writable directory for its -wal and -shm files; asking for it
	 * is also the first write, so a read-only place fails here, clearly. */
	if (pragma_expect(st, "PRAGMA journal_mode=WAL", "wal") != 0) {
		fail(st, err, errlen, "switch the state database to WAL");
		goto fail;
	}
	if (exec(st, "PRAGMA synchronous=FULL") != 0) {
		fail(st, err, errlen, "set synchronous=FULL");
		goto fail;
	}
	if (migrate(st, err, errlen) != 0)
		goto fail;
	*out = st;
	return 0;
fail:
	sqlite3_close(st->db);
	free(st);
	return -1;
}

void
store_close(struct store *st)
{
	if (st == NULL)
		return;
	if (sqlite3_close(st->db) != SQLITE_OK)
		log_warn("store_close_failed", "reason=\"%s\"", sqlite3_errmsg(st->db));
	free(st);
}

int
store_schema_version(struct store *st)
{
	return st->version;
}

int
store_subscribe(struct store *st, const struct subscription *sub, char *err, size_t errlen)
{
	if (begin(st, err, errlen) != 0)
		return -1;
	if (run_stmt(prepare(st,
	        "INSERT INTO subscriptions (channel, hh, mm, tz, weekdays_only, paused, "
	        "pause_reason, created_by, since) VALUES (?, ?, ?, ?, ?, 0, NULL, ?, ?) "
	        "ON CONFLICT (channel) DO UPDATE SET hh = excluded.hh, mm = excluded.mm, "
	        "tz = excluded.tz, weekdays_only = excluded.weekdays_only, paused = 0, "
	        "pause_reason = NULL, created_by = excluded.created_by, since = excluded.since",
	        "tiititi", sub->channel, (long long)sub->hh, (long long)sub->mm, sub->tz,
	        (long long)(sub->weekdays_only != 0), sub->created_by, (long long)sub->since)) != 0) {
		fail(st, err, errlen, "save the subscription");
		rollback(st);
		return -1;
	}
	if (commit(st, err, errlen) != 0)
		return -1;
	return 0;
}

int
store_unsubscribe(struct store *st, const char *channel, int *existed, char *err, size_t errlen)
{
	*existed = 0;
	if (begin(st, err, errlen) != 0)
		return -1;
	if (run_stmt(prepare(st, "DELETE FROM subscriptions WHERE channel = ?", "t", channel)) != 0) {
		fail(st, err, errlen, "remove the subscription");
		rollback(st);
		return -1;
	}
	*existed = sqlite3_changes(st->db) > 0;
	if (commit(st, err, errlen) != 0) {
		*existed = 0;
		return -1;
	}
	return 0;
}

static void
copy_text(char *dst, size_t cap, const unsigned char *src)
{
	snprintf(dst, cap, "%s", src ? (const char *)src : "");
}

static void
row_to_sub(sqlite3_stmt *stmt, struct subscription *s)
{
	memset(s, 0, sizeof(*s));
	copy_text(s->channel, sizeof(s->channel), sqlite3_column_text(stmt, 0));
	s->hh = sqlite3_column_int(stmt, 1);
	s->mm = sqlite3_column_int(stmt, 2);
	copy_text(s->tz, sizeof(s->tz), sqlite3_column_text(stmt, 3));
	s->weekdays_only = sqlite3_column_int(stmt, 4);
	s->paused = sqlite3_column_int(stmt, 5);
	copy_text(s->created_by, sizeof(s->created_by), sqlite3_column_text(stmt, 6));
	s->since = (time_t)sqlite3_column_int64(stmt, 7);
	copy_text(s->pause_reason, sizeof(s->pause_reason), sqlite3_column_text(stmt, 8));
}

#define SUB_COLUMNS "channel, hh, mm, tz, weekdays_only, paused, created_by, since, pause_reason"

int
store_get(struct store *st, const char *channel, struct subscription *out, int *found, char *err,
          size_t errlen)
{
	sqlite3_stmt *stmt;
	int rc;

	*found = 0;
	stmt = prepare(st, "SELECT " SUB_COLUMNS " FROM subscriptions WHERE channel = ?", "t", channel);
	if (stmt == NULL) {
		fail(st, err, errlen, "read the subscription");
		return -1;
	}
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		row_to_sub(stmt, out);
		*found = 1;
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		fail(st, err, errlen, "read the subscription");
		return -1;
	}
	return 0;
}

int
store_pause(struct store *st, const char *channel, const char *reason, char *err, size_t errlen)
{
	if (begin(st, err, errlen) != 0)
		return -1;
	if (run_stmt(prepare(st, "UPDATE subscriptions SET paused = 1, pause_reason = COALESCE(pause_reason, ?) "
	                         "WHERE channel = ?", "tt", reason, channel)) != 0) {
		fail(st, err, errlen, "pause the subscription");
		rollback(st);
		return -1;
	}
	if (commit(st, err, errlen) != 0)
		return -1;
	return 0;
}

int
store_list(struct store *st, struct subscription **out, size_t *n, char *err, size_t errlen)
{
	sqlite3_stmt *stmt;
	struct subscription *subs = NULL;
	size_t len = 0, cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	stmt = prepare(st, "SELECT " SUB_COLUMNS " FROM subscriptions ORDER BY channel", "");
	if (stmt == NULL) {
		fail(st, err, errlen, "list subscriptions");
		return -1;
	}
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW && len < STORE_LIST_MAX) {
		if (len == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			struct subscription *p = realloc(subs, ncap * sizeof(*subs));
			if (p == NULL) {
				rc = SQLITE_NOMEM;
				break;
			}
			subs = p;
			cap = ncap;
		}
		row_to_sub(stmt, &subs[len++]);
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		free(subs);
		fail(st, err, errlen, "list subscriptions");
		return -1;
	}
	*out = subs;
	*n = len;
	return 0;
}

/* Reads the posts row; 0 (with *found), or -1. Works inside a transaction. */
static int
read_post(struct store *st, const char *channel, struct store_post *out, int *found)
{
	sqlite3_stmt *stmt;
	int rc;

	*found = 0;
	stmt = prepare(st, "SELECT local_date, state, tip_index, attempts, updated_at FROM posts "
	                   "WHERE channel = ?", "t", channel);
	if (stmt == NULL)
		return -1;
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		memset(out, 0, sizeof(*out));
		copy_text(out->local_date, sizeof(out->local_date), sqlite3_column_text(stmt, 0));
		out->state = (enum store_post_state)sqlite3_column_int(stmt, 1);
		out->tip_index = (long)sqlite3_column_int64(stmt, 2);
		out->attempts = sqlite3_column_int(stmt, 3);
		out->updated_at = (time_t)sqlite3_column_int64(stmt, 4);
		*found = 1;
	}
	sqlite3_finalize(stmt);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

int
store_last_post(struct store *st, const char *channel, struct store_post *out, int *found,
                char *err, size_t errlen)
{
	if (read_post(st, channel, out, found) != 0) {
		fail(st, err, errlen, "read the last post");
		return -1;
	}
	return 0;
}

int
store_claim(struct store *st, const char *channel, const char *local_date, size_t ntips,
            time_t now, long *tip_index, char *err, size_t errlen)
{
	struct store_post last;
	sqlite3_stmt *stmt;
	unsigned long long seed;
	long long cycle = 0, pos = 0, stored_n = -1;
	int found, rc;
	long idx;

	if (ntips == 0 || ntips > ROTATION_MAX) {
		snprintf(err, errlen, "no tips to choose from");
		return -1;
	}
	if (begin(st, err, errlen) != 0)
		return -1;
	if (read_post(st, channel, &last, &found) != 0)
		goto fail;
	if (found && strcmp(last.local_date, local_date) == 0) {
		rollback(st);
		return 1;
	}
	seed = rotation_seed(channel);
	stmt = prepare(st, "SELECT seed, cycle, position, ntips FROM rotation WHERE channel = ?", "t",
	               channel);
	if (stmt == NULL)
		goto fail;
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		seed = (unsigned long long)sqlite3_column_int64(stmt, 0);
		cycle = sqlite3_column_int64(stmt, 1);
		pos = sqlite3_column_int64(stmt, 2);
		stored_n = sqlite3_column_int64(stmt, 3);
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		goto fail;
	/* A new set of tips (another build) or a finished cycle: start a new one. */
	if (stored_n >= 0 && (stored_n != (long long)ntips || pos < 0 || pos >= (long long)ntips)) {
		cycle++;
		pos = 0;
	}
	idx = rotation_index(seed, (unsigned long long)cycle, (size_t)pos, ntips);
	if (idx < 0)
		goto fail;
	if (run_stmt(prepare(st, "INSERT INTO rotation (channel, seed, cycle, position, ntips) "
	                         "VALUES (?, ?, ?, ?, ?) ON CONFLICT (channel) DO UPDATE SET "
	                         "seed = excluded.seed, cycle = excluded.cycle, "
	                         "position = excluded.position, ntips = excluded.ntips",
	                     "tiiii", channel, (long long)seed, cycle, pos + 1,
	                     (long long)ntips)) != 0)
		goto fail;
	if (run_stmt(prepare(st, "INSERT INTO posts (channel, local_date, state, tip_index, "
	                         "attempts, updated_at) VALUES (?, ?, ?, ?, 1, ?) "
	                         "ON CONFLICT (channel) DO UPDATE SET local_date = excluded.local_date, "
	                         "state = excluded.state, tip_index = excluded.tip_index, "
	                         "attempts = 1, updated_at = excluded.updated_at",
	                     "ttiii", channel, local_date, (long long)STORE_POST_CLAIMED,
	                     (long long)idx, (long long)now)) != 0)
		goto fail;
	if (commit(st, err, errlen) != 0)
		return -1;
	*tip_index = idx;
	return 0;
fail:
	fail(st, err, errlen, "claim the next tip");
	rollback(st);
	return -1;
}

/* Updates the posts row for (channel, local_date) with sql; 0, or -1. */
static int
update_post(struct store *st, const char *what, const char *sql, const char *channel,
            const char *local_date, long long a, long long b, char *err, size_t errlen)
{
	if (begin(st, err, errlen) != 0)
		return -1;
	if (run_stmt(prepare(st, sql, "iitt", a, b, channel, local_date)) != 0) {
		fail(st, err, errlen, what);
		rollback(st);
		return -1;
	}
	if (sqlite3_changes(st->db) != 1) {
		rollback(st);
		snprintf(err, errlen, "%s: no post recorded for that day", what);
		return -1;
	}
	if (commit(st, err, errlen) != 0)
		return -1;
	return 0;
}

int
store_post_result(struct store *st, const char *channel, const char *local_date,
                  enum store_post_state state, time_t now, char *err, size_t errlen)
{
	return update_post(st, "record the post", "UPDATE posts SET state = ?, updated_at = ? "
	                   "WHERE channel = ? AND local_date = ?", channel, local_date,
	                   (long long)state, (long long)now, err, errlen);
}

int
store_retry(struct store *st, const char *channel, const char *local_date, time_t now, char *err,
            size_t errlen)
{
	return update_post(st, "retry the post", "UPDATE posts SET state = ?, attempts = attempts + 1, "
	                   "updated_at = ? WHERE channel = ? AND local_date = ? AND state = 2",
	                   channel, local_date, (long long)STORE_POST_CLAIMED, (long long)now, err,
	                   errlen);
}

/* The UTC day of t, "YYYY-MM-DD". */
void
store_day(time_t t, char out[STORE_DAY_LEN + 1])
{
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL || tm.tm_year < -1900 || tm.tm_year > 9999 - 1900 ||
	    strftime(out, STORE_DAY_LEN + 1, "%Y-%m-%d", &tm) != STORE_DAY_LEN)
		memcpy(out, "0000-00-00", STORE_DAY_LEN + 1);
}

int
store_vote(struct store *st, const struct store_vote *v, int *replaced, char *err, size_t errlen)
{
	sqlite3_stmt *stmt;
	int rc;

	*replaced = 0;
	if (begin(st, err, errlen) != 0)
		return -1;
	stmt = prepare(st, "SELECT 1 FROM votes WHERE answer = ? AND user = ?", "tt", v->answer, v->user);
	if (stmt == NULL)
		goto fail;
	rc = sqlite3_step(stmt);
	sqlite3_finalize(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		goto fail;
	*replaced = rc == SQLITE_ROW;
	stmt = prepare(st, "INSERT OR REPLACE INTO votes (answer, user, channel, question, topic, role, "
	               "declined, verdict, at) VALUES (?, ?, ?, NULL, ?, ?, ?, ?, ?)",
	               "tttttiii", v->answer, v->user, v->channel, v->topic ? v->topic : "",
	               v->role ? v->role : "none", (long long)(v->declined != 0),
	               (long long)(v->verdict > 0 ? 1 : -1), (long long)v->at);
	if (run_stmt(stmt) != 0)
		goto fail;
	if (v->question != NULL &&
	    run_stmt(prepare(st, "UPDATE votes SET question = ? WHERE answer = ? AND user = ?", "ttt",
	                     v->question, v->answer, v->user)) != 0)
		goto fail;
	return commit(st, err, errlen);
fail:
	fail(st, err, errlen, "save the vote");
	rollback(st);
	return -1;
}

int
store_log_question(struct store *st, time_t at, const char *topic, int declined,
                   const char *question, char *err, size_t errlen)
{
	char day[STORE_DAY_LEN + 1];

	store_day(at, day);
	if (begin(st, err, errlen) != 0)
		return -1;
	if (run_stmt(prepare(st, "INSERT INTO question_counts (day, topic, declined, n) VALUES (?, ?, ?, 1) "
	                     "ON CONFLICT (day, topic, declined) DO UPDATE SET n = n + 1",
	                     "tti", day, topic ? topic : "", (long long)(declined != 0))) != 0)
		goto fail;
	if (question != NULL && declined &&
	    run_stmt(prepare(st, "INSERT INTO declined_questions (at, question) VALUES (?, ?)", "it",
	                     (long long)at, question)) != 0)
		goto fail;
	return commit(st, err, errlen);
fail:
	fail(st, err, errlen, "count the question");
	rollback(st);
	return -1;
}

int
store_purge_questions(struct store *st, time_t before, int *purged, char *err, size_t errlen)
{
	*purged = 0;
	if (begin(st, err, errlen) != 0)
		return -1;
	if (run_stmt(prepare(st, "DELETE FROM declined_questions WHERE at < ?", "i", (long long)before)) != 0)
		goto fail;
	*purged += sqlite3_changes(st->db);
	if (run_stmt(prepare(st, "UPDATE votes SET question = NULL WHERE at < ? AND question IS NOT NULL",
	                     "i", (long long)before)) != 0)
		goto fail;
	*purged += sqlite3_changes(st->db);
	return commit(st, err, errlen);
fail:
	fail(st, err, errlen, "purge old question text");
	rollback(st);
	return -1;
}
