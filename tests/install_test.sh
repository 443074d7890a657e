#!/bin/sh
# install_test.sh BUILD_DIR SOURCE_DIR -- `cmake --install` of this build into
# a temporary prefix puts every file where the issue says, and they work:
# the binary runs, the unit names it, the man page renders, the example
# config is current and loads.
set -u
BUILD=$1
SRC=$2
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
fails=0
check() { # check NAME CONDITION-COMMAND...
	name=$1; shift
	if "$@"; then echo "ok - $name"; else echo "not ok - $name"; fails=$((fails + 1)); fi
}
P=$TMP/prefix
if ! cmake --install "$BUILD" --prefix "$P" >"$TMP/install.log" 2>&1; then
	cat "$TMP/install.log"
	echo "not ok - cmake --install failed"
	exit 1
fi
check "binary installed" [ -x "$P/bin/pmpo-bot" ]
check "unit installed" [ -f "$P/lib/systemd/system/pmpo-bot.service" ]
check "example config installed" [ -f "$P/share/doc/pmpo-bot/pmpo-bot.conf.example" ]
check "manifest installed" [ -f "$P/share/doc/pmpo-bot/slack-app-manifest.yml" ]
check "man page installed, compressed" [ -f "$P/share/man/man8/pmpo-bot.8.gz" ]
check "copyright installed" [ -f "$P/share/doc/pmpo-bot/copyright" ]
check "copyright carries the licence" grep -q "^ Permission is hereby granted" "$P/share/doc/pmpo-bot/copyright"
gzip -dc "$P/share/man/man8/pmpo-bot.8.gz" >"$TMP/pmpo-bot.8"
check "no test or build tools installed" [ -z "$(find "$P" -name 'test_*' -o -name 'pmpo-confgen' -o -name kbgen)" ]
check "installed binary runs" "$P/bin/pmpo-bot" --version
check "unit starts the configured binary" grep -q '^ExecStart=/.*/bin/pmpo-bot run$' "$P/lib/systemd/system/pmpo-bot.service"
check "unit is Type=notify" grep -q '^Type=notify$' "$P/lib/systemd/system/pmpo-bot.service"

# The example in the repository is what the option table generates.
check "config/pmpo-bot.conf.example is current (regenerate: build/config/pmpo-bot.conf.example)" \
	cmp -s "$SRC/config/pmpo-bot.conf.example" "$P/share/doc/pmpo-bot/pmpo-bot.conf.example"
: >"$TMP/empty.conf"
env -u SLACK_APP_TOKEN -u SLACK_BOT_TOKEN -u CREDENTIALS_DIRECTORY PMPO_STATE_DIR="$TMP/state" \
	"$P/bin/pmpo-bot" --config "$P/share/doc/pmpo-bot/pmpo-bot.conf.example" check-config >"$TMP/out" 2>&1
check "installed example config passes check-config" [ $? -eq 0 ]

# Every key and variable of the table is in the man page.
sed -n 's/^#\([a-z_]*\) =.*/\1/p' "$SRC/config/pmpo-bot.conf.example" >"$TMP/keys"
check "example lists keys" [ "$(wc -l <"$TMP/keys")" -ge 11 ]
while read -r key; do
	check "man page documents $key" grep -q "^\\\\fB$key\\\\fR" "$TMP/pmpo-bot.8"
done <"$TMP/keys"
if command -v groff >/dev/null 2>&1; then
	groff -man -Tutf8 -ww -z "$TMP/pmpo-bot.8" >"$TMP/groff" 2>&1
	check "man page renders without warnings" [ ! -s "$TMP/groff" ]
fi

echo "$fails failed"
[ "$fails" -eq 0 ]
