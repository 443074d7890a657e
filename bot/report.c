/* report.c -- the admin's report from the state database (see report.h). */
#include "report.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>
#include <sqlite3.h>

#include "cli.h"
#include "errmsg.h"
#include "store.h"

#define BUSY_TIMEOUT_MS 5000

/* every failure here is the admin's to fix: exit 3 */
#define failf(...) (errmsg(__VA_ARGS__), PMPO_EXIT_CONFIG)


/* 1 if the database has table name (an older schema may not), 0 if not,
 * -1 if it cannot be read (not a database, say). */
static int
has_table(sqlite3 *db, const char *name)
{
	sqlite3_stmt *st = NULL;
	int found = -1, rc;

	if (sqlite3_prepare_v2(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", -1,
	                       &st, NULL) == SQLITE_OK &&
	    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC) == SQLITE_OK) {
		rc = sqlite3_step(st);
		found = rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
	}
	sqlite3_finalize(st);
	return found;
}

/* Runs sql with ?1 = since_day (text) and ?2 = since_at (int), appending one
 * object per row to arr with the given field names; a name starting with
 * '#' is a number column. 0, or -1. */
static int
rows(sqlite3 *db, const char *sql, const char *since_day, long long since_at, cJSON *arr,
     const char *const *names, int ncols)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_bind_text(st, 1, since_day, -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 2, since_at) != SQLITE_OK) {
		sqlite3_finalize(st);
		return -1;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		cJSON *o = cJSON_CreateObject();
		if (o == NULL)
			break;
		cJSON_AddItemToArray(arr, o);
		for (int i = 0; i < ncols; i++) {
			if (names[i][0] == '#') {
				if (cJSON_AddNumberToObject(o, names[i] + 1,
				                            (double)sqlite3_column_int64(st, i)) == NULL)
					goto oom;
			} else {
				const unsigned char *t = sqlite3_column_text(st, i);
				if (cJSON_AddStringToObject(o, names[i], t ? (const char *)t : "") == NULL)
					goto oom;
			}
		}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
oom:
	sqlite3_finalize(st);
	return -1;
}

/* The figures, from db (NULL: no database yet, every list empty). */
static int
collect(sqlite3 *db, const char *since_day, long long since_at, cJSON *rep)
{
	static const char *const per_day[] = {"day", "#answered", "#declined"};
	static const char *const by_topic[] = {"topic", "#helpful", "#not_right"};
	static const char *const declined[] = {"question", "#count"};
	static const char *const down[] = {"question", "topic", "#count"};
	static const char *const top[] = {"topic", "#count"};
	cJSON *a[5];
	const char *keys[5] = {"per_day", "votes_by_topic", "declined_questions", "not_right_questions",
	                       "top_topics"};
	int counts, votes, decl;

	for (int i = 0; i < 5; i++)
		if ((a[i] = cJSON_AddArrayToObject(rep, keys[i])) == NULL)
			return -1;
	if (db == NULL)
		return 0;
	counts = has_table(db, "question_counts");
	votes = has_table(db, "votes");
	decl = has_table(db, "declined_questions");
	if (counts < 0 || votes < 0 || decl < 0)
		return -1;
	if (counts &&
	    rows(db, "SELECT day, SUM(CASE WHEN declined = 0 THEN n ELSE 0 END), "
	         "SUM(CASE WHEN declined = 1 THEN n ELSE 0 END) FROM question_counts "
	         "WHERE day >= ?1 AND ?2 = ?2 GROUP BY day ORDER BY day", since_day, since_at, a[0],
	         per_day, 3) != 0)
		return -1;
	if (votes &&
	    rows(db, "SELECT CASE WHEN topic = '' THEN '(declined)' ELSE topic END, "
	         "SUM(verdict = 1), SUM(verdict = -1) FROM votes WHERE ?1 = ?1 AND at >= ?2 "
	         "GROUP BY 1 ORDER BY SUM(verdict = -1) DESC, 1", since_day, since_at, a[1], by_topic, 3) != 0)
		return -1;
	if (decl &&
	    rows(db, "SELECT question, COUNT(*) FROM declined_questions WHERE ?1 = ?1 AND at >= ?2 "
	         "GROUP BY question ORDER BY 2 DESC, 1 LIMIT 50", since_day, since_at, a[2], declined, 2) != 0)
		return -1;
	if (votes &&
	    rows(db, "SELECT question, CASE WHEN topic = '' THEN '(declined)' ELSE topic END, COUNT(*) "
	         "FROM votes WHERE ?1 = ?1 AND at >= ?2 AND verdict = -1 AND question IS NOT NULL "
	         "GROUP BY question, topic ORDER BY 3 DESC, 1 LIMIT 50", since_day, since_at, a[3], down, 3) != 0)
		return -1;
	if (counts &&
	    rows(db, "SELECT topic, SUM(n) FROM question_counts WHERE day >= ?1 AND ?2 = ?2 "
	         "AND declined = 0 AND topic != '' GROUP BY topic ORDER BY 2 DESC, 1 LIMIT 10",
	         since_day, since_at, a[4], top, 2) != 0)
		return -1;
	return 0;
}

