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
# Never /etc/shadow, keys, certificates, kubeconfigs or tokens: a symlink is
# copied as a link, and what it points to only when that is a plain file
# outside the places that hold secrets.
#
# Needs a POSIX sh, coreutils, tar and gzip; `sysctl`, `ip`, `iptables-save`,
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

# secret PATH: true for places that may hold credentials (never copied).
secret() {
  case $1 in
    */shadow | */shadow- | */gshadow | */gshadow- | */passwd- | /etc/ssh/* | /root/* | /home/* | \
    */ssl/* | */pki/* | */private/* | */tls/* | *secret* | *token* | *.key | *.pem | *.crt | *.p12 | \
    *kubeconfig* | /etc/kubernetes/* | /var/lib/kubelet/pki/* | /var/lib/kubelet/*.conf) return 0 ;;
  esac
  return 1
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

# copy HOSTPATH [DEPTH]: a regular file as it is; a symlink as a link, and
# then what it points to (resolved inside ROOT), up to 8 links deep.
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
  [ -f "$src" ] || return 0
  [ -r "$src" ] || return 0
  mkdir -p "$SNAP${p%/*}"
  cat "$src" > "$SNAP$p" 2>/dev/null || rm -f "$SNAP$p"
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
if [ -r "$ROOT/proc/sys/kernel/osrelease" ]; then
  mkdir -p "$SNAP/proc/sys/kernel"
  cat "$ROOT/proc/sys/kernel/osrelease" > "$SNAP/proc/sys/kernel/osrelease"
fi
if [ -d "$ROOT/sys/class/net" ]; then
  for i in "$ROOT"/sys/class/net/*; do
    [ -e "$i" ] || continue
    name=${i##*/}
    mkdir -p "$SNAP/sys/class/net/$name"
    for attr in mtu operstate; do
      if [ -r "$i/$attr" ]; then
        cat "$i/$attr" > "$SNAP/sys/class/net/$name/$attr" 2>/dev/null || rm -f "$SNAP/sys/class/net/$name/$attr"
      fi
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
      src=$ROOT/proc/sys/$p
      [ -f "$src" ] && [ -r "$src" ] || continue
      mkdir -p "$SNAP/proc/sys/${p%/*}"
      cat "$src" > "$SNAP/proc/sys/$p" 2>/dev/null || rm -f "$SNAP/proc/sys/$p"
    done < "$f"
  done
fi

tar -C "$TMP" -czf - "$NAME"
