#!/bin/sh
# deb_package.sh SOURCE_DIR WORK_DIR [C_COMPILER] -- builds the Debian package
# the way the README says (a release tree with prefix /usr, then cpack -G
# DEB), checks its metadata, runs lintian (no errors, no warnings), then
# installs, reinstalls, upgrades, removes and purges it with dpkg into a
# scratch root under WORK_DIR (dpkg --root, maintainer scripts chrootless
# with DPKG_ROOT set), never onto this machine. After the purge only what
# policy keeps may be left: the administrator's own pmpo-bot.conf and the
# empty directories systemd's helpers own. Exit 77 (skipped) without cpack
# or dpkg. WORK_DIR/build is kept, so a second run rebuilds little.
set -u
SRC=$1
WORK=$2
CC_OPT=${3:+-DCMAKE_C_COMPILER=$3}
for tool in cpack dpkg dpkg-deb dpkg-shlibdeps file gzip; do
	command -v "$tool" >/dev/null 2>&1 || { echo "skip: $tool is not installed"; exit 77; }
done
fails=0
check() { # check NAME CONDITION-COMMAND...
	name=$1; shift
	if "$@"; then echo "ok - $name"; else echo "not ok - $name"; fails=$((fails + 1)); fi
}
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
B=$WORK/build
rm -rf "$WORK/out1" "$WORK/out2" "$WORK/root" "$WORK/root2" "$WORK/bin" "$WORK/calls"

# ---- build: release 1, and the same tree packaged as release 2 (the upgrade)
if ! { cmake -S "$SRC" -B "$B" -DCMAKE_INSTALL_PREFIX=/usr -DCMAKE_BUILD_TYPE=RelWithDebInfo \
             -DPMPO_TESTS=OFF $CC_OPT >"$WORK/build.log" 2>&1 &&
       cmake --build "$B" -j2 >>"$WORK/build.log" 2>&1 &&
       (cd "$B" && cpack -G DEB -B "$WORK/out1" >>"$WORK/build.log" 2>&1) &&
       (cd "$B" && cpack -G DEB -D CPACK_DEBIAN_PACKAGE_RELEASE=2 -B "$WORK/out2" \
                     >>"$WORK/build.log" 2>&1); }; then
	tail -n 40 "$WORK/build.log"
	echo "not ok - the package builds"
	exit 1
fi
V=$(sed -n 's/^project(pmpo-bot VERSION \([0-9.]*\).*/\1/p' "$SRC/CMakeLists.txt")
DEB1=$(ls "$WORK"/out1/pmpo-bot_*.deb 2>/dev/null | head -n 1)
DEB2=$(ls "$WORK"/out2/pmpo-bot_*.deb 2>/dev/null | head -n 1)
check "release 1 built (${DEB1##*/})" [ -f "$DEB1" ]
check "release 2 built (${DEB2##*/})" [ -f "$DEB2" ]
check "the file is named pmpo-bot_VERSION-REVISION_ARCH.deb" \
	[ "${DEB1##*/}" = "pmpo-bot_$V-1_$(dpkg --print-architecture).deb" ]
[ -f "$DEB1" ] && [ -f "$DEB2" ] || { echo "$fails failed"; exit 1; }

# ---- metadata and contents
field() { dpkg-deb -f "$1" "$2"; }
check "version is upstream-revision" [ "$(field "$DEB1" Version)" = "$V-1" ]
check "the upgrade is newer" dpkg --compare-versions "$(field "$DEB2" Version)" gt "$(field "$DEB1" Version)"
check "Description has no CMake list separators" sh -c "! dpkg-deb -f '$DEB1' Description | grep -q ';'"
check "Description has a summary and a long part" [ "$(field "$DEB1" Description | wc -l)" -ge 2 ]
m=$(field "$DEB1" Maintainer)
maint_shaped() { printf '%s\n' "$m" | grep -Eq '^[^<>]+ <[^@<> ]+@[^@<> ]+\.[a-z]+>$'; }
maint_not_local() { ! printf '%s\n' "$m" | grep -Eq 'root@|localhost'; }
check "Maintainer is 'Name <address>' ($m)" maint_shaped
check "Maintainer is not root@localhost" maint_not_local
x=$WORK/x
rm -rf "$x" && mkdir -p "$x" && dpkg-deb -x "$DEB1" "$x" && dpkg-deb -e "$DEB1" "$x/DEBIAN"
doc=$x/usr/share/doc/pmpo-bot
check "copyright file is machine-readable" grep -q '^Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/' "$doc/copyright"
check "copyright carries the MIT (Expat) text" sh -c "grep -q '^License: Expat' '$doc/copyright' && grep -q '^ Permission is hereby granted' '$doc/copyright'"
check "changelog.Debian.gz names this version" sh -c "gzip -dc '$doc/changelog.Debian.gz' | head -1 | grep -qF 'pmpo-bot ($V-1)'"
check "release 2's changelog names release 2" sh -c "dpkg-deb --fsys-tarfile '$DEB2' | tar -xO ./usr/share/doc/pmpo-bot/changelog.Debian.gz | gzip -dc | head -1 | grep -qF 'pmpo-bot ($V-2)'"
check "man page is gzipped" [ -f "$x/usr/share/man/man8/pmpo-bot.8.gz" -a ! -e "$x/usr/share/man/man8/pmpo-bot.8" ]
check "binary is stripped" sh -c "file -b '$x/usr/bin/pmpo-bot' | grep -q ', stripped'"
check "maintainer scripts call systemctl only for daemon-reload" \
	sh -c "! grep -h 'systemctl' '$x/DEBIAN/postinst' '$x/DEBIAN/prerm' '$x/DEBIAN/postrm' | grep -v '^[[:space:]]*#' | grep -v daemon-reload | grep -q ."