static double
num(const cJSON *o, const char *k)
{
	return cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(o, k));
}

static const char *
str(const cJSON *o, const char *k)
{
	const char *s = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, k));

	return s ? s : "";
}

/* s on one line with control characters as spaces (a question may hold a
 * newline or an escape sequence; this is a terminal). */
static void
put_clean(FILE *out, const char *s)
{
	for (; *s; s++)
		fputc((unsigned char)*s < 0x20 || *s == 0x7f ? ' ' : *s, out);
}

static void
print_text(const cJSON *rep, FILE *out)
{
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(rep, "totals"), *o;

	fprintf(out, "pmpo-bot report: %d days, %s to %s (UTC)\n", (int)num(rep, "days"),
	        str(rep, "since"), str(rep, "until"));
	fprintf(out, "questions: %.0f answered, %.0f declined; votes: %.0f helpful, %.0f not right\n",
	        num(t, "answered"), num(t, "declined"), num(t, "helpful"), num(t, "not_right"));
	fprintf(out, "\nper day (answered / declined):\n");
	cJSON_ArrayForEach(o, cJSON_GetObjectItemCaseSensitive(rep, "per_day"))
		fprintf(out, "  %s  %6.0f  %6.0f\n", str(o, "day"), num(o, "answered"), num(o, "declined"));
	fprintf(out, "\nvotes per topic (helpful / not right):\n");
	cJSON_ArrayForEach(o, cJSON_GetObjectItemCaseSensitive(rep, "votes_by_topic"))
		fprintf(out, "  %-32s %5.0f %5.0f\n", str(o, "topic"), num(o, "helpful"), num(o, "not_right"));
	fprintf(out, "\nmarked not right (count, topic, question):\n");
	cJSON_ArrayForEach(o, cJSON_GetObjectItemCaseSensitive(rep, "not_right_questions")) {
		fprintf(out, "  %4.0f  %-24s ", num(o, "count"), str(o, "topic"));
		put_clean(out, str(o, "question"));
		fputc('\n', out);
	}
	fprintf(out, "\ndeclined (count, question):\n");
	cJSON_ArrayForEach(o, cJSON_GetObjectItemCaseSensitive(rep, "declined_questions")) {
		fprintf(out, "  %4.0f  ", num(o, "count"));
		put_clean(out, str(o, "question"));
		fputc('\n', out);
	}
	fprintf(out, "\nmost asked topics:\n");
	cJSON_ArrayForEach(o, cJSON_GetObjectItemCaseSensitive(rep, "top_topics"))
		fprintf(out, "  %-32s %5.0f\n", str(o, "topic"), num(o, "count"));
}

