#!/bin/sh
# hostlint collector: writes a snapshot of this host, as hostlint reads it, to
# standard output as a .tar.gz. Run it as root on the host:
#
#   hostlint collect > collect.sh
#   ssh HOST sudo sh -s < collect.sh > HOST.tgz
#   hostlint audit HOST.tgz ...
#
# It copies only what hostlint reads: the sysctl configuration
# (/etc/sysctl.conf and the sysctl.d directories), resolv.conf and
# systemd-resolved's copies, Felix's felix.cfg, the CNI network configuration
# (*.conflist, *.conf, *.json in /etc/cni/net.d and nothing else there: the
# kubeconfig Calico keeps beside them holds a token), flannel's
# /run/flannel/subnet.env, the kubelet's
# config.yaml, modules-load.d and udev rules, the kernel release, interface
# MTUs and states (the CNI's devices too: flannel.1, cilium_vxlan, antrea-gw0, ...); and the output of `sysctl -a`, `uname -a`, `ip -d address`,
# `ip -o link`, the MASQUERADE rules of `iptables-save -t nat` and the procps
# package version, for the commands that exist. Directories whose presence
# hostlint checks (/var/lib/kubelet, /etc/kubernetes, ...) are recorded empty.
# Never /etc/shadow, keys, certificates, kubeconfigs, tokens or /proc/*/environ:
# a symlink is copied as a link, and what it points to only when that is a
# plain file outside the places that hold secrets; every decision is made on
# the real path (directory symlinks resolved inside HOSTLINT_ROOT, never
# outside it) and on the content (no private keys, client keys, tokens).
#
# Needs a POSIX sh, coreutils (with dd and wc), grep, tar and gzip; `sysctl`, `ip`, `iptables-save`,
# `dpkg-query`/`rpm` are used when present. Without `sysctl`, the live values
# of the keys the sysctl files set are copied from /proc/sys instead.
#
# HOSTLINT_ROOT (default: /) is the root directory to copy from (tests, or an
# image mounted elsewhere; commands still describe the running system).
# HOSTLINT_HOST names the snapshot (default: `uname -n`).
set -eu
umask 077
export LC_ALL=C

ROOT=${HOSTLINT_ROOT:-}
ROOT=${ROOT%/}
NAME=${HOSTLINT_HOST:-$(uname -n 2>/dev/null || echo host)}
NAME=$(printf '%s' "$NAME" | tr -c 'A-Za-z0-9._-' '_')
[ -n "$NAME" ] || NAME=host

TMP=$(mktemp -d "${TMPDIR:-/tmp}/hostlint-collect.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
trap 'exit 1' HUP INT TERM
SNAP=$TMP/$NAME
mkdir -p "$SNAP/etc" "$SNAP/sos_commands/kernel" "$SNAP/sos_commands/networking"

# secret PATH: true for places that may hold credentials (never copied). PATH
# is a host path; it is tested both as named and as resolved (see real_path).
secret() {
  case $1 in
    */shadow | */shadow- | */gshadow | */gshadow- | */passwd- | /etc/ssh/* | /root/* | /home/* | \
    */ssl/* | */pki/* | */private/* | */tls/* | *secret* | *token* | *.key | *.pem | *.crt | *.p12 | \
    *kubeconfig* | /etc/kubernetes/* | /var/lib/kubelet/*.conf | *environ* | /proc/* | /sys/* | /dev/*) return 0 ;;
  esac
  return 1
}

# secret_content FILE: true when the file's bytes look like a credential
# (a private key, a kubeconfig's client key or certificate, a token field).
secret_content() {
  grep -q -E -e '-----BEGIN [A-Z ]*PRIVATE KEY-----' -e 'client-(key|certificate)-data' -e '^[[:space:]]*token:' -e '(AWS|AZURE|GOOGLE)_[A-Z_]*(KEY|SECRET)' "$1" 2>/dev/null
}

# normalize PATH: an absolute path without `.`, `..` or repeated slashes
# (`..` at the root stays at the root, as on the host).
normalize() {
  out=
  old_ifs=$IFS
  IFS=/
  set -f
  for part in $1; do
    case $part in
      '' | .) ;;
      ..) out=${out%/*} ;;
      *) out=$out/$part ;;
    esac
  done
  set +f
  IFS=$old_ifs
  printf '%s\n' "${out:-/}"
}

# real_path HOSTPATH: the path HOSTPATH names on the host, every symlink
# (directories too) resolved inside ROOT (`..` and absolute links never leave
# it), at most 40 links; fails for a loop or a name with a newline.
real_path() {
  rest=$(normalize "$1")
  case $rest in *'
'*) return 1 ;; esac
  cur=
  hops=0
  while [ -n "$rest" ] && [ "$rest" != / ]; do
    part=${rest#/}
    part=${part%%/*}
    rest=${rest#/"$part"}
    if [ -L "$ROOT$cur/$part" ]; then
      hops=$((hops + 1))
      [ "$hops" -le 40 ] || return 1
      link=$(readlink "$ROOT$cur/$part") || return 1
      case $link in
        /*) rest=$(normalize "$link$rest") ;;
        *) rest=$(normalize "$cur/$link$rest") ;;
      esac
      cur=
    else
      cur=$cur/$part
    fi
  done
  printf '%s\n' "${cur:-/}"
}

# copy HOSTPATH [DEPTH]: a regular file as it is; a symlink as a link, and
# then what it points to (resolved inside ROOT), up to 8 links deep. The
# decision is made on the real path (directory links resolved inside ROOT)
# and on the content: never a secret, never /proc, /sys or /dev, only a
# regular file of at most 8 MiB.
copy() {
  p=$1
  depth=${2:-0}
  src=$ROOT$p
  secret "$p" && return 0
  if [ -L "$src" ]; then
    target=$(readlink "$src") || return 0
    mkdir -p "$SNAP${p%/*}"
    rm -f "$SNAP$p"
    ln -s "$target" "$SNAP$p"
    [ "$depth" -lt 8 ] || return 0
    case $target in
      /dev/null) return 0 ;;
      /*) next=$(normalize "$target") ;;
      *) next=$(normalize "${p%/*}/$target") ;;
    esac
    copy "$next" $((depth + 1))
    return 0
  fi
  real=$(real_path "$p") || return 0
  secret "$real" && return 0
  src=$ROOT$real
  [ -f "$src" ] && [ ! -L "$src" ] && [ -r "$src" ] || return 0
  [ "$(wc -c < "$src")" -le 8388608 ] || return 0
  secret_content "$src" && return 0
  mkdir -p "$SNAP${p%/*}"
  cat "$src" > "$SNAP$p" 2>/dev/null || rm -f "$SNAP$p"
}

# copy_attr SRC DEST PREFIX: a small kernel attribute (/proc/sys, /sys) read
# with head, only when its real path is still under PREFIX (a link to
# /proc/self/environ is not an attribute).
copy_attr() {
  real=$(real_path "$1") || return 0
  case $real in "$3"/*) ;; *) return 0 ;; esac
  case $real in *environ* | */mem | */kcore) return 0 ;; esac
  if [ -f "$ROOT$real" ] && [ -r "$ROOT$real" ]; then
    mkdir -p "${2%/*}"
    dd if="$ROOT$real" of="$2" bs=4096 count=1 2>/dev/null || rm -f "$2"
  fi
}

