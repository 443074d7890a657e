/* test_tips_cmd.c -- the pm, po, hire, tip, tips and sources handlers, and
 * tips_apply performing their actions against a real store. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "console.h"
#include "log.h"
#include "store.h"
#include "tips.h"

static void
ask(const char *text, unsigned long seed, const char *user_tz, struct reply *r)
{
	struct request req = {.text = text, .text_len = strlen(text), .user_id = "U1",
	                      .channel_id = "C1", .surface = SURFACE_SLASH, .seed = seed,
	                      .user_tz = user_tz};

	cmd_dispatch(&req, r);
}

/* The first 40 bytes of s appear in text. */
static int
contains_start_of(const char *text, const char *s)
{
	char head[41];

	snprintf(head, sizeof(head), "%s", s);
	return strstr(text, head) != NULL;
}

static const struct kb_dimension *
dimension(const char *id)
{
	for (size_t i = 0; i < kb_ndimensions; i++)
		if (strcmp(kb_dimensions[i].id, id) == 0)
			return &kb_dimensions[i];
	return NULL;
}

static void
check_card(const char *cmd, enum kb_role role, const char *role_topic, const char *hire_topic)
{
	const struct kb_topic *t = kb_topic_find(role_topic), *h = kb_topic_find(hire_topic);
	const struct kb_dimension *career = dimension("career"), *focus = dimension("focus");
	struct reply r;

	ask(cmd, 0, NULL, &r);
	assert_int_equal(r.status, REPLY_OK);
	assert_int_equal(r.role, role);
	assert_non_null(strstr(r.title, kb_role_title(role)));
	assert_non_null(t);
	assert_true(contains_start_of(r.text, t->text));
	assert_non_null(focus);
	assert_true(contains_start_of(r.text, role == KB_ROLE_PM ? focus->pm : focus->po));
	assert_non_null(strstr(r.text, "When to hire one"));
	if (h != NULL) /* the KB's hire topic, once it exists, is what the card shows */
		assert_true(contains_start_of(r.text, h->text));
	else
		assert_true(contains_start_of(r.text, role == KB_ROLE_PM ? dimension("hire")->pm :
		                                                          dimension("hire")->po));
	assert_non_null(strstr(r.text, "Who thrives in it"));
	assert_true(contains_start_of(r.text, role == KB_ROLE_PM ? career->pm : career->po));
	assert_true(r.nsources > 0);
	assert_int_equal(r.in_channel, 0);
	assert_int_equal(r.action.kind, ACTION_NONE);
}

static void
test_pm_and_po_cards(void **state)
{
	struct reply pm, po;

	(void)state;
	check_card("pm", KB_ROLE_PM, "pm-role", "hire-pm-if");
	check_card("/pmpo po", KB_ROLE_PO, "po-role", "hire-po-if");
	ask("pm public", 0, NULL, &pm);
	assert_int_equal(pm.in_channel, 1);
	ask("po", 0, NULL, &po);
	assert_string_not_equal(pm.text, po.text);
}

static void
test_role_word_starting_a_question_is_a_question(void **state)
{
	struct reply r;

	(void)state;
	ask("po or pm, who owns the product backlog?", 0, NULL, &r);
	assert_int_equal(r.status, REPLY_OK);
	assert_non_null(r.topic);
	assert_string_not_equal(r.title, "The Product Owner"); /* not the card */
	assert_null(strstr(r.text, "Who thrives in it"));
}

