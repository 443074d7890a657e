/* test_config.c -- the config table: file parsing, every kind of bad line,
 * environment overrides, token files, systemd credentials, masking, reload. */
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

#include "config.h"
#include "log.h"

/* Fake but well-shaped tokens; the bodies must never show up in output. */
#define APP_TOKEN "xapp-1-A0TESTAPP-1234567890-c0ffeec0ffeec0ffee"
#define APP_BODY "A0TESTAPP-1234567890-c0ffee"
#define BOT_TOKEN "xoxb-1111-2222-BOTSECRETBOTSECRET"
#define BOT_BODY "BOTSECRETBOTSECRET"

static const char *const env_vars[] = {
	"SLACK_APP_TOKEN", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN_FILE", "SLACK_BOT_TOKEN_FILE",
	"SLACK_API_URL", "PMPO_STATE_DIR", "PMPO_LOG_LEVEL", "PMPO_PING_INTERVAL",
	"PMPO_IDLE_TIMEOUT", "PMPO_HANDSHAKE_TIMEOUT", "PMPO_TIPS_TIME", "PMPO_TIPS_TIMEZONE", "CREDENTIALS_DIRECTORY",
};

static char tmpdir[256];
static struct config cfg;
static char err[1024];

static int
setup(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(env_vars) / sizeof(env_vars[0]); i++)
		unsetenv(env_vars[i]);
	snprintf(tmpdir, sizeof(tmpdir), "%s/pmpo-config-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	err[0] = '\0';
	return 0;
}

