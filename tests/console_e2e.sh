#!/bin/sh
# console_e2e.sh BIN -- drives the real pmpo-bot binary through a pipe, the
# way a person types in console mode, and checks what comes back.
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

unset SLACK_APP_TOKEN SLACK_BOT_TOKEN
# Keep the state database in the temp dir, never in /var/lib/pmpo-bot.
export PMPO_STATE_DIR="$TMP/state"
# An empty config file keeps a machine's /etc/pmpo-bot/pmpo-bot.conf out of the test.
: >"$TMP/empty.conf"
bot() { "$BIN" --config "$TMP/empty.conf" "$@"; }

# A session with the commands from the issue, an empty line and a question.
printf '/pmpo compare\n/pmpo help\n/pmpo nonsense\n\nwho owns the backlog?\n/quit\n/pmpo help\n' \
	| bot console >"$TMP/out" 2>"$TMP/err"
rc=$?
check "console exits 0 on /quit" [ "$rc" -eq 0 ]
check "compare shows the table header" has "Product Manager  *| Product Owner"
check "compare shows the focus row" has "^Focus "
check "help lists compare" has "/pmpo compare"
check "unknown command is named" has "I don't know the command 'nonsense'"
check "question gets an answer with sources" has "^Sources:"
check "nothing is read after /quit" [ "$(grep -c '^PM vs PO bot: what I can do' "$TMP/out")" -eq 2 ]
check "no table line is wider than 100 columns" \
	sh -c "grep ' | ' '$TMP/out' | awk '{ if (length(\$0) > 100) exit 1 }'"

# run without tokens falls back to console and says so on stderr.
printf '/pmpo help\n' | bot run >"$TMP/out" 2>"$TMP/err"
check "run without tokens exits 0 at EOF" [ $? -eq 0 ]
check "run without tokens says it starts console mode" grep -q "starting console mode" "$TMP/err"
check "run without tokens answers" has "/pmpo compare"

# Hostile input: 100 KB line, invalid UTF-8, NUL bytes, CRLF.
head -c 102400 /dev/zero | tr '\0' 'a' >"$TMP/big"; echo >>"$TMP/big"
printf 'caf\377\376 who\n' >>"$TMP/big"
printf 'comp\000are\n' >>"$TMP/big"
printf '/pmpo help\r\n' >>"$TMP/big"
bot console <"$TMP/big" >"$TMP/out" 2>"$TMP/err"
check "hostile input exits 0" [ $? -eq 0 ]
check "100 KB line is refused as too long" has "too long"
check "invalid UTF-8 is refused clearly" has "not valid UTF-8"
check "the session goes on after bad input" has "/pmpo compare"

# ask and ask --json
bot ask --json what does a product owner do >"$TMP/out" 2>"$TMP/err"
check "ask --json exits 0" [ $? -eq 0 ]
check "ask --json prints a role" has '"role":"po"'
bot ask what is kubernetes >"$TMP/out" 2>&1
check "out-of-scope question is declined" has "I don't know that one"

# Command-line errors and exit codes.
"$BIN" --frobnicate >"$TMP/out" 2>&1
check "unknown flag exits 2" [ $? -eq 2 ]
check "unknown flag is named" has "frobnicate"
"$BIN" --config "$TMP/missing.conf" console </dev/null >"$TMP/out" 2>&1
check "unreadable config exits 3" [ $? -eq 3 ]
check "unreadable config names the file" has "missing.conf"
"$BIN" --help >"$TMP/out" 2>&1
check "--help documents exit codes" has "exit status"
SLACK_APP_TOKEN=xoxb-wrong SLACK_BOT_TOKEN=xoxb-1 bot check-config >"$TMP/out" 2>&1
check "wrong token kind exits 3" [ $? -eq 3 ]
check "wrong token kind names the variable" has "SLACK_APP_TOKEN"
check "wrong token is never echoed" lacks "xoxb-wrong"

