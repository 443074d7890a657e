/* config.h -- everything the daemon can be told, from one table.
 *
 * Sources, later ones winning: built-in defaults, the config file
 * (key = value), the environment. Tokens come, first match wins, from
 * SLACK_*_TOKEN, from *_token_file = PATH (or SLACK_*_TOKEN_FILE), from
 * systemd credentials ($CREDENTIALS_DIRECTORY/slack-app-token, ...-bot-token),
 * and last from app_token/bot_token in the file. Tokens are secrets: never
 * logged or printed unmasked, and error messages name where a token came
 * from, never what it is.
 *
 * One table in config.c (key, variable, type, range, default, help) drives
 * parsing, validation, check-config, the example file and the man page. */
#ifndef PMPO_CONFIG_H
#define PMPO_CONFIG_H

#include <stddef.h>
#include <stdio.h>

#include "log.h"

#define CONFIG_DEFAULT_PATH "/etc/pmpo-bot/pmpo-bot.conf"
#define CONFIG_TOKEN_MIN 10  /* prefix plus a few characters; real ones are ~50-100 */
#define CONFIG_TOKEN_MAX 255
#define CONFIG_URL_MAX 511
#define CONFIG_PATH_MAX 1023
#define CONFIG_MAX_OPTIONS 24
#define CONFIG_ZONEINFO_DIR "/usr/share/zoneinfo"

/* Where an option's value came from, for check-config and error messages. */
enum config_origin {
	CONFIG_FROM_DEFAULT = 0,
	CONFIG_FROM_FILE,       /* cfg->source, line origin_line[i] */
	CONFIG_FROM_ENV,
	CONFIG_FROM_TOKEN_FILE, /* the path in app_token_file / bot_token_file */
	CONFIG_FROM_CREDENTIAL  /* cfg->credentials_dir */
};

struct config {
	char app_token[CONFIG_TOKEN_MAX + 1]; /* xapp-..., for apps.connections.open; secret */
	char bot_token[CONFIG_TOKEN_MAX + 1]; /* xoxb-..., for every other Web API call; secret */
	char app_token_file[CONFIG_PATH_MAX + 1]; /* "" or a file holding app_token */
	char bot_token_file[CONFIG_PATH_MAX + 1]; /* "" or a file holding bot_token */
	char api_url[CONFIG_URL_MAX + 1];     /* Web API base, ends with '/' */
	char state_dir[CONFIG_PATH_MAX + 1];  /* SQLite state lives here */
	enum log_level log_level;
	int ping_interval_s;                  /* client PING after N s without an inbound frame */
	int idle_timeout_s;                   /* no inbound frame for N s: the socket is dead */
	int handshake_timeout_s;              /* connect to hello must take less than N s */
	char tips_time[6];                    /* default "HH:MM" for /pmpo tips on */
	char tips_timezone[64];               /* default IANA zone when the user's is unknown */
	int question_log_days;                /* days question text is kept; 0: counts only */
	char source[CONFIG_PATH_MAX + 1];     /* the file read, or "" */
	char credentials_dir[CONFIG_PATH_MAX + 1]; /* $CREDENTIALS_DIRECTORY when a token came from it */
	unsigned char origin[CONFIG_MAX_OPTIONS]; /* enum config_origin, by table row */
	int origin_line[CONFIG_MAX_OPTIONS];      /* line in source when CONFIG_FROM_FILE */
};

/* Loads defaults, then path (NULL: CONFIG_DEFAULT_PATH if it exists), then the
 * environment, resolves the tokens and validates everything that needs no
 * file system beyond reading (token shapes, URL, ranges, time zone names).
 * 0, or -1 with a one-line reason in err that names the file and line, the
 * variable or the token file. */
int config_load(struct config *cfg, const char *path, char *err, size_t errlen);

/* The checks check-config adds to config_load: the state directory is
 * writable, or could be created. 0, or -1 with the reason in err. */
int config_check(const struct config *cfg, char *err, size_t errlen);

/* Re-reads the configuration (path, or live->source when path is NULL, with
 * the environment as at start) and applies only the reloadable keys (log
 * level, tips defaults) to live, including log_set_level. On any error live
 * is untouched and -1 is returned with the reason in err. 0: applied.
 * 1: applied, but keys that need a restart changed; err names them.
 * Call it from the event loop (a uv_signal_t callback), never from a signal
 * handler: it allocates and does file I/O. */
int config_reload(struct config *live, const char *path, char *err, size_t errlen);

/* 1 if both Slack tokens are set. */
int config_has_tokens(const struct config *cfg);

/* Where the value of key came from (CONFIG_FROM_DEFAULT for a key not in
 * the table). */
enum config_origin config_origin_of(const struct config *cfg, const char *key);

/* Writes the effective configuration, secrets masked, one key per line with
 * where each value came from. */
void config_print(const struct config *cfg, FILE *out);

/* Write the documented example config file, and the man page's option list
 * (man(7) .TP paragraphs), from the table. */
void config_write_example(FILE *out);
void config_write_man(FILE *out);

#endif
