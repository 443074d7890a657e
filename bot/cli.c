/* cli.c -- command-line parsing for pmpo-bot. */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errmsg.h"
#include "report.h"

static const struct {
	const char *name;
	enum cli_mode mode;
} modes[] = {
	{"run", CLI_RUN},
	{"console", CLI_CONSOLE},
	{"ask", CLI_ASK},
	{"check-config", CLI_CHECK_CONFIG},
	{"report", CLI_REPORT},
	{"help", CLI_HELP},
	{"version", CLI_VERSION},
};

const char *
cli_usage(void)
{
	return "usage: pmpo-bot [--config FILE] [run | console | ask TEXT [--json] | check-config |\n"
	       "                report [--days N] [--json]]\n"
	       "\n"
	       "  run            Connect to Slack over Socket Mode (the default). Without\n"
	       "                 Slack tokens it starts console mode instead, and says so.\n"
	       "  console        Chat on stdin/stdout: type what you would type in Slack\n"
	       "                 (/pmpo compare, who owns the backlog?); /quit or EOF ends.\n"
	       "  ask TEXT       Print the answer to one question; --json prints one object\n"
	       "                 {role, topic, confidence, text, sources}.\n"
	       "  check-config   Validate the configuration and print it, secrets masked.\n"
	       "  report         What people asked and how they voted, from the state\n"
	       "                 database (read-only; the daemon may be running): the last\n"
	       "                 --days N days (default 30); --json prints one object.\n"
	       "\n"
	       "options:\n"
	       "  -c, --config FILE   configuration file (default /etc/pmpo-bot/pmpo-bot.conf\n"
	       "                      when it exists); environment variables override it\n"
	       "  -h, --help          this text\n"
	       "  -V, --version       the version\n"
	       "\n"
	       "Tokens come from SLACK_APP_TOKEN / SLACK_BOT_TOKEN, from files named in the\n"
	       "configuration, or from systemd credentials; never from the command line.\n"
	       "\n"
	       "exit status:\n"
	       "  0  success\n"
	       "  1  failed while running\n"
	       "  2  bad command line\n"
	       "  3  configuration unreadable or invalid\n"
	       "  4  Slack refused the tokens, or Socket Mode is disabled for the app\n";
}


/* Appends word to the ask text, separated by a space. */
static int
ask_append(struct cli *out, const char *word)
{
	size_t wl = strlen(word), need = out->ask_len + (out->ask_len ? 1 : 0) + wl + 1;
	char *p = realloc(out->ask_text, need);

	if (p == NULL)
		return -1;
	out->ask_text = p;
	if (out->ask_len)
		p[out->ask_len++] = ' ';
	memcpy(p + out->ask_len, word, wl + 1);
	out->ask_len += wl;
	return 0;
}

int
cli_parse(int argc, char **argv, struct cli *out, char *err, size_t errlen)
{
	int have_mode = 0, options_done = 0, have_days = 0;

	memset(out, 0, sizeof(*out));
	out->days = REPORT_DAYS_DEFAULT;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!options_done && a[0] == '-' && a[1] != '\0') {
			if (strcmp(a, "--") == 0) {
				options_done = 1;
			} else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
				out->mode = CLI_HELP;
				return 0;
			} else if (strcmp(a, "-V") == 0 || strcmp(a, "--version") == 0) {
				out->mode = CLI_VERSION;
				return 0;
			} else if (strcmp(a, "-c") == 0 || strcmp(a, "--config") == 0) {
				if (i + 1 >= argc)
					return errmsg(err, errlen, "option '%s' needs a file name", a);
				out->config_path = argv[++i];
			} else if (strncmp(a, "--config=", 9) == 0) {
				out->config_path = a + 9;
			} else if (strcmp(a, "--json") == 0) {
				out->json = 1;
			} else if (strcmp(a, "--days") == 0 || strncmp(a, "--days=", 7) == 0) {
				const char *v = a[6] == '=' ? a + 7 : i + 1 < argc ? argv[++i] : NULL;
				char *end = NULL;
				long d;
				if (v == NULL)
					return errmsg(err, errlen, "%s", "option '--days' needs a number");
				d = *v >= '0' && *v <= '9' ? strtol(v, &end, 10) : -1;
				if (d < 1 || d > REPORT_DAYS_MAX || *end != '\0')
					return errmsg(err, errlen, "--days wants a whole number of days, 1 to %d, not '%.32s'",
					            REPORT_DAYS_MAX, v);
				out->days = (int)d;
				have_days = 1;
			} else if (strncmp(a, "--app-token", 11) == 0 || strncmp(a, "--bot-token", 11) == 0 ||
			           strncmp(a, "--token", 7) == 0) {
				/* Name the option, never its value: that would be the secret. */
				return errmsg(err, errlen, "'%.*s' is not accepted: tokens never go on the command "
				            "line (use SLACK_APP_TOKEN/SLACK_BOT_TOKEN or a token file)",
				            (int)strcspn(a, "="), a);
			} else {
				return errmsg(err, errlen, "unknown option '%.64s' (try --help)", a);
			}
			continue;
		}
		if (!have_mode) {
			size_t m;
			for (m = 0; m < sizeof(modes) / sizeof(modes[0]); m++)
				if (strcmp(a, modes[m].name) == 0)
					break;
			if (m == sizeof(modes) / sizeof(modes[0]))
				return errmsg(err, errlen, "unknown mode '%.64s' (try --help)", a);
			out->mode = modes[m].mode;
			have_mode = 1;
			continue;
		}
		if (out->mode != CLI_ASK)
			return errmsg(err, errlen, "unexpected argument '%.64s' (try --help)", a);
		if (ask_append(out, a) != 0)
			return errmsg(err, errlen, "%s", "out of memory");
	}
	if (out->json && out->mode != CLI_ASK && out->mode != CLI_REPORT)
		return errmsg(err, errlen, "%s", "--json goes with 'ask' or 'report'");
	if (have_days && out->mode != CLI_REPORT)
		return errmsg(err, errlen, "%s", "--days goes with 'report'");
	if (out->mode == CLI_ASK && out->ask_len == 0)
		return errmsg(err, errlen, "%s", "'ask' needs a question, e.g. pmpo-bot ask who owns the backlog");
	return 0;
}

void
cli_free(struct cli *cli)
{
	free(cli->ask_text);
	cli->ask_text = NULL;
	cli->ask_len = 0;
}