# Daily tips and the role commands, with the state in $PMPO_STATE_DIR.
printf 'tips\ntips on 09:30 Europe/Copenhagen weekdays\ntips\ntip\npm\npo\nhire\nsources\ntips on 25:00\ntips on 09:30 Mars/Olympus\n' \
	| bot console >"$TMP/out" 2>"$TMP/err"
check "tips session exits 0" [ $? -eq 0 ]
check "tips before subscribing says none" has "No daily tips here yet"
check "tips on confirms the setting" has "every weekday at 09:30 (Europe/Copenhagen)"
check "tips on names the next post in the zone" grep -Eq "Next tip: (Mon|Tue|Wed|Thu|Fri) 20[0-9-]+ 09:30 CES?T" "$TMP/out"
check "tips shows the subscription" has "A tip every weekday at 09:30"
check "tip gives a tip" grep -q "^Tip for " "$TMP/out"
check "pm gives the PM card" has "^The Product Manager"
check "po gives the PO card" has "^The Product Owner"
check "cards say who thrives" has "Who thrives in it"
check "hire answers which first" has "Hire a PM or a PO first?"
check "sources lists the articles" has "Where my answers come from"
check "a bad time is refused with an example" has "'25:00' is not a time"
check "an unknown zone is refused" has "'Mars/Olympus' is not a timezone"
check "the state lives in PMPO_STATE_DIR" [ -s "$PMPO_STATE_DIR/state.db" ]
# A new process sees the subscription, announces the next post, then stops it.
printf 'tips\ntips off\ntips\n' | bot console >"$TMP/out" 2>"$TMP/err"
check "the subscription survives a restart" has "A tip every weekday at 09:30"
check "console announces the next tip at start" has "(tip for #console would be posted at"
check "tips off stops them" has "Daily tips are off"
check "after tips off none are set" has "No daily tips here yet"
# An unusable state dir: the console still runs and says why tips are off.
: >"$TMP/afile"
printf 'tips on\npm\n' | PMPO_STATE_DIR="$TMP/afile/state" bot console >"$TMP/out" 2>"$TMP/err"
check "unusable state dir still exits 0" [ $? -eq 0 ]
check "unusable state dir is explained on stderr" grep -q "daily tips are off in this session" "$TMP/err"
check "tips on without a store says they are unavailable" has "Daily tips are not available"
check "other commands still work without a store" has "^The Product Manager"

# On a terminal (script(1) gives the bot a pty for stdin, stdout and stderr)
# the conversation is not interleaved with info lines, unless the level was
# set explicitly. A fresh state dir makes the store log its migration, and
# "tips on" logs tips_subscribed: both info.
if command -v script >/dev/null 2>&1; then
	tty_session() { # tty_session STATE_DIR [ENV=VALUE...]
		state=$1; shift
		printf 'tips on 09:00 UTC\n/quit\n' | env PMPO_STATE_DIR="$state" "$@" \
			script -qec "'$BIN' --config '$TMP/tty.conf' console" /dev/null >"$TMP/out" 2>&1
	}
	: >"$TMP/tty.conf"
	unset PMPO_LOG_LEVEL
	tty_session "$TMP/tty1"
	check "terminal session answers" has "Daily tips are on"
	check "terminal session shows no info lines" lacks "level=info"
	tty_session "$TMP/tty2" PMPO_LOG_LEVEL=info
	check "PMPO_LOG_LEVEL=info on a terminal logs info" has "level=info event=tips_subscribed"
	echo "log_level = info" >"$TMP/tty.conf"
	tty_session "$TMP/tty3"
	check "log_level = info in the file on a terminal logs info" has "level=info event=store_migrated"
	: >"$TMP/tty.conf"
	# not a terminal: the configured level (info by default), as before
	printf 'tips on 09:00 UTC\n' | PMPO_STATE_DIR="$TMP/tty4" bot console >"$TMP/out" 2>"$TMP/err"
	check "a pipe keeps the default info level" grep -q "level=info event=tips_subscribed" "$TMP/err"
else
	echo "ok - # SKIP terminal tests: no script(1)"
fi

echo "$fails failed"
[ "$fails" -eq 0 ]
