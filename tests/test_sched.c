/* test_sched.c -- posting times across DST, far zones, day edges and
 * weekends, with an injected clock (no sleeping). Instants are written in
 * UTC and the expected local meaning is in the comment beside each. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rotation.h"
#include "sched.h"

/* Seconds since the epoch of a UTC civil time (no libc zone involved). */
static time_t
utc(int y, int mo, int d, int h, int mi)
{
	long yy = y - (mo <= 2), era = (yy >= 0 ? yy : yy - 399) / 400, yoe = yy - era * 400;
	long doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long days = era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;

	return (time_t)(days * 86400L + h * 3600L + mi * 60L);
}

static struct subscription
sub(const char *tz, int hh, int mm, int weekdays_only)
{
	struct subscription s;

	memset(&s, 0, sizeof(s));
	snprintf(s.channel, sizeof(s.channel), "C1");
	snprintf(s.tz, sizeof(s.tz), "%s", tz);
	s.hh = hh;
	s.mm = mm;
	s.weekdays_only = weekdays_only;
	s.since = utc(2000, 1, 1, 0, 0);
	return s;
}

static void
assert_post_time(const struct subscription *s, int y, int m, int d, time_t want)
{
	time_t got;

	assert_int_equal(sched_post_time(s, y, m, d, &got), 0);
	if (got != want)
		fail_msg("%s %02d:%02d on %04d-%02d-%02d: got %lld, want %lld (diff %lld s)", s->tz,
		         s->hh, s->mm, y, m, d, (long long)got, (long long)want,
		         (long long)(got - want));
}

static void
test_zone_names(void **state)
{
	(void)state;
	assert_true(sched_tz_valid("Europe/Copenhagen"));
	assert_true(sched_tz_valid("America/New_York"));
	assert_true(sched_tz_valid("UTC"));
	assert_false(sched_tz_valid("Mars/Olympus"));
	assert_false(sched_tz_valid("Europe/Atlantis"));
	assert_false(sched_tz_valid("../../etc/passwd"));
	assert_false(sched_tz_valid("/etc/localtime"));
	assert_false(sched_tz_valid("Europe"));       /* a directory, not a zone */
	assert_false(sched_tz_valid(""));
	assert_false(sched_tz_valid("Europe/Copen hagen"));
}

static void
test_copenhagen_spring_forward(void **state)
{
	struct subscription s = sub("Europe/Copenhagen", 2, 30, 0);
	struct subscription nine = sub("Europe/Copenhagen", 9, 0, 0);

	(void)state;
	/* 2026-03-29 02:00 CET jumps to 03:00 CEST: 02:30 does not exist and
	 * posts at 03:30 CEST = 01:30 UTC. */
	assert_post_time(&s, 2026, 3, 29, utc(2026, 3, 29, 1, 30));
	assert_false(sched_due(&s, utc(2026, 3, 29, 1, 29), "2026-03-28"));
	assert_true(sched_due(&s, utc(2026, 3, 29, 1, 30), "2026-03-28"));
	assert_false(sched_due(&s, utc(2026, 3, 29, 1, 31), "2026-03-29"));
	/* The day before and after keep their plain offsets. */
	assert_post_time(&s, 2026, 3, 28, utc(2026, 3, 28, 1, 30)); /* 02:30 CET */
	assert_post_time(&s, 2026, 3, 30, utc(2026, 3, 30, 0, 30)); /* 02:30 CEST */
	assert_post_time(&nine, 2026, 3, 28, utc(2026, 3, 28, 8, 0)); /* 09:00 CET */
	assert_post_time(&nine, 2026, 3, 29, utc(2026, 3, 29, 7, 0)); /* 09:00 CEST */
	/* The skipped hour never makes a day post twice or not at all. */
	assert_int_equal(sched_next_post(&s, utc(2026, 3, 28, 12, 0), "2026-03-28"),
	                 utc(2026, 3, 29, 1, 30));
}

