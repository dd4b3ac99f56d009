/**
 * Scopes and the facts that belong to them.
 *
 * A host scope is one snapshot: its files stand for one machine, so sysctl
 * files combine by the real precedence and facts come from the snapshot (with
 * the configuration's facts for the snapshot's path as the fallback). The
 * repository scope is every file not inside a snapshot: each sysctl or resolv
 * file there stands on its own, and facts come from the configuration, per
 * path. A run holds many host scopes and one repository scope; the repository
 * scope can draw facts from the run's Kubernetes-node hosts (the cluster its
 * manifests describe).
 */
import semver from 'semver';
import { buildCalicoView, type CalicoView } from '../calico/view.js';
import { hostCalicoFacts, type HostCalicoFacts } from '../calico/host.js';
import { hostCniFacts, nodeCni, type CniName, type HostCniFacts } from '../cni/index.js';
import { getScalar } from '../parsers/data-tree.js';
import { sysctlGlob } from '../util/glob.js';
import { tunedSysctl } from './tuned.js';
import type { Config, ConfigFact, ConfigFacts } from '../config/load.js';
import type {
  DataNode,
  Evidence,
  Fact,
  FactRoot,
  KubeRoot,
  LanguageId,
  Position,
  SourceFile,
  SysctlAssignmentNode,
  SysctlRoot,
} from '../types.js';

export interface Kernel {
  release: string;
  /** major.minor.patch, coerced from the release. */
  version: string;
}

export interface NetInterface {
  name: string;
  mtu: number;
  /** Operational state when known (`up`, `down`, `unknown`, ...). */
  state?: string;
  evidence: Evidence;
}

/** One assignment in a sysctl file, with the file it is in. */
export interface SysctlEntry {
  file: SourceFile;
  node: SysctlAssignmentNode;
}

/** The effective setting of one key: the assignment that wins and those it shadows. */
export interface EffectiveSetting extends SysctlEntry {
  key: string;
  value: string;
  /** Earlier assignments of the same key, in application order. */
  shadowed: SysctlEntry[];
}

export interface LiveValue {
  key: string;
  value: string;
  file: SourceFile;
  position: Position;
}

/**
 * A set of sysctl files applied together: in a host scope, every file the
 * host applies, in the order it applies them; in the repository scope, one file.
 */
export class SysctlSet {
  private readonly explicit = new Map<string, EffectiveSetting>();
  private readonly globs: SysctlEntry[] = [];
  /** The compiled matcher of each glob assignment, made once. */
  private readonly globMatchers = new Map<SysctlEntry, (key: string) => boolean>();
  /**
   * `-key` lines without `=`: keys that glob assignments must not touch. Exact
   * names: procps before 4.0.5 and systemd-sysctl do not match globs in them.
   */
  private readonly exclusions = new Set<string>();
  /** Application order of each assignment (its last application, when a file is read twice). */
  private readonly applied = new Map<SysctlAssignmentNode, number>();

  constructor(
    readonly scope: Scope,
    /** Files in application order. */
    readonly files: SourceFile[],
    /**
     * The program whose reading is modelled, where they differ: `procps`
     * ignores `- key` (a blank after the dash makes the key unknown);
     * `systemd` keeps one entry per key, so a later `-key` drops an earlier
     * assignment of that key and an assignment re-stating the same value keeps
     * its earlier place in the write order. Without one, the common model.
     */
    readonly reader?: SysctlReader,
  ) {
    if (reader === 'systemd') this.readSystemd();
    else this.readInOrder(reader === 'procps');
  }

  private readInOrder(procps: boolean): void {
    let seq = 0;
    for (const file of this.files) {
      const tree = file.parsed?.tree as SysctlRoot | undefined;
      if (!tree) continue;
      for (const node of tree.children) {
        if (node.type === 'exclusion') this.exclusions.add(node.key.name);
        if (node.type !== 'assignment') continue;
        // procps 4.0.x strips the dash but not the blanks after it: `- a = 1` sets the unknown key ` a`, silently.
        if (procps && node.ignoreFailure && node.key.position.start.offset! > node.position.start.offset! + 1) continue;
        this.applied.set(node, seq++);
        if (node.key.glob) {
          this.globs.push({ file, node });
          continue;
        }
        const key = node.key.name;
        const prev = this.explicit.get(key);
        // Reuse the replaced setting's list (nothing else holds it yet): linear, not quadratic, in repeats.
        const shadowed = prev ? prev.shadowed : [];
        if (prev) shadowed.push({ file: prev.file, node: prev.node });
        this.explicit.set(key, { key, value: node.value.value, file, node, shadowed });
      }
    }
  }

