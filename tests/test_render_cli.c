/* test_render_cli.c -- console rendering, ask --json shape, argument parsing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <cjson/cJSON.h>
#include <string.h>

#include "cli.h"
#include "cmd.h"
#include "render.h"

static size_t
columns(const char *s, size_t n)
{
	size_t w = 0;

	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			w++;
	return w;
}

static int
has_bar(const char *p, size_t n)
{
	for (size_t i = 0; i + 3 <= n; i++)
		if (memcmp(p + i, " | ", 3) == 0)
			return 1;
	return 0;
}

static void
test_compare_fits_100_columns(void **state)
{
	struct request req = {.text = "compare", .text_len = 7, .user_id = "U1", .channel_id = "C1",
	                      .surface = SURFACE_CONSOLE};
	struct reply r;
	struct buf out;
	const char *p;
	int table_lines = 0;

	(void)state;
	cmd_dispatch(&req, &r);
	buf_init(&out, 1 << 20);
	assert_int_equal(render_text(&r, RENDER_TEXT_WIDTH, &out), 0);
	for (p = buf_str(&out); *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		/* The source list names files and may run long; the table may not. */
		if (has_bar(p, n)) {
			assert_true(columns(p, n) <= RENDER_TEXT_WIDTH);
			table_lines++;
		}
		p += n + (nl != NULL);
	}
	assert_true(table_lines > (int)kb_ndimensions);
	for (size_t i = 0; i < kb_ndimensions; i++)
		assert_non_null(strstr(buf_str(&out), kb_dimensions[i].label));
	/* Markup never reaches the terminal. */
	assert_null(strchr(buf_str(&out), '*'));
	buf_free(&out);
}

static void
test_render_respects_ceiling(void **state)
{
	struct request req = {.text = "compare", .text_len = 7, .user_id = "U1", .channel_id = "C1",
	                      .surface = SURFACE_CONSOLE};
	struct reply r;
	struct buf out;

	(void)state;
	cmd_dispatch(&req, &r);
	buf_init(&out, 100);
	assert_int_equal(render_text(&r, RENDER_TEXT_WIDTH, &out), -1);
	assert_true(out.len <= 100);
	buf_free(&out);
}

static void
test_answer_json_shape(void **state)
{
	struct request req = {.text = "what does a product owner do", .text_len = 28, .user_id = "U1", .channel_id = "C1",
	                      .surface = SURFACE_CONSOLE};
	struct reply r;
	struct buf out;
	cJSON *o;

	(void)state;
	cmd_run(cmd_find("ask"), &req, &r);
	buf_init(&out, 1 << 20);
	assert_int_equal(render_answer_json(&r, &out), 0);
	o = cJSON_Parse(buf_str(&out));
	assert_non_null(o);
	assert_true(cJSON_IsString(cJSON_GetObjectItem(o, "role")));
	assert_true(cJSON_IsString(cJSON_GetObjectItem(o, "topic")));
	assert_true(cJSON_IsNumber(cJSON_GetObjectItem(o, "confidence")));
	assert_true(cJSON_IsString(cJSON_GetObjectItem(o, "text")));
	assert_true(cJSON_IsArray(cJSON_GetObjectItem(o, "sources")));
	assert_string_equal(cJSON_GetObjectItem(o, "role")->valuestring, kb_role_name(r.role));
	cJSON_Delete(o);
	buf_free(&out);
}

static void
test_cli_modes(void **state)
{
	struct cli c;
	char err[256];
	char *a1[] = {"pmpo-bot", NULL};
	char *a2[] = {"pmpo-bot", "--config", "/x.conf", "console", NULL};
	char *a3[] = {"pmpo-bot", "ask", "who", "owns", "--json", "it?", NULL};
	char *a4[] = {"pmpo-bot", "check-config", NULL};
	char *a5[] = {"pmpo-bot", "--config=/y.conf", "--help", NULL};

	(void)state;
	assert_int_equal(cli_parse(1, a1, &c, err, sizeof(err)), 0);
	assert_int_equal(c.mode, CLI_RUN);
	cli_free(&c);
	assert_int_equal(cli_parse(4, a2, &c, err, sizeof(err)), 0);
	assert_int_equal(c.mode, CLI_CONSOLE);
	assert_string_equal(c.config_path, "/x.conf");
	cli_free(&c);
	assert_int_equal(cli_parse(6, a3, &c, err, sizeof(err)), 0);
	assert_int_equal(c.mode, CLI_ASK);
	assert_int_equal(c.json, 1);
	assert_string_equal(c.ask_text, "who owns it?");
	assert_int_equal(c.ask_len, strlen("who owns it?"));
	cli_free(&c);
	assert_int_equal(cli_parse(2, a4, &c, err, sizeof(err)), 0);
	assert_int_equal(c.mode, CLI_CHECK_CONFIG);
	cli_free(&c);
	assert_int_equal(cli_parse(3, a5, &c, err, sizeof(err)), 0);
	assert_int_equal(c.mode, CLI_HELP);
	cli_free(&c);
}

static void
test_cli_errors(void **state)
{
	struct cli c;
	char err[256];
	char *bad_flag[] = {"pmpo-bot", "--frobnicate", NULL};
	char *bad_mode[] = {"pmpo-bot", "fly", NULL};
	char *no_file[] = {"pmpo-bot", "--config", NULL};
	char *token[] = {"pmpo-bot", "--bot-token=xoxb-123", NULL};
	char *json_alone[] = {"pmpo-bot", "console", "--json", NULL};
	char *empty_ask[] = {"pmpo-bot", "ask", NULL};
	char *extra[] = {"pmpo-bot", "console", "extra", NULL};

	(void)state;
	assert_int_equal(cli_parse(2, bad_flag, &c, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "--frobnicate"));
	cli_free(&c);
	assert_int_equal(cli_parse(2, bad_mode, &c, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "fly"));
	cli_free(&c);
	assert_int_equal(cli_parse(2, no_file, &c, err, sizeof(err)), -1);
	cli_free(&c);
	assert_int_equal(cli_parse(2, token, &c, err, sizeof(err)), -1);
	assert_null(strstr(err, "123")); /* never echo a secret */
	cli_free(&c);
	assert_int_equal(cli_parse(3, json_alone, &c, err, sizeof(err)), -1);
	cli_free(&c);
	assert_int_equal(cli_parse(2, empty_ask, &c, err, sizeof(err)), -1);
	cli_free(&c);
	assert_int_equal(cli_parse(3, extra, &c, err, sizeof(err)), -1);
	cli_free(&c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_compare_fits_100_columns),
		cmocka_unit_test(test_render_respects_ceiling),
		cmocka_unit_test(test_answer_json_shape),
		cmocka_unit_test(test_cli_modes),
		cmocka_unit_test(test_cli_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
