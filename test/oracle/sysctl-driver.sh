#!/bin/sh
# The sysctl oracle's driver: runs INSIDE `unshare --mount --propagation private`
# (test/oracle/sysctl-run.ts starts it). It builds a private root on a tmpfs
# under $W (the test's temp dir) where the real /usr is read-only at
# /.host-usr and every sysctl directory and /etc/sysctl.conf is a link into
# the current case (/cur -> /cases/N), so nothing of this machine's sysctl
# files is applied. Then, per case, it runs procps `sysctl --system` and
# systemd-sysctl, each in a fresh network namespace (`unshare --net`), and
# records exit code, stderr and the values of the keys listed in $W/keys
# (per-network-namespace net.* keys only).
# Usage: sysctl-driver.sh W NCASES
set -eu
W=$1
N=$2
R=$W/root
# Refuse to run outside a private mount namespace.
[ "$(readlink /proc/self/ns/mnt)" != "$(readlink /proc/1/ns/mnt)" ] || { echo "not in a private mount namespace" >&2; exit 3; }
mkdir -p "$R" "$W/out"
mount -t tmpfs -o mode=0755 hostlint-oracle "$R"
mountpoint -q "$R" || { echo "tmpfs not mounted" >&2; exit 3; }
cd "$R"
mkdir -p .host-usr usr/lib usr/local/lib lib etc run proc dev tmp cases out
mount --bind /usr .host-usr
mount -o remount,bind,ro .host-usr
mount --rbind /proc proc
mount --rbind /dev dev
mount --bind "$W/cases" cases
mount --bind "$W/out" out
for e in /usr/*; do n=${e##*/}; [ "$n" = lib ] || [ "$n" = local ] || ln -s "/.host-usr/$n" "usr/$n"; done
for e in /usr/lib/*; do n=${e##*/}; [ "$n" = sysctl.d ] || { ln -s "/.host-usr/lib/$n" "usr/lib/$n"; ln -s "/.host-usr/lib/$n" "lib/$n"; }; done
ln -s usr/bin bin
ln -s usr/sbin sbin
if [ -e /usr/lib64 ]; then ln -s usr/lib64 lib64; fi
if [ -e /etc/ld.so.cache ]; then cp /etc/ld.so.cache etc/; fi
for d in etc/sysctl.d run/sysctl.d usr/local/lib/sysctl.d usr/lib/sysctl.d lib/sysctl.d etc/sysctl.conf; do ln -s "/cur/$d" "$d"; done
KEYS=$(cat "$W/keys")
# The loop runs inside the private root; $N and $KEYS are spliced in (single quotes on purpose).
# shellcheck disable=SC2016
exec chroot "$R" /bin/sh -c '
set -eu
c=0
while [ "$c" -lt '"$N"' ]; do
  ln -sfn "cases/$c" /cur
  O=/out/$c
  unshare --net /bin/sh -c "sysctl --system >/dev/null 2>$O.procps.err; echo \$? >$O.procps.rc; cd /proc/sys && grep -H \"\" '"$KEYS"' >$O.procps.val 2>&1 || true"
  unshare --net /bin/sh -c "/lib/systemd/systemd-sysctl >/dev/null 2>$O.systemd.err; echo \$? >$O.systemd.rc; cd /proc/sys && grep -H \"\" '"$KEYS"' >$O.systemd.val 2>&1 || true"
  c=$((c + 1))
done
'