  /** systemd-sysctl's ordered table: one entry per key (or glob), written in table order. */
  private readSystemd(): void {
    type Entry = { file: SourceFile; node: SysctlAssignmentNode | undefined; shadowed: SysctlEntry[] };
    const table = new Map<string, Entry>();
    for (const file of this.files) {
      const tree = file.parsed?.tree as SysctlRoot | undefined;
      if (!tree) continue;
      for (const node of tree.children) {
        if (node.type !== 'assignment' && node.type !== 'exclusion') continue;
        const key = node.key.name;
        const assignment = node.type === 'assignment' ? node : undefined;
        const prev = table.get(key);
        if (prev && prev.node?.value.value === assignment?.value.value) continue; // same value: keeps its place
        const shadowed = prev ? prev.shadowed : [];
        if (prev?.node) shadowed.push({ file: prev.file, node: prev.node });
        table.delete(key);
        table.set(key, { file, node: assignment, shadowed });
      }
    }
    let seq = 0;
    for (const [key, { file, node, shadowed }] of table) {
      if (!node) {
        this.exclusions.add(key);
        continue;
      }
      this.applied.set(node, seq++);
      if (node.key.glob) this.globs.push({ file, node });
      else this.explicit.set(key, { key, value: node.value.value, file, node, shadowed });
    }
  }

  /** The compiled (linear) matcher of a glob assignment, made once. */
  private globMatcher(entry: SysctlEntry): (key: string) => boolean {
    let matcher = this.globMatchers.get(entry);
    if (!matcher) this.globMatchers.set(entry, (matcher = sysctlGlob(entry.node.key.name)));
    return matcher;
  }

  /** The effective configured value of `key` (explicit assignments beat globs), if any file sets it. */
  effective(key: string): EffectiveSetting | undefined {
    const hit = this.explicit.get(key);
    if (hit) return hit;
    if (this.exclusions.has(key)) return undefined; // `-key`: globs leave it alone
    for (let i = this.globs.length - 1; i >= 0; i--) {
      const g = this.globs[i]!;
      if (this.globMatcher(g)(key)) return { key, value: g.node.value.value, file: g.file, node: g.node, shadowed: [] };
    }
    return undefined;
  }

  /** The entry applied last of the given ones (later file, then later line). */
  lastApplied<T extends SysctlEntry>(...entries: Array<T | undefined>): T | undefined {
    let best: T | undefined;
    for (const e of entries) {
      if (!e) continue;
      if (!best) best = e;
      else {
        const sa = this.applied.get(best.node);
        const sb = this.applied.get(e.node);
        if (sa !== undefined && sb !== undefined) {
          if (sb > sa) best = e;
          continue;
        }
        const fa = this.files.indexOf(best.file);
        const fb = this.files.indexOf(e.file);
        if (fb > fa || (fb === fa && (e.node.position.start.offset ?? 0) > (best.node.position.start.offset ?? 0))) best = e;
      }
    }
    return best;
  }

  /** Every explicit effective setting. */
  settings(): IterableIterator<EffectiveSetting> {
    return this.explicit.values();
  }

  /** The file whose path decides configuration facts for this set. */
  get anchor(): SourceFile | undefined {
    return this.files[0];
  }
}

/** Facts that hold for one file's host: each is known with evidence, or unknown with a hint. */
export interface FactSet {
  kernel: Fact<Kernel>;
  kubernetesNode: Fact<boolean>;
  nat: Fact<boolean>;
  physicalMtu: Fact<{ mtu: number; iface?: string }>;
  /** procps-ng, whose `sysctl -p` / `sysctl --system` reads the sysctl files outside systemd-sysctl. */
  procps: Fact<{ version: string }>;
}

const DEFAULT_MTU_IFACE_PATTERN = /^((en|wl|ww|sl|ib)[Pcopsvx].*|(eth|wlan|wwan).*)/;

export interface ScopeInit {
  kind: 'host' | 'repository';
  /** Host name (snapshot directory name) or `(repository)`. */
  name: string;
  /** Absolute snapshot root (host scopes). */
  root?: string;
  files: SourceFile[];
  config: Config;
  /** Host paths that exist in the snapshot and mark it (`/var/lib/kubelet`, `/etc/cni/net.d`, ...). */
  markers?: Set<string>;
  /** Host paths of sysctl.d files masked by a symlink to /dev/null. */
  masked?: string[];
  /** Reads a host path lazily (for `/proc/sys/...` values); undefined when absent. */
  readHostFile?: (hostPath: string) => SourceFile | undefined;
  /** Display path of a host path of the snapshot (directory or archive member). */
  display?: (hostPath: string) => string;
}

/**
 * What the repository scope needs to know about one host of the run: its
 * facts, serialisable (a fleet audit computes them in a worker and sends them
 * to the main thread, where the cluster's manifests are joined with them).
 */
export interface HostSummary {
  name: string;
  facts: FactSet;
  /** What Calico rules join with the cluster's manifests (rp_filter, interfaces, felix.cfg). */
  calico?: HostCalicoFacts;
  /** What the node shows of its CNI: /etc/cni/net.d in the runtime's order, subnet.env, CNI device MTUs. */
  cni?: HostCniFacts;
  /** The effective configured values of the networking keys (`net.*`) the host's sysctl files set (fleet rules compare them). */
  sysctl?: SysctlSummary[];
}

