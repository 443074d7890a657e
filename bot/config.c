/* config.c -- the option table; defaults, config file, environment, token
 * files and credentials; validation; printing and documentation.
 *
 * Every option is one row of options[] below (like tmux's options-table.c):
 * parsing, range checks, check-config, the example file and the man page all
 * walk the same rows, so they cannot drift apart. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "errmsg.h"

enum opt_type {
	T_TOKEN, /* secret; .prefix required; never printed */
	T_FILE,  /* absolute path of a file read at start */
	T_URL,   /* http(s) URL, stored with a trailing '/' */
	T_DIR,   /* absolute path of a directory */
	T_LEVEL, /* log level name */
	T_INT,   /* whole number in [min, max] */
	T_TIME,  /* HH:MM, 24-hour */
	T_ZONE   /* IANA time zone name with a TZif file under CONFIG_ZONEINFO_DIR */
};

static const char *const type_metavar[] = {
	[T_TOKEN] = "TOKEN", [T_FILE] = "PATH", [T_URL] = "URL", [T_DIR] = "DIR",
	[T_LEVEL] = "LEVEL", [T_INT] = "SECONDS", [T_TIME] = "HH:MM", [T_ZONE] = "ZONE",
};

struct option {
	const char *key;        /* in the config file */
	const char *env;        /* the environment variable that overrides it */
	enum opt_type type;
	int min, max;           /* T_INT */
	const char *prefix;     /* T_TOKEN: required start */
	const char *file_key;   /* T_TOKEN: the option naming a file that holds it */
	const char *credential; /* T_TOKEN: systemd credential name */
	const char *kind;       /* T_TOKEN: what it is, for messages */
	const char *def;        /* default, as written in the file; NULL: unset */
	const char *example;    /* shown in the example file when there is no default */
	size_t off, size;       /* the field in struct config */
	int reloadable;         /* applied by config_reload (SIGHUP) */
	const char *help;       /* one or two sentences */
};

#define FIELD(f) .off = offsetof(struct config, f), .size = sizeof(((struct config *)0)->f)

