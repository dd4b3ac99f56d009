/**
 * Which language a file is: by path first, then by content.
 */
import { snapshotMarkers, snapshotPatterns } from '../facts/index.js';
import { SYSCTL_DIRS } from '../facts/sysctl.js';
import type { FactFileKind, LanguageId } from '../types.js';

export interface Classification {
  language: LanguageId;
  factKind?: FactFileKind;
}

/**
 * The host paths hostlint reads in a snapshot, as globs relative to its root
 * (`*` is one path segment): the paths the fact providers (src/facts/) declare.
 * The snapshot reader lists only these.
 */
export const SNAPSHOT_PATTERNS: readonly string[] = snapshotPatterns();

/** Host paths whose presence the snapshot records: the markers the fact providers declare. */
export const SNAPSHOT_MARKERS: readonly string[] = snapshotMarkers();

/** Classify a file of a host snapshot by its path on the host (`/etc/sysctl.conf`). */
export function classifyHostPath(hostPath: string): Classification | undefined {
  if (hostPath === '/etc/sysctl.conf') return { language: 'sysctl' };
  if (SYSCTL_DIRS.some((d) => hostPath.startsWith(d) && !hostPath.slice(d.length).includes('/')) && hostPath.endsWith('.conf')) {
    return { language: 'sysctl' };
  }
  if (hostPath === '/etc/resolv.conf' || /^\/run\/systemd\/resolve\/(stub-)?resolv\.conf$/.test(hostPath)) return { language: 'resolv' };
  if (hostPath === '/etc/calico/felix.cfg') return { language: 'felix' };
  if (/^\/etc\/cni\/net\.d\/[^/]+\.(conflist|conf|json)$/.test(hostPath)) return { language: 'cni' };
  if (hostPath === '/run/flannel/subnet.env') return { language: 'fact', factKind: 'flannel-subnet-env' };
  if (hostPath === '/proc/sys/kernel/osrelease') return { language: 'fact', factKind: 'osrelease' };
  if (/^\/sys\/class\/net\/[^/]+\/mtu$/.test(hostPath)) return { language: 'fact', factKind: 'mtu' };
  if (/^\/sys\/class\/net\/[^/]+\/operstate$/.test(hostPath)) return { language: 'fact', factKind: 'operstate' };
  if (hostPath === '/sos_commands/kernel/sysctl_-a') return { language: 'sysctl-dump' };
  if (hostPath === '/sos_commands/kernel/uname_-a' || hostPath === '/uname') return { language: 'fact', factKind: 'uname' };
  if (/^\/sos_commands\/networking\/ip_(-o_link|-s_-d_link|-d_link)$/.test(hostPath)) return { language: 'fact', factKind: 'ip-link' };
  if (/^\/sos_commands\/networking\/ip_(-d_)?address$/.test(hostPath)) return { language: 'fact', factKind: 'ip-address' };
  if (/^\/(sos_commands\/(networking|firewall_tables)\/)?iptables-save$/.test(hostPath)) return { language: 'fact', factKind: 'iptables-save' };
  if (hostPath === '/var/lib/kubelet/config.yaml') return { language: 'kube' };
  if (/^\/proc\/sys\//.test(hostPath)) return { language: 'fact', factKind: 'proc-sys' };
  if (/^\/(etc|run|usr\/local\/lib|usr\/lib|lib)\/modules-load\.d\/[^/]+\.conf$/.test(hostPath) || hostPath === '/etc/modules' || /^\/etc\/udev\/rules\.d\/[^/]+\.rules$/.test(hostPath)) {
    return { language: 'fact', factKind: 'modules-load' };
  }
  if (hostPath === '/installed-rpms' || hostPath === '/installed-debs') return { language: 'fact', factKind: 'packages' };
  if (hostPath === '/etc/tuned/active_profile' || hostPath === '/etc/tuned/tuned-main.conf' || /^\/(etc|usr\/lib)\/tuned\/(profiles\/)?[^/]+\/tuned\.conf$/.test(hostPath)) {
    return { language: 'fact', factKind: 'tuned' };
  }
  if (hostPath === '/proc/cpuinfo') return { language: 'fact', factKind: 'cpuinfo' };
  if (hostPath === '/sos_commands/processor/lscpu') return { language: 'fact', factKind: 'lscpu' };
  return undefined;
}

const KUBE_SNIFF = /^(?:---\s*\n)?[^\n]*?(?:^|\n)(?:apiVersion|kind)\s*:/m;

/**
 * Classify a repository file by its path (relative, forward slashes), then by
 * content for YAML. Undefined: not a file hostlint reads.
 */
export function classifyRepoPath(relPath: string, sniff?: () => string): Classification | undefined {
  const lower = relPath.toLowerCase();
  const base = lower.slice(lower.lastIndexOf('/') + 1);
  if (base === 'sysctl.conf' || /(^|\/)sysctl\.d\/[^/]+\.conf$/.test(lower)) return { language: 'sysctl' };
  if (base === 'resolv.conf' || base.endsWith('.resolv.conf') || base === 'stub-resolv.conf') return { language: 'resolv' };
  if (base === 'felix.cfg') return { language: 'felix' };
  if (base.endsWith('.conflist') || /(^|\/)cni\/net\.d\/[^/]+\.conf$/.test(lower)) return { language: 'cni' };
  if (base === '.hostlint.yaml' || base === '.hostlint.yml' || base === '.pre-commit-config.yaml' || base === '.pre-commit-hooks.yaml') {
    return undefined;
  }
  if (base.endsWith('.yaml') || base.endsWith('.yml')) {
    if (!sniff) return { language: 'kube' };
    return KUBE_SNIFF.test(sniff()) ? { language: 'kube' } : undefined;
  }
  return undefined;
}
