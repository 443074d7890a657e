#!/bin/sh
# check_config_e2e.sh BIN -- `pmpo-bot check-config` on the real binary: exit
# codes 0 and 3, errors that name the file and line or the variable, tokens
# masked in what it prints, and no token in anything the binary writes.
set -u
BIN=$1
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
fails=0
check() { # check NAME CONDITION-COMMAND...
	name=$1; shift
	if "$@"; then echo "ok - $name"; else echo "not ok - $name"; fails=$((fails + 1)); fi
}
has() { grep -q -- "$1" "$TMP/out"; }
lacks() { ! grep -q -- "$1" "$TMP/out"; }
absent() { ! grep -q -- "$1" "$2"; }
for v in SLACK_APP_TOKEN SLACK_BOT_TOKEN SLACK_APP_TOKEN_FILE SLACK_BOT_TOKEN_FILE SLACK_API_URL \
	PMPO_STATE_DIR PMPO_LOG_LEVEL PMPO_PING_INTERVAL PMPO_IDLE_TIMEOUT PMPO_HANDSHAKE_TIMEOUT PMPO_TIPS_TIME \
	PMPO_TIPS_TIMEZONE CREDENTIALS_DIRECTORY JOURNAL_STREAM NOTIFY_SOCKET; do
	unset $v
done
APP=xapp-1-A0E2ETEST-4242424242-e2eappsecretvalue
BOT=xoxb-4242-4242-e2ebotsecretvalue
all="$TMP/all-output"
: >"$all"
run() { # run ARGS...: output in $TMP/out, status in $rc, everything kept in $all
	"$BIN" "$@" >"$TMP/out" 2>&1
	rc=$?
	cat "$TMP/out" >>"$all"
}

printf '%s\n' "$APP" >"$TMP/app-token"
printf '%s\n' "$BOT" >"$TMP/bot-token"
cat >"$TMP/good.conf" <<CONF
# pmpo-bot test configuration
app_token_file = $TMP/app-token
bot_token_file = $TMP/bot-token
state_dir = $TMP/state
log_level = debug
tips_timezone = Europe/Paris
CONF

run --config "$TMP/good.conf" check-config
check "good config exits 0" [ "$rc" -eq 0 ]
check "good config says OK" has "configuration OK"
check "shows the time zone it would use" has "tips_timezone = Europe/Paris"
check "shows where a value came from" has "good.conf:6"
check "app token is masked" has "app_token = xapp-\*\*\*\* (${#APP} characters)"
check "bot token is masked" has "bot_token = xoxb-\*\*\*\*"

PMPO_LOG_LEVEL=warn run --config "$TMP/good.conf" check-config
check "environment wins over the file" has "log_level = warn  # environment PMPO_LOG_LEVEL"

printf 'log_level = info\nping_interval = 90\n' >"$TMP/bad.conf"
run --config "$TMP/bad.conf" check-config
check "out-of-range value exits 3" [ "$rc" -eq 3 ]
check "error names file and line" has "bad.conf:2: bad ping_interval '90'"

printf 'colour = blue\n' >"$TMP/unknown.conf"
run --config "$TMP/unknown.conf" check-config
check "unknown key exits 3" [ "$rc" -eq 3 ]
check "unknown key is named" has "unknown.conf:1: unknown key 'colour'"

PMPO_TIPS_TIMEZONE=Atlantis/Capital run --config "$TMP/good.conf" check-config
check "unknown time zone exits 3" [ "$rc" -eq 3 ]
check "unknown time zone names the variable" has "PMPO_TIPS_TIMEZONE"

SLACK_API_URL=ftp://slack.example run --config "$TMP/good.conf" check-config
check "bad URL exits 3" [ "$rc" -eq 3 ]

printf 'x' >"$TMP/a-file"
PMPO_STATE_DIR="$TMP/a-file/state" run --config "$TMP/good.conf" check-config
check "unusable state dir exits 3" [ "$rc" -eq 3 ]
check "unusable state dir is named" has "state_dir $TMP/a-file/state"

SLACK_BOT_TOKEN="xoxb-has a-space-e2ebotsecretvalue" run --config "$TMP/good.conf" check-config
check "token with a space exits 3" [ "$rc" -eq 3 ]
check "token with a space names the variable" has "environment variable SLACK_BOT_TOKEN"

printf '%s\n' "$BOT" >"$TMP/app-token"
run --config "$TMP/good.conf" check-config
check "wrong kind in a token file exits 3" [ "$rc" -eq 3 ]
check "wrong kind names the token file" has "token file $TMP/app-token"
printf '%s\n' "$APP" >"$TMP/app-token"

# systemd credentials, as LoadCredential= passes them.
mkdir "$TMP/creds"
printf '%s\n' "$APP" >"$TMP/creds/slack-app-token"
printf '%s\n' "$BOT" >"$TMP/creds/slack-bot-token"
printf 'state_dir = %s/state\n' "$TMP" >"$TMP/plain.conf"
CREDENTIALS_DIRECTORY="$TMP/creds" run --config "$TMP/plain.conf" check-config
check "credentials directory exits 0" [ "$rc" -eq 0 ]
check "token from the credential" has "# credential $TMP/creds/slack-app-token"

# Only one token: Socket Mode needs both.
SLACK_APP_TOKEN=$APP run --config "$TMP/plain.conf" check-config
check "one token only exits 3" [ "$rc" -eq 3 ]
check "one token only says what is missing" has "bot_token is not"

# With tokens set and debug logging, ask mode still never writes them.
SLACK_APP_TOKEN=$APP SLACK_BOT_TOKEN=$BOT PMPO_LOG_LEVEL=debug \
	run --config "$TMP/plain.conf" ask who owns the backlog
check "ask with tokens exits 0" [ "$rc" -eq 0 ]

# Nothing the binary wrote in this test contains a token body.
check "no app token in any output" absent "e2eappsecretvalue" "$all"
check "no bot token in any output" absent "e2ebotsecretvalue" "$all"
check "outputs were captured" [ -s "$all" ]

echo "$fails failed"
[ "$fails" -eq 0 ]