static const struct option options[] = {
	{.key = "app_token", .env = "SLACK_APP_TOKEN", .type = T_TOKEN, .prefix = "xapp-", .kind = "an app-level token",
	 .file_key = "app_token_file", .credential = "slack-app-token", FIELD(app_token),
	 .help = "App-level token (xapp-...) with the connections:write scope; it opens the Socket "
	         "Mode connection. Prefer app_token_file or the systemd credential slack-app-token "
	         "to writing the token here."},
	{.key = "bot_token", .env = "SLACK_BOT_TOKEN", .type = T_TOKEN, .prefix = "xoxb-", .kind = "a bot token",
	 .file_key = "bot_token_file", .credential = "slack-bot-token", FIELD(bot_token),
	 .help = "Bot token (xoxb-...) from installing the app; it authorises every Web API call. "
	         "Prefer bot_token_file or the systemd credential slack-bot-token."},
	{.key = "app_token_file", .env = "SLACK_APP_TOKEN_FILE", .type = T_FILE,
	 .example = "/etc/pmpo-bot/credentials/slack-app-token", FIELD(app_token_file),
	 .help = "File whose first line is the app-level token; read once at start. Used when "
	         "SLACK_APP_TOKEN is not set, before the systemd credential."},
	{.key = "bot_token_file", .env = "SLACK_BOT_TOKEN_FILE", .type = T_FILE,
	 .example = "/etc/pmpo-bot/credentials/slack-bot-token", FIELD(bot_token_file),
	 .help = "File whose first line is the bot token; read once at start. Used when "
	         "SLACK_BOT_TOKEN is not set, before the systemd credential."},
	{.key = "api_url", .env = "SLACK_API_URL", .type = T_URL, .def = "https://slack.com/api/",
	 FIELD(api_url),
	 .help = "Base URL of the Slack Web API. Change it only to test against a fake Slack."},
	{.key = "state_dir", .env = "PMPO_STATE_DIR", .type = T_DIR, .def = "/var/lib/pmpo-bot",
	 FIELD(state_dir),
	 .help = "Directory holding the SQLite state (tips subscriptions); created when missing. "
	         "The systemd unit provides it through StateDirectory=."},
	{.key = "log_level", .env = "PMPO_LOG_LEVEL", .type = T_LEVEL, .def = "info",
	 FIELD(log_level), .reloadable = 1,
	 .help = "Least severe level logged: error, warn, info or debug. Only debug may log "
	         "message text; tokens are never logged. Console mode logging to a terminal "
	         "uses warn unless this is set."},
	{.key = "ping_interval", .env = "PMPO_PING_INTERVAL", .type = T_INT, .min = 1, .max = 60,
	 .def = "4", FIELD(ping_interval_s),
	 .help = "Seconds without a message or a pong from Slack after which the client pings "
	         "the Socket Mode connection (Slack answers each ping with a pong)."},
	{.key = "idle_timeout", .env = "PMPO_IDLE_TIMEOUT", .type = T_INT, .min = 2, .max = 300,
	 .def = "10", FIELD(idle_timeout_s),
	 .help = "Seconds without a message or a pong from Slack after which the "
	         "connection is taken for dead and replaced. Must be greater than ping_interval."},
	{.key = "handshake_timeout", .env = "PMPO_HANDSHAKE_TIMEOUT", .type = T_INT, .min = 2, .max = 60,
	 .def = "8", FIELD(handshake_timeout_s),
	 .help = "Seconds a new Socket Mode connection may take from its TCP connect to Slack's "
	         "hello (TLS, websocket upgrade); a slower one is abandoned and retried."},
	{.key = "tips_time", .env = "PMPO_TIPS_TIME", .type = T_TIME, .def = "09:00",
	 FIELD(tips_time), .reloadable = 1,
	 .help = "Local time of day (HH:MM, 24-hour) for daily tips when a user turns them on "
	         "without naming a time."},
	{.key = "tips_timezone", .env = "PMPO_TIPS_TIMEZONE", .type = T_ZONE, .def = "UTC",
	 FIELD(tips_timezone), .reloadable = 1,
	 .help = "IANA time zone (a name under /usr/share/zoneinfo, e.g. Europe/Berlin) for tips "
	         "when the user's own zone is unknown."},
	{.key = "question_log_days", .env = "PMPO_QUESTION_LOG_DAYS", .type = T_INT, .min = 0,
	 .max = 3650, .def = "30", FIELD(question_log_days), .reloadable = 1,
	 .help = "Days the text of a question is kept, for pmpo-bot report: only declined questions "
	         "(never from DMs) and questions someone voted on are kept, and the daily purge "
	         "forgets older text. 0 keeps counts only, no text."},
};

#define NOPTIONS (sizeof(options) / sizeof(options[0]))
_Static_assert(NOPTIONS <= CONFIG_MAX_OPTIONS, "raise CONFIG_MAX_OPTIONS");


/* Overwrites a buffer that held a secret; volatile so it is not optimised away. */
static void
wipe(void *p, size_t n)
{
	volatile unsigned char *v = p;

	while (n--)
		*v++ = 0;
}

static const struct option *
find_key(const char *key)
{
	for (size_t i = 0; i < NOPTIONS; i++)
		if (strcmp(options[i].key, key) == 0)
			return &options[i];
	return NULL;
}

static size_t
row(const struct option *o)
{
	return (size_t)(o - options);
}

static char *
field(struct config *cfg, const struct option *o)
{
	return (char *)cfg + o->off;
}

static const char *
cfield(const struct config *cfg, const struct option *o)
{
	return (const char *)cfg + o->off;
}

/* 1 if every byte is printable ASCII other than space. */
static int
is_word(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s <= 0x20 || (unsigned char)*s >= 0x7f)
			return 0;
	return 1;
}

static int
check_token(const struct option *o, const char *v, char *why, size_t whylen)
{
	size_t n = strlen(v);

	/* Every message names the option, never the value: it is a secret. */
	if (strncmp(v, o->prefix, strlen(o->prefix)) != 0)
		return errmsg(why, whylen, "%s is not %s (it must start with %s)", o->key, o->kind,
		            o->prefix);
	if (!is_word(v))
		return errmsg(why, whylen, "%s contains a space or a control character", o->key);
	if (n < CONFIG_TOKEN_MIN)
		return errmsg(why, whylen, "%s is too short to be a Slack token", o->key);
	if (n > CONFIG_TOKEN_MAX)
		return errmsg(why, whylen, "%s is too long (over %d characters)", o->key, CONFIG_TOKEN_MAX);
	return 0;
}

