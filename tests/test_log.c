/* test_log.c -- log line shape: journal priority prefix only when stderr
 * really is the journal stream, level filtering, one line per event, and
 * log_quote's escaping and cutting. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "log.h"

static char path[256];
static int saved_stderr = -1;

/* Points fd 2 at a fresh temporary file. */
static int
setup(void **state)
{
	int fd;

	(void)state;
	snprintf(path, sizeof(path), "%s/pmpo-log-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	fd = mkstemp(path);
	if (fd < 0)
		return -1;
	fflush(stderr);
	saved_stderr = dup(2);
	if (saved_stderr < 0 || dup2(fd, 2) < 0)
		return -1;
	close(fd);
	unsetenv("JOURNAL_STREAM");
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	fflush(stderr);
	dup2(saved_stderr, 2);
	close(saved_stderr);
	unlink(path);
	unsetenv("JOURNAL_STREAM");
	log_init(LOG_INFO);
	return 0;
}

/* Everything written to the captured stderr so far. */
static const char *
captured(void)
{
	static char buf[16384];
	FILE *fp;
	size_t n;

	fflush(stderr);
	fp = fopen(path, "r");
	assert_non_null(fp);
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	buf[n] = '\0';
	fclose(fp);
	return buf;
}

static void
set_journal_stream(int match)
{
	struct stat st;
	char v[64];

	assert_int_equal(fstat(2, &st), 0);
	snprintf(v, sizeof(v), "%llu:%llu", (unsigned long long)st.st_dev,
	         (unsigned long long)st.st_ino + (match ? 0 : 1));
	setenv("JOURNAL_STREAM", v, 1);
}

static size_t
count_char(const char *s, char c)
{
	size_t n = 0;

	for (; *s; s++)
		n += *s == c;
	return n;
}

static void
test_journal_prefix(void **state)
{
	(void)state;
	set_journal_stream(1);
	log_init(LOG_INFO);
	log_info("connected", "host=%s latency_ms=%d", "applink-1", 12);
	log_error("lost", "reason=%s", "eof");
	log_warn("slow", "%s", "");
	log_debug("hidden", "n=%d", 1);
	assert_string_equal(captured(), "<6>level=info event=connected host=applink-1 latency_ms=12\n"
	                                "<3>level=error event=lost reason=eof\n"
	                                "<4>level=warn event=slow\n");
	log_set_level(LOG_DEBUG);
	log_debug("shown", "n=%d", 2);
	assert_non_null(strstr(captured(), "<7>level=debug event=shown n=2\n"));
}

static void
test_timestamp_when_not_journal(void **state)
{
	const char *out;

	(void)state;
	/* Inherited JOURNAL_STREAM that is not our stderr: plain lines. */
	set_journal_stream(0);
	log_init(LOG_INFO);
	log_info("a", "k=%d", 1);
	unsetenv("JOURNAL_STREAM");
	log_init(LOG_WARN);
	log_info("filtered", "%s", "");
	log_warn("b", "k=%d", 2);
	out = captured();
	assert_int_equal(count_char(out, '\n'), 2);
	assert_int_equal(strncmp(out, "ts=", 3), 0);
	assert_non_null(strstr(out, "Z level=info event=a k=1\n"));
	assert_non_null(strstr(out, "Z level=warn event=b k=2\n"));
	assert_null(strstr(out, "filtered"));
	assert_null(strchr(out, '<'));
}

static void
test_one_line_per_event(void **state)
{
	char big[5000];
	const char *out;

	(void)state;
	set_journal_stream(1);
	log_init(LOG_INFO);
	/* A caller that forgot to quote still cannot split the line. */
	log_info("oops", "text=%s", "first\nlevel=error event=forged\r");
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	log_info("big", "v=%s", big);
	out = captured();
	assert_int_equal(count_char(out, '\n'), 2);
	assert_non_null(strstr(out, "<6>level=info event=oops text=first_level=error event=forged_\n"));
	out = strchr(out, '\n') + 1;
	assert_int_equal(strncmp(out, "<6>level=info event=big v=xxx", 29), 0);
	assert_true(strlen(out) <= 2048); /* cut to the line buffer, newline kept */
}

static void
test_tokens_masked(void **state)
{
	const char *out;

	(void)state;
	set_journal_stream(1);
	log_init(LOG_DEBUG);
	log_debug("http", "auth=\"Bearer %s\" next=%s", "xoxb-1234-5678-SECRETPART", "xapp-1-A0B-SECRET2 tail");
	log_info("user", "id=U123 text=%s", "the xoxo-team said hi"); /* not a token shape */
	out = captured();
	assert_null(strstr(out, "SECRETPART"));
	assert_null(strstr(out, "SECRET2"));
	assert_non_null(strstr(out, "auth=\"Bearer xoxb-********************\" next=xapp-************* tail\n"));
	assert_non_null(strstr(out, "the xoxo-team said hi"));
}

static void
test_quote(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{"applink-1", "applink-1"},
		{"C0123:U456/x@y+z,w.v_", "C0123:U456/x@y+z,w.v_"},
		{"", "\"\""},
		{"two words", "\"two words\""},
		{"say \"hi\"", "\"say \\\"hi\\\"\""},
		{"back\\slash", "\"back\\\\slash\""},
		{"a\nb\rc\td", "\"a\\nb\\rc\\td\""},
		{"bell\x07", "\"bell\\x07\""},
		{"del\x7f", "\"del\\x7f\""},
		{"k=v", "\"k=v\""},
		{"caf\xc3\xa9", "\"caf\xc3\xa9\""},
	};
	char buf[LOG_QUOTE_MAX];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_string_equal(log_quote(buf, sizeof(buf), cases[i].in), cases[i].out);
	assert_string_equal(log_quote(buf, sizeof(buf), NULL), "-");
	assert_string_equal(LOG_Q("a b"), "\"a b\"");
}

