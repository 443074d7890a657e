/* log.h -- one line per event on stderr, in a stable key=value shape.
 *
 *   level=info event=connected host=applink-1 latency_ms=12
 *
 * Under systemd (stderr is the journal, JOURNAL_STREAM matches) each line is
 * prefixed with <N> so journalctl -p filters by priority; elsewhere lines
 * start with a UTC timestamp. Never pass a token or a user's message text
 * at info level or above: log ids, not content. */
#ifndef PMPO_LOG_H
#define PMPO_LOG_H

#include <stddef.h>

enum log_level {
	LOG_ERROR = 3, /* values are syslog priorities */
	LOG_WARN = 4,
	LOG_INFO = 6,
	LOG_DEBUG = 7
};

/* Reads JOURNAL_STREAM to decide the line prefix; sets the minimum level. */
void log_init(enum log_level min);
void log_set_level(enum log_level min);
enum log_level log_get_level(void);
/* "error", "warn", "info", "debug" -> level; 0, or -1 for anything else. */
int log_level_parse(const char *name, enum log_level *out);
const char *log_level_name(enum log_level level);

/* Writes "level=L event=EVENT " followed by fmt (key=value pairs). A control
 * character that slips through is written as '_', so a line stays one line;
 * anything shaped like a Slack token is masked (xoxb-*****) as a last guard. */
void log_msg(enum log_level level, const char *event, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Writes s into dst (cap bytes) as a value that keeps the line parseable:
 * bare when it is a plain word ([A-Za-z0-9] and -._:/@+,), else in double
 * quotes with \" \\ \n \r \t and \xHH escapes; "" for empty, - for NULL.
 * Cut with ... (inside the quotes) when it does not fit. Returns dst. */
const char *log_quote(char *dst, size_t cap, const char *s);

#define LOG_QUOTE_MAX 256
/* log_quote into a temporary that lives until the end of the enclosing block:
 *   log_info("cmd", "name=%s", LOG_Q(name)); */
#define LOG_Q(s) log_quote((char[LOG_QUOTE_MAX]){0}, LOG_QUOTE_MAX, (s))

#define log_error(ev, ...) log_msg(LOG_ERROR, ev, __VA_ARGS__)
#define log_warn(ev, ...) log_msg(LOG_WARN, ev, __VA_ARGS__)
#define log_info(ev, ...) log_msg(LOG_INFO, ev, __VA_ARGS__)
#define log_debug(ev, ...) log_msg(LOG_DEBUG, ev, __VA_ARGS__)

#endif
