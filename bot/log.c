/* log.c -- key=value lines on stderr, journal-aware. */
#include "log.h"

#include <ctype.h>
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

/* Masks anything shaped like a Slack token (xapp-..., xox[abcdeprs]-...)
 * in line[0..n): a last guard should a caller ever pass one. */
static void
mask_tokens(char *line, size_t n)
{
	for (size_t i = 0; i + 5 <= n; i++) {
		int hit = memcmp(line + i, "xapp-", 5) == 0 ||
		          (memcmp(line + i, "xox", 3) == 0 && line[i + 3] != '\0' &&
		           strchr("abcdeprs", line[i + 3]) != NULL && line[i + 4] == '-');
		if (!hit)
			continue;
		for (i += 5; i < n && (isalnum((unsigned char)line[i]) || line[i] == '-'); i++)
			line[i] = '*';
	}
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
		if (r > 0)
			n += (size_t)r;
		else
			n--; /* nothing after the event: no trailing space */
	}
	if (n >= sizeof(line) - 1)
		n = sizeof(line) - 2; /* an over-long line is cut, never split */
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)line[i] < 0x20 || line[i] == 0x7f)
			line[i] = '_';
	mask_tokens(line, n);
	line[n++] = '\n';
	fwrite(line, 1, n, stderr);
}

static int
is_bare(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c != '\0' && strchr("-._:/@+,", c) != NULL);
}

const char *
log_quote(char *dst, size_t cap, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = 0, i;
	int bare = 1;

	if (cap < 8) { /* room for "\"...\"" and the NUL */
		if (cap > 0)
			dst[0] = '\0';
		return dst;
	}
	if (s == NULL) {
		snprintf(dst, cap, "-");
		return dst;
	}
	for (i = 0; s[i]; i++)
		if (!is_bare((unsigned char)s[i]))
			bare = 0;
	if (bare && i > 0 && i < cap) {
		memcpy(dst, s, i + 1);
		return dst;
	}
	dst[n++] = '"';
	for (i = 0; s[i]; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[5];
		size_t el;

		if (c == '"' || c == '\\') {
			esc[0] = '\\', esc[1] = (char)c, el = 2;
		} else if (c == '\n') {
			esc[0] = '\\', esc[1] = 'n', el = 2;
		} else if (c == '\r') {
			esc[0] = '\\', esc[1] = 'r', el = 2;
		} else if (c == '\t') {
			esc[0] = '\\', esc[1] = 't', el = 2;
		} else if (c < 0x20 || c == 0x7f) {
			esc[0] = '\\', esc[1] = 'x', esc[2] = hex[c >> 4], esc[3] = hex[c & 15], el = 4;
		} else {
			esc[0] = (char)c, el = 1; /* UTF-8 bytes pass through */
		}
		/* keep room for "...\"" + NUL */
		if (n + el + 5 > cap) {
			/* do not leave half a UTF-8 sequence before the ... */
			while (n > 1 && ((unsigned char)dst[n - 1] & 0xc0) == 0x80)
				n--;
			if (n > 1 && (unsigned char)dst[n - 1] >= 0xc0)
				n--;
			memcpy(dst + n, "...", 3);
			n += 3;
			break;
		}
		memcpy(dst + n, esc, el);
		n += el;
	}
	dst[n++] = '"';
	dst[n] = '\0';
	return dst;
}