/** One effective configured sysctl value of a host, where it is set. */
export interface SysctlSummary {
  key: string;
  /** The value, blanks folded. */
  value: string;
  /** The display path of the file that sets it, and the value's position there. */
  file: string;
  position: Position;
  /** The file's path on the host (`/etc/sysctl.d/90-net.conf`). */
  hostPath?: string;
  /** The text of the assignment's line (for the result's snippet and fingerprint). */
  line: string;
}

/** The summary of a host scope. */
export function summarizeHost(scope: Scope): HostSummary {
  const sysctl: SysctlSummary[] = [];
  for (const set of scope.sysctlSets()) {
    for (const s of set.settings()) {
      if (!s.key.startsWith('net.')) continue;
      const start = s.node.position.start.offset ?? 0;
      const lineStart = s.file.text.lastIndexOf('\n', start - 1) + 1;
      const nl = s.file.text.indexOf('\n', start);
      const line = s.file.text.slice(lineStart, nl < 0 ? undefined : nl).replace(/\r$/, '');
      sysctl.push({ key: s.key, value: s.value.trim().replace(/\s+/g, ' '), file: s.file.path, position: s.node.value.position, ...(s.file.hostPath !== undefined ? { hostPath: s.file.hostPath } : {}), line });
    }
  }
  sysctl.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { name: scope.name, facts: scope.facts(), calico: hostCalicoFacts(scope), cni: hostCniFacts(scope), sysctl };
}

/**
 * Every host of the run, as summaries (fleet rules, in the repository scope):
 * the hosts linted elsewhere (`audit`, `merge`), or the run's host scopes.
 */
export function fleetHosts(scope: Scope): HostSummary[] {
  if (scope.cluster) return scope.cluster;
  let hosts = summaries.get(scope);
  if (!hosts) {
    hosts = scope.run.filter((s) => s.kind === 'host').map(summarizeHost);
    summaries.set(scope, hosts);
  }
  return hosts;
}

const summaries = new WeakMap<Scope, HostSummary[]>();

export class Scope {
  readonly kind: 'host' | 'repository';
  readonly name: string;
  readonly root: string | undefined;
  readonly files: SourceFile[];
  readonly config: Config;
  /** The run's other scopes (set by the engine), for joins across scopes. */
  run: Scope[] = [];
  /**
   * The hosts of the run as summaries, when they were linted elsewhere (a
   * fleet audit's workers); otherwise the host scopes of `run` are used.
   */
  cluster: HostSummary[] | undefined;
  private readonly displayHostPath: ScopeInit['display'];
  private readonly markers: Set<string>;
  private readonly masked: string[];
  private readonly readHostFile: ScopeInit['readHostFile'];
  private cache = new Map<string, unknown>();

  constructor(init: ScopeInit) {
    this.kind = init.kind;
    this.name = init.name;
    this.root = init.root;
    this.files = init.files;
    this.config = init.config;
    this.markers = init.markers ?? new Set();
    this.masked = init.masked ?? [];
    this.readHostFile = init.readHostFile;
    this.displayHostPath = init.display;
  }

  /** Forget every derived fact (after `--fix` changed a file's text and tree). */
  invalidate(): void {
    this.cache.clear();
  }

  private memo<T>(key: string, f: () => T): T {
    if (!this.cache.has(key)) this.cache.set(key, f());
    return this.cache.get(key) as T;
  }

  filesOf(language: LanguageId): SourceFile[] {
    return this.files.filter((f) => f.language === language && f.parsed);
  }

  hostFile(hostPath: string): SourceFile | undefined {
    // Indexed, not searched: rules look up a `/proc/sys` file per key, and a
    // snapshot may hold thousands of files. Files are only ever appended
    // (read lazily), so the index catches up with the new ones.
    const index = (this.byHostPath ??= new Map());
    for (; this.indexedFiles < this.files.length; this.indexedFiles++) {
      const f = this.files[this.indexedFiles]!;
      if (f.hostPath !== undefined && !index.has(f.hostPath)) index.set(f.hostPath, f);
    }
    return index.get(hostPath);
  }

  private byHostPath: Map<string, SourceFile> | undefined;
  private indexedFiles = 0;

  /** Sysctl file sets: one per host, or one per file in the repository. */
  sysctlSets(): SysctlSet[] {
    return this.memo('sysctlSets', () => {
      const files = this.filesOf('sysctl');
      if (this.kind === 'repository') return files.map((f) => new SysctlSet(this, [f]));
      const ordered = orderHostSysctlFiles(files, this.masked);
      // tuned's profile: after the sysctl files, or before them when tuned re-applies them (the default).
      const tuned = tunedSysctl((p) => this.hostFile(p));
      const all = tuned ? (tuned.reapply ? [...tuned.files, ...ordered] : [...ordered, ...tuned.files]) : ordered;
      return all.length ? [new SysctlSet(this, all)] : [];
    });
  }

