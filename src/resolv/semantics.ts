/**
 * What the readers of resolv.conf make of a parsed file: glibc's resolver
 * (`resolv/res_init.c`) and the kubelet (`pkg/kubelet/network/dns/dns.go`),
 * which reads the file it hands to pods with its own, different parser.
 */
import ipaddr from 'ipaddr.js';
import { getScalar } from '../parsers/data-tree.js';
import type { Evidence, Fact, KubeRoot, Location, ResolvDirectiveNode, ResolvRoot, ResolvWordNode, ScalarNode, SourceFile } from '../types.js';
import type { Scope } from '../engine/scope.js';

/** glibc's MAXNS (resolv.h), also musl's and the kubelet's limit. */
export const MAXNS = 3;

export interface NameserverAddress {
  family: 4 | 6;
  /** 127.0.0.0/8, ::1, or an IPv4-mapped loopback address. */
  loopback: boolean;
}

/**
 * A `nameserver` argument as glibc reads it: an IPv4 address in any form
 * inet_aton() accepts (`127.1`, `0x7f.0.0.1`), else an IPv6 address with an
 * optional `%scope`. Undefined when glibc cannot parse it (and ignores the line).
 */
export function parseNameserver(text: string): NameserverAddress | undefined {
  if (text === '') return undefined;
  if (ipaddr.IPv4.isValid(text)) {
    return { family: 4, loopback: ipaddr.IPv4.parse(text).range() === 'loopback' };
  }
  const pct = text.indexOf('%');
  const bare = pct >= 0 ? text.slice(0, pct) : text;
  if (bare === '' || !ipaddr.IPv6.isValid(bare)) return undefined;
  const v6 = ipaddr.IPv6.parse(bare);
  const loopback = v6.range() === 'loopback' || (v6.isIPv4MappedAddress() && v6.toIPv4Address().range() === 'loopback');
  return { family: 6, loopback };
}

/** The active `nameserver` lines glibc uses or counts, with their parsed address. */
export function glibcNameservers(tree: ResolvRoot): Array<{ directive: ResolvDirectiveNode; word: ResolvWordNode; address: NameserverAddress }> {
  const out = [];
  for (const line of tree.children) {
    if (line.type !== 'directive' || !line.active || line.name !== 'nameserver') continue;
    const word = line.args[0];
    if (!word || word.type !== 'word') continue;
    const address = parseNameserver(word.value);
    if (address) out.push({ directive: line, word, address });
  }
  return out;
}

/**
 * The `search` line the kubelet uses: the last line whose first field is
 * `search`, indented or not (it trims blanks); an empty one clears the list.
 */
export function kubeletSearchLine(tree: ResolvRoot): ResolvDirectiveNode | undefined {
  let last: ResolvDirectiveNode | undefined;
  for (const line of tree.children) if (line.type === 'directive' && line.name === 'search') last = line;
  return last;
}

/** A resolv.conf that pods on a Kubernetes node get from the kubelet. */
export interface PodResolvFile {
  file: SourceFile;
  /** Evidence that the host is a Kubernetes node. */
  node: Location[];
  /**
   * True in a host snapshot with the kubelet's configuration, where its
   * `resolvConf` is known (or defaults to /etc/resolv.conf); false in the
   * repository, or a snapshot without that configuration, where the file is
   * only known to configure a Kubernetes node, not to be the kubelet's `resolvConf`.
   */
  certain: boolean;
  /** Where the kubelet's `resolvConf` is set, when it is set. */
  resolvConf?: Evidence;
}

/**
 * The resolv.conf files pods inherit, on hosts known to be Kubernetes nodes:
 * in a host snapshot the kubelet's `resolvConf` (default /etc/resolv.conf,
 * following a symlink such as /etc/resolv.conf → stub-resolv.conf); in the
 * repository every resolv.conf whose facts say it configures a Kubernetes node.
 */
export function podResolvFiles(scope: Scope): PodResolvFile[] {
  const files = scope.filesOf('resolv');
  const out: PodResolvFile[] = [];
  const evidence = (f: Fact<boolean>) => (f.known ? f.evidence.map((e) => ({ file: e.file, position: e.position ?? ORIGIN, message: e.message })) : []);
  if (scope.kind === 'repository') {
    for (const file of files) {
      const k = scope.facts(file).kubernetesNode;
      if (k.known && k.value) out.push({ file, node: evidence(k), certain: false });
    }
    return out;
  }
  const k = scope.facts().kubernetesNode;
  if (!(k.known && k.value)) return out;
  // `resolvConf: ""`: the kubelet reads no file (Default pods get 127.0.0.1).
  if (kubeletConfigValue(scope, 'resolvConf')?.node.value === '') return out;
  const target = scope.kubeletResolvConf();
  const file = files.find((f) => f.hostPath === target.value || (f.linkedFrom ?? []).includes(target.value));
  // Without the kubelet's configuration, which file it reads is unknown (a
  // `--resolv-conf` flag, kubeadm's /run/systemd/resolve/resolv.conf): the
  // default is only a candidate, as in the repository.
  const certain = scope.kubeletConfig() !== undefined;
  if (file) out.push({ file, node: evidence(k), certain, ...(target.evidence ? { resolvConf: target.evidence } : {}) });
  return out;
}

/**
 * The kubelet configuration of a host snapshot (`/var/lib/kubelet/config.yaml`):
 * the scalar of `key` in its KubeletConfiguration document, with the file.
 */
export function kubeletConfigValue(scope: Scope, key: string): { file: SourceFile; node: ScalarNode } | undefined {
  const file = scope.hostFile('/var/lib/kubelet/config.yaml');
  const tree = file?.parsed?.tree as KubeRoot | undefined;
  if (!file || !tree) return undefined;
  for (const doc of tree.children) {
    if (doc.kind !== 'KubeletConfiguration') continue;
    const node = getScalar(doc.body, key);
    if (node) return { file, node };
  }
  return undefined;
}

/** Whether the snapshot holds a KubeletConfiguration at all. */
export function hasKubeletConfig(scope: Scope): boolean {
  const tree = scope.hostFile('/var/lib/kubelet/config.yaml')?.parsed?.tree as KubeRoot | undefined;
  return !!tree?.children.some((d) => d.kind === 'KubeletConfiguration');
}

const ORIGIN = { start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } };
