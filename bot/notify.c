/* notify.c -- a thin layer over libsystemd's sd_notify. */
#include "notify.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <systemd/sd-daemon.h>

static int
send_state(const char *state)
{
	const char *sock = getenv("NOTIFY_SOCKET");
	int r;

	if (sock == NULL || *sock == '\0')
		return 0;
	r = sd_notify(0, state);
	return r > 0 ? 1 : r == 0 ? 0 : -1;
}

int
notify_ready(void)
{
	return send_state("READY=1\nSTATUS=connected");
}

int
notify_status(const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	int n;

	n = snprintf(msg, sizeof(msg), "STATUS=");
	va_start(ap, fmt);
	vsnprintf(msg + n, sizeof(msg) - (size_t)n, fmt, ap);
	va_end(ap);
	/* A newline would start a new assignment: keep STATUS one line. */
	for (char *p = msg; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	return send_state(msg);
}

int
notify_watchdog(void)
{
	return send_state("WATCHDOG=1");
}

int
notify_stopping(void)
{
	return send_state("STOPPING=1");
}

int
notify_reloading(void)
{
	char msg[64];
	struct timespec ts;

	/* MONOTONIC_USEC lets systemd >= 253 (Type=notify-reload) match this
	 * reload to its request; older versions ignore it. */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	snprintf(msg, sizeof(msg), "RELOADING=1\nMONOTONIC_USEC=%llu",
	         (unsigned long long)ts.tv_sec * 1000000ULL + (unsigned long long)ts.tv_nsec / 1000ULL);
	return send_state(msg);
}

uint64_t
notify_watchdog_usec(void)
{
	uint64_t usec = 0;

	if (sd_watchdog_enabled(0, &usec) <= 0)
		return 0;
	return usec;
}