# copy_dir DIR PATTERN...: the entries of DIR whose names match a pattern.
copy_dir() {
  dir=$1
  shift
  [ -d "$ROOT$dir" ] || return 0
  for f in "$ROOT$dir"/*; do
    [ -e "$f" ] || [ -L "$f" ] || continue
    base=${f##*/}
    for pattern in "$@"; do
      # shellcheck disable=SC2254 # PATTERN is a glob on purpose
      case $base in
        $pattern)
          copy "$dir/$base"
          break
          ;;
      esac
    done
  done
}

# The configuration hostlint reads.
copy /etc/sysctl.conf
for d in /etc/sysctl.d /run/sysctl.d /usr/local/lib/sysctl.d /usr/lib/sysctl.d /lib/sysctl.d; do
  copy_dir "$d" '*.conf'
done
copy /etc/resolv.conf
copy /run/systemd/resolve/resolv.conf
copy /run/systemd/resolve/stub-resolv.conf
copy /etc/calico/felix.cfg
copy_dir /etc/cni/net.d '*.conflist' '*.conf' '*.json'
# flannel's subnet.env (FLANNEL_NETWORK, FLANNEL_SUBNET, FLANNEL_MTU, FLANNEL_IPMASQ: no secrets).
copy /run/flannel/subnet.env
copy /var/lib/kubelet/config.yaml
for d in /etc/modules-load.d /run/modules-load.d /usr/local/lib/modules-load.d /usr/lib/modules-load.d /lib/modules-load.d; do
  copy_dir "$d" '*.conf'
done
copy /etc/modules
copy_dir /etc/udev/rules.d '*.rules'

