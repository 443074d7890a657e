/* test_slack_units.c -- Block Kit rendering limits and escaping, envelope
 * parsing, the dedup set, and the share button's signature. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <cmocka.h>

#include "blockkit.h"
#include "cmd.h"
#include "dedup.h"
#include "envelope.h"
#include "share.h"

static cJSON *
render(const struct reply *r)
{
	cJSON *m = cJSON_CreateObject();

	assert_int_equal(blockkit_message(r, m), 0);
	return m;
}

static const char *
jstr(const cJSON *o, const char *k)
{
	return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, k));
}

/* Every text in the message respects Block Kit's limits. */
static void
check_limits(const cJSON *m)
{
	const cJSON *blocks = cJSON_GetObjectItemCaseSensitive(m, "blocks"), *b;

	assert_true(cJSON_GetArraySize(blocks) <= BK_BLOCKS_MAX);
	assert_non_null(jstr(m, "text"));
	cJSON_ArrayForEach(b, blocks) {
		const char *type = jstr(b, "type");
		const cJSON *t = cJSON_GetObjectItemCaseSensitive(b, "text");
		const cJSON *fields = cJSON_GetObjectItemCaseSensitive(b, "fields"), *f;
		if (strcmp(type, "header") == 0) {
			size_t chars = 0;
			for (const char *p = jstr(t, "text"); *p; p++)
				chars += ((unsigned char)*p & 0xc0) != 0x80;
			assert_string_equal(jstr(t, "type"), "plain_text");
			assert_true(chars <= BK_HEADER_MAX);
		}
		if (t != NULL && strcmp(type, "section") == 0)
			assert_true(strlen(jstr(t, "text")) <= BK_SECTION_MAX);
		assert_true(cJSON_GetArraySize(fields) <= BK_FIELDS_MAX);
		cJSON_ArrayForEach(f, fields)
			assert_true(strlen(jstr(f, "text")) <= BK_FIELD_MAX);
	}
}

static void
test_compare_renders_as_fields(void **state)
{
	struct request req = {.text = "compare", .text_len = 7, .user_id = "U1", .channel_id = "C1",
	                      .surface = SURFACE_SLASH};
	struct reply r;
	cJSON *m, *blocks, *b;
	int sections_with_fields = 0, context = 0;

	(void)state;
	cmd_dispatch(&req, &r);
	assert_true(r.nrows > 0);
	m = render(&r);
	check_limits(m);
	blocks = cJSON_GetObjectItemCaseSensitive(m, "blocks");
	assert_string_equal(jstr(cJSON_GetArrayItem(blocks, 0), "type"), "header");
	cJSON_ArrayForEach(b, blocks) {
		const cJSON *f = cJSON_GetObjectItemCaseSensitive(b, "fields");
		if (f != NULL) {
			sections_with_fields++;
			assert_int_equal(cJSON_GetArraySize(f) % 2, 0);
		}
		context += strcmp(jstr(b, "type"), "context") == 0;
	}
	/* column titles + one pair per row, at most 10 fields per section */
	assert_int_equal(sections_with_fields, (int)((r.nrows + 1 + 4) / 5));
	assert_true(context >= 1); /* sources */
	cJSON_Delete(m);
}

static void
test_markup_escaped_and_converted(void **state)
{
	struct reply r;
	char out[256];
	cJSON *m;
	const char *sec;

	(void)state;
	reply_init(&r);
	reply_append(&r, "*PO* owns the <backlog> & more\n- one\n- two `code`");
	m = render(&r);
	sec = jstr(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(
	           cJSON_GetObjectItemCaseSensitive(m, "blocks"), 0), "text"), "text");
	assert_non_null(sec);
	assert_non_null(strstr(sec, "*PO* owns the &lt;backlog&gt; &amp; more"));
	assert_non_null(strstr(sec, "\n\xe2\x80\xa2 one\n\xe2\x80\xa2 two `code`"));
	assert_null(strstr(sec, "<"));
	cJSON_Delete(m);
	/* a cut never splits an escape or a UTF-8 sequence */
	blockkit_mrkdwn("&&&&&&&&&&", out, 20);
	assert_true(strlen(out) < 20);
	assert_non_null(strstr(out, "&amp;&amp;\xe2\x80\xa6"));
	blockkit_mrkdwn("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", out, 9);
	assert_string_equal(out, "\xc3\xa9\xc3\xa9\xe2\x80\xa6");
}

static void
test_limits_hold_for_big_replies(void **state)
{
	static char cell[3000];
	struct reply r;
	cJSON *m;

	(void)state;
	reply_init(&r);
	memset(cell, '<', sizeof(cell) - 1);
	reply_set_title(&r, "%s", "TTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTT"
	                          "TTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTTT"
	                          "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9");
	for (int i = 0; i < 200; i++)
		reply_append(&r, "line %d with & and <tags>\n", i);
	r.col_left = "Left";
	r.col_right = "Right";
	for (int i = 0; i < REPLY_ROWS_MAX; i++)
		reply_add_row(&r, "Row", cell, cell);
	m = render(&r);
	check_limits(m);
	cJSON_Delete(m);
}