  /**
   * The sysctl files of this host as one reader applies them: `procps`
   * (`sysctl --system`, the order `sysctlSets()` uses) or `systemd`
   * (systemd-sysctl, which does not read /etc/sysctl.conf unless a sysctl.d
   * file links to it). Undefined outside host scopes.
   */
  hostSysctlSet(reader: SysctlReader): SysctlSet | undefined {
    if (this.kind !== 'host') return undefined;
    return this.memo(`sysctlSet:${reader}`, () => {
      const files = orderHostSysctlFiles(this.filesOf('sysctl'), this.masked, 'systemd');
      // procps reads /etc/sysctl.conf last, even when a sysctl.d link (99-sysctl.conf) has applied it already.
      const main = this.filesOf('sysctl').find((f) => f.hostPath === '/etc/sysctl.conf');
      if (reader === 'procps' && main) files.push(main);
      return new SysctlSet(this, files, reader);
    });
  }

  /** Live value of a key on this host: `sysctl -a` output, else `/proc/sys/<key>`. */
  live(key: string): LiveValue | undefined {
    if (this.kind !== 'host') return undefined;
    const dump = this.liveDump();
    const hit = dump?.get(key);
    if (hit) return hit;
    const procPath = `/proc/sys/${key.replace(/[./]/g, (c) => (c === '.' ? '/' : '.'))}`;
    const file = this.hostFile(procPath) ?? this.readHostFile?.(procPath);
    if (!file) return undefined;
    // The first line without its blanks (no regex: `[ \t]*(.*?)[ \t]*$` is quadratic over a run of blanks).
    const first = firstLineTrimmed(file.text);
    const start = file.text.indexOf(first);
    return {
      key,
      value: first.replace(/\s+/g, ' '),
      file,
      position: {
        start: { line: 1, column: start + 1, offset: start },
        end: { line: 1, column: start + first.length + 1, offset: start + first.length },
      },
    };
  }

  /** The `sysctl -a` dump of this host, as key → value, if the snapshot has one. */
  liveDump(): Map<string, LiveValue> | undefined {
    return this.memo('liveDump', () => {
      const dumps = this.filesOf('sysctl-dump');
      if (dumps.length === 0) return undefined;
      const out = new Map<string, LiveValue>();
      for (const file of dumps) {
        for (const node of (file.parsed!.tree as SysctlRoot).children) {
          if (node.type === 'assignment') out.set(node.key.name, { key: node.key.name, value: node.value.value.replace(/\s+/g, ' '), file, position: node.value.position });
        }
      }
      return out;
    });
  }

  /** The dump file, for messages. */
  liveDumpFile(): SourceFile | undefined {
    return this.filesOf('sysctl-dump')[0];
  }

  /** Facts for a file of this scope (or for the scope as a whole). */
  facts(file?: SourceFile): FactSet {
    const configFacts = this.config.factsFor(this.kind === 'host' ? this.root : file?.absolutePath);
    const key = `facts:${this.kind === 'host' ? '' : (file?.absolutePath ?? '')}`;
    return this.memo(key, () =>
      this.kind === 'host' ? this.hostFacts(configFacts) : this.repositoryFacts(configFacts),
    );
  }

  private repositoryFacts(c: ConfigFacts): FactSet {
    return {
      kernel: c.kernel ? kernelFact(c.kernel.value, c.kernel.evidence) : unknown('set `facts.kernel` in .hostlint.yaml (the `uname -r` of the hosts these files configure)'),
      kubernetesNode: fromConfig(c.kubernetesNode, 'set `facts.kubernetesNode` in .hostlint.yaml'),
      nat: fromConfig(c.nat, 'set `facts.nat` in .hostlint.yaml'),
      physicalMtu: c.physicalMtu
        ? { known: true, value: { mtu: c.physicalMtu.value }, evidence: [c.physicalMtu.evidence] }
        : this.clusterPhysicalMtu('calico'),
      procps: c.procps ? versionFact('procps-ng', c.procps.value, c.procps.evidence) : unknown('set `facts.procps` in .hostlint.yaml (the procps-ng version of the hosts, as `sysctl --version` prints it)'),
    };
  }

  /**
   * The physical MTU for a file that configures `cni`: in a host scope, the
   * host's; in the repository, `facts.physicalMtu` or the smallest among the
   * run's Kubernetes nodes that may run that CNI.
   */
  physicalMtuFor(file: SourceFile, cni: CniName | 'calico'): Fact<{ mtu: number; iface?: string }> {
    if (this.kind === 'host') return this.facts(file).physicalMtu;
    const c = this.config.factsFor(file.absolutePath);
    if (c.physicalMtu) return { known: true, value: { mtu: c.physicalMtu.value }, evidence: [c.physicalMtu.evidence] };
    return this.memo(`physicalMtu:${cni}`, () => this.clusterPhysicalMtu(cni));
  }

  /** The run's hosts as summaries (computed here when they were linted in this process). */
  clusterSummaries(): HostSummary[] {
    return this.cluster ?? this.memo('summaries', () => this.run.filter((s) => s.kind === 'host').map((s) => s.derive('summary', () => summarizeHost(s))));
  }