static int
check_url(const char *v, char *why, size_t whylen)
{
	const char *host;

	if (strncmp(v, "https://", 8) == 0)
		host = v + 8;
	else if (strncmp(v, "http://", 7) == 0)
		host = v + 7;
	else
		return errmsg(why, whylen, "'%.64s' is not an http:// or https:// URL", v);
	if (*host == '\0' || *host == '/')
		return errmsg(why, whylen, "'%.64s' has no host", v);
	if (!is_word(v))
		return errmsg(why, whylen, "the URL contains a space or a control character");
	if (strchr(v, '?') != NULL || strchr(v, '#') != NULL)
		return errmsg(why, whylen, "'%.64s': a base URL takes no query or fragment", v);
	return 0;
}

static int
check_zone(const char *v, char *why, size_t whylen)
{
	char path[sizeof(CONFIG_ZONEINFO_DIR) + 64];
	unsigned char magic[4];
	int fd;
	ssize_t n;

	/* Names only, never paths: no "..", no leading '/', tame characters. */
	if (*v == '\0' || *v == '/' || strstr(v, "..") != NULL || strlen(v) >= 64)
		return errmsg(why, whylen, "'%.64s' is not a time zone name", v);
	for (const char *p = v; *p; p++)
		if (!isalnum((unsigned char)*p) && strchr("/_+-", *p) == NULL)
			return errmsg(why, whylen, "'%.64s' is not a time zone name", v);
	snprintf(path, sizeof(path), "%s/%s", CONFIG_ZONEINFO_DIR, v);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return errmsg(why, whylen, "unknown time zone '%s' (not in %s)", v, CONFIG_ZONEINFO_DIR);
	n = read(fd, magic, sizeof(magic));
	close(fd);
	if (n != 4 || memcmp(magic, "TZif", 4) != 0)
		return errmsg(why, whylen, "'%s' is not a time zone (%s is not a TZif file)", v, path);
	return 0;
}

/* Parses and stores one value for option o. The message in why never
 * contains a token. 0, or -1. */
