/* test_cmd.c -- the command table, lookup, dispatch and input validation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"

static void
dispatch(const char *text, enum surface surface, struct reply *reply)
{
	struct request req = {.text = text, .text_len = strlen(text), .user_id = "U1", .channel_id = "C1",
	                      .surface = surface};

	cmd_dispatch(&req, reply);
}

static void
test_table_is_complete(void **state)
{
	(void)state;
	for (size_t i = 0; cmd_table[i]; i++) {
		const struct cmd_entry *e = cmd_table[i];
		assert_non_null(e->name);
		assert_non_null(e->summary);
		assert_non_null(e->usage);
		assert_non_null(e->exec);
		assert_true(strlen(e->summary) > 10);
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(cmd_table[j]->name, e->name);
		assert_ptr_equal(cmd_find(e->name), e);
	}
}

static void
test_help_lists_every_command(void **state)
{
	struct reply r;

	(void)state;
	dispatch("help", SURFACE_SLASH, &r);
	assert_int_equal(r.status, REPLY_OK);
	for (size_t i = 0; cmd_table[i]; i++) {
		char want[64];
		snprintf(want, sizeof(want), "/pmpo %s", cmd_table[i]->name);
		assert_non_null(strstr(r.text, want));
		assert_non_null(strstr(r.text, cmd_table[i]->summary));
	}
}

static void
test_empty_text_gives_help(void **state)
{
	struct reply r1, r2;

	(void)state;
	dispatch("", SURFACE_SLASH, &r1);
	dispatch("   ", SURFACE_CONSOLE, &r2);
	assert_int_equal(r1.status, REPLY_OK);
	assert_string_equal(r1.title, r2.title);
	assert_non_null(strstr(r1.text, "/pmpo compare"));
}

static void
test_find_exact_alias_prefix(void **state)
{
	(void)state;
	assert_string_equal(cmd_find("compare")->name, "compare");
	assert_string_equal(cmd_find("COMPARE")->name, "compare");
	assert_string_equal(cmd_find("vs")->name, "compare");
	assert_string_equal(cmd_find("comp")->name, "compare");
	assert_null(cmd_find("co")); /* too short to be a prefix */
	assert_null(cmd_find("nonsense"));
	assert_null(cmd_find(""));
}

static void
test_suggest_nearest(void **state)
{
	(void)state;
	assert_string_equal(cmd_suggest("compre")->name, "compare");
	assert_string_equal(cmd_suggest("hlep")->name, "help");
	assert_null(cmd_suggest("nonsense"));
}

static void
test_unknown_command(void **state)
{
	struct reply r;

	(void)state;
	dispatch("/pmpo nonsense", SURFACE_CONSOLE, &r);
	assert_int_equal(r.status, REPLY_UNKNOWN);
	assert_non_null(strstr(r.text, "nonsense"));
	assert_non_null(strstr(r.text, "/pmpo help"));
	dispatch("compre", SURFACE_SLASH, &r);
	assert_int_equal(r.status, REPLY_UNKNOWN);
	assert_non_null(strstr(r.text, "Did you mean `/pmpo compare`"));
}

static void
test_compare_all_and_topic(void **state)
{
	struct reply all, some, none;

	(void)state;
	dispatch("/pmpo compare", SURFACE_CONSOLE, &all);
	assert_int_equal(all.status, REPLY_OK);
	assert_int_equal(all.nrows, kb_ndimensions);
	assert_true(all.nrows >= 10);
	assert_int_equal(all.in_channel, 0);
	for (size_t i = 0; i < all.nrows; i++) {
		assert_true(strlen(all.rows[i].left) > 0);
		assert_true(strlen(all.rows[i].right) > 0);
	}
	assert_true(all.nsources > 0);
	dispatch("compare metrics public", SURFACE_SLASH, &some);
	assert_int_equal(some.status, REPLY_OK);
	assert_true(some.nrows >= 1 && some.nrows < all.nrows);
	assert_int_equal(some.in_channel, 1);
	dispatch("compare zebra", SURFACE_SLASH, &none);
	assert_int_equal(none.status, REPLY_USAGE);
	assert_int_equal(none.nrows, 0);
}

/* "public" counts wherever it is, first word included; alone it is the help,
 * posted for everyone. */
static void
test_public_anywhere(void **state)
{
	struct reply first, last, plain, alone, twice, q, qplain;

	(void)state;
	dispatch("/pmpo public po", SURFACE_SLASH, &first);
	dispatch("po public", SURFACE_SLASH, &last);
	dispatch("po", SURFACE_SLASH, &plain);
	assert_int_equal(first.status, REPLY_OK);
	assert_int_equal(first.in_channel, 1);
	assert_int_equal(last.in_channel, 1);
	assert_int_equal(plain.in_channel, 0);
	assert_string_equal(first.title, plain.title);
	assert_string_equal(first.text, plain.text);
	assert_string_equal(last.text, plain.text);

	dispatch("PUBLIC compare metrics", SURFACE_SLASH, &first);
	dispatch("compare metrics", SURFACE_SLASH, &plain);
	assert_int_equal(first.status, REPLY_OK);
	assert_int_equal(first.in_channel, 1);
	assert_int_equal(first.nrows, plain.nrows);

	dispatch("public", SURFACE_SLASH, &alone);
	dispatch("  public  public ", SURFACE_CONSOLE, &twice);
	dispatch("help", SURFACE_SLASH, &plain);
	assert_int_equal(alone.status, REPLY_OK);
	assert_int_equal(alone.in_channel, 1);
	assert_string_equal(alone.title, plain.title);
	assert_string_equal(alone.text, plain.text);
	assert_int_equal(twice.in_channel, 1);
	assert_string_equal(twice.title, plain.title);

	/* a question after "public" is asked without the word */
	dispatch("<@U0BOT> public who owns the backlog?", SURFACE_MENTION, &q);
	dispatch("<@U0BOT> who owns the backlog?", SURFACE_MENTION, &qplain);
	assert_int_equal(q.status, REPLY_OK);
	assert_int_equal(q.in_channel, 1);
	assert_ptr_equal(q.topic, qplain.topic);
	assert_string_equal(q.text, qplain.text);

	/* a word that only starts with "public" is not the marker */
	dispatch("publicity", SURFACE_SLASH, &q);
	assert_int_equal(q.in_channel, 0);
}

