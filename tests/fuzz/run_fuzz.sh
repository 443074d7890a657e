#!/bin/sh
# run_fuzz.sh TARGET SRC_DIR NAME SECONDS -- replays the saved crash inputs of
# NAME (tests/fuzz/regress/NAME/), then fuzzes for SECONDS from a scratch copy
# of the seed corpus so the repository is never written to.
set -eu
target=$1 src=$2 name=$3 seconds=$4
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ -d "$src/regress/$name" ] && [ -n "$(ls "$src/regress/$name")" ]; then
	"$target" "$src/regress/$name"/*
fi
cp "$src/corpus/$name"/* "$work/"
exec "$target" -max_total_time="$seconds" -max_len=8192 -timeout=10 -rss_limit_mb=2048 \
	-artifact_prefix="$work/" -print_final_stats=1 "$work"
