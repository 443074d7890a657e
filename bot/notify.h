/* notify.h -- telling systemd how the daemon is doing (sd_notify).
 *
 * Every call is a no-op returning 0 when NOTIFY_SOCKET is unset (not run by
 * systemd, or not Type=notify). Otherwise 1 when the message was sent, -1
 * when sending failed; a failure is worth a log line, never an exit. */
#ifndef PMPO_NOTIFY_H
#define PMPO_NOTIFY_H

#include <stdint.h>

/* READY=1: after the first Socket Mode hello. */
int notify_ready(void);
/* STATUS=...: one human line for systemctl status; never a token. */
int notify_status(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* WATCHDOG=1: call at least every notify_watchdog_usec() / 2. */
int notify_watchdog(void);
/* STOPPING=1: on SIGTERM, before closing the connection. */
int notify_stopping(void);
/* RELOADING=1 on SIGHUP; call notify_ready() when the reload is done. */
int notify_reloading(void);
/* WatchdogSec= of the unit in microseconds, or 0 when no watchdog is asked for. */
uint64_t notify_watchdog_usec(void);

#endif
