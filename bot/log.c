/* log.c -- key=value lines on stderr, journal-aware. */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static enum log_level min_level = LOG_INFO;
static int to_journal;

void
log_init(enum log_level min)
{
	const char *js = getenv("JOURNAL_STREAM");
	struct stat st;
	unsigned long long dev, ino;

	min_level = min;
	/* JOURNAL_STREAM is "DEV:INO" of the journal's socket; it is inherited by
	 * children too, so only trust it if stderr really is that socket. */
	to_journal = js != NULL && sscanf(js, "%llu:%llu", &dev, &ino) == 2 &&
	             fstat(2, &st) == 0 && (unsigned long long)st.st_dev == dev &&
	             (unsigned long long)st.st_ino == ino;
}

void
log_set_level(enum log_level min)
{
	min_level = min;
}

enum log_level
log_get_level(void)
{
	return min_level;
}

const char *
log_level_name(enum log_level level)
{
	switch (level) {
	case LOG_ERROR: return "error";
	case LOG_WARN: return "warn";
	case LOG_INFO: return "info";
	case LOG_DEBUG: return "debug";
	}
	return "info";
}

int
log_level_parse(const char *name, enum log_level *out)
{
	static const enum log_level all[] = {LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG};

	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		if (strcmp(name, log_level_name(all[i])) == 0) {
			*out = all[i];
			return 0;
		}
	return -1;
}

void
log_msg(enum log_level level, const char *event, const char *fmt, ...)
{
	char line[2048];
	size_t n = 0;
	va_list ap;
	int r;

	if (level > min_level)
		return;
	if (to_journal) {
		r = snprintf(line, sizeof(line), "<%d>", (int)level);
	} else {
		struct timespec ts;
		struct tm tm;
		clock_gettime(CLOCK_REALTIME, &ts);
		gmtime_r(&ts.tv_sec, &tm);
		r = snprintf(line, sizeof(line), "ts=%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ ",
		             tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
		             tm.tm_sec, ts.tv_nsec / 1000000);
	}
	n = r > 0 ? (size_t)r : 0;
	r = snprintf(line + n, sizeof(line) - n, "level=%s event=%s", log_level_name(level), event);
	n += r > 0 ? (size_t)r : 0;
	if (n < sizeof(line) && fmt != NULL && *fmt != '\0') {
		line[n++] = ' ';
		va_start(ap, fmt);
		r = vsnprintf(line + n, sizeof(line) - n, fmt, ap);
		va_end(ap);
		n += r > 0 ? (size_t)r : 0;
	}
	if (n >= sizeof(line) - 1)
		n = sizeof(line) - 2; /* an over-long line is cut, never split */
	line[n++] = '\n';
	fwrite(line, 1, n, stderr);
}
