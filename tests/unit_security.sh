#!/bin/sh
# unit_security.sh UNIT -- the unit's systemd-analyze exposure stays at or
# below 2.0 ("--threshold=20"), measured offline on the file. Skips (77)
# where systemd-analyze has no offline mode.
set -u
UNIT=$1
command -v systemd-analyze >/dev/null 2>&1 || { echo "skip: no systemd-analyze"; exit 77; }
systemd-analyze security --help 2>/dev/null | grep -q -- --offline || { echo "skip: no --offline"; exit 77; }
out=$(systemd-analyze security --offline=yes --threshold=20 "$UNIT" 2>&1)
rc=$?
echo "$out" | tail -n 1
[ "$rc" -eq 0 ] && echo "$out" | grep -q "Overall exposure level"
