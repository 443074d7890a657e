/* main.c -- pmpo-bot: parse the command line, load the configuration, run
 * the chosen mode. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "cli.h"
#include "cmd.h"
#include "config.h"
#include "console.h"
#include "log.h"
#include "render.h"
#include "report.h"
#include "store.h"
#include "tips.h"
#include "slack_app.h"

static int
run_ask(const struct cli *cli)
{
	struct request req = {
		.text = cli->ask_text,
		.text_len = cli->ask_len,
		.user_id = "cli",
		.channel_id = "cli",
		.surface = SURFACE_CONSOLE,
	};
	struct reply reply;
	struct buf out;
	int rc;

	cmd_run(cmd_find("ask"), &req, &reply);
	buf_init(&out, 256 * 1024);
	rc = cli->json ? render_answer_json(&reply, &out) : render_text(&reply, RENDER_TEXT_WIDTH, &out);
	if (rc == 0)
		fputs(buf_str(&out), stdout);
	buf_free(&out);
	return rc == 0 ? PMPO_EXIT_OK : PMPO_EXIT_RUNTIME;
}

static time_t
real_clock(void *ctx)
{
	(void)ctx;
	return time(NULL);
}

/* Console mode with daily tips kept in the configured state directory; if it
 * cannot be used, the console still runs and says why tips are off. */
static int
run_console(const struct config *cfg, int interactive)
{
	static char why[STORE_ERR_MAX + 64];
	struct console_env env = {
		.defaults = {cfg->tips_time, cfg->tips_timezone},
		.clock = real_clock,
	};
	char err[STORE_ERR_MAX];
	int rc;

	/* before store_open, which logs a migration */
	log_set_level(console_log_level(cfg->log_level,
	                                config_origin_of(cfg, "log_level") != CONFIG_FROM_DEFAULT,
	                                isatty(STDERR_FILENO)));
	if (store_open(cfg->state_dir, &env.store, err, sizeof(err)) != 0) {
		snprintf(why, sizeof(why), "%s (set PMPO_STATE_DIR to a writable directory)", err);
		env.why_no_store = why;
		fprintf(stderr, "pmpo-bot: daily tips are off in this session: %s\n", why);
	}
	rc = console_run(stdin, stdout, interactive, &env);
	store_close(env.store);
	return rc;
}

int
main(int argc, char **argv)
{
	struct cli cli;
	struct config cfg;
	char err[512];
	int rc;

	if (cli_parse(argc, argv, &cli, err, sizeof(err)) != 0) {
		fprintf(stderr, "pmpo-bot: %s\n", err);
		cli_free(&cli);
		return PMPO_EXIT_USAGE;
	}
	switch (cli.mode) {
	case CLI_HELP:
		fputs(cli_usage(), stdout);
		return PMPO_EXIT_OK;
	case CLI_VERSION:
		printf("pmpo-bot %s\n", PMPO_VERSION);
		return PMPO_EXIT_OK;
	default:
		break;
	}
	log_init(LOG_INFO);
	if (config_load(&cfg, cli.config_path, err, sizeof(err)) != 0) {
		fprintf(stderr, "pmpo-bot: %s\n", err);
		cli_free(&cli);
		return PMPO_EXIT_CONFIG;
	}
	log_set_level(cfg.log_level);
	switch (cli.mode) {
	case CLI_ASK:
		rc = run_ask(&cli);
		break;
	case CLI_CHECK_CONFIG:
		config_print(&cfg, stdout);
		if (config_check(&cfg, err, sizeof(err)) != 0) {
			fprintf(stderr, "pmpo-bot: %s\n", err);
			rc = PMPO_EXIT_CONFIG;
			break;
		}
		if (!config_has_tokens(&cfg))
			printf("# no Slack tokens: 'run' would start console mode\n");
		printf("configuration OK\n");
		rc = PMPO_EXIT_OK;
		break;
	case CLI_CONSOLE:
		rc = run_console(&cfg, isatty(0));
		break;
	case CLI_REPORT:
		rc = report_run(cfg.state_dir, cli.days, cli.json, time(NULL), stdout, err, sizeof(err));
		if (rc != PMPO_EXIT_OK)
			fprintf(stderr, "pmpo-bot: %s\n", err);
		break;
	case CLI_RUN:
	default:
		if (config_has_tokens(&cfg)) {
			rc = slack_app_run(&cfg);
			break;
		}
		fprintf(stderr, "pmpo-bot: no Slack tokens (SLACK_APP_TOKEN, SLACK_BOT_TOKEN); "
		                "starting console mode\n");
		rc = run_console(&cfg, isatty(0));
		break;
	}
	cli_free(&cli);
	return rc;
}