static void
test_envelope_event_fields(void **state)
{
	const char *js =
		"{\"envelope_id\":\"e1\",\"type\":\"events_api\",\"accepts_response_payload\":false,"
		"\"retry_attempt\":2,\"payload\":{\"event_id\":\"Ev1\",\"event\":{\"type\":\"app_mention\","
		"\"user\":\"U2\",\"text\":\"<@U1> hi\",\"ts\":\"1.2\",\"thread_ts\":\"1.0\",\"channel\":\"C1\"}}}";
	struct envelope env;
	const char *why;

	(void)state;
	assert_int_equal(envelope_parse(js, strlen(js), &env, &why), 0);
	assert_int_equal(env.kind, ENV_EVENT);
	assert_string_equal(env.envelope_id, "e1");
	assert_int_equal(env.retry_attempt, 2);
	assert_string_equal(env.event_id, "Ev1");
	assert_string_equal(env.event_type, "app_mention");
	assert_string_equal(env.thread_ts, "1.0");
	assert_string_equal(env.channel_id, "C1");
	assert_int_equal(env.text_len, 8);
}

static void
test_envelope_rejects_and_bounds(void **state)
{
	static char big[CMD_TEXT_MAX * 2 + 200];
	const char *js;
	struct envelope env;
	const char *why;
	int n;

	(void)state;
	assert_int_equal(envelope_parse("{x", 2, &env, &why), -1);
	assert_string_equal(why, "not_a_json_object");
	assert_int_equal(envelope_parse("[]", 2, &env, &why), -1);
	assert_int_equal(envelope_parse("{\"type\":1}", 10, &env, &why), -1);
	assert_string_equal(why, "no_type");
	js = "{\"type\":\"disconnect\",\"reason\":\"warning\"}";
	assert_int_equal(envelope_parse(js, strlen(js), &env, &why), 0);
	assert_int_equal(env.kind, ENV_DISCONNECT);
	assert_string_equal(env.reason, "warning");
	/* an over-long text stays one byte over the limit, so dispatch says "too long" */
	n = snprintf(big, sizeof(big), "{\"type\":\"slash_commands\",\"envelope_id\":\"e\",\"payload\":{\"text\":\"");
	memset(big + n, 'a', CMD_TEXT_MAX * 2);
	snprintf(big + n + CMD_TEXT_MAX * 2, sizeof(big) - (size_t)n - CMD_TEXT_MAX * 2, "\"}}");
	assert_int_equal(envelope_parse(big, strlen(big), &env, &why), 0);
	assert_int_equal(env.kind, ENV_SLASH);
	assert_int_equal(env.text_len, CMD_TEXT_MAX + 1);
}

static void
test_dedup_ttl_and_bound(void **state)
{
	static struct dedup d;
	char id[32];

	(void)state;
	dedup_init(&d);
	assert_int_equal(dedup_check(&d, "Ev1", 1000), 0);
	assert_int_equal(dedup_check(&d, "Ev1", 1000 + 10 * 60 * 1000), 1); /* still remembered at 10 min */
	assert_int_equal(dedup_check(&d, "Ev2", 2000), 0);
	assert_int_equal(dedup_check(&d, "Ev1", 1000 + DEDUP_TTL_MS + 1), 0); /* expired: new again */
	/* bounded: the oldest is forgotten when full */
	dedup_init(&d);
	for (int i = 0; i <= DEDUP_SLOTS; i++) {
		snprintf(id, sizeof(id), "E%d", i);
		assert_int_equal(dedup_check(&d, id, 5000), 0);
	}
	assert_int_equal(d.count, DEDUP_SLOTS);
	assert_int_equal(dedup_check(&d, "E0", 5000), 0);
	assert_int_equal(dedup_check(&d, "E4096", 5000), 1);
}