static void
test_copenhagen_fall_back(void **state)
{
	struct subscription s = sub("Europe/Copenhagen", 2, 30, 0);

	(void)state;
	/* 2026-10-25 03:00 CEST falls back to 02:00 CET: 02:30 happens twice,
	 * at 00:30 UTC (CEST) and 01:30 UTC (CET). The first one counts. */
	assert_post_time(&s, 2026, 10, 25, utc(2026, 10, 25, 0, 30));
	assert_false(sched_due(&s, utc(2026, 10, 25, 0, 29), "2026-10-24"));
	assert_true(sched_due(&s, utc(2026, 10, 25, 0, 30), "2026-10-24"));
	/* Posted at the first 02:30: the second 02:30 is the same local day. */
	assert_false(sched_due(&s, utc(2026, 10, 25, 1, 30), "2026-10-25"));
	assert_int_equal(sched_next_post(&s, utc(2026, 10, 25, 1, 30), "2026-10-25"),
	                 utc(2026, 10, 26, 1, 30)); /* 02:30 CET next day */
}

static void
test_new_york(void **state)
{
	struct subscription early = sub("America/New_York", 2, 30, 0);
	struct subscription s = sub("America/New_York", 1, 30, 0);

	(void)state;
	/* 2026-03-08 02:00 EST -> 03:00 EDT: 02:30 posts at 03:30 EDT = 07:30 UTC. */
	assert_post_time(&early, 2026, 3, 8, utc(2026, 3, 8, 7, 30));
	assert_post_time(&early, 2026, 3, 7, utc(2026, 3, 7, 7, 30));  /* 02:30 EST */
	assert_post_time(&early, 2026, 3, 9, utc(2026, 3, 9, 6, 30));  /* 02:30 EDT */
	/* 2026-11-01 01:30 happens twice: EDT (05:30 UTC) first. */
	assert_post_time(&s, 2026, 11, 1, utc(2026, 11, 1, 5, 30));
	assert_true(sched_due(&s, utc(2026, 11, 1, 5, 30), "2026-10-31"));
	assert_false(sched_due(&s, utc(2026, 11, 1, 6, 30), "2026-11-01"));
	/* Local date in New York lags UTC in the evening. */
	{
		char date[SCHED_DATE_LEN + 1];
		assert_int_equal(sched_local_date("America/New_York", utc(2026, 6, 2, 3, 0), date), 0);
		assert_string_equal(date, "2026-06-01");
	}
}

static void
test_midnight_edges(void **state)
{
	struct subscription late = sub("UTC", 23, 59, 0);
	struct subscription midnight = sub("Europe/Copenhagen", 0, 0, 0);

	(void)state;
	assert_false(sched_due(&late, utc(2026, 6, 1, 23, 58), "2026-05-31"));
	assert_true(sched_due(&late, utc(2026, 6, 1, 23, 59), "2026-05-31"));
	/* A minute later it is a new day whose 23:59 has not come. */
	assert_false(sched_due(&late, utc(2026, 6, 2, 0, 0), "2026-06-01"));
	assert_int_equal(sched_next_post(&late, utc(2026, 6, 2, 0, 0), "2026-06-01"),
	                 utc(2026, 6, 2, 23, 59));
	/* Down through 23:59 and back at 00:00: yesterday is gone, no catch-up
	 * of the old day, and today's comes at 23:59. */
	assert_false(sched_due(&late, utc(2026, 6, 2, 0, 0), "2026-05-31"));
	/* 00:00 Copenhagen (CEST) is 22:00 UTC the day before. */
	assert_post_time(&midnight, 2026, 6, 2, utc(2026, 6, 1, 22, 0));
	assert_false(sched_due(&midnight, utc(2026, 6, 1, 21, 59), "2026-06-01"));
	assert_true(sched_due(&midnight, utc(2026, 6, 1, 22, 0), "2026-06-01"));
}