static int
teardown(void **state)
{
	char cmd[512];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

/* Writes content to tmpdir/name; returns the path, valid for the next three
 * calls (a ring of four buffers): copy it to keep it longer. */
static const char *
write_file(const char *name, const char *content)
{
	static char path[4][512];
	static int slot;
	char *p = path[slot++ % 4];
	FILE *fp;

	snprintf(p, 512, "%s/%s", tmpdir, name);
	fp = fopen(p, "w");
	assert_non_null(fp);
	fputs(content, fp);
	assert_int_equal(fclose(fp), 0);
	return p;
}

static void
assert_contains(const char *hay, const char *needle)
{
	if (strstr(hay, needle) == NULL)
		fail_msg("expected \"%s\" in \"%s\"", needle, hay);
}

static void
assert_lacks(const char *hay, const char *needle)
{
	if (strstr(hay, needle) != NULL)
		fail_msg("did not expect \"%s\" in \"%s\"", needle, hay);
}

static void
test_defaults(void **state)
{
	const char *path = write_file("empty.conf", "# nothing here\n\n");

	(void)state;
	assert_int_equal(config_load(&cfg, path, err, sizeof(err)), 0);
	assert_string_equal(cfg.api_url, "https://slack.com/api/");
	assert_string_equal(cfg.state_dir, "/var/lib/pmpo-bot");
	assert_int_equal(cfg.log_level, LOG_INFO);
	assert_int_equal(cfg.ping_interval_s, 4);
	assert_int_equal(cfg.idle_timeout_s, 10);
	assert_int_equal(cfg.handshake_timeout_s, 8);
	assert_string_equal(cfg.tips_time, "09:00");
	assert_string_equal(cfg.tips_timezone, "UTC");
	assert_int_equal(cfg.question_log_days, 30);
	assert_string_equal(cfg.app_token, "");
	assert_false(config_has_tokens(&cfg));
	assert_string_equal(cfg.source, path);
}

static void
test_good_file(void **state)
{
	const char *path = write_file("good.conf",
	        "# a full configuration\n"
	        "app_token = " APP_TOKEN "\n"
	        "  bot_token=" BOT_TOKEN "  \n"
	        "; another comment style\n"
	        "api_url = http://127.0.0.1:8080/api\n"
	        "state_dir = \"/srv/pmpo state\"\n"
	        "log_level = debug\n"
	        "ping_interval = 5\n"
	        "idle_timeout = 12\n"
	        "handshake_timeout = 6\n"
	        "tips_time = 17:45\n"
	        "tips_timezone = Europe/Berlin\n");

	(void)state;
	assert_int_equal(config_load(&cfg, path, err, sizeof(err)), 0);
	assert_string_equal(cfg.app_token, APP_TOKEN);
	assert_string_equal(cfg.bot_token, BOT_TOKEN);
	assert_true(config_has_tokens(&cfg));
	assert_string_equal(cfg.api_url, "http://127.0.0.1:8080/api/"); /* '/' added */
	assert_string_equal(cfg.state_dir, "/srv/pmpo state");
	assert_int_equal(cfg.log_level, LOG_DEBUG);
	assert_int_equal(cfg.ping_interval_s, 5);
	assert_int_equal(cfg.idle_timeout_s, 12);
	assert_int_equal(cfg.handshake_timeout_s, 6);
	assert_string_equal(cfg.tips_time, "17:45");
	assert_string_equal(cfg.tips_timezone, "Europe/Berlin");
}

static void
test_bad_lines(void **state)
{
	static const struct {
		const char *line;
		const char *why;
	} cases[] = {
		{"just words", "expected 'key = value'"},
		{"colour = blue", "unknown key 'colour'"},
		{"= 5", "unknown key ''"},
		{"Log_Level = info", "unknown key 'Log_Level'"},
		{"PMPO_LOG_LEVEL = info", "is an environment variable; here write log_level"},
		{"ping_interval = 0", "bad ping_interval '0'"},
		{"ping_interval = 61", "from 1 to 60"},
		{"ping_interval = 10s", "bad ping_interval"},
		{"ping_interval =", "bad ping_interval"},
		{"ping_interval = 99999999999999999999", "bad ping_interval"},
		{"idle_timeout = 301", "from 2 to 300"},
		{"idle_timeout = -5", "bad idle_timeout"},
		{"handshake_timeout = 1", "from 2 to 60"},
		{"handshake_timeout = 61", "from 2 to 60"},
		{"question_log_days = -1", "question_log_days"},
		{"question_log_days = 3651", "question_log_days"},
		{"log_level = loud", "bad log_level 'loud'"},
		{"tips_time = 24:00", "bad tips_time"},
		{"tips_time = 9:00", "bad tips_time"},
		{"tips_time = 12:60", "bad tips_time"},
		{"tips_time = 12.30", "bad tips_time"},
		{"tips_timezone = Mars/Olympus", "unknown time zone 'Mars/Olympus'"},
		{"tips_timezone = ../../etc/passwd", "not a time zone name"},
		{"tips_timezone = /etc/localtime", "not a time zone name"},
		{"tips_timezone = Europe/Ber lin", "not a time zone name"},
		{"api_url = ftp://example.com/", "not an http:// or https:// URL"},
		{"api_url = https://", "has no host"},
		{"api_url = https://exa mple.com/", "space or a control character"},
		{"api_url = https://example.com/?x=1", "no query"},
		{"api_url =", "api_url is empty"},
		{"state_dir = var/lib/pmpo", "must be an absolute path"},
		{"state_dir = /var/lib/\x01" "pmpo", "state_dir contains a control character"},
		{"bot_token_file = /etc/\x7f" "bot", "bot_token_file contains a control character"},
		{"app_token_file = credentials/app", "must be an absolute path"},
		{"app_token = " BOT_TOKEN, "app_token is not an app-level token"},
		{"bot_token = " APP_TOKEN, "bot_token is not a bot token"},
		{"bot_token = xoxb-12 34567890abc", "space or a control character"},
		{"bot_token = xoxb-1", "too short"},
	};
	char content[512];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *path;
		char where[600];

		/* Line 3, after a comment and a blank line, so the number is checked. */
		snprintf(content, sizeof(content), "# header\n\n%s\nlog_level = info\n", cases[i].line);
		path = write_file("bad.conf", content);
		err[0] = '\0';
		if (config_load(&cfg, path, err, sizeof(err)) != -1)
			fail_msg("line '%s' was accepted", cases[i].line);
		snprintf(where, sizeof(where), "%s:3: ", path);
		assert_contains(err, where);
		assert_contains(err, cases[i].why);
		/* A rejected token is named, never echoed. */
		assert_lacks(err, APP_BODY);
		assert_lacks(err, BOT_BODY);
		assert_lacks(err, "34567890abc");
	}
}

