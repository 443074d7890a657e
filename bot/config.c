/* config.c -- defaults, config file, environment; validation. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void
set_str(char *dst, size_t cap, const char *src)
{
	snprintf(dst, cap, "%s", src);
}

static void
defaults(struct config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	set_str(cfg->api_url, sizeof(cfg->api_url), "https://slack.com/api/");
	set_str(cfg->state_dir, sizeof(cfg->state_dir), "/var/lib/pmpo-bot");
	cfg->log_level = LOG_INFO;
	cfg->ping_interval_s = 10;
	cfg->idle_timeout_s = 30;
	set_str(cfg->tips_time, sizeof(cfg->tips_time), "09:00");
	set_str(cfg->tips_timezone, sizeof(cfg->tips_timezone), "UTC");
}

/* Applies one key/value; 0, or -1 with the reason in err. */
static int
apply(struct config *cfg, const char *key, const char *value, char *err, size_t errlen)
{
	if (strcmp(key, "app_token") == 0 || strcmp(key, "SLACK_APP_TOKEN") == 0) {
		if (strlen(value) > CONFIG_TOKEN_MAX)
			goto too_long;
		set_str(cfg->app_token, sizeof(cfg->app_token), value);
	} else if (strcmp(key, "bot_token") == 0 || strcmp(key, "SLACK_BOT_TOKEN") == 0) {
		if (strlen(value) > CONFIG_TOKEN_MAX)
			goto too_long;
		set_str(cfg->bot_token, sizeof(cfg->bot_token), value);
	} else if (strcmp(key, "api_url") == 0 || strcmp(key, "SLACK_API_URL") == 0) {
		size_t n = strlen(value);
		if (n == 0 || n + 1 > CONFIG_URL_MAX)
			goto bad;
		if (strncmp(value, "https://", 8) != 0 && strncmp(value, "http://", 7) != 0)
			goto bad;
		snprintf(cfg->api_url, sizeof(cfg->api_url), "%s%s", value, value[n - 1] == '/' ? "" : "/");
	} else if (strcmp(key, "state_dir") == 0 || strcmp(key, "PMPO_STATE_DIR") == 0) {
		if (strlen(value) > CONFIG_PATH_MAX || value[0] != '/')
			goto bad;
		set_str(cfg->state_dir, sizeof(cfg->state_dir), value);
	} else if (strcmp(key, "ping_interval") == 0 || strcmp(key, "PMPO_PING_INTERVAL") == 0 ||
	           strcmp(key, "idle_timeout") == 0 || strcmp(key, "PMPO_IDLE_TIMEOUT") == 0) {
		char *end;
		long v = strtol(value, &end, 10);
		if (*value == '\0' || *end != '\0' || v < 1 || v > 3600)
			goto bad;
		if (strcmp(key, "ping_interval") == 0 || strcmp(key, "PMPO_PING_INTERVAL") == 0)
			cfg->ping_interval_s = (int)v;
		else
			cfg->idle_timeout_s = (int)v;
	} else if (strcmp(key, "log_level") == 0 || strcmp(key, "PMPO_LOG_LEVEL") == 0) {
		if (log_level_parse(value, &cfg->log_level) != 0)
			goto bad;
	} else {
		snprintf(err, errlen, "unknown key '%.64s'", key);
		return -1;
	}
	return 0;
too_long:
	snprintf(err, errlen, "value of '%s' is too long", key);
	return -1;
bad:
	snprintf(err, errlen, "bad value for '%s'", key);
	return -1;
}

static char *
trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