static int
set_value(struct config *cfg, const struct option *o, const char *v, char *why, size_t whylen)
{
	char *dst = field(cfg, o);
	size_t n = strlen(v);

	switch (o->type) {
	case T_TOKEN:
		if (n > 0 && check_token(o, v, why, whylen) != 0)
			return -1;
		break;
	case T_FILE:
		if (n > 0 && v[0] != '/')
			return errmsg(why, whylen, "%s must be an absolute path", o->key);
		break;
	case T_URL:
		if (n == 0)
			return errmsg(why, whylen, "%s is empty", o->key);
		if (check_url(v, why, whylen) != 0)
			return -1;
		if (n + (v[n - 1] != '/') >= o->size)
			return errmsg(why, whylen, "%s is too long", o->key);
		snprintf(dst, o->size, "%s%s", v, v[n - 1] == '/' ? "" : "/");
		return 0;
	case T_DIR:
		if (v[0] != '/')
			return errmsg(why, whylen, "%s must be an absolute path, not '%.64s'", o->key, v);
		break;
	case T_LEVEL: {
		enum log_level lv;
		if (log_level_parse(v, &lv) != 0)
			return errmsg(why, whylen, "bad %s '%.32s' (use error, warn, info or debug)", o->key, v);
		memcpy(dst, &lv, sizeof(lv));
		return 0;
	}
	case T_INT: {
		char *end;
		long x;
		errno = 0;
		x = strtol(v, &end, 10);
		if (n == 0 || *end != '\0' || errno != 0 || x < o->min || x > o->max)
			return errmsg(why, whylen, "bad %s '%.32s' (a whole number of seconds from %d to %d)",
			            o->key, v, o->min, o->max);
		int i = (int)x;
		memcpy(dst, &i, sizeof(i));
		return 0;
	}
	case T_TIME:
		if (n != 5 || !isdigit((unsigned char)v[0]) || !isdigit((unsigned char)v[1]) ||
		    v[2] != ':' || !isdigit((unsigned char)v[3]) || !isdigit((unsigned char)v[4]) ||
		    (v[0] - '0') * 10 + (v[1] - '0') > 23 || v[3] > '5')
			return errmsg(why, whylen, "bad %s '%.32s' (use HH:MM, 00:00 to 23:59)", o->key, v);
		break;
	case T_ZONE:
		if (check_zone(v, why, whylen) != 0)
			return -1;
		break;
	}
	if (n >= o->size)
		return errmsg(why, whylen, "%s is too long", o->key);
	for (const char *p = v; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return errmsg(why, whylen, "%s contains a control character", o->key);
	memcpy(dst, v, n + 1);
	return 0;
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
	int lineno = 0, seen[NOPTIONS] = {0}, rc = -1;

	if (fp == NULL)
		return errmsg(err, errlen, "cannot read config file %s: %s", path, strerror(errno));
	snprintf(cfg->source, sizeof(cfg->source), "%s", path);
	while (fgets(line, sizeof(line), fp) != NULL) {
		const struct option *o;
		char *eq, *key, *value, *p;
		size_t vn;

		lineno++;
		if (strchr(line, '\n') == NULL && !feof(fp)) {
			errmsg(err, errlen, "%s:%d: line too long", path, lineno);
			goto out;
		}
		p = trim(line);
		if (*p == '\0' || *p == '#' || *p == ';')
			continue;
		eq = strchr(p, '=');
		if (eq == NULL) {
			errmsg(err, errlen, "%s:%d: expected 'key = value'", path, lineno);
			goto out;
		}
		*eq = '\0';
		key = trim(p);
		value = trim(eq + 1);
		vn = strlen(value);
		if (vn >= 2 && value[0] == '"' && value[vn - 1] == '"') {
			value[vn - 1] = '\0';
			value++;
		}
		o = find_key(key);
		if (o == NULL) {
			for (size_t i = 0; i < NOPTIONS; i++)
				if (strcmp(options[i].env, key) == 0) {
					errmsg(err, errlen, "%s:%d: '%s' is an environment variable; here write %s = ...",
					     path, lineno, key, options[i].key);
					goto out;
				}
			errmsg(err, errlen, "%s:%d: unknown key '%.64s' (see pmpo-bot(8))", path, lineno,
			     *key ? key : "");
			goto out;
		}
		if (seen[row(o)]) {
			errmsg(err, errlen, "%s:%d: %s is already set on line %d", path, lineno, o->key,
			     seen[row(o)]);
			goto out;
		}
		seen[row(o)] = lineno;
		if (set_value(cfg, o, value, why, sizeof(why)) != 0) {
			errmsg(err, errlen, "%s:%d: %s", path, lineno, why);
			goto out;
		}
		cfg->origin[row(o)] = CONFIG_FROM_FILE;
		cfg->origin_line[row(o)] = lineno;
	}
	if (ferror(fp)) {
		errmsg(err, errlen, "cannot read config file %s: %s", path, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	wipe(line, sizeof(line)); /* it may have held a token */
	fclose(fp);
	return rc;
}

/* Reads the first line of a file holding a secret into out (cap bytes).
 * 0, or -1 with the reason (never the content) in why. */
static int
read_secret(const char *path, char *out, size_t cap, char *why, size_t whylen)
{
	char buf[CONFIG_TOKEN_MAX + 64];
	struct stat st;
	ssize_t n;
	size_t len;
	int fd, rc = -1;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return errmsg(why, whylen, "cannot read: %s", strerror(errno));
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		errmsg(why, whylen, "not a regular file");
		goto out;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	if (n < 0) {
		errmsg(why, whylen, "cannot read: %s", strerror(errno));
		goto out;
	}
	buf[n] = '\0';
	if (memchr(buf, '\0', (size_t)n) != NULL) {
		errmsg(why, whylen, "contains a NUL byte");
		goto out;
	}
	len = (size_t)n;
	while (len > 0 && isspace((unsigned char)buf[len - 1]))
		buf[--len] = '\0';
	if (len == 0) {
		errmsg(why, whylen, "is empty");
		goto out;
	}
	if (strchr(buf, '\n') != NULL) {
		errmsg(why, whylen, "holds more than one line");
		goto out;
	}
	if (len >= cap || (size_t)n == sizeof(buf) - 1) {
		errmsg(why, whylen, "is too long for a token");
		goto out;
	}
	memcpy(out, buf, len + 1);
	rc = 0;
out:
	wipe(buf, sizeof(buf));
	close(fd);
	return rc;
}

/* Where the value of row i came from, for messages and check-config. */
static void
describe_origin(const struct config *cfg, size_t i, char *dst, size_t cap)
{
	const struct option *o = &options[i];

	switch (cfg->origin[i]) {
	case CONFIG_FROM_FILE:
		snprintf(dst, cap, "%s:%d", cfg->source, cfg->origin_line[i]);
		break;
	case CONFIG_FROM_ENV:
		snprintf(dst, cap, "environment %s", o->env);
		break;
	case CONFIG_FROM_TOKEN_FILE: {
		const struct option *f = find_key(o->file_key);
		snprintf(dst, cap, "token file %s", f ? cfield(cfg, f) : "?");
		break;
	}
	case CONFIG_FROM_CREDENTIAL:
		snprintf(dst, cap, "credential %s/%s", cfg->credentials_dir, o->credential ? o->credential : "?");
		break;
	default:
		snprintf(dst, cap, "default");
		break;
	}
}

/* Fills a token from, in order: the environment (already applied), its
 * token file, the systemd credential; else it keeps the config file's. */
static int
resolve_token(struct config *cfg, const struct option *o, char *err, size_t errlen)
{
	const struct option *f = find_key(o->file_key);
	const char *credir = getenv("CREDENTIALS_DIRECTORY");
	char secret[CONFIG_TOKEN_MAX + 1], path[CONFIG_PATH_MAX + 64], why[256];
	int rc = -1;

	if (cfg->origin[row(o)] == CONFIG_FROM_ENV)
		return 0;
	if (f != NULL && cfield(cfg, f)[0] != '\0') {
		if (read_secret(cfield(cfg, f), secret, sizeof(secret), why, sizeof(why)) != 0) {
			errmsg(err, errlen, "token file %s (%s): %s", cfield(cfg, f), f->key, why);
			goto out;
		}
		if (set_value(cfg, o, secret, why, sizeof(why)) != 0) {
			errmsg(err, errlen, "token file %s (%s): %s", cfield(cfg, f), f->key, why);
			goto out;
		}
		cfg->origin[row(o)] = CONFIG_FROM_TOKEN_FILE;
	} else if (credir != NULL && *credir == '/' && strlen(credir) <= CONFIG_PATH_MAX) {
		snprintf(path, sizeof(path), "%s/%s", credir, o->credential);
		if (access(path, F_OK) != 0)
			return 0; /* this credential was not passed */
		if (read_secret(path, secret, sizeof(secret), why, sizeof(why)) != 0 ||
		    set_value(cfg, o, secret, why, sizeof(why)) != 0) {
			errmsg(err, errlen, "credential %s: %s", path, why);
			goto out;
		}
		snprintf(cfg->credentials_dir, sizeof(cfg->credentials_dir), "%s", credir);
		cfg->origin[row(o)] = CONFIG_FROM_CREDENTIAL;
	}
	rc = 0;
out:
	wipe(secret, sizeof(secret));
	return rc;
}

int
config_load(struct config *cfg, const char *path, char *err, size_t errlen)
{
	const struct option *app = find_key("app_token"), *bot = find_key("bot_token");
	const struct option *idle = find_key("idle_timeout");
	char why[256], where[CONFIG_PATH_MAX + 64];

	memset(cfg, 0, sizeof(*cfg));
	for (size_t i = 0; i < NOPTIONS; i++)
		if (options[i].def != NULL && set_value(cfg, &options[i], options[i].def, why, sizeof(why)) != 0)
			return errmsg(err, errlen, "built-in default: %s", why);
	if (path == NULL && access(CONFIG_DEFAULT_PATH, F_OK) == 0)
		path = CONFIG_DEFAULT_PATH;
	if (path != NULL && load_file(cfg, path, err, errlen) != 0)
		return -1;
	for (size_t i = 0; i < NOPTIONS; i++) {
		const char *v = getenv(options[i].env);
		if (v == NULL || *v == '\0')
			continue;
		if (set_value(cfg, &options[i], v, why, sizeof(why)) != 0)
			return errmsg(err, errlen, "environment variable %s: %s", options[i].env, why);
		cfg->origin[i] = CONFIG_FROM_ENV;
	}
	if (resolve_token(cfg, app, err, errlen) != 0 || resolve_token(cfg, bot, err, errlen) != 0)
		return -1;
	if (!cfg->app_token[0] != !cfg->bot_token[0]) {
		const struct option *set = cfg->app_token[0] ? app : bot;
		const struct option *unset = cfg->app_token[0] ? bot : app;
		describe_origin(cfg, row(set), where, sizeof(where));
		return errmsg(err, errlen, "%s is set (from %s) but %s is not: Socket Mode needs both "
		            "(set %s, %s or the credential %s)", set->key, where, unset->key, unset->env,
		            unset->file_key, unset->credential);
	}
	if (cfg->idle_timeout_s <= cfg->ping_interval_s) {
		describe_origin(cfg, row(idle), where, sizeof(where));
		return errmsg(err, errlen, "idle_timeout (%d, from %s) must be greater than ping_interval (%d)",
		            cfg->idle_timeout_s, where, cfg->ping_interval_s);
	}
	return 0;
}

/* Is dir writable by us, or could it be created (nearest existing ancestor writable)? */
int
config_check(const struct config *cfg, char *err, size_t errlen)
{
	char dir[CONFIG_PATH_MAX + 1], *slash;
	struct stat st;

	snprintf(dir, sizeof(dir), "%s", cfg->state_dir);
	if (stat(dir, &st) == 0) {
		if (!S_ISDIR(st.st_mode))
			return errmsg(err, errlen, "state_dir %s is not a directory", dir);
		if (access(dir, W_OK | X_OK) != 0)
			return errmsg(err, errlen, "state_dir %s is not writable: %s", dir, strerror(errno));
		return 0;
	}
	if (errno != ENOENT)
		return errmsg(err, errlen, "state_dir %s: %s", dir, strerror(errno));
	for (;;) {
		slash = strrchr(dir, '/');
		if (slash == NULL)
			return errmsg(err, errlen, "state_dir %s cannot be created", cfg->state_dir);
		if (slash == dir)
			slash[1] = '\0';
		else
			*slash = '\0';
		if (stat(dir, &st) == 0)
			break;
		if (errno != ENOENT)
			return errmsg(err, errlen, "state_dir %s: %s: %s", cfg->state_dir, dir, strerror(errno));
	}
	if (!S_ISDIR(st.st_mode) || access(dir, W_OK | X_OK) != 0)
		return errmsg(err, errlen, "state_dir %s does not exist and %s is not writable",
		            cfg->state_dir, dir);
	return 0;
}

static int
same_value(const struct config *a, const struct config *b, const struct option *o)
{
	switch (o->type) {
	case T_LEVEL:
	case T_INT:
		return memcmp(cfield(a, o), cfield(b, o), o->size) == 0;
	default:
		return strncmp(cfield(a, o), cfield(b, o), o->size) == 0;
	}
}

int
config_reload(struct config *live, const char *path, char *err, size_t errlen)
{
	struct config *next;
	size_t used = 0;
	int rc;

	next = malloc(sizeof(*next)); /* ~6 KiB holding tokens: wiped before free */
	if (next == NULL)
		return errmsg(err, errlen, "out of memory");
	if (path == NULL && live->source[0] != '\0')
		path = live->source;
	if (config_load(next, path, err, errlen) != 0) {
		rc = -1;
		goto out;
	}
	rc = 0;
	err[0] = '\0';
	for (size_t i = 0; i < NOPTIONS; i++) {
		const struct option *o = &options[i];
		if (o->reloadable) {
			memcpy(field(live, o), cfield(next, o), o->size);
			live->origin[i] = next->origin[i];
			live->origin_line[i] = next->origin_line[i];
		} else if (!same_value(live, next, o)) {
			int w = snprintf(err + used, errlen > used ? errlen - used : 0, "%s%s",
			                 rc ? ", " : "changes to ", o->key);
			if (w > 0)
				used += (size_t)w;
			rc = 1;
		}
	}
	if (rc == 1 && used < errlen)
		snprintf(err + used, errlen - used, " need a restart");
	log_set_level(live->log_level);
out:
	wipe(next, sizeof(*next));
	free(next);
	return rc;
}

enum config_origin
config_origin_of(const struct config *cfg, const char *key)
{
	const struct option *o = find_key(key);

	return o != NULL ? (enum config_origin)cfg->origin[row(o)] : CONFIG_FROM_DEFAULT;
}

int
config_has_tokens(const struct config *cfg)
{
	return cfg->app_token[0] != '\0' && cfg->bot_token[0] != '\0';
}

void
config_print(const struct config *cfg, FILE *out)
{
	char where[CONFIG_PATH_MAX + 64];

	fprintf(out, "# config file: %s\n", cfg->source[0] ? cfg->source : "none (defaults and environment)");
	for (size_t i = 0; i < NOPTIONS; i++) {
		const struct option *o = &options[i];
		const char *v = cfield(cfg, o);

		describe_origin(cfg, i, where, sizeof(where));
		switch (o->type) {
		case T_TOKEN:
			/* Kind and length only: the prefix is public, the body is the secret. */
			if (*v == '\0')
				fprintf(out, "%s = (not set)\n", o->key);
			else
				fprintf(out, "%s = %s**** (%zu characters)  # %s\n", o->key, o->prefix,
				        strlen(v), where);
			continue;
		case T_LEVEL: {
			enum log_level lv;
			memcpy(&lv, v, sizeof(lv));
			fprintf(out, "%s = %s  # %s\n", o->key, log_level_name(lv), where);
			continue;
		}
		case T_INT: {
			int x;
			memcpy(&x, v, sizeof(x));
			fprintf(out, "%s = %d  # %s\n", o->key, x, where);
			continue;
		}
		default:
			if (*v == '\0')
				fprintf(out, "%s = (not set)\n", o->key);
			else
				fprintf(out, "%s = %s  # %s\n", o->key, v, where);
			continue;
		}
	}
}

/* Writes text as '#' comment lines of at most ~72 columns. */
static void
write_comment(FILE *out, const char *text)
{
	const char *p = text;

	while (*p) {
		size_t take = strlen(p);
		if (take > 70) {
			take = 70;
			while (take > 0 && p[take] != ' ')
				take--;
			if (take == 0)
				take = strcspn(p, " ");
		}
		fprintf(out, "# %.*s\n", (int)take, p);
		p += take;
		while (*p == ' ')
			p++;
	}
}

static void
describe_range(const struct option *o, char *dst, size_t cap)
{
	int n = snprintf(dst, cap, "Environment: %s.", o->env);

	if (n < 0 || (size_t)n >= cap)
		return;
	if (o->type == T_INT)
		n += snprintf(dst + n, cap - (size_t)n, " Range: %d to %d.", o->min, o->max);
	if (n >= 0 && (size_t)n < cap && o->def != NULL)
		n += snprintf(dst + n, cap - (size_t)n, " Default: %s.", o->def);
	if (n >= 0 && (size_t)n < cap)
		snprintf(dst + n, cap - (size_t)n, " %s", o->reloadable ? "Reloaded on SIGHUP." :
		         "A change needs a restart.");
}

void
config_write_example(FILE *out)
{
	char range[256];

	fputs("# pmpo-bot.conf -- configuration of pmpo-bot(8).\n"
	      "#\n"
	      "# Generated from the option table in bot/config.c; do not edit by hand.\n"
	      "# Format: one 'key = value' per line; lines starting with # or ; are\n"
	      "# comments; a value may be wrapped in double quotes. Unknown keys and bad\n"
	      "# values are errors. Every key has an environment variable, which wins\n"
	      "# over this file. Check with: pmpo-bot --config FILE check-config\n"
	      "#\n"
	      "# Tokens, first match wins: SLACK_APP_TOKEN / SLACK_BOT_TOKEN, the files\n"
	      "# named by app_token_file / bot_token_file, the systemd credentials\n"
	      "# slack-app-token / slack-bot-token, then app_token / bot_token below.\n", out);
	for (size_t i = 0; i < NOPTIONS; i++) {
		const struct option *o = &options[i];
		fputc('\n', out);
		write_comment(out, o->help);
		describe_range(o, range, sizeof(range));
		write_comment(out, range);
		if (o->def != NULL || o->example != NULL)
			fprintf(out, "#%s = %s\n", o->key, o->def ? o->def : o->example);
		else
			fprintf(out, "#%s =\n", o->key);
	}
}

/* Writes s with man(7) escapes: backslashes, hyphens, and a leading dot or quote. */
static void
man_escape(FILE *out, const char *s)
{
	if (*s == '.' || *s == '\'')
		fputs("\\&", out);
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\e", out);
		else if (*s == '-')
			fputs("\\-", out);
		else
			fputc(*s, out);
	}
}

void
config_write_man(FILE *out)
{
	char range[256];

	for (size_t i = 0; i < NOPTIONS; i++) {
		const struct option *o = &options[i];
		fputs(".TP\n\\fB", out);
		man_escape(out, o->key);
		fputs("\\fR = \\fI", out);
		man_escape(out, type_metavar[o->type]);
		fputs("\\fR\n", out);
		man_escape(out, o->help);
		fputc('\n', out);
		describe_range(o, range, sizeof(range));
		man_escape(out, range);
		fputc('\n', out);
	}
}