check "maintainer scripts use deb-systemd-helper" grep -q deb-systemd-helper "$x/DEBIAN/postinst"

# ---- lintian: no errors, no warnings (overrides are in the package, with reasons)
if command -v lintian >/dev/null 2>&1; then
	lintian --fail-on error,warning "$DEB1" >"$WORK/lintian.txt" 2>&1
	rc=$?
	grep -v 'running with root privileges' "$WORK/lintian.txt"
	check "lintian reports no errors and no warnings" [ "$rc" -eq 0 ]
	check "every lintian override has a reason" awk '
		/^#/ { reason = 1; next }
		/^[[:space:]]*$/ { next }
		{ if (!reason) bad = 1; reason = 0 }
		END { exit bad }' "$x/usr/share/lintian/overrides/pmpo-bot"
else
	echo "ok - # SKIP lintian is not installed (tools/bootstrap installs it)"
fi

# ---- dpkg into a scratch root. The maintainer scripts run on this machine
# (chrootless), so first make sure they stay inside $DPKG_ROOT: every line
# naming an absolute path must mention DPKG_ROOT (the prefix, or the guard
# "[ -z "${DPKG_ROOT:-}" ]" before a look at this machine's /run/systemd).
# If one does not, dpkg is not run at all: a script like that would write
# to this machine's /etc and /var.
unconfined() {
	grep -nE '(^|[[:space:]"'"'"'=])/(etc|var|usr|run|lib)/' "$x/DEBIAN/postinst" "$x/DEBIAN/prerm" \
		"$x/DEBIAN/postrm" | grep -v '^[^:]*:[0-9]*:[[:space:]]*#' | grep -v DPKG_ROOT
}
if unconfined >"$WORK/unconfined"; then
	cat "$WORK/unconfined"
	echo "not ok - maintainer scripts keep to \$DPKG_ROOT (dpkg steps not run)"
	fails=$((fails + 1))
	echo "$fails failed"
	exit 1
fi
echo "ok - maintainer scripts keep to \$DPKG_ROOT"
# What the scripts touch on a real system, here: must not change.
host_paths="/etc/pmpo-bot /var/lib/pmpo-bot /var/lib/private/pmpo-bot /etc/systemd/system/pmpo-bot.service
/var/lib/systemd/deb-systemd-helper-enabled/pmpo-bot.service.dsh-also
/var/lib/systemd/deb-systemd-helper-masked/pmpo-bot.service"
host_state() { for p in $host_paths; do ls -ld --time-style=+%s "$p" 2>/dev/null || echo "absent $p"; done; }
host_state >"$WORK/host.before"
# A systemctl or deb-systemd-invoke reaching this machine would be a bug:
# stand-ins first on PATH record any call.
mkdir -p "$WORK/bin"
for t in systemctl deb-systemd-invoke; do
	printf '#!/bin/sh\necho "%s $*" >>"%s"\nexit 0\n' "$t" "$WORK/calls" >"$WORK/bin/$t"
	chmod +x "$WORK/bin/$t"
done
newroot() {
	mkdir -p "$1/var/lib/dpkg/info" "$1/var/lib/dpkg/updates" "$1/var/lib/dpkg/triggers"
	: >"$1/var/lib/dpkg/status"
	: >"$1/var/lib/dpkg/available"
}
# --force-depends: the scratch root has none of the libraries;
# --force-script-chrootless: it has no /bin/sh to chroot into either, so
# the scripts run here with DPKG_ROOT set and must stay inside it.
pkg() { # pkg ROOT dpkg-args...
	r=$1; shift
	nr=""
	[ "$(id -u)" -ne 0 ] && nr=--force-not-root
	PATH="$WORK/bin:$PATH" dpkg --root="$r" --log="$WORK/dpkg.log" $nr --force-script-chrootless \
		--force-depends "$@" >>"$WORK/dpkg.out" 2>&1
}
status() { dpkg --root="$1" -s pmpo-bot 2>/dev/null | sed -n 's/^Status: //p'; }
version() { dpkg --root="$1" -s pmpo-bot 2>/dev/null | sed -n 's/^Version: //p'; }
# Every path under root outside dpkg's own database, one per line.
leftovers() { (cd "$1" && find . -mindepth 1 ! -path './var/lib/dpkg' ! -path './var/lib/dpkg/*' | sort); }

