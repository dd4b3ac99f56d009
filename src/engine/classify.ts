/**
 * Which language a file is: by path first, then by content. Each language
 * (src/languages/) says which paths are its own.
 */
import { LANGUAGES, type Classification } from '../languages/index.js';

export type { Classification };

/**
 * The host paths hostlint reads in a snapshot, as globs relative to its root
 * (`*` is one path segment). The snapshot reader lists only these.
 */
export const SNAPSHOT_PATTERNS = [
  'etc/sysctl.conf',
  'etc/sysctl.d/*',
  'run/sysctl.d/*',
  'usr/local/lib/sysctl.d/*',
  'usr/lib/sysctl.d/*',
  'lib/sysctl.d/*',
  'etc/resolv.conf',
  'run/systemd/resolve/resolv.conf',
  'run/systemd/resolve/stub-resolv.conf',
  'etc/calico/felix.cfg',
  'etc/cni/net.d/*',
  'run/flannel/subnet.env',
  'proc/sys/kernel/osrelease',
  'sys/class/net/*/mtu',
  'sys/class/net/*/operstate',
  'sos_commands/kernel/sysctl_-a',
  'sos_commands/kernel/uname_-a',
  'sos_commands/networking/ip_-o_link',
  'sos_commands/networking/ip_-s_-d_link',
  'sos_commands/networking/ip_-d_link',
  'sos_commands/networking/ip_-d_address',
  'sos_commands/networking/ip_address',
  'sos_commands/networking/iptables-save',
  'sos_commands/firewall_tables/iptables-save',
  'iptables-save',
  'uname',
  'var/lib/kubelet/config.yaml',
  'etc/modules-load.d/*',
  'run/modules-load.d/*',
  'usr/local/lib/modules-load.d/*',
  'usr/lib/modules-load.d/*',
  'lib/modules-load.d/*',
  'etc/modules',
  'etc/udev/rules.d/*',
  'installed-rpms',
  'installed-debs',
  // CPU count (kube-proxy sizes nf_conntrack_max by it)
  'proc/cpuinfo',
  'sos_commands/processor/lscpu',
  // tuned: the active profile and its files (src/engine/tuned.ts)
  'etc/tuned/active_profile',
  'etc/tuned/tuned-main.conf',
  'etc/tuned/*/tuned.conf',
  'etc/tuned/profiles/*/tuned.conf',
  'usr/lib/tuned/*/tuned.conf',
  'usr/lib/tuned/profiles/*/tuned.conf',
];

/** Host paths whose presence the snapshot records: Kubernetes-node markers, and evidence of systemd. */
export const SNAPSHOT_MARKERS = [
  '/var/lib/kubelet',
  '/etc/kubernetes',
  '/etc/cni/net.d',
  // Evidence for sysctl-conf-not-read: the snapshot holds /etc/sysctl.d, and the host runs systemd.
  '/etc/sysctl.d',
  '/run/systemd/system',
  '/usr/lib/systemd/systemd-sysctl',
  '/lib/systemd/systemd-sysctl',
  '/sos_commands/systemd',
];

/** Classify a file of a host snapshot by its path on the host (`/etc/sysctl.conf`). */
export function classifyHostPath(hostPath: string): Classification | undefined {
  for (const language of LANGUAGES) {
    const found = language.fromHostPath(hostPath);
    if (found) return found;
  }
  return undefined;
}

/** Files that look like YAML but are configuration of tools, never Kubernetes objects. */
const TOOL_CONFIGS = new Set(['.hostlint.yaml', '.hostlint.yml', '.pre-commit-config.yaml', '.pre-commit-hooks.yaml']);

/**
 * Classify a repository file by its path (relative, forward slashes), then by
 * content where the language needs it (YAML). Undefined: not a file hostlint reads.
 */
export function classifyRepoPath(relPath: string, sniff?: () => string): Classification | undefined {
  const lower = relPath.toLowerCase();
  const base = lower.slice(lower.lastIndexOf('/') + 1);
  if (TOOL_CONFIGS.has(base)) return undefined;
  for (const language of LANGUAGES) {
    const found = language.fromRepoPath?.(lower, base, sniff);
    if (found) return found;
  }
  return undefined;
}