static void
test_hire(void **state)
{
	const struct kb_topic *first = kb_topic_find("hire-which-first");
	const struct kb_topic *small = kb_topic_find("startups");
	const struct kb_dimension *d = dimension("hire");
	struct reply r;

	(void)state;
	ask("hire", 0, NULL, &r);
	assert_int_equal(r.status, REPLY_OK);
	assert_int_equal(r.nrows, 1);
	assert_string_equal(r.rows[0].left, d->pm);
	assert_string_equal(r.rows[0].right, d->po);
	assert_true(r.nsources > 0);
	if (first != NULL)
		assert_true(contains_start_of(r.text, first->text));
	if (small != NULL) {
		assert_non_null(strstr(r.text, "Startups and small teams"));
		assert_true(contains_start_of(r.text, small->text));
	}
	ask("hire a pm or a po first? public", 0, NULL, &r);
	assert_int_equal(r.in_channel, 1);
	assert_int_equal(r.nrows, 1);
}

static void
test_tip_is_chosen_by_the_seed(void **state)
{
	static char seen[4096];
	struct reply a, b;
	size_t distinct = 0;

	(void)state;
	assert_true(kb_ntips >= 60);
	memset(seen, 0, sizeof(seen));
	for (unsigned long seed = 0; seed < kb_ntips; seed++) {
		ask("tip", seed, NULL, &a);
		assert_int_equal(a.status, REPLY_OK);
		assert_true(a.nsources > 0);
		for (size_t i = 0; i < kb_ntips; i++)
			if (strcmp(kb_tips[i].text, a.text) == 0 && !seen[i]) {
				seen[i] = 1;
				distinct++;
			}
	}
	assert_int_equal(distinct, kb_ntips); /* every tip can come up */
	ask("tip", 12345, NULL, &a);
	ask("tip", 12345, NULL, &b);
	assert_string_equal(a.text, b.text); /* pure: same request, same tip */
	for (unsigned long seed = 0; seed < 40; seed++) {
		ask("tip pm", seed, NULL, &a);
		assert_true(a.role == KB_ROLE_PM || a.role == KB_ROLE_BOTH);
		ask("tip PO", seed, NULL, &a);
		assert_true(a.role == KB_ROLE_PO || a.role == KB_ROLE_BOTH);
	}
	ask("tip banana", 0, NULL, &a);
	assert_int_equal(a.status, REPLY_USAGE);
}

static void
test_tips_are_distinct_and_short(void **state)
{
	(void)state;
	for (size_t i = 0; i < kb_ntips; i++) {
		assert_true(strlen(kb_tips[i].text) < 300);
		assert_non_null(kb_tips[i].sources[0]);
		for (size_t j = 0; j < i; j++) {
			assert_string_not_equal(kb_tips[i].id, kb_tips[j].id);
			assert_string_not_equal(kb_tips[i].text, kb_tips[j].text);
		}
	}
}

static void
test_sources_lists_every_article(void **state)
{
	struct reply r;

	(void)state;
	ask("sources", 0, NULL, &r);
	assert_int_equal(r.status, REPLY_OK);
	for (size_t i = 0; i < kb_nsources; i++)
		assert_non_null(strstr(r.text, kb_sources[i].title));
}