  /**
   * A value derived from this scope's files, computed once (until `--fix`
   * changes a file): for models several rules or scopes read, such as the
   * host's summary or the CNI configurations.
   */
  derive<T>(key: string, f: () => T): T {
    return this.memo(`derived:${key}`, f);
  }

  /**
   * The smallest physical MTU among the run's Kubernetes-node hosts: the
   * cluster the manifests describe. A node whose CNI configuration shows
   * another CNI than `cni` runs another cluster and is left out.
   */
  private clusterPhysicalMtu(cni: CniName | 'calico'): Fact<{ mtu: number; iface?: string }> {
    let best: { mtu: number; iface: string; evidence: Evidence[]; host: string } | undefined;
    let nodes = 0;
    let other = 0;
    const hosts = this.clusterSummaries();
    for (const { name, facts: f, cni: c } of hosts) {
      if (!(f.kubernetesNode.known && f.kubernetesNode.value) || !f.physicalMtu.known) continue;
      const runs = nodeCni(c);
      if (runs !== undefined && runs !== cni) {
        other++;
        continue;
      }
      nodes++;
      if (!best || f.physicalMtu.value.mtu < best.mtu) {
        best = { mtu: f.physicalMtu.value.mtu, iface: f.physicalMtu.value.iface ?? '', evidence: f.physicalMtu.evidence, host: name };
      }
    }
    if (best) {
      // The deciding node's evidence, saying why it decides.
      const left = other ? ` (${other} running another CNI left out)` : '';
      const why = (nodes === 1 ? `the only Kubernetes node in the run` : `the smallest among ${nodes} Kubernetes nodes in the run`) + left;
      const evidence = best.evidence.map((e) => ({ ...e, message: `${e.message} on ${best!.host}, ${why}` }));
      return { known: true, value: { mtu: best.mtu, iface: best.iface }, evidence };
    }
    return unknown('set `facts.physicalMtu` in .hostlint.yaml, or lint the manifests together with a Kubernetes node snapshot');
  }

  private hostFacts(c: ConfigFacts): FactSet {
    return {
      kernel: this.hostKernel() ?? (c.kernel ? kernelFact(c.kernel.value, c.kernel.evidence) : unknown(`add \`proc/sys/kernel/osrelease\` or \`sos_commands/kernel/uname_-a\` to the snapshot of ${this.name}, or set \`facts.kernel\``)),
      kubernetesNode: this.hostKubernetesNode() ?? fromConfig(c.kubernetesNode, `set \`facts.kubernetesNode\` for ${this.name}`),
      // The configuration says how clients reach the host; without it, a MASQUERADE rule shows NAT here.
      nat: c.nat ? fromConfig(c.nat, '') : (this.hostNat() ?? unknown(`set \`facts.nat\` for ${this.name} (or add \`iptables-save\` output to its snapshot)`)),
      physicalMtu: this.hostPhysicalMtu(c),
      procps:
        this.hostProcps() ??
        (c.procps
          ? versionFact('procps-ng', c.procps.value, c.procps.evidence)
          : unknown(`add sosreport's \`installed-rpms\` or \`installed-debs\` to the snapshot of ${this.name}, or set \`facts.procps\``)),
    };
  }

  /**
   * The procps-ng version from the package list of an sosreport snapshot:
   * `installed-rpms` (`procps-ng-3.3.10-28.el7.x86_64   <install date>`) or
   * `installed-debs` (`dpkg -l`: `ii  procps  2:4.0.2-3  amd64  ...`).
   */
  private hostProcps(): Fact<{ version: string }> | undefined {
    for (const file of this.filesOf('fact')) {
      const tree = file.parsed!.tree as FactRoot;
      if (tree.factKind !== 'packages') continue;
      for (const line of tree.children) {
        const m = /^(procps(?:-ng)?-)(\d+\.\d+(?:\.\d+)?)-\S/.exec(line.value) ?? /^(ii\s+procps(?::\S+)?\s+(?:\d+:)?)(\d+\.\d+(?:\.\d+)?)[-+~\s]/.exec(line.value);
        if (!m) continue;
        const fact = versionFact('procps-ng', m[2]!, { file: file.path, position: shift(line.position, m[1]!.length, m[2]!.length), message: `procps-ng ${m[2]} is installed` });
        if (fact.known) return fact;
      }
    }
    return undefined;
  }

  /** Whether a host path exists in the snapshot: a file hostlint read, or a recorded marker directory. */
  hasHostPath(hostPath: string): boolean {
    if (this.markers.has(hostPath)) return true;
    const dir = hostPath.endsWith('/') ? hostPath : `${hostPath}/`;
    return this.files.some((f) => f.hostPath === hostPath || (f.hostPath ?? '').startsWith(dir) || (f.linkedFrom ?? []).some((l) => l === hostPath || l.startsWith(dir)));
  }