/* Only the block_id signed for this very text checks; any change fails. */
static void
test_share_signature(void **state)
{
	static const char token[] = "xoxb-1234-5678-testtokenabcdef";
	static char big[SHARE_TEXT_MAX + 1];
	struct share_key key, other, none = {0};
	char id[SHARE_BLOCK_ID_MAX + 1], bad[SHARE_BLOCK_ID_MAX + 8];
	unsigned long seed = 0;
	size_t n;

	(void)state;
	assert_int_equal(share_key_init(&key, token, strlen(token)), 0);
	assert_int_equal(share_key_init(&other, "xoxb-another-token-0000", 23), 0);
	assert_int_equal(share_key_init(&none, "", 0), -1);
	assert_int_equal(share_block_id(&key, 42, "compare", 7, id, sizeof(id)), 0);
	assert_true(strncmp(id, SHARE_PREFIX "42:", strlen(SHARE_PREFIX) + 3) == 0);
	n = strlen(id);
	assert_int_equal(n, strlen(SHARE_PREFIX) + 3 + SHARE_MAC_HEX);
	assert_int_equal(share_check(&key, id, "compare", 7, &seed), 0);
	assert_int_equal(seed, 42);
	/* the maximum seed round-trips */
	assert_int_equal(share_block_id(&key, (unsigned long)-1, "po", 2, bad, sizeof(bad)), 0);
	assert_int_equal(share_check(&key, bad, "po", 2, &seed), 0);
	assert_true(seed == (unsigned long)-1);

	/* another text, another key, no key */
	assert_int_equal(share_check(&key, id, "compar", 6, &seed), -1);
	assert_int_equal(share_check(&key, id, "compare public", 14, &seed), -1);
	assert_int_equal(share_check(&other, id, "compare", 7, &seed), -1);
	assert_int_equal(share_check(&none, id, "compare", 7, &seed), -1);
	assert_int_equal(share_block_id(&none, 42, "compare", 7, bad, sizeof(bad)), -1);
	/* another seed with the same MAC, a leading zero, a sign, a flipped or cut MAC, extra bytes */
	snprintf(bad, sizeof(bad), SHARE_PREFIX "43%s", id + strlen(SHARE_PREFIX) + 2);
	assert_int_equal(share_check(&key, bad, "compare", 7, &seed), -1);
	snprintf(bad, sizeof(bad), SHARE_PREFIX "042%s", id + strlen(SHARE_PREFIX) + 2);
	assert_int_equal(share_check(&key, bad, "compare", 7, &seed), -1);
	snprintf(bad, sizeof(bad), SHARE_PREFIX "+42%s", id + strlen(SHARE_PREFIX) + 2);
	assert_int_equal(share_check(&key, bad, "compare", 7, &seed), -1);
	memcpy(bad, id, n + 1);
	bad[n - 1] = bad[n - 1] == '0' ? '1' : '0';
	assert_int_equal(share_check(&key, bad, "compare", 7, &seed), -1);
	bad[n - 1] = '\0';
	assert_int_equal(share_check(&key, bad, "compare", 7, &seed), -1);
	snprintf(bad, sizeof(bad), "%sx", id);
	assert_int_equal(share_check(&key, bad, "compare", 7, &seed), -1);
	/* the unsigned form of earlier versions, garbage, nothing */
	assert_int_equal(share_check(&key, SHARE_PREFIX "42", "compare", 7, &seed), -1);
	assert_int_equal(share_check(&key, "pmpo_share:", "compare", 7, &seed), -1);
	assert_int_equal(share_check(&key, "", "compare", 7, &seed), -1);
	assert_int_equal(share_check(&key, SHARE_PREFIX "99999999999999999999999:00", "x", 1, &seed), -1);
	/* bounds: too long to sign, or too small an output */
	memset(big, 'a', sizeof(big));
	assert_int_equal(share_block_id(&key, 1, big, sizeof(big), id, sizeof(id)), -1);
	assert_int_equal(share_block_id(&key, 1, big, SHARE_TEXT_MAX, id, sizeof(id)), 0);
	assert_int_equal(share_block_id(&key, 1, "po", 2, id, 20), -1);
	assert_string_equal(id, "");
	share_key_clear(&key);
	assert_int_equal(key.set, 0);
}

/* Feedback buttons are signed under their own prefix, and the MAC covers
 * it: a feedback block_id never passes for a share one, or back. */
static void
test_feedback_signature_is_its_own(void **state)
{
	struct share_key key;
	char fb[SHARE_BLOCK_ID_MAX + 1], sh[SHARE_BLOCK_ID_MAX + 1], swapped[SHARE_BLOCK_ID_MAX + 16];
	unsigned long seed = 0;

	(void)state;
	assert_int_equal(share_key_init(&key, "xoxb-1234-5678-testtokenabcdef", 30), 0);
	assert_int_equal(sign_block_id(&key, "pmpo_fb:", 42, "who owns it?", 12, fb, sizeof(fb)), 0);
	assert_int_equal(sign_check(&key, "pmpo_fb:", fb, "who owns it?", 12, &seed), 0);
	assert_int_equal(seed, 42);
	assert_int_equal(sign_check(&key, "pmpo_fb:", fb, "who owns that?", 14, &seed), -1);
	/* the same seed and text as a share button: another MAC */
	assert_int_equal(share_block_id(&key, 42, "who owns it?", 12, sh, sizeof(sh)), 0);
	assert_string_not_equal(strchr(fb + 8, ':'), strchr(sh + strlen(SHARE_PREFIX), ':'));
	snprintf(swapped, sizeof(swapped), "pmpo_fb:%s", sh + strlen(SHARE_PREFIX));
	assert_int_equal(sign_check(&key, "pmpo_fb:", swapped, "who owns it?", 12, &seed), -1);
	snprintf(swapped, sizeof(swapped), SHARE_PREFIX "%s", fb + 8);
	assert_int_equal(share_check(&key, swapped, "who owns it?", 12, &seed), -1);
	share_key_clear(&key);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_compare_renders_as_fields),
		cmocka_unit_test(test_markup_escaped_and_converted),
		cmocka_unit_test(test_limits_hold_for_big_replies),
		cmocka_unit_test(test_envelope_event_fields),
		cmocka_unit_test(test_envelope_rejects_and_bounds),
		cmocka_unit_test(test_dedup_ttl_and_bound),
		cmocka_unit_test(test_share_signature),
		cmocka_unit_test(test_feedback_signature_is_its_own),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