R=$WORK/root
newroot "$R"
pkg "$R" -i "$DEB1"
check "installs" [ "$(status "$R")" = "install ok installed" ]
check "binary in place" [ -x "$R/usr/bin/pmpo-bot" ]
check "unit in place" [ -f "$R/usr/lib/systemd/system/pmpo-bot.service" ]
check "credentials directory is 0700" [ "$(stat -c %a "$R/etc/pmpo-bot/credentials")" = 700 ]
check "the unit is known to deb-systemd-helper" [ -e "$R/var/lib/systemd/deb-systemd-helper-enabled/pmpo-bot.service.dsh-also" ]
check "the unit is not enabled (it needs tokens first)" [ ! -e "$R/etc/systemd/system/multi-user.target.wants/pmpo-bot.service" ]
# what an administrator adds: tokens, a config file, state
printf 'xoxb-test\n' >"$R/etc/pmpo-bot/credentials/slack-bot-token"
printf 'log_level = warn\n' >"$R/etc/pmpo-bot/pmpo-bot.conf"
mkdir -p "$R/var/lib/private/pmpo-bot"
: >"$R/var/lib/private/pmpo-bot/state.db"
ln -s private/pmpo-bot "$R/var/lib/pmpo-bot"
pkg "$R" -i "$DEB1"
check "reinstalls the same version" [ "$(status "$R")" = "install ok installed" ]
pkg "$R" -i "$DEB2"
check "upgrades to release 2" [ "$(version "$R")" = "$V-2" ]
check "the upgrade keeps the tokens" [ -s "$R/etc/pmpo-bot/credentials/slack-bot-token" ]
check "the upgrade keeps the state" [ -f "$R/var/lib/private/pmpo-bot/state.db" ]
pkg "$R" -r pmpo-bot
check "removes" [ "$(status "$R")" = "deinstall ok config-files" ]
check "remove deletes the binary" [ ! -e "$R/usr/bin/pmpo-bot" ]
check "remove keeps the tokens, the config and the state" \
	[ -s "$R/etc/pmpo-bot/credentials/slack-bot-token" -a -f "$R/etc/pmpo-bot/pmpo-bot.conf" -a -f "$R/var/lib/private/pmpo-bot/state.db" ]
pkg "$R" -P pmpo-bot
purged() { s=$(status "$1"); [ -z "$s" ] || [ "$s" = "unknown ok not-installed" ]; }
check "purges" purged "$R"
# Left: the administrator's own file, and the empty directories of systemd
# and its helpers (which own them on a real system).
cat >"$WORK/allowed" <<'EOF'
./etc
./etc/pmpo-bot
./etc/pmpo-bot/pmpo-bot.conf
./etc/systemd
./etc/systemd/system
./var
./var/lib
./var/lib/private
./var/lib/systemd
EOF
leftovers "$R" >"$WORK/left"
check "purge leaves only the administrator's pmpo-bot.conf and systemd's empty directories" \
	cmp -s "$WORK/allowed" "$WORK/left"
cmp -s "$WORK/allowed" "$WORK/left" || diff "$WORK/allowed" "$WORK/left"

# Installed and purged at once, with nothing of the administrator's: /etc/pmpo-bot goes too.
R2=$WORK/root2
newroot "$R2"
pkg "$R2" -i "$DEB2"
check "second root: installs" [ "$(status "$R2")" = "install ok installed" ]
pkg "$R2" -P pmpo-bot
check "second root: purges" purged "$R2"
leftovers "$R2" >"$WORK/left2"
grep -v -e '^./etc/pmpo-bot' -e '^./var/lib/private' "$WORK/allowed" >"$WORK/allowed2"
check "second root: purge of an installed package leaves only systemd's empty directories" \
	cmp -s "$WORK/allowed2" "$WORK/left2"
cmp -s "$WORK/allowed2" "$WORK/left2" || diff "$WORK/allowed2" "$WORK/left2"

host_state >"$WORK/host.after"
check "this machine's /etc/pmpo-bot, state and unit links are untouched" cmp -s "$WORK/host.before" "$WORK/host.after"
check "no systemctl or deb-systemd-invoke ran on this machine" [ ! -e "$WORK/calls" ]
[ -e "$WORK/calls" ] && cat "$WORK/calls"
check "dpkg logged every step" [ "$(grep -c ' status installed pmpo-bot' "$WORK/dpkg.log")" -ge 4 ]
if [ "$fails" -ne 0 ]; then
	tail -n 30 "$WORK/dpkg.out"
fi
echo "$fails failed"
[ "$fails" -eq 0 ]
