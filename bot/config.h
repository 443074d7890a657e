/* config.h -- everything the daemon can be told, from one place.
 *
 * Sources, later ones winning: built-in defaults, the config file
 * (key = value), systemd credentials / token files, the environment.
 * Tokens are secrets: they are never logged or printed unmasked. */
#ifndef PMPO_CONFIG_H
#define PMPO_CONFIG_H

#include <stddef.h>
#include <stdio.h>

#include "log.h"

#define CONFIG_DEFAULT_PATH "/etc/pmpo-bot/pmpo-bot.conf"
#define CONFIG_TOKEN_MAX 255
#define CONFIG_URL_MAX 511
#define CONFIG_PATH_MAX 1023

struct config {
	char app_token[CONFIG_TOKEN_MAX + 1]; /* xapp-..., for apps.connections.open; secret */
	char bot_token[CONFIG_TOKEN_MAX + 1]; /* xoxb-..., for every other Web API call; secret */
	char api_url[CONFIG_URL_MAX + 1];     /* Web API base, ends with '/' */
	char state_dir[CONFIG_PATH_MAX + 1];  /* SQLite state lives here */
	enum log_level log_level;
	int ping_interval_s;                  /* client PING every N s */
	int idle_timeout_s;                   /* no inbound frame for N s: the socket is dead */
	char tips_time[6];                    /* default "HH:MM" for /pmpo tips on */
	char tips_timezone[64];               /* default IANA zone when the user's is unknown */
	char source[CONFIG_PATH_MAX + 1];     /* the file read, or "" */
};

/* Loads defaults, then path (NULL: CONFIG_DEFAULT_PATH if it exists), then the
 * environment, and validates. 0, or -1 with a one-line reason in err that
 * names the file and line or the variable. */
int config_load(struct config *cfg, const char *path, char *err, size_t errlen);

/* 1 if both Slack tokens are set. */
int config_has_tokens(const struct config *cfg);

/* Writes the effective configuration, secrets masked, one key per line. */
void config_print(const struct config *cfg, FILE *out);

#endif