static void
test_file_structure_errors(void **state)
{
	char long_line[4000];
	const char *path;

	(void)state;
	path = write_file("dup.conf", "log_level = info\nping_interval = 5\nlog_level = debug\n");
	assert_int_equal(config_load(&cfg, path, err, sizeof(err)), -1);
	assert_contains(err, ":3: log_level is already set on line 1");

	memset(long_line, 'x', sizeof(long_line) - 2);
	memcpy(long_line, "state_dir = /", 13);
	long_line[sizeof(long_line) - 2] = '\n';
	long_line[sizeof(long_line) - 1] = '\0';
	path = write_file("long.conf", long_line);
	assert_int_equal(config_load(&cfg, path, err, sizeof(err)), -1);
	assert_contains(err, ":1: line too long");

	snprintf(long_line, sizeof(long_line), "%s/does-not-exist.conf", tmpdir);
	assert_int_equal(config_load(&cfg, long_line, err, sizeof(err)), -1);
	assert_contains(err, "does-not-exist.conf");

	/* Cross-key rule: idle_timeout must exceed ping_interval. */
	path = write_file("idle.conf", "ping_interval = 20\nidle_timeout = 20\n");
	assert_int_equal(config_load(&cfg, path, err, sizeof(err)), -1);
	assert_contains(err, "idle_timeout (20, from ");
	assert_contains(err, "idle.conf:2");
	assert_contains(err, "greater than ping_interval (20)");

	/* Both tokens or neither. */
	path = write_file("half.conf", "app_token = " APP_TOKEN "\n");
	assert_int_equal(config_load(&cfg, path, err, sizeof(err)), -1);
	assert_contains(err, "app_token is set");
	assert_contains(err, "bot_token is not");
	assert_lacks(err, APP_BODY);
}

static void
test_env_overrides(void **state)
{
	const char *path = write_file("env.conf", "log_level = debug\nping_interval = 5\ntips_time = 08:00\n");

	(void)state;
	setenv("PMPO_LOG_LEVEL", "warn", 1);
	setenv("PMPO_TIPS_TIMEZONE", "America/New_York", 1);
	setenv("SLACK_API_URL", "http://127.0.0.1:9/x", 1);
	setenv("PMPO_TIPS_TIME", "", 1); /* empty: ignored, the file's value stays */
	assert_int_equal(config_load(&cfg, path, err, sizeof(err)), 0);
	assert_int_equal(cfg.log_level, LOG_WARN);
	assert_int_equal(cfg.ping_interval_s, 5);
	assert_string_equal(cfg.tips_timezone, "America/New_York");
	assert_string_equal(cfg.api_url, "http://127.0.0.1:9/x/");
	assert_string_equal(cfg.tips_time, "08:00");
	/* where each value came from (console mode asks about log_level) */
	assert_int_equal(config_origin_of(&cfg, "log_level"), CONFIG_FROM_ENV);
	assert_int_equal(config_origin_of(&cfg, "ping_interval"), CONFIG_FROM_FILE);
	assert_int_equal(config_origin_of(&cfg, "idle_timeout"), CONFIG_FROM_DEFAULT);
	assert_int_equal(config_origin_of(&cfg, "no_such_key"), CONFIG_FROM_DEFAULT);

	setenv("PMPO_PING_INTERVAL", "0", 1);
	assert_int_equal(config_load(&cfg, path, err, sizeof(err)), -1);
	assert_contains(err, "environment variable PMPO_PING_INTERVAL");
	unsetenv("PMPO_PING_INTERVAL");

	/* A wrong token in the environment names the variable, not the value. */
	setenv("SLACK_APP_TOKEN", BOT_TOKEN, 1);
	assert_int_equal(config_load(&cfg, path, err, sizeof(err)), -1);
	assert_contains(err, "SLACK_APP_TOKEN");
	assert_lacks(err, BOT_BODY);

	setenv("SLACK_APP_TOKEN", APP_TOKEN, 1);
	setenv("SLACK_BOT_TOKEN", BOT_TOKEN, 1);
	assert_int_equal(config_load(&cfg, path, err, sizeof(err)), 0);
	assert_string_equal(cfg.app_token, APP_TOKEN);
	assert_string_equal(cfg.bot_token, BOT_TOKEN);
}

