/* sched.h -- when a channel's daily tip is due, in the channel's own zone.
 *
 * Pure functions of (subscription, now, last post's local date): no clock, no
 * storage, so tests inject any instant. The rules:
 *   - at most one tip per local calendar day of the subscription's zone;
 *   - a day's tip is due from its posting time until local midnight, so a
 *     daemon that was down at the posting time posts once when it starts
 *     later that day, and one that was down for days posts one tip, not a
 *     backlog;
 *   - weekdays_only skips Saturday and Sunday in the channel's zone;
 *   - a posting time that does not exist (spring-forward gap) posts as many
 *     minutes after the gap's start as it asked for, as mktime() does (02:30
 *     in Copenhagen on 2026-03-29 posts at 03:30 CEST); a time that exists
 *     twice (fall-back) posts at the first one;
 *   - no tip is due for a day whose posting time came before the
 *     subscription took effect (sub->since).
 *
 * Zone conversion uses the C library with TZ set to the zone for the length
 * of one call, then restored. That is not thread-safe: pmpo-bot is one thread
 * (one libuv loop), so it is fine here; a threaded caller would need to read
 * zoneinfo itself. Zone names are checked against the zoneinfo files, because
 * glibc silently treats an unknown TZ as UTC. */
#ifndef PMPO_SCHED_H
#define PMPO_SCHED_H

#include <stddef.h>
#include <time.h>

#define SCHED_CHANNEL_MAX 63
#define SCHED_TZ_MAX 63
#define SCHED_USER_MAX 63
#define SCHED_DATE_LEN 10 /* "YYYY-MM-DD" */

/* One channel's daily-tip subscription. */
struct subscription {
	char channel[SCHED_CHANNEL_MAX + 1];
	int hh, mm;                    /* local posting time */
	char tz[SCHED_TZ_MAX + 1];     /* IANA zone, e.g. "Europe/Copenhagen" */
	int weekdays_only;             /* skip Saturday and Sunday */
	int paused;                    /* set when posting to the channel failed for good */
	char pause_reason[32];         /* why, e.g. "not_in_channel"; "" when not paused */
	char created_by[SCHED_USER_MAX + 1];
	time_t since;                  /* when it was created or last changed */
};

/* 1 if tz names a zoneinfo file (or is "UTC"), and the name is safe to use as
 * a path (no "..", no leading '/'); 0 otherwise. */
int sched_tz_valid(const char *tz);

/* Writes the local date of t in tz as "YYYY-MM-DD" into out[SCHED_DATE_LEN+1].
 * 0, or -1 if tz is invalid. */
int sched_local_date(const char *tz, time_t t, char *out);

/* The instant of sub's posting time on local date y-m-d (m 1..12), following
 * the gap and overlap rules above. 0, or -1 on an invalid zone or date. */
int sched_post_time(const struct subscription *sub, int y, int m, int d, time_t *out);

/* 1 if a tip should be posted for sub at now, given the local date of the
 * last post ("YYYY-MM-DD", or NULL/"" for never); 0 if not, or if the
 * subscription is paused or its zone invalid. */
int sched_due(const struct subscription *sub, time_t now, const char *last_post_local_date);

/* The next instant a tip will be posted: now if one is due, else the first
 * later posting time that sched_due will accept. (time_t)-1 if there is none
 * (paused, invalid zone). */
time_t sched_next_post(const struct subscription *sub, time_t now, const char *last_post_local_date);

/* Formats t in tz like "Mon 2026-03-30 09:30 CEST" into buf. 0, or -1. */
int sched_format(const char *tz, time_t t, char *buf, size_t len);

#endif