  /**
   * NAT on this host from `iptables-save` output: a rule jumping to
   * MASQUERADE (Kubernetes nodes masquerade pod traffic; NAT gateways and
   * Docker hosts do too). Only a positive fact: no such rule is not evidence
   * that clients do not arrive through NAT elsewhere.
   */
  private hostNat(): Fact<boolean> | undefined {
    for (const file of this.filesOf('fact')) {
      const tree = file.parsed!.tree as FactRoot;
      if (tree.factKind !== 'iptables-save') continue;
      for (const line of tree.children) {
        if (!isMasqueradeRule(line.value)) continue;
        const text = line.value.trim();
        const position = shift(line.position, line.value.indexOf(text), text.length);
        return { known: true, value: true, evidence: [{ file: file.path, position, message: `NAT on ${this.name}: iptables MASQUERADE rule \`${text}\`` }] };
      }
    }
    return undefined;
  }

  /**
   * The kubelet's `protectKernelDefaults` (KubeletConfiguration in
   * /var/lib/kubelet/config.yaml; default false): known when the snapshot has
   * the kubelet's configuration file.
   */
  protectKernelDefaults(): Fact<boolean> {
    const cfg = this.kubeletConfig();
    if (!cfg) return unknown(`add \`var/lib/kubelet/config.yaml\` to the snapshot of ${this.name}`);
    const node = getScalar(cfg.body, 'protectKernelDefaults');
    if (node && typeof node.value === 'boolean') {
      return { known: true, value: node.value, evidence: [{ file: cfg.file.path, position: node.position, message: `kubelet protectKernelDefaults: ${node.value}` }] };
    }
    return { known: true, value: false, evidence: [{ file: cfg.file.path, message: 'The kubelet configuration does not set protectKernelDefaults (default false)' }] };
  }

  private hostKernel(): Fact<Kernel> | undefined {
    for (const file of this.filesOf('fact')) {
      const tree = file.parsed!.tree as FactRoot;
      if (tree.factKind === 'osrelease') {
        const line = tree.children[0];
        if (!line) continue;
        const release = line.value.trim();
        const lead = line.value.indexOf(release);
        const position = shift(line.position, lead, release.length);
        const fact = kernelFact(release, { file: file.path, position, message: `Kernel release ${release}` });
        if (fact.known) return fact;
      }
    }
    for (const file of this.filesOf('fact')) {
      const tree = file.parsed!.tree as FactRoot;
      if (tree.factKind !== 'uname') continue;
      for (const line of tree.children) {
        // `uname -a` (`Linux host 5.4.0-99-generic #112-Ubuntu ...`), or `uname -r` alone.
        const m = /^(Linux\s+\S+\s+)(\d+\.\d+\S*)/.exec(line.value) ?? bareRelease(line.value);
        if (!m) continue;
        const position = shift(line.position, m[1]!.length, m[2]!.length);
        const fact = kernelFact(m[2]!, { file: file.path, position, message: `Kernel release ${m[2]}` });
        if (fact.known) return fact;
      }
    }
    return undefined;
  }

  private hostKubernetesNode(): Fact<boolean> | undefined {
    for (const marker of ['/var/lib/kubelet', '/etc/kubernetes', '/etc/cni/net.d']) {
      if (this.markers.has(marker)) {
        const file = this.displayHostPath ? this.displayHostPath(marker) : `${this.displayRoot()}${marker}`;
        return { known: true, value: true, evidence: [{ file, message: `\`${marker}\` exists on ${this.name}` }] };
      }
    }
    return undefined;
  }

  /** Path of the snapshot root relative to the working directory, for evidence without a file. */
  displayRoot(): string {
    const any = this.files.find((f) => f.hostPath);
    if (any && any.hostPath) return any.path.slice(0, any.path.length - any.hostPath.length);
    return this.name;
  }

  /** Network interfaces of the host, from `/sys/class/net`, else `ip link` / `ip address` output. */
  interfaces(): NetInterface[] {
    return this.memo('interfaces', () => {
      const byName = new Map<string, NetInterface>();
      for (const file of this.filesOf('fact')) {
        const tree = file.parsed!.tree as FactRoot;
        const m = /^\/sys\/class\/net\/([^/]+)\/(mtu|operstate)$/.exec(file.hostPath ?? '');
        if (m && tree.factKind === 'mtu') {
          const line = tree.children[0];
          const mtu = line ? Number.parseInt(line.value.trim(), 10) : NaN;
          if (!Number.isFinite(mtu)) continue;
          const prev = byName.get(m[1]!);
          byName.set(m[1]!, { name: m[1]!, mtu, state: prev?.state, evidence: { file: file.path, position: shift(line!.position, line!.value.indexOf(line!.value.trim()), line!.value.trim().length), message: `MTU of ${m[1]} is ${mtu}` } });
        }
      }
      for (const file of this.filesOf('fact')) {
        const tree = file.parsed!.tree as FactRoot;
        const m = /^\/sys\/class\/net\/([^/]+)\/operstate$/.exec(file.hostPath ?? '');
        if (m && tree.factKind === 'operstate') {
          const iface = byName.get(m[1]!);
          if (iface && tree.children[0]) iface.state = tree.children[0].value.trim();
        }
        if (tree.factKind === 'ip-link' || tree.factKind === 'ip-address') {
          for (const line of tree.children) {
            const l = /^\d+:\s+([^:@\s]+)(?:@\S+)?:\s+<[^>]*>\s+mtu\s+(\d+)(?:.*?\sstate\s+(\S+))?/.exec(line.value);
            if (!l || byName.has(l[1]!)) continue;
            const at = line.value.indexOf(`mtu ${l[2]}`);
            byName.set(l[1]!, { name: l[1]!, mtu: Number(l[2]), state: l[3]?.toLowerCase(), evidence: { file: file.path, position: shift(line.position, at, 4 + l[2]!.length), message: `MTU of ${l[1]} is ${l[2]}` } });
          }
        }
      }
      return [...byName.values()];
    });
  }