static void
test_question_goes_to_engine(void **state)
{
	struct reply r;

	(void)state;
	dispatch("<@U0BOT> what does a product owner do?", SURFACE_MENTION, &r);
	assert_int_equal(r.status, REPLY_OK);
	assert_int_not_equal(r.role, KB_ROLE_NONE);
	assert_non_null(r.topic);
	assert_true(r.nsources > 0);
}

static void
test_mention_with_command(void **state)
{
	struct reply r;

	(void)state;
	dispatch("<@U0BOT> compare", SURFACE_MENTION, &r);
	assert_int_equal(r.nrows, kb_ndimensions);
}

static void
test_too_long(void **state)
{
	static char big[100 * 1024];
	struct reply r;
	struct request req = {.text = big, .text_len = sizeof(big), .user_id = "U1", .channel_id = "C1",
	                      .surface = SURFACE_CONSOLE};

	(void)state;
	memset(big, 'a', sizeof(big));
	cmd_dispatch(&req, &r);
	assert_int_equal(r.status, REPLY_BAD_INPUT);
	assert_non_null(strstr(r.text, "4000"));
}

static void
test_bad_utf8_and_nul(void **state)
{
	struct reply r;
	struct request bad = {.text = "who \xff\xfe owns", .text_len = 12, .user_id = "U1", .channel_id = "C1",
	                      .surface = SURFACE_DM};
	struct request overlong = {.text = "\xc0\xaf", .text_len = 2, .user_id = "U1", .channel_id = "C1",
	                      .surface = SURFACE_DM};
	struct request surrogate = {.text = "\xed\xa0\x80", .text_len = 3, .user_id = "U1", .channel_id = "C1",
	                      .surface = SURFACE_DM};
	struct request nul = {.text = "compare\0x", .text_len = 9, .user_id = "U1", .channel_id = "C1",
	                      .surface = SURFACE_DM};
	struct request ok = {.text = "caf\xc3\xa9 \xf0\x9f\x98\x80", .text_len = 10, .user_id = "U1", .channel_id = "C1",
	                      .surface = SURFACE_DM};

	(void)state;
	cmd_dispatch(&bad, &r);
	assert_int_equal(r.status, REPLY_BAD_INPUT);
	cmd_dispatch(&overlong, &r);
	assert_int_equal(r.status, REPLY_BAD_INPUT);
	cmd_dispatch(&surrogate, &r);
	assert_int_equal(r.status, REPLY_BAD_INPUT);
	cmd_dispatch(&nul, &r);
	assert_int_equal(r.status, REPLY_BAD_INPUT);
	cmd_dispatch(&ok, &r);
	assert_int_not_equal(r.status, REPLY_BAD_INPUT);
}

static void
test_reply_text_is_bounded(void **state)
{
	struct reply r;
	char chunk[1000];

	(void)state;
	reply_init(&r);
	memset(chunk, 'x', sizeof(chunk) - 1);
	chunk[sizeof(chunk) - 1] = '\0';
	for (int i = 0; i < 10; i++)
		reply_append(&r, "%s", chunk);
	assert_int_equal(strlen(r.text), REPLY_TEXT_MAX);
	assert_string_equal(r.text + REPLY_TEXT_MAX - 3, "...");
}

static void
test_usage_on_bad_arity(void **state)
{
	struct reply r;
	struct request req = {.text = "", .text_len = 0, .user_id = "U1", .channel_id = "C1",
	                      .surface = SURFACE_SLASH};

	(void)state;
	cmd_run(cmd_find("ask"), &req, &r);
	assert_int_equal(r.status, REPLY_USAGE);
	assert_non_null(strstr(r.text, "/pmpo ask QUESTION"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_is_complete),
		cmocka_unit_test(test_help_lists_every_command),
		cmocka_unit_test(test_empty_text_gives_help),
		cmocka_unit_test(test_find_exact_alias_prefix),
		cmocka_unit_test(test_suggest_nearest),
		cmocka_unit_test(test_unknown_command),
		cmocka_unit_test(test_compare_all_and_topic),
		cmocka_unit_test(test_public_anywhere),
		cmocka_unit_test(test_question_goes_to_engine),
		cmocka_unit_test(test_mention_with_command),
		cmocka_unit_test(test_too_long),
		cmocka_unit_test(test_bad_utf8_and_nul),
		cmocka_unit_test(test_reply_text_is_bounded),
		cmocka_unit_test(test_usage_on_bad_arity),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