static void
test_far_zones(void **state)
{
	struct subscription kiri = sub("Pacific/Kiritimati", 9, 0, 0);
	struct subscription pago = sub("Pacific/Pago_Pago", 9, 0, 0);
	struct subscription ktm = sub("Asia/Kathmandu", 9, 0, 0);
	char date[SCHED_DATE_LEN + 1];

	(void)state;
	/* +14: 09:00 on June 2 is 19:00 UTC on June 1. */
	assert_post_time(&kiri, 2026, 6, 2, utc(2026, 6, 1, 19, 0));
	assert_int_equal(sched_local_date("Pacific/Kiritimati", utc(2026, 6, 1, 19, 0), date), 0);
	assert_string_equal(date, "2026-06-02");
	assert_true(sched_due(&kiri, utc(2026, 6, 1, 19, 0), "2026-06-01"));
	assert_false(sched_due(&kiri, utc(2026, 6, 1, 18, 59), "2026-06-01"));
	/* -11: 09:00 on June 1 is 20:00 UTC on June 1. */
	assert_post_time(&pago, 2026, 6, 1, utc(2026, 6, 1, 20, 0));
	assert_true(sched_due(&pago, utc(2026, 6, 2, 10, 59), "2026-05-31")); /* 23:59 local June 1 */
	assert_false(sched_due(&pago, utc(2026, 6, 2, 10, 59), "2026-06-01"));
	/* +5:45: 09:00 is 03:15 UTC. */
	assert_post_time(&ktm, 2026, 6, 1, utc(2026, 6, 1, 3, 15));
	assert_false(sched_due(&ktm, utc(2026, 6, 1, 3, 14), NULL));
	assert_true(sched_due(&ktm, utc(2026, 6, 1, 3, 15), NULL));
	assert_true(sched_due(&ktm, utc(2026, 6, 1, 3, 15), ""));
}

static void
test_weekends_in_the_channels_zone(void **state)
{
	struct subscription cph = sub("Europe/Copenhagen", 9, 0, 1);
	struct subscription kiri = sub("Pacific/Kiritimati", 10, 0, 1);
	struct subscription pago = sub("Pacific/Pago_Pago", 18, 0, 1);
	struct subscription every = sub("Europe/Copenhagen", 9, 0, 0);

	(void)state;
	/* Saturday 2026-03-28 and Sunday 2026-03-29 are skipped; Monday 09:00 CEST. */
	assert_false(sched_due(&cph, utc(2026, 3, 28, 10, 0), "2026-03-27"));
	assert_false(sched_due(&cph, utc(2026, 3, 29, 10, 0), "2026-03-27"));
	assert_int_equal(sched_next_post(&cph, utc(2026, 3, 27, 12, 0), "2026-03-27"),
	                 utc(2026, 3, 30, 7, 0));
	assert_true(sched_due(&every, utc(2026, 3, 28, 10, 0), "2026-03-27"));
	/* Friday 20:00 UTC is already Saturday 10:00 in Kiritimati. */
	assert_false(sched_due(&kiri, utc(2026, 3, 27, 20, 0), "2026-03-27"));
	/* Monday 05:00 UTC is still Sunday 18:00 in Pago Pago. */
	assert_false(sched_due(&pago, utc(2026, 3, 30, 5, 0), "2026-03-27"));
	assert_true(sched_due(&pago, utc(2026, 3, 31, 5, 0), "2026-03-27")); /* Monday 18:00 */
}

static void
test_catch_up_rules(void **state)
{
	struct subscription s = sub("Europe/Copenhagen", 9, 0, 0);

	(void)state;
	/* Down at 09:00, back at 15:00 the same day: due once. */
	assert_true(sched_due(&s, utc(2026, 6, 1, 13, 0), "2026-05-31"));
	assert_int_equal(sched_next_post(&s, utc(2026, 6, 1, 13, 0), "2026-05-31"),
	                 utc(2026, 6, 1, 13, 0));
	assert_false(sched_due(&s, utc(2026, 6, 1, 13, 1), "2026-06-01"));
	/* Down for a week: one tip due now, not seven. */
	assert_true(sched_due(&s, utc(2026, 6, 8, 13, 0), "2026-06-01"));
	assert_false(sched_due(&s, utc(2026, 6, 8, 13, 1), "2026-06-08"));
	/* Subscribed at 10:00 for 09:00: nothing today, tomorrow at 09:00. */
	s.since = utc(2026, 6, 1, 8, 0);
	assert_false(sched_due(&s, utc(2026, 6, 1, 8, 5), NULL));
	assert_int_equal(sched_next_post(&s, utc(2026, 6, 1, 8, 5), NULL), utc(2026, 6, 2, 7, 0));
	/* Paused, or a bad zone: never due, no next post. */
	s.since = 0;
	s.paused = 1;
	assert_false(sched_due(&s, utc(2026, 6, 1, 13, 0), NULL));
	assert_int_equal(sched_next_post(&s, utc(2026, 6, 1, 13, 0), NULL), (time_t)-1);
	s = sub("Mars/Olympus", 9, 0, 0);
	assert_false(sched_due(&s, utc(2026, 6, 1, 13, 0), NULL));
	assert_int_equal(sched_next_post(&s, utc(2026, 6, 1, 13, 0), NULL), (time_t)-1);
}