static void
test_quote_cuts(void **state)
{
	char buf[16], in[64];
	const char *q;

	(void)state;
	memset(in, 'a', sizeof(in) - 1);
	in[sizeof(in) - 1] = '\0';
	q = log_quote(buf, sizeof(buf), in);
	assert_true(strlen(q) < sizeof(buf));
	assert_int_equal(q[0], '"');
	assert_non_null(strstr(q, "...\""));

	/* Never half an escape, never half a UTF-8 character. */
	q = log_quote(buf, sizeof(buf), "\n\n\n\n\n\n\n\n\n\n");
	assert_true(strlen(q) < sizeof(buf));
	assert_non_null(strstr(q, "\\n...\""));
	q = log_quote(buf, sizeof(buf), "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9");
	assert_true(strlen(q) < sizeof(buf));
	for (const char *p = strstr(q, "..."); p != NULL && p > q + 1; p = NULL)
		assert_true(((unsigned char)p[-1] & 0xc0) != 0xc0); /* no dangling lead byte */
	assert_true(((unsigned char)strstr(q, "...")[-1] == 0xa9));
	assert_string_equal(log_quote(buf, 4, "abc"), "");
}

static void
test_level_names(void **state)
{
	enum log_level lv;

	(void)state;
	assert_int_equal(log_level_parse("debug", &lv), 0);
	assert_int_equal(lv, LOG_DEBUG);
	assert_int_equal(log_level_parse("warn", &lv), 0);
	assert_int_equal(lv, LOG_WARN);
	assert_int_equal(log_level_parse("WARN", &lv), -1);
	assert_int_equal(log_level_parse("verbose", &lv), -1);
	assert_string_equal(log_level_name(LOG_ERROR), "error");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_journal_prefix, setup, teardown),
		cmocka_unit_test_setup_teardown(test_timestamp_when_not_journal, setup, teardown),
		cmocka_unit_test_setup_teardown(test_one_line_per_event, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tokens_masked, setup, teardown),
		cmocka_unit_test(test_quote),
		cmocka_unit_test(test_quote_cuts),
		cmocka_unit_test(test_level_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
