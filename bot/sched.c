/* sched.c -- daily posting times in IANA zones, with DST gaps and overlaps. */
#include "sched.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define DAY 86400L

/* ---- civil calendar, independent of any zone (H. Hinnant's algorithms) ---- */

static long
days_from_civil(long y, long m, long d)
{
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
civil_from_days(long z, int *y, int *m, int *d)
{
	long era, doe, yoe, doy, mp, yy;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	yy = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yy + (*m <= 2));
}

/* 0 = Sunday ... 6 = Saturday; day 0 (1970-01-01) was a Thursday. */
static int
weekday_of_days(long z)
{
	return (int)(((z % 7) + 7 + 4) % 7);
}

/* ---- the zone: TZ swapped in for the length of one call ---- */

struct tz_saved {
	char *old; /* owned copy of the previous TZ, or NULL if it was unset */
};

static int
tz_enter(const char *tz, struct tz_saved *saved)
{
	const char *old = getenv("TZ");
	char spec[SCHED_TZ_MAX + 2];

	if (!sched_tz_valid(tz))
		return -1;
	saved->old = old ? strdup(old) : NULL;
	if (old != NULL && saved->old == NULL)
		return -1;
	/* The leading ':' tells glibc "a zoneinfo file", never a POSIX rule. */
	snprintf(spec, sizeof(spec), ":%s", tz);
	if (setenv("TZ", spec, 1) != 0) {
		free(saved->old);
		return -1;
	}
	tzset();
	return 0;
}

static void
tz_leave(struct tz_saved *saved)
{
	if (saved->old != NULL)
		setenv("TZ", saved->old, 1);
	else
		unsetenv("TZ");
	tzset();
	free(saved->old);
	saved->old = NULL;
}

/* Local wall time of t as seconds since 1970-01-01 00:00 "local epoch"; the
 * zone must be entered. 0, or -1. */
static int
wall_of(time_t t, long long *wall, struct tm *tm_out)
{
	struct tm tm;

	if (localtime_r(&t, &tm) == NULL)
		return -1;
	*wall = (long long)days_from_civil(tm.tm_year + 1900L, tm.tm_mon + 1L, tm.tm_mday) * DAY +
	        tm.tm_hour * 3600LL + tm.tm_min * 60LL + tm.tm_sec;
	if (tm_out != NULL)
		*tm_out = tm;
	return 0;
}

/* The UTC offset in seconds at instant t; the zone must be entered. */
static int
offset_at(time_t t, long long *off)
{
	long long w;

	if (wall_of(t, &w, NULL) != 0)
		return -1;
	*off = w - (long long)t;
	return 0;
}

/* The earliest instant whose local wall time is `wall`; in a gap, the instant
 * `wall` would be under the offset in force before the gap. The zone must be
 * entered. Offsets are sampled a day either side: no real zone changes its
 * offset twice within two days. */
static int
instant_of_wall(long long wall, time_t *out)
{
	long long offs[3], best = 0, before;
	int found = 0;

	if (offset_at((time_t)(wall - DAY), &offs[0]) != 0 ||
	    offset_at((time_t)(wall + DAY), &offs[1]) != 0 ||
	    offset_at((time_t)wall, &offs[2]) != 0)
		return -1;
	before = offs[0];
	for (int i = 0; i < 3; i++) {
		long long t = wall - offs[i], w;
		if (wall_of((time_t)t, &w, NULL) != 0)
			return -1;
		if (w == wall && (!found || t < best)) {
			best = t;
			found = 1;
		}
	}
	if (!found)
		best = wall - before; /* the gap: lands as far past it as asked */
	*out = (time_t)best;
	return 0;
}

int
sched_tz_valid(const char *tz)
{
	const char *dir = "/usr/share/zoneinfo";
	char path[512], magic[4];
	struct stat st;
	FILE *f;
	size_t n = tz ? strlen(tz) : 0;
	int ok;

	if (n == 0 || n > SCHED_TZ_MAX || tz[0] == '/' || strstr(tz, "..") != NULL)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = tz[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '/' || c == '_' || c == '-' || c == '+'))
			return 0;
	}
	if (strcmp(tz, "UTC") == 0)
		return 1;
	if (snprintf(path, sizeof(path), "%s/%s", dir, tz) >= (int)sizeof(path))
		return 0;
	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
		return 0;
	if ((f = fopen(path, "rb")) == NULL)
		return 0;
	ok = fread(magic, 1, 4, f) == 4 && memcmp(magic, "TZif", 4) == 0;
	fclose(f);
	return ok;
}