static void
test_tips_parsing_good(void **state)
{
	struct reply r;

	(void)state;
	ask("tips", 0, NULL, &r);
	assert_int_equal(r.action.kind, ACTION_TIPS_SHOW);
	ask("tips status", 0, NULL, &r);
	assert_int_equal(r.action.kind, ACTION_TIPS_SHOW);
	ask("tips off", 0, NULL, &r);
	assert_int_equal(r.action.kind, ACTION_TIPS_UNSUBSCRIBE);
	ask("tips on", 0, NULL, &r);
	assert_int_equal(r.status, REPLY_OK);
	assert_int_equal(r.action.kind, ACTION_TIPS_SUBSCRIBE);
	assert_string_equal(r.action.hhmm, "");
	assert_string_equal(r.action.tz, "");
	assert_int_equal(r.action.weekdays_only, 0);
	ask("tips on 09:30 Europe/Copenhagen weekdays", 0, NULL, &r);
	assert_int_equal(r.action.kind, ACTION_TIPS_SUBSCRIBE);
	assert_string_equal(r.action.hhmm, "09:30");
	assert_string_equal(r.action.tz, "Europe/Copenhagen");
	assert_int_equal(r.action.tz_explicit, 1);
	assert_int_equal(r.action.weekdays_only, 1);
	/* Any order; one-digit hours; the area's capitals are fixed. */
	ask("tips on weekdays europe/Copenhagen 7:05", 0, NULL, &r);
	assert_string_equal(r.action.hhmm, "07:05");
	assert_string_equal(r.action.tz, "Europe/Copenhagen");
	ask("tips on 23:59 UTC daily public", 0, NULL, &r);
	assert_string_equal(r.action.hhmm, "23:59");
	assert_string_equal(r.action.tz, "UTC");
	assert_int_equal(r.in_channel, 1);
	ask("tips on 00:00", 0, "America/New_York", &r);
	assert_string_equal(r.action.hhmm, "00:00");
	assert_string_equal(r.action.tz, "America/New_York"); /* the asker's zone */
	assert_int_equal(r.action.tz_explicit, 0);
	ask("tips on Asia/Kathmandu", 0, "America/New_York", &r);
	assert_string_equal(r.action.tz, "Asia/Kathmandu"); /* typed beats the asker's */
}

static void
test_tips_parsing_bad(void **state)
{
	static const char *const bad_times[] = {"25:00", "9:5", "24:00", "12:60", "0930", "9.30",
	                                        "-1:00", "123:00", NULL};
	struct reply r;
	char text[96];

	(void)state;
	for (size_t i = 0; bad_times[i]; i++) {
		snprintf(text, sizeof(text), "tips on %s Europe/Copenhagen", bad_times[i]);
		ask(text, 0, NULL, &r);
		if (r.status != REPLY_USAGE || r.action.kind != ACTION_NONE)
			fail_msg("'%s' was accepted", text);
		assert_non_null(strstr(r.text, bad_times[i]));         /* names what was wrong */
		assert_non_null(strstr(r.text, "/pmpo tips on 09:30")); /* shows an example */
	}
	ask("tips on 09:30 Mars/Olympus", 0, NULL, &r);
	assert_int_equal(r.status, REPLY_USAGE);
	assert_int_equal(r.action.kind, ACTION_NONE);
	assert_non_null(strstr(r.text, "Mars/Olympus"));
	assert_non_null(strstr(r.text, "Europe/Copenhagen"));
	ask("tips on 09:30 ../../etc/passwd", 0, NULL, &r);
	assert_int_equal(r.action.kind, ACTION_NONE);
	ask("tips on 09:30 10:30", 0, NULL, &r);
	assert_int_equal(r.action.kind, ACTION_NONE);
	ask("tips on weekdays daily", 0, NULL, &r);
	assert_int_equal(r.action.kind, ACTION_NONE);
	ask("tips on banana", 0, NULL, &r);
	assert_int_equal(r.action.kind, ACTION_NONE);
	assert_non_null(strstr(r.text, "banana"));
	ask("tips on 09:30 UTC weekdays extra", 0, NULL, &r);
	assert_int_equal(r.action.kind, ACTION_NONE);
	ask("tips off now", 0, NULL, &r);
	assert_int_equal(r.action.kind, ACTION_NONE);
	ask("tips maybe", 0, NULL, &r);
	assert_int_equal(r.status, REPLY_USAGE);
	assert_non_null(strstr(r.text, "tips off"));
}

/* ---- tips_apply against a store ---- */

struct fixture {
	char dir[64];
	struct store *st;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char err[STORE_ERR_MAX];

	if (f == NULL)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/pmpo-tips-XXXXXX");
	if (mkdtemp(f->dir) == NULL || store_open(f->dir, &f->st, err, sizeof(err)) != 0)
		return -1;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[128];

