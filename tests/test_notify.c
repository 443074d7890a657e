/* test_notify.c -- sd_notify messages reach a real AF_UNIX datagram socket
 * standing in for systemd; without NOTIFY_SOCKET every call is a no-op. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include <cmocka.h>

#include "notify.h"

static char dir[64], sock_path[96];
static int sock = -1;

static int
setup(void **state)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	struct timeval tv = {.tv_sec = 2};

	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/pmpo-notify-XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(sock_path, sizeof(sock_path), "%s/notify", dir);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", sock_path);
	sock = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (sock < 0 || bind(sock, (struct sockaddr *)&sa, sizeof(sa)) != 0)
		return -1;
	setsockopt(sock, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)); /* bounded wait */
	unsetenv("NOTIFY_SOCKET");
	unsetenv("WATCHDOG_USEC");
	unsetenv("WATCHDOG_PID");
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	close(sock);
	unlink(sock_path);
	rmdir(dir);
	unsetenv("NOTIFY_SOCKET");
	return 0;
}

static const char *
receive(void)
{
	static char buf[512];
	ssize_t n = recv(sock, buf, sizeof(buf) - 1, 0);

	assert_true(n > 0);
	buf[n] = '\0';
	return buf;
}

static void
test_no_socket_is_noop(void **state)
{
	(void)state;
	assert_int_equal(notify_ready(), 0);
	assert_int_equal(notify_status("x"), 0);
	assert_int_equal(notify_watchdog(), 0);
	assert_int_equal(notify_stopping(), 0);
	assert_int_equal(notify_reloading(), 0);
	assert_int_equal(notify_watchdog_usec(), 0);
}

static void
test_messages(void **state)
{
	const char *m;

	(void)state;
	setenv("NOTIFY_SOCKET", sock_path, 1);
	assert_int_equal(notify_ready(), 1);
	m = receive();
	assert_non_null(strstr(m, "READY=1"));
	assert_int_equal(notify_status("connected to %s, %d reconnects\nFORGED=1", "applink-3", 2), 1);
	m = receive();
	assert_string_equal(m, "STATUS=connected to applink-3, 2 reconnects FORGED=1");
	assert_int_equal(notify_watchdog(), 1);
	assert_string_equal(receive(), "WATCHDOG=1");
	assert_int_equal(notify_reloading(), 1);
	m = receive();
	assert_int_equal(strncmp(m, "RELOADING=1\nMONOTONIC_USEC=", 27), 0);
	assert_int_equal(notify_stopping(), 1);
	assert_string_equal(receive(), "STOPPING=1");
}

static void
test_send_failure(void **state)
{
	char missing[128];

	(void)state;
	snprintf(missing, sizeof(missing), "%s/nobody-listens", dir);
	setenv("NOTIFY_SOCKET", missing, 1);
	assert_int_equal(notify_ready(), -1);
}

static void
test_watchdog_usec(void **state)
{
	char pid[32];

	(void)state;
	snprintf(pid, sizeof(pid), "%ld", (long)getpid());
	setenv("WATCHDOG_USEC", "30000000", 1);
	setenv("WATCHDOG_PID", pid, 1);
	assert_int_equal(notify_watchdog_usec(), 30000000);
	/* Meant for another process: not ours to ping. */
	setenv("WATCHDOG_PID", "1", 1);
	assert_int_equal(notify_watchdog_usec(), 0);
	unsetenv("WATCHDOG_USEC");
	unsetenv("WATCHDOG_PID");
	assert_int_equal(notify_watchdog_usec(), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_no_socket_is_noop, setup, teardown),
		cmocka_unit_test_setup_teardown(test_messages, setup, teardown),
		cmocka_unit_test_setup_teardown(test_send_failure, setup, teardown),
		cmocka_unit_test_setup_teardown(test_watchdog_usec, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