# tuned (RHEL and friends), a sysctl source: the active profile, the daemon's
# settings (reapply_sysctl) and every profile's tuned.conf (include= chains):
# /etc/tuned/*/tuned.conf /etc/tuned/profiles/*/tuned.conf
# /usr/lib/tuned/*/tuned.conf /usr/lib/tuned/profiles/*/tuned.conf
copy /etc/tuned/active_profile
copy /etc/tuned/tuned-main.conf
for d in "$ROOT"/etc/tuned/* "$ROOT"/etc/tuned/profiles/* "$ROOT"/usr/lib/tuned/* "$ROOT"/usr/lib/tuned/profiles/*; do
  [ -d "$d" ] || continue
  copy "${d#"$ROOT"}/tuned.conf"
done

# Paths whose existence hostlint checks: recorded empty.
for d in /var/lib/kubelet /etc/kubernetes /etc/cni/net.d /etc/sysctl.d /run/systemd/system; do
  if [ -d "$ROOT$d" ]; then mkdir -p "$SNAP$d"; fi
done
for f in /usr/lib/systemd/systemd-sysctl /lib/systemd/systemd-sysctl; do
  if [ -e "$ROOT$f" ]; then
    mkdir -p "$SNAP${f%/*}"
    : > "$SNAP$f"
  fi
done

# Facts from /proc and /sys (their files are read with cat, never copied as they are).
copy_attr /proc/sys/kernel/osrelease "$SNAP/proc/sys/kernel/osrelease" /proc/sys
# CPU count (kube-proxy sizes nf_conntrack_max by it): the processor lines only,
# of the real /proc/cpuinfo inside the root.
cpuinfo=$(real_path /proc/cpuinfo) || cpuinfo=
if [ "$cpuinfo" = /proc/cpuinfo ] && [ -f "$ROOT/proc/cpuinfo" ] && [ -r "$ROOT/proc/cpuinfo" ]; then
  mkdir -p "$SNAP/proc"
  grep '^processor' "$ROOT/proc/cpuinfo" > "$SNAP/proc/cpuinfo" 2>/dev/null || rm -f "$SNAP/proc/cpuinfo"
fi
if [ -d "$ROOT/sys/class/net" ]; then
  for i in "$ROOT"/sys/class/net/*; do
    [ -e "$i" ] || continue
    name=${i##*/}
    mkdir -p "$SNAP/sys/class/net/$name"
    for attr in mtu operstate; do
      copy_attr "/sys/class/net/$name/$attr" "$SNAP/sys/class/net/$name/$attr" /sys
    done
  done
fi

# Command output, laid out as sosreport lays it out.
have() { command -v "$1" >/dev/null 2>&1; }
run() {
  out=$SNAP/$1
  shift
  have "$1" || return 0
  "$@" > "$out" 2>/dev/null || true
  [ -s "$out" ] || rm -f "$out"
}
run sos_commands/kernel/sysctl_-a sysctl -a
run sos_commands/kernel/uname_-a uname -a
run sos_commands/networking/ip_-d_address ip -d address
run sos_commands/networking/ip_-o_link ip -o link
if have iptables-save; then
  # Only the table headers and the MASQUERADE rules: hostlint reads NAT from them.
  iptables-save -t nat 2>/dev/null | while IFS= read -r line; do
    case $line in
      '*'* | COMMIT | *' -j MASQUERADE' | *' -j MASQUERADE '*) printf '%s\n' "$line" ;;
    esac
  done > "$SNAP/sos_commands/networking/iptables-save" || true
  [ -s "$SNAP/sos_commands/networking/iptables-save" ] || rm -f "$SNAP/sos_commands/networking/iptables-save"
fi
# The procps version (sysctl's behaviour depends on it), in sosreport's package lists' format.
if have dpkg-query; then
  dpkg-query -W -f='ii  ${Package}  ${Version}  ${Architecture}\n' procps 2>/dev/null > "$SNAP/installed-debs" || true
  [ -s "$SNAP/installed-debs" ] || rm -f "$SNAP/installed-debs"
elif have rpm; then
  rpm -q procps-ng 2>/dev/null > "$SNAP/installed-rpms" || true
  [ -s "$SNAP/installed-rpms" ] || rm -f "$SNAP/installed-rpms"
fi

# Without `sysctl -a`, the live values of the keys the sysctl files set.
if [ ! -f "$SNAP/sos_commands/kernel/sysctl_-a" ] && [ -d "$ROOT/proc/sys" ]; then
  for f in "$SNAP"/etc/sysctl.conf "$SNAP"/etc/sysctl.d/* "$SNAP"/run/sysctl.d/* "$SNAP"/usr/local/lib/sysctl.d/* "$SNAP"/usr/lib/sysctl.d/* "$SNAP"/lib/sysctl.d/*; do
    [ -f "$f" ] || continue
    while IFS= read -r line || [ -n "$line" ]; do
      case $line in
        '#'* | ';'* | *'*'* | *'?'* | *'['*) continue ;;
        *=*) key=${line%%=*} ;;
        *) continue ;;
      esac
      key=$(printf '%s' "$key" | tr -d ' \t')
      key=${key#-}
      [ -n "$key" ] || continue
      case $key in /* | *..* | *//*) continue ;; esac
      # The first separator decides (sysctl.d(5)): net.ipv4.conf.eth0/100.rp_filter
      # is net/ipv4/conf/eth0.100/rp_filter; net/ipv4/ip_forward is as it is.
      first=${key%%[./]*}
      rest=${key#"$first"}
      case $rest in
        /*) p=$key ;;
        *) p=$(printf '%s' "$key" | tr './' '/.') ;;
      esac
      copy_attr "/proc/sys/$p" "$SNAP/proc/sys/$p" /proc/sys
    done < "$f"
  done
fi

tar -C "$TMP" -czf - "$NAME"