  private hostPhysicalMtu(c: ConfigFacts): Fact<{ mtu: number; iface?: string }> {
    if (c.physicalMtu) return { known: true, value: { mtu: c.physicalMtu.value }, evidence: [c.physicalMtu.evidence] };
    const candidates = this.interfaces().filter(
      (i) => DEFAULT_MTU_IFACE_PATTERN.test(i.name) && (i.state === undefined || i.state === 'up'),
    );
    if (candidates.length === 0) {
      return unknown(`no interface of ${this.name} that is up matches Calico's default mtuIfacePattern; set \`facts.physicalMtu\``);
    }
    const min = candidates.reduce((a, b) => (b.mtu < a.mtu ? b : a));
    return { known: true, value: { mtu: min.mtu, iface: min.name }, evidence: [min.evidence] };
  }

  /**
   * The resolv.conf the kubelet gives pods (`resolvConf` in
   * /var/lib/kubelet/config.yaml; default /etc/resolv.conf).
   */
  kubeletResolvConf(): { value: string; evidence?: Evidence } {
    return this.memo('kubeletResolvConf', () => {
      const cfg = this.hostFile('/var/lib/kubelet/config.yaml');
      const tree = cfg?.parsed?.tree as KubeRoot | undefined;
      for (const doc of tree?.children ?? []) {
        if (doc.kind !== 'KubeletConfiguration') continue;
        const node = getScalar(doc.body, 'resolvConf');
        // resolvConf is a *string in KubeletConfiguration v1beta1: absent or null takes the
        // default, an explicit "" gives pods no node resolver settings at all.
        if (node && typeof node.value === 'string') {
          const value = node.value;
          return { value, evidence: { file: cfg!.path, position: node.position, message: `kubelet resolvConf: ${JSON.stringify(value)}` } };
        }
      }
      return { value: '/etc/resolv.conf' };
    });
  }

  /**
   * The KubeletConfiguration document of this host (/var/lib/kubelet/config.yaml),
   * when the snapshot has one.
   */
  kubeletConfig(): { file: SourceFile; body: DataNode } | undefined {
    return this.memo('kubeletConfig', () => {
      const file = this.hostFile('/var/lib/kubelet/config.yaml');
      const tree = file?.parsed?.tree as KubeRoot | undefined;
      const doc = tree?.children.find((d) => d.kind === 'KubeletConfiguration' && d.body);
      return file && doc?.body ? { file, body: doc.body } : undefined;
    });
  }

  /**
   * Calico configuration sets: the typed view over Kubernetes YAML plus the
   * CNI conflists that belong together. A host is one set; in the repository,
   * the manifests of one directory are one set (one cluster's manifests are
   * usually kept together; unrelated ones usually are not).
   */
  calicoSets(): CalicoSet[] {
    return this.memo('calicoSets', () => {
      const groups = new Map<string, SourceFile[]>();
      for (const f of this.files) {
        if ((f.language !== 'kube' && f.language !== 'cni' && f.language !== 'felix') || !f.parsed) continue;
        const key = this.kind === 'host' ? '' : f.path.slice(0, f.path.lastIndexOf('/') + 1);
        const list = groups.get(key) ?? [];
        list.push(f);
        groups.set(key, list);
      }
      return [...groups.values()].map((files) => {
        const kube = files.filter((f) => f.language === 'kube');
        const view = buildCalicoView(
          kube.map((f) => ({ path: f.path, tree: f.parsed!.tree as KubeRoot, ...(f.chart !== undefined ? { chart: f.chart } : {}) })),
          (p) => kube.find((f) => f.path === p)?.text ?? '',
        );
        return { view, kube, cni: files.filter((f) => f.language === 'cni'), felix: files.filter((f) => f.language === 'felix') };
      });
    });
  }
}

/** Calico objects and CNI conflists that describe one cluster (or one host). */
export interface CalicoSet {
  view: CalicoView;
  kube: SourceFile[];
  cni: SourceFile[];
  /** Felix's felix.cfg (on a host: /etc/calico/felix.cfg). */
  felix: SourceFile[];
}

/** The programs that apply sysctl files on a host. */
export type SysctlReader = 'procps' | 'systemd';