static void
test_token_files(void **state)
{
	char conf[1400];
	const char *app = write_file("app", APP_TOKEN "\n");
	const char *bot = write_file("bot", BOT_TOKEN "\r\n");
	char app_path[512], bot_path[512], path[512];

	(void)state;
	snprintf(app_path, sizeof(app_path), "%s", app);
	snprintf(bot_path, sizeof(bot_path), "%s", bot);
	snprintf(conf, sizeof(conf), "app_token_file = %s\nbot_token_file = %s\n", app_path, bot_path);
	snprintf(path, sizeof(path), "%s", write_file("files.conf", conf));
	assert_int_equal(config_load(&cfg, path, err, sizeof(err)), 0);
	assert_string_equal(cfg.app_token, APP_TOKEN);
	assert_string_equal(cfg.bot_token, BOT_TOKEN);

	/* The environment variable beats the file. */
	setenv("SLACK_BOT_TOKEN", "xoxb-9999-8888-FROMENVIRONMENT", 1);
	assert_int_equal(config_load(&cfg, path, err, sizeof(err)), 0);
	assert_string_equal(cfg.bot_token, "xoxb-9999-8888-FROMENVIRONMENT");
	unsetenv("SLACK_BOT_TOKEN");

	/* SLACK_*_TOKEN_FILE works like the key. */
	setenv("SLACK_APP_TOKEN_FILE", app_path, 1);
	setenv("SLACK_BOT_TOKEN_FILE", bot_path, 1);
	assert_int_equal(config_load(&cfg, write_file("none.conf", ""), err, sizeof(err)), 0);
	assert_string_equal(cfg.app_token, APP_TOKEN);
	unsetenv("SLACK_APP_TOKEN_FILE");
	unsetenv("SLACK_BOT_TOKEN_FILE");

	/* Broken files: each error names the file, never its content. */
	static const struct {
		const char *content;
		const char *why;
	} bad[] = {
		{"", "is empty"},
		{"\n\n", "is empty"},
		{APP_TOKEN "\n" APP_TOKEN "\n", "more than one line"},
		{BOT_TOKEN "\n", "app_token is not an app-level token"},
		{"xapp-1-A0TESTAPP c0ffee\n", "space or a control character"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		write_file("app", bad[i].content);
		assert_int_equal(config_load(&cfg, path, err, sizeof(err)), -1);
		assert_contains(err, "token file ");
		assert_contains(err, app_path);
		assert_contains(err, bad[i].why);
		assert_lacks(err, APP_BODY);
		assert_lacks(err, BOT_BODY);
		assert_lacks(err, "c0ffee");
	}
	{
		char big[400];
		memset(big, 'a', sizeof(big) - 1);
		memcpy(big, "xapp-", 5);
		big[sizeof(big) - 1] = '\0';
		write_file("app", big);
		assert_int_equal(config_load(&cfg, path, err, sizeof(err)), -1);
		assert_contains(err, "too long");
	}
	{
		FILE *fp = fopen(app_path, "w");
		assert_non_null(fp);
		fwrite("xapp-1-A0TESTAPP\0c0ffee\n", 1, 24, fp); /* a hidden tail after a NUL */
		fclose(fp);
		assert_int_equal(config_load(&cfg, path, err, sizeof(err)), -1);
		assert_contains(err, "NUL byte");
	}
	/* A path with a space is a path. */
	{
		char spaced[600];
		snprintf(spaced, sizeof(spaced), "%s", write_file("app token", APP_TOKEN "\n"));
		setenv("SLACK_APP_TOKEN_FILE", spaced, 1);
		assert_int_equal(config_load(&cfg, path, err, sizeof(err)), 0);
		assert_string_equal(cfg.app_token, APP_TOKEN);
		unsetenv("SLACK_APP_TOKEN_FILE");
	}
	unlink(app_path);
	assert_int_equal(config_load(&cfg, path, err, sizeof(err)), -1);
	assert_contains(err, app_path);
	assert_contains(err, "cannot read");
}

static void
test_credentials(void **state)
{
	char dir[600], conf[256];
	const char *path;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/creds", tmpdir);
	assert_int_equal(mkdir(dir, 0700), 0);
	write_file("creds/slack-app-token", APP_TOKEN "\n");
	write_file("creds/slack-bot-token", BOT_TOKEN "\n");
	setenv("CREDENTIALS_DIRECTORY", dir, 1);
	assert_int_equal(config_load(&cfg, write_file("none.conf", ""), err, sizeof(err)), 0);
	assert_string_equal(cfg.app_token, APP_TOKEN);
	assert_string_equal(cfg.bot_token, BOT_TOKEN);
	assert_string_equal(cfg.credentials_dir, dir);

	/* A credential beats a token written in the config file... */
	snprintf(conf, sizeof(conf), "app_token = xapp-1-FROMTHEFILE-0000\nbot_token = xoxb-1-FROMTHEFILE-0000\n");
	path = write_file("inline.conf", conf);
	assert_int_equal(config_load(&cfg, path, err, sizeof(err)), 0);
	assert_string_equal(cfg.app_token, APP_TOKEN);

	/* ...and the environment beats the credential. */
	setenv("SLACK_APP_TOKEN", "xapp-1-FROMENVIRONMENT-0000", 1);
	assert_int_equal(config_load(&cfg, path, err, sizeof(err)), 0);
	assert_string_equal(cfg.app_token, "xapp-1-FROMENVIRONMENT-0000");
	assert_string_equal(cfg.bot_token, BOT_TOKEN);
	unsetenv("SLACK_APP_TOKEN");

	/* A bad credential is named by its path. */
	write_file("creds/slack-bot-token", "xoxp-user-token-not-a-bot\n");
	assert_int_equal(config_load(&cfg, write_file("none.conf", ""), err, sizeof(err)), -1);
	assert_contains(err, "credential ");
	assert_contains(err, "slack-bot-token");
	assert_contains(err, "not a bot token");
	assert_lacks(err, "user-token-not-a-bot");

	/* Credentials not passed at all: nothing is set, no error. */
	setenv("CREDENTIALS_DIRECTORY", tmpdir, 1);
	assert_int_equal(config_load(&cfg, write_file("none.conf", ""), err, sizeof(err)), 0);
	assert_false(config_has_tokens(&cfg));
}

static void
test_print_masks_tokens(void **state)
{
	char out[8192];
	size_t n;
	FILE *fp;

	(void)state;
	setenv("SLACK_APP_TOKEN", APP_TOKEN, 1);
	setenv("SLACK_BOT_TOKEN", BOT_TOKEN, 1);
	setenv("PMPO_LOG_LEVEL", "debug", 1);
	assert_int_equal(config_load(&cfg, write_file("none.conf", ""), err, sizeof(err)), 0);
	fp = tmpfile();
	assert_non_null(fp);
	config_print(&cfg, fp);
	rewind(fp);
	n = fread(out, 1, sizeof(out) - 1, fp);
	out[n] = '\0';
	fclose(fp);
	assert_lacks(out, APP_BODY);
	assert_lacks(out, BOT_BODY);
	assert_lacks(out, APP_TOKEN);
	assert_contains(out, "app_token = xapp-****");
	assert_contains(out, "bot_token = xoxb-****");
	assert_contains(out, "environment SLACK_APP_TOKEN");
	assert_contains(out, "log_level = debug  # environment PMPO_LOG_LEVEL");
	assert_contains(out, "tips_timezone = UTC  # default");
}

static void
test_reload(void **state)
{
	char conf[256];
	const char *path;
	int rc;

	(void)state;
	path = write_file("live.conf", "log_level = info\ntips_time = 09:00\napi_url = http://127.0.0.1:1/api/\n");
	assert_int_equal(config_load(&cfg, path, err, sizeof(err)), 0);
	log_set_level(cfg.log_level);

	/* Reloadable keys change; nothing else does. */
	write_file("live.conf", "log_level = debug\ntips_time = 10:30\ntips_timezone = Asia/Tokyo\n"
	                        "api_url = http://127.0.0.1:1/api/\n");
	rc = config_reload(&cfg, NULL, err, sizeof(err));
	assert_int_equal(rc, 0);
	assert_int_equal(cfg.log_level, LOG_DEBUG);
	assert_int_equal(log_get_level(), LOG_DEBUG);
	assert_string_equal(cfg.tips_time, "10:30");
	assert_string_equal(cfg.tips_timezone, "Asia/Tokyo");

	/* A key that needs a restart is reported and kept. */
	write_file("live.conf", "log_level = warn\nping_interval = 3\napi_url = http://127.0.0.1:2/api/\n");
	rc = config_reload(&cfg, NULL, err, sizeof(err));
	assert_int_equal(rc, 1);
	assert_contains(err, "api_url");
	assert_contains(err, "ping_interval");
	assert_contains(err, "restart");
	assert_string_equal(cfg.api_url, "http://127.0.0.1:1/api/");
	assert_int_equal(cfg.ping_interval_s, 4);
	assert_int_equal(cfg.log_level, LOG_WARN);
	assert_string_equal(cfg.tips_time, "09:00"); /* back to the default: key removed */

	/* An invalid file changes nothing. */
	snprintf(conf, sizeof(conf), "log_level = error\ntips_time = 25:00\n");
	write_file("live.conf", conf);
	rc = config_reload(&cfg, NULL, err, sizeof(err));
	assert_int_equal(rc, -1);
	assert_contains(err, "live.conf:2");
	assert_int_equal(cfg.log_level, LOG_WARN);
	assert_int_equal(log_get_level(), LOG_WARN);
	log_set_level(LOG_INFO);
}

static void
test_check_state_dir(void **state)
{
	char dir[600];
	const char *file;

	(void)state;
	assert_int_equal(config_load(&cfg, write_file("c.conf", ""), err, sizeof(err)), 0);
	snprintf(cfg.state_dir, sizeof(cfg.state_dir), "%s", tmpdir);
	assert_int_equal(config_check(&cfg, err, sizeof(err)), 0);
	snprintf(cfg.state_dir, sizeof(cfg.state_dir), "%s/new/deeper", tmpdir);
	assert_int_equal(config_check(&cfg, err, sizeof(err)), 0); /* creatable */
	file = write_file("plain", "x");
	snprintf(cfg.state_dir, sizeof(cfg.state_dir), "%s", file);
	assert_int_equal(config_check(&cfg, err, sizeof(err)), -1);
	assert_contains(err, "not a directory");
	snprintf(cfg.state_dir, sizeof(cfg.state_dir), "%s/sub", file);
	assert_int_equal(config_check(&cfg, err, sizeof(err)), -1);
	assert_contains(err, "state_dir");
	if (geteuid() != 0) { /* root may write anywhere */
		snprintf(dir, sizeof(dir), "%s/ro", tmpdir);
		assert_int_equal(mkdir(dir, 0500), 0);
		snprintf(cfg.state_dir, sizeof(cfg.state_dir), "%s", dir);
		assert_int_equal(config_check(&cfg, err, sizeof(err)), -1);
		assert_contains(err, "not writable");
	}
}

/* The generated example parses as it is, and with every default uncommented. */
static void
test_example_round_trip(void **state)
{
	char line[512], path2[600];
	FILE *in, *out;
	const char *path;
	int uncommented = 0;

	(void)state;
	path = write_file("example.conf", "");
	out = fopen(path, "w");
	assert_non_null(out);
	config_write_example(out);
	fclose(out);
	assert_int_equal(config_load(&cfg, path, err, sizeof(err)), 0);

	snprintf(path2, sizeof(path2), "%s/uncommented.conf", tmpdir);
	in = fopen(path, "r");
	out = fopen(path2, "w");
	assert_non_null(in);
	assert_non_null(out);
	while (fgets(line, sizeof(line), in) != NULL) {
		/* "#key = value": uncomment, except token files that do not exist here */
		if (line[0] == '#' && line[1] >= 'a' && line[1] <= 'z' && strstr(line, " = ") &&
		    strstr(line, "_token_file") == NULL) {
			fputs(line + 1, out);
			uncommented++;
		} else {
			fputs(line, out);
		}
	}
	fclose(in);
	fclose(out);
	assert_true(uncommented >= 7);
	assert_int_equal(config_load(&cfg, path2, err, sizeof(err)), 0);
	assert_int_equal(cfg.ping_interval_s, 4);
	assert_string_equal(cfg.tips_timezone, "UTC");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_defaults, setup, teardown),
		cmocka_unit_test_setup_teardown(test_good_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_lines, setup, teardown),
		cmocka_unit_test_setup_teardown(test_file_structure_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_env_overrides, setup, teardown),
		cmocka_unit_test_setup_teardown(test_token_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_credentials, setup, teardown),
		cmocka_unit_test_setup_teardown(test_print_masks_tokens, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reload, setup, teardown),
		cmocka_unit_test_setup_teardown(test_check_state_dir, setup, teardown),
		cmocka_unit_test_setup_teardown(test_example_round_trip, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