static int
load_file(struct config *cfg, const char *path, char *err, size_t errlen)
{
	FILE *fp = fopen(path, "r");
	char line[2048], why[256];
	int lineno = 0;

	if (fp == NULL) {
		snprintf(err, errlen, "cannot read config file %s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), fp) != NULL) {
		char *eq, *key, *value, *p;
		lineno++;
		if (strchr(line, '\n') == NULL && !feof(fp)) {
			snprintf(err, errlen, "%s:%d: line too long", path, lineno);
			fclose(fp);
			return -1;
		}
		p = trim(line);
		if (*p == '\0' || *p == '#')
			continue;
		eq = strchr(p, '=');
		if (eq == NULL) {
			snprintf(err, errlen, "%s:%d: expected 'key = value'", path, lineno);
			fclose(fp);
			return -1;
		}
		*eq = '\0';
		key = trim(p);
		value = trim(eq + 1);
		if (apply(cfg, key, value, why, sizeof(why)) != 0) {
			snprintf(err, errlen, "%s:%d: %s", path, lineno, why);
			fclose(fp);
			return -1;
		}
	}
	fclose(fp);
	set_str(cfg->source, sizeof(cfg->source), path);
	return 0;
}

int
config_load(struct config *cfg, const char *path, char *err, size_t errlen)
{
	static const char *const env_keys[] = {
		"SLACK_APP_TOKEN", "SLACK_BOT_TOKEN", "SLACK_API_URL", "PMPO_STATE_DIR", "PMPO_LOG_LEVEL",
		"PMPO_PING_INTERVAL", "PMPO_IDLE_TIMEOUT",
	};
	char why[256];

	defaults(cfg);
	if (path == NULL && access(CONFIG_DEFAULT_PATH, F_OK) == 0)
		path = CONFIG_DEFAULT_PATH;
	if (path != NULL && load_file(cfg, path, err, errlen) != 0)
		return -1;
	for (size_t i = 0; i < sizeof(env_keys) / sizeof(env_keys[0]); i++) {
		const char *v = getenv(env_keys[i]);
		if (v == NULL || *v == '\0')
			continue;
		if (apply(cfg, env_keys[i], v, why, sizeof(why)) != 0) {
			snprintf(err, errlen, "environment %s: %s", env_keys[i], why);
			return -1;
		}
	}
	if (cfg->idle_timeout_s <= cfg->ping_interval_s) {
		snprintf(err, errlen, "idle_timeout (%d) must be longer than ping_interval (%d)",
		         cfg->idle_timeout_s, cfg->ping_interval_s);
		return -1;
	}
	if (cfg->app_token[0] && strncmp(cfg->app_token, "xapp-", 5) != 0) {
		snprintf(err, errlen, "SLACK_APP_TOKEN is not an app-level token (it must start with xapp-)");
		return -1;
	}
	if (cfg->bot_token[0] && strncmp(cfg->bot_token, "xoxb-", 5) != 0) {
		snprintf(err, errlen, "SLACK_BOT_TOKEN is not a bot token (it must start with xoxb-)");
		return -1;
	}
	if (!cfg->app_token[0] != !cfg->bot_token[0]) {
		snprintf(err, errlen, "%s is set but %s is not: Socket Mode needs both",
		         cfg->app_token[0] ? "SLACK_APP_TOKEN" : "SLACK_BOT_TOKEN",
		         cfg->app_token[0] ? "SLACK_BOT_TOKEN" : "SLACK_APP_TOKEN");
		return -1;
	}
	return 0;
}

int
config_has_tokens(const struct config *cfg)
{
	return cfg->app_token[0] != '\0' && cfg->bot_token[0] != '\0';
}

/* Shows a token's kind and length, never its body. */
static void
print_secret(FILE *out, const char *key, const char *value)
{
	if (*value == '\0')
		fprintf(out, "%s = (not set)\n", key);
	else
		fprintf(out, "%s = %.5s**** (%zu characters)\n", key, value, strlen(value));
}

void
config_print(const struct config *cfg, FILE *out)
{
	fprintf(out, "# from %s and the environment\n", cfg->source[0] ? cfg->source : "defaults");
	print_secret(out, "app_token", cfg->app_token);
	print_secret(out, "bot_token", cfg->bot_token);
	fprintf(out, "api_url = %s\n", cfg->api_url);
	fprintf(out, "state_dir = %s\n", cfg->state_dir);
	fprintf(out, "log_level = %s\n", log_level_name(cfg->log_level));
	fprintf(out, "ping_interval = %d\n", cfg->ping_interval_s);
	fprintf(out, "idle_timeout = %d\n", cfg->idle_timeout_s);
	fprintf(out, "tips_time = %s\n", cfg->tips_time);
	fprintf(out, "tips_timezone = %s\n", cfg->tips_timezone);
}