/**
 * Host sysctl files in application order (procps `--system`, matching
 * systemd-sysctl): `*.conf` in /etc/sysctl.d, /run/sysctl.d,
 * /usr/local/lib/sysctl.d, /usr/lib/sysctl.d, /lib/sysctl.d; a file name seen
 * in an earlier directory masks the same name in later ones; all sorted by
 * file name; /etc/sysctl.conf last. systemd-sysctl (`reader` 'systemd',
 * Debian's split-usr build, which also reads /lib/sysctl.d) applies the same
 * files in the same order but not /etc/sysctl.conf.
 */
export function orderHostSysctlFiles(files: SourceFile[], masked: string[] = [], reader: SysctlReader = 'procps'): SourceFile[] {
  const dirs = ['/etc/sysctl.d/', '/run/sysctl.d/', '/usr/local/lib/sysctl.d/', '/usr/lib/sysctl.d/', '/lib/sysctl.d/'];
  const byName = new Map<string, SourceFile | null>();
  let main: SourceFile | undefined;
  const rest: SourceFile[] = [];
  for (const dir of dirs) {
    for (const m of masked) if (m.startsWith(dir) && !byName.has(m.slice(dir.length))) byName.set(m.slice(dir.length), null);
    for (const f of files) {
      for (const hp of [f.hostPath ?? '', ...(f.linkedFrom ?? [])]) {
        if (!hp.startsWith(dir)) continue;
        const name = hp.slice(dir.length);
        if (name.includes('/') || !name.endsWith('.conf')) continue;
        if (!byName.has(name)) byName.set(name, f);
      }
    }
  }
  const placed = new Set([...byName.values()]);
  for (const f of files) {
    if (f.hostPath === '/etc/sysctl.conf') {
      // systemd-sysctl reads it only through a sysctl.d link (99-sysctl.conf -> ../sysctl.conf).
      if (!placed.has(f) && reader === 'procps') main = f;
    } else if (!dirs.some((d) => (f.hostPath ?? '').startsWith(d))) rest.push(f);
  }
  const ordered = [...byName.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .flatMap(([, f]) => (f ? [f] : []));
  return [...rest, ...ordered, ...(main ? [main] : [])];
}

function kernelFact(release: string, evidence: Evidence): Fact<Kernel> {
  const v = semver.coerce(release);
  if (!v) return unknown(`kernel release \`${release}\` is not a version`);
  return { known: true, value: { release, version: v.version }, evidence: [evidence] };
}

function versionFact(what: string, version: string, evidence: Evidence): Fact<{ version: string }> {
  const v = semver.coerce(version);
  if (!v) return unknown(`${what} version \`${version}\` is not a version`);
  return { known: true, value: { version: v.version }, evidence: [evidence] };
}

function fromConfig<T>(fact: ConfigFact<T> | undefined, hint: string): Fact<T> {
  return fact ? { known: true, value: fact.value, evidence: [fact.evidence] } : unknown(hint);
}

function unknown(hint: string): { known: false; hint: string } {
  return { known: false, hint };
}

/** A position `length` characters long, `lead` characters into a single-line position. */
function shift(p: Position, lead: number, length: number): Position {
  return {
    start: { line: p.start.line, column: p.start.column + lead, offset: (p.start.offset ?? 0) + lead },
    end: { line: p.start.line, column: p.start.column + lead + length, offset: (p.start.offset ?? 0) + lead + length },
  };
}

/** True when the kernel is known and older than `version` (e.g. `4.12.0`). */
export function kernelBefore(k: Fact<Kernel>, version: string): boolean | undefined {
  return k.known ? semver.lt(k.value.version, version) : undefined;
}

/** The first line of a text, without leading and trailing blanks and tabs. */
function firstLineTrimmed(text: string): string {
  let end = 0;
  while (end < text.length && text[end] !== '\n' && text[end] !== '\r') end++;
  let a = 0;
  let b = end;
  while (a < b && (text[a] === ' ' || text[a] === '\t')) a++;
  while (b > a && (text[b - 1] === ' ' || text[b - 1] === '\t')) b--;
  return text.slice(a, b);
}

/** `-A CHAIN … -j MASQUERADE …` (an iptables-save rule), by tokens: the regex for it was quadratic. */
function isMasqueradeRule(line: string): boolean {
  const tokens = line.trim().split(/\s+/);
  if (tokens[0] !== '-A' || tokens.length < 4) return false;
  for (let i = 2; i + 1 < tokens.length; i++) if (tokens[i] === '-j' && tokens[i + 1] === 'MASQUERADE') return true;
  return false;
}

/** A line that is only a kernel release (`uname -r`): [leading blanks, release], like `^(\s*)(\d+\.\d+\.\d+\S*)\s*$` without its quadratic backtracking. */
function bareRelease(line: string): [string, string, string] | null {
  const body = line.trim();
  if (body === '' || /\s/.test(body) || !/^\d+\.\d+\.\d+/.test(body)) return null;
  const lead = line.slice(0, line.indexOf(body));
  return [lead + body, lead, body];
}