static void
test_tz_is_restored(void **state)
{
	struct subscription s = sub("Asia/Kathmandu", 9, 0, 0);

	(void)state;
	assert_int_equal(setenv("TZ", "UTC", 1), 0);
	(void)sched_due(&s, utc(2026, 6, 1, 3, 15), NULL);
	assert_string_equal(getenv("TZ"), "UTC");
	assert_int_equal(unsetenv("TZ"), 0);
	(void)sched_due(&s, utc(2026, 6, 1, 3, 15), NULL);
	assert_null(getenv("TZ"));
}

static void
test_format(void **state)
{
	char buf[64];

	(void)state;
	assert_int_equal(sched_format("Europe/Copenhagen", utc(2026, 3, 30, 7, 30), buf, sizeof(buf)), 0);
	assert_string_equal(buf, "Mon 2026-03-30 09:30 CEST");
	assert_int_equal(sched_format("Mars/Olympus", 0, buf, sizeof(buf)), -1);
}

static void
test_rotation_is_a_permutation_per_cycle(void **state)
{
	const size_t n = 66;

	(void)state;
	for (uint64_t seed = 1; seed < 6; seed++) {
		long prev_last = -1;
		for (uint64_t cycle = 0; cycle < 12; cycle++) {
			int seen[66] = {0};
			for (size_t pos = 0; pos < n; pos++) {
				long i = rotation_index(rotation_seed("C") ^ seed, cycle, pos, n);
				assert_true(i >= 0 && (size_t)i < n);
				assert_int_equal(seen[i], 0);
				seen[i] = 1;
				if (pos == 0)
					assert_true(i != prev_last); /* no tip twice in a row across cycles */
				if (pos == n - 1)
					prev_last = i;
			}
		}
	}
	assert_int_equal(rotation_index(1, 0, 0, 0), -1);
	assert_int_equal(rotation_index(1, 0, 5, 5), -1);
	assert_int_equal(rotation_index(1, 0, 0, 1), 0);
	assert_true(rotation_index(7, 0, 0, 2) != rotation_index(7, 0, 1, 2));
	assert_true(rotation_index(7, 1, 0, 2) != rotation_index(7, 0, 1, 2));
}

static void
test_rotation_differs_per_channel(void **state)
{
	int same = 0;

	(void)state;
	assert_true(rotation_seed("C1") != rotation_seed("C2"));
	for (size_t pos = 0; pos < 10; pos++)
		same += rotation_index(rotation_seed("C1"), 0, pos, 66) ==
		        rotation_index(rotation_seed("C2"), 0, pos, 66);
	assert_true(same < 10);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_zone_names),
		cmocka_unit_test(test_copenhagen_spring_forward),
		cmocka_unit_test(test_copenhagen_fall_back),
		cmocka_unit_test(test_new_york),
		cmocka_unit_test(test_midnight_edges),
		cmocka_unit_test(test_far_zones),
		cmocka_unit_test(test_weekends_in_the_channels_zone),
		cmocka_unit_test(test_catch_up_rules),
		cmocka_unit_test(test_tz_is_restored),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_rotation_is_a_permutation_per_cycle),
		cmocka_unit_test(test_rotation_differs_per_channel),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