	store_close(f->st);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

static void
apply(struct store *st, const char *text, const char *user_tz, time_t now, struct reply *r)
{
	static const struct tips_defaults def = {"08:15", "Asia/Kathmandu"};
	struct request req = {.text = text, .text_len = strlen(text), .user_id = "U1",
	                      .channel_id = "C1", .surface = SURFACE_SLASH, .user_tz = user_tz};

	cmd_dispatch(&req, r);
	tips_apply(st, "no disk", &def, &req, now, r);
	assert_int_equal(r->action.kind, ACTION_NONE);
}

static void
test_apply_subscribe_show_off(void **state)
{
	struct fixture *f = *state;
	const time_t now = 1780304400; /* Mon 2026-06-01 09:00 UTC */
	struct subscription got;
	char err[STORE_ERR_MAX];
	struct reply r;
	int found;

	apply(f->st, "tips", NULL, now, &r);
	assert_non_null(strstr(r.title, "No daily tips"));
	apply(f->st, "tips on 09:30 Europe/Copenhagen weekdays", NULL, now, &r);
	assert_string_equal(r.title, "Daily tips are on");
	/* 11:00 in Copenhagen now, so the next is Tuesday 09:30 CEST. */
	assert_non_null(strstr(r.text, "Tue 2026-06-02 09:30 CEST"));
	assert_non_null(strstr(r.text, "weekday"));
	assert_int_equal(store_get(f->st, "C1", &got, &found, err, sizeof(err)), 0);
	assert_true(found);
	assert_string_equal(got.tz, "Europe/Copenhagen");
	assert_string_equal(got.created_by, "U1");
	assert_int_equal(got.since, now);
	apply(f->st, "tips", NULL, now, &r);
	assert_string_equal(r.title, "Daily tips are on");
	assert_non_null(strstr(r.text, "Tue 2026-06-02 09:30 CEST"));
	apply(f->st, "tips off", NULL, now, &r);
	assert_string_equal(r.title, "Daily tips are off");
	apply(f->st, "tips off", NULL, now, &r);
	assert_non_null(strstr(r.title, "not on"));
	assert_int_equal(store_get(f->st, "C1", &got, &found, err, sizeof(err)), 0);
	assert_false(found);
}

static void
test_apply_defaults_and_zones(void **state)
{
	struct fixture *f = *state;
	const time_t now = 1780304400; /* Mon 2026-06-01 09:00 UTC */
	struct subscription got;
	char err[STORE_ERR_MAX];
	struct reply r;
	int found;

	/* No time, no zone, no known user zone: the configured defaults. */
	apply(f->st, "tips on", NULL, now, &r);
	assert_int_equal(store_get(f->st, "C1", &got, &found, err, sizeof(err)), 0);
	assert_int_equal(got.hh, 8);
	assert_int_equal(got.mm, 15);
	assert_string_equal(got.tz, "Asia/Kathmandu");
	assert_non_null(strstr(r.text, "default"));
	/* The asker's zone wins over the default... */
	apply(f->st, "tips on 07:00", "America/New_York", now, &r);
	assert_int_equal(store_get(f->st, "C1", &got, &found, err, sizeof(err)), 0);
	assert_string_equal(got.tz, "America/New_York");
	assert_non_null(strstr(r.text, "your timezone"));
	/* ...unless it is not a zone this system knows. */
	apply(f->st, "tips on 07:00", "Nowhere/Special", now, &r);
	assert_int_equal(store_get(f->st, "C1", &got, &found, err, sizeof(err)), 0);
	assert_string_equal(got.tz, "Asia/Kathmandu");
	/* A typed zone that is zone-shaped but missing is refused and changes nothing. */
	apply(f->st, "tips on 06:00 Europe/Atlantis", NULL, now, &r);
	assert_int_equal(r.status, REPLY_USAGE);
	assert_non_null(strstr(r.text, "Europe/Atlantis"));
	assert_int_equal(store_get(f->st, "C1", &got, &found, err, sizeof(err)), 0);
	assert_int_equal(got.hh, 7);
	/* Without a store, tips say why they are unavailable. */
	apply(NULL, "tips on", NULL, now, &r);
	assert_non_null(strstr(r.title, "not available"));
	assert_non_null(strstr(r.text, "no disk"));
}


static time_t
fixed_clock(void *ctx)
{
	return *(const time_t *)ctx;
}

/* Runs console mode over input at the injected instant; returns the output. */
static char *
console_at(struct store *st, time_t now, const char *input)
{
	struct console_env env = {.store = st, .defaults = {"09:00", "UTC"}, .clock = fixed_clock,
	                          .clock_ctx = &now};
	FILE *in = tmpfile(), *out = tmpfile();
	static char text[65536];
	size_t n;

	assert_non_null(in);
	assert_non_null(out);
	fputs(input, in);
	rewind(in);
	assert_int_equal(console_run(in, out, 0, &env), 0);
	rewind(out);
	n = fread(text, 1, sizeof(text) - 1, out);
	text[n] = '\0';
	fclose(in);
	fclose(out);
	return text;
}

static void
test_console_posts_due_tips_with_an_injected_clock(void **state)
{
	struct fixture *f = *state;
	const time_t mon_0900 = 1780304400; /* Mon 2026-06-01 09:00 UTC */
	char *out;

	out = console_at(f->st, mon_0900, "tips on 09:30 UTC\n");
	assert_non_null(strstr(out, "Daily tips are on"));
	assert_null(strstr(out, "(daily tip for #console"));
	/* A new session at 09:40 posts the day's tip at start. */
	out = console_at(f->st, mon_0900 + 40 * 60, "");
	assert_non_null(strstr(out, "(daily tip for #console, 2026-06-01)"));
	assert_non_null(strstr(out, "Tip for "));
	/* The same day again: no second tip, and the next one is announced. */
	out = console_at(f->st, mon_0900 + 50 * 60, "tips\n");
	assert_null(strstr(out, "(daily tip for #console"));
	assert_non_null(strstr(out, "(tip for #console would be posted at Tue 2026-06-02 09:30 UTC)"));
	assert_non_null(strstr(out, "Last tip: 2026-06-01."));
}

/* A console whose log goes to a terminal logs at warn unless told otherwise. */
static void
test_console_log_level(void **state)
{
	(void)state;
	assert_int_equal(console_log_level(LOG_INFO, 0, 1), LOG_WARN);
	assert_int_equal(console_log_level(LOG_DEBUG, 0, 1), LOG_WARN);
	assert_int_equal(console_log_level(LOG_ERROR, 0, 1), LOG_ERROR);
	assert_int_equal(console_log_level(LOG_INFO, 1, 1), LOG_INFO);
	assert_int_equal(console_log_level(LOG_DEBUG, 1, 1), LOG_DEBUG);
	assert_int_equal(console_log_level(LOG_INFO, 0, 0), LOG_INFO);
	assert_int_equal(console_log_level(LOG_DEBUG, 1, 0), LOG_DEBUG);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pm_and_po_cards),
		cmocka_unit_test(test_role_word_starting_a_question_is_a_question),
		cmocka_unit_test(test_hire),
		cmocka_unit_test(test_tip_is_chosen_by_the_seed),
		cmocka_unit_test(test_tips_are_distinct_and_short),
		cmocka_unit_test(test_sources_lists_every_article),
		cmocka_unit_test(test_console_log_level),
		cmocka_unit_test(test_tips_parsing_good),
		cmocka_unit_test(test_tips_parsing_bad),
		cmocka_unit_test_setup_teardown(test_apply_subscribe_show_off, setup, teardown),
		cmocka_unit_test_setup_teardown(test_apply_defaults_and_zones, setup, teardown),
		cmocka_unit_test_setup_teardown(test_console_posts_due_tips_with_an_injected_clock, setup,
		                                teardown),
	};

	log_init(LOG_ERROR);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