/* totals, summed from the lists. */
static int
add_totals(cJSON *rep)
{
	double ans = 0, dec = 0, up = 0, down = 0;
	const cJSON *o;
	cJSON *t = cJSON_CreateObject();

	if (t == NULL)
		return -1;
	cJSON_AddItemToObject(rep, "totals", t);
	cJSON_ArrayForEach(o, cJSON_GetObjectItemCaseSensitive(rep, "per_day")) {
		ans += num(o, "answered");
		dec += num(o, "declined");
	}
	cJSON_ArrayForEach(o, cJSON_GetObjectItemCaseSensitive(rep, "votes_by_topic")) {
		up += num(o, "helpful");
		down += num(o, "not_right");
	}
	return cJSON_AddNumberToObject(t, "answered", ans) && cJSON_AddNumberToObject(t, "declined", dec) &&
	       cJSON_AddNumberToObject(t, "helpful", up) && cJSON_AddNumberToObject(t, "not_right", down)
	       ? 0 : -1;
}

int
report_run(const char *state_dir, int days, int json, time_t now, FILE *out, char *err,
           size_t errlen)
{
	char path[1100], since_day[STORE_DAY_LEN + 1], until_day[STORE_DAY_LEN + 1], *s = NULL;
	long long since_at;
	struct stat sb;
	sqlite3 *db = NULL;
	cJSON *rep = NULL;
	int rc = PMPO_EXIT_CONFIG;

	if (days < 1 || days > REPORT_DAYS_MAX)
		return failf(err, errlen, "--days must be 1 to %d", REPORT_DAYS_MAX);
	if (state_dir == NULL || *state_dir == '\0')
		return failf(err, errlen, "no state directory configured (state_dir, PMPO_STATE_DIR)");
	if (stat(state_dir, &sb) != 0)
		return failf(err, errlen, "cannot use the state directory %s: %s", state_dir, strerror(errno));
	if (!S_ISDIR(sb.st_mode))
		return failf(err, errlen, "the state directory %s is not a directory", state_dir);
	if (access(state_dir, R_OK | X_OK) != 0)
		return failf(err, errlen, "cannot read the state directory %s: %s", state_dir, strerror(errno));
	if (snprintf(path, sizeof(path), "%s/%s", state_dir, STORE_FILE) >= (int)sizeof(path))
		return failf(err, errlen, "the state directory path is too long");
	since_at = (long long)now - (long long)days * 86400 + 86400;
	store_day((time_t)since_at, since_day);
	store_day(now, until_day);
	since_at -= since_at % 86400; /* from the start of that UTC day */
	if (stat(path, &sb) == 0) {
		if (access(path, R_OK) != 0) {
			errmsg(err, errlen, "cannot read %s: %s", path, strerror(errno));
			goto out;
		}
		if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
		    sqlite3_busy_timeout(db, BUSY_TIMEOUT_MS) != SQLITE_OK) {
			errmsg(err, errlen, "cannot open %s: %s", path, db ? sqlite3_errmsg(db) : "out of memory");
			goto out;
		}
	} else if (errno != ENOENT) {
		errmsg(err, errlen, "cannot use %s: %s", path, strerror(errno));
		goto out;
	}
	if ((rep = cJSON_CreateObject()) == NULL ||
	    cJSON_AddNumberToObject(rep, "days", days) == NULL ||
	    cJSON_AddStringToObject(rep, "since", since_day) == NULL ||
	    cJSON_AddStringToObject(rep, "until", until_day) == NULL) {
		errmsg(err, errlen, "out of memory");
		goto out;
	}
	if (collect(db, since_day, since_at, rep) != 0) {
		errmsg(err, errlen, "cannot read %s: %s", path, db ? sqlite3_errmsg(db) : "out of memory");
		goto out;
	}
	if (add_totals(rep) != 0) {
		errmsg(err, errlen, "out of memory");
		goto out;
	}
	if (json) {
		if ((s = cJSON_PrintUnformatted(rep)) == NULL) {
			errmsg(err, errlen, "out of memory");
			goto out;
		}
		fprintf(out, "%s\n", s);
	} else {
		print_text(rep, out);
	}
	if (fflush(out) != 0 || ferror(out)) {
		rc = PMPO_EXIT_RUNTIME;
		snprintf(err, errlen, "cannot write the report: %s", strerror(errno));
		goto out;
	}
	rc = PMPO_EXIT_OK;
out:
	free(s);
	cJSON_Delete(rep);
	sqlite3_close(db);
	return rc;
}