/* Local date of now in the entered zone, as days since 1970-01-01. */
static int
local_day(time_t now, long *day)
{
	long long w;

	if (wall_of(now, &w, NULL) != 0)
		return -1;
	*day = (long)(w >= 0 ? w / DAY : (w - DAY + 1) / DAY);
	return 0;
}

static void
format_day(long day, char *out)
{
	char tmp[48];
	int y, m, d;

	civil_from_days(day, &y, &m, &d);
	snprintf(tmp, sizeof(tmp), "%04d-%02d-%02d", y, m, d);
	memcpy(out, tmp, SCHED_DATE_LEN); /* years 0..9999: all we ever see */
	out[SCHED_DATE_LEN] = '\0';
}

static int
post_time_entered(const struct subscription *sub, long day, time_t *out)
{
	return instant_of_wall((long long)day * DAY + sub->hh * 3600LL + sub->mm * 60LL, out);
}

int
sched_local_date(const char *tz, time_t t, char *out)
{
	struct tz_saved saved;
	long day;
	int rc;

	if (tz_enter(tz, &saved) != 0)
		return -1;
	rc = local_day(t, &day);
	tz_leave(&saved);
	if (rc == 0)
		format_day(day, out);
	return rc;
}

int
sched_post_time(const struct subscription *sub, int y, int m, int d, time_t *out)
{
	struct tz_saved saved;
	int rc;

	if (m < 1 || m > 12 || d < 1 || d > 31 || sub->hh < 0 || sub->hh > 23 || sub->mm < 0 ||
	    sub->mm > 59)
		return -1;
	if (tz_enter(sub->tz, &saved) != 0)
		return -1;
	rc = post_time_entered(sub, days_from_civil(y, m, d), out);
	tz_leave(&saved);
	return rc;
}

/* Is local day `day` a posting day for sub, and is its posting time (put in
 * *at) one sched_due may accept? The zone must be entered. */
static int
day_counts(const struct subscription *sub, long day, const char *last, time_t *at)
{
	char date[SCHED_DATE_LEN + 1];
	int wd = weekday_of_days(day);

	if (sub->weekdays_only && (wd == 0 || wd == 6))
		return 0;
	format_day(day, date);
	if (last != NULL && strcmp(last, date) == 0)
		return 0;
	if (post_time_entered(sub, day, at) != 0)
		return 0;
	return *at >= sub->since;
}

static int
due_entered(const struct subscription *sub, time_t now, const char *last)
{
	long today;
	time_t at;

	if (sub->paused || sub->hh < 0 || sub->hh > 23 || sub->mm < 0 || sub->mm > 59)
		return 0;
	if (local_day(now, &today) != 0)
		return 0;
	return day_counts(sub, today, last, &at) && now >= at;
}

int
sched_due(const struct subscription *sub, time_t now, const char *last_post_local_date)
{
	struct tz_saved saved;
	int due;

	if (tz_enter(sub->tz, &saved) != 0)
		return 0;
	due = due_entered(sub, now, last_post_local_date);
	tz_leave(&saved);
	return due;
}

time_t
sched_next_post(const struct subscription *sub, time_t now, const char *last_post_local_date)
{
	struct tz_saved saved;
	time_t next = (time_t)-1, at;
	long today;

	if (sub->paused || sub->hh < 0 || sub->hh > 23 || sub->mm < 0 || sub->mm > 59)
		return (time_t)-1;
	if (tz_enter(sub->tz, &saved) != 0)
		return (time_t)-1;
	if (due_entered(sub, now, last_post_local_date)) {
		next = now;
	} else if (local_day(now, &today) == 0) {
		/* A week and a bit always holds a weekday. */
		for (long d = today; d <= today + 9; d++)
			if (day_counts(sub, d, last_post_local_date, &at) && at > now) {
				next = at;
				break;
			}
	}
	tz_leave(&saved);
	return next;
}

int
sched_format(const char *tz, time_t t, char *buf, size_t len)
{
	struct tz_saved saved;
	struct tm tm;
	int rc = -1;

	if (tz_enter(tz, &saved) != 0)
		return -1;
	if (localtime_r(&t, &tm) != NULL && strftime(buf, len, "%a %Y-%m-%d %H:%M %Z", &tm) > 0)
		rc = 0;
	tz_leave(&saved);
	return rc;
}
