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
import { getScalar } from '../parsers/data-tree.js';
import type { Config, ConfigFact, ConfigFacts } from '../config/load.js';
import type {
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

  constructor(
    readonly scope: Scope,
    /** Files in application order. */
    readonly files: SourceFile[],
  ) {
    for (const file of files) {
      const tree = file.parsed?.tree as SysctlRoot | undefined;
      if (!tree) continue;
      for (const node of tree.children) {
        if (node.type !== 'assignment') continue;
        if (node.key.glob) {
          this.globs.push({ file, node });
          continue;
        }
        const key = node.key.name;
        const prev = this.explicit.get(key);
        const shadowed = prev ? [...prev.shadowed, { file: prev.file, node: prev.node }] : [];
        this.explicit.set(key, { key, value: node.value.value, file, node, shadowed });
      }
    }
  }

  /** The effective configured value of `key` (explicit assignments beat globs), if any file sets it. */
  effective(key: string): EffectiveSetting | undefined {
    const hit = this.explicit.get(key);
    if (hit) return hit;
    for (let i = this.globs.length - 1; i >= 0; i--) {
      const g = this.globs[i]!;
      if (globToRegExp(g.node.key.name).test(key)) return { key, value: g.node.value.value, file: g.file, node: g.node, shadowed: [] };
    }
    return undefined;
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

function globToRegExp(glob: string): RegExp {
  let re = '';
  for (const c of glob) {
    if (c === '*') re += '[^.]*';
    else if (c === '?') re += '[^.]';
    else re += c.replace(/[.+^${}()|\\/]/g, '\\$&');
  }
  try {
    return new RegExp(`^${re}$`);
  } catch {
    return /$^/;
  }
}

/** Facts that hold for one file's host: each is known with evidence, or unknown with a hint. */
export interface FactSet {
  kernel: Fact<Kernel>;
  kubernetesNode: Fact<boolean>;
  nat: Fact<boolean>;
  physicalMtu: Fact<{ mtu: number; iface?: string }>;
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
}

export class Scope {
  readonly kind: 'host' | 'repository';
  readonly name: string;
  readonly root: string | undefined;
  readonly files: SourceFile[];
  readonly config: Config;
  /** The run's other scopes (set by the engine), for joins across scopes. */
  run: Scope[] = [];
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
  }

  private memo<T>(key: string, f: () => T): T {
    if (!this.cache.has(key)) this.cache.set(key, f());
    return this.cache.get(key) as T;
  }

  filesOf(language: LanguageId): SourceFile[] {
    return this.files.filter((f) => f.language === language && f.parsed);
  }

  hostFile(hostPath: string): SourceFile | undefined {
    return this.files.find((f) => f.hostPath === hostPath);
  }

  /** Sysctl file sets: one per host, or one per file in the repository. */
  sysctlSets(): SysctlSet[] {
    return this.memo('sysctlSets', () => {
      const files = this.filesOf('sysctl');
      if (this.kind === 'repository') return files.map((f) => new SysctlSet(this, [f]));
      return files.length ? [new SysctlSet(this, orderHostSysctlFiles(files, this.masked))] : [];
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
    const m = /^[ \t]*(.*?)[ \t]*(?:\r?\n|\r|$)/.exec(file.text)!;
    const start = file.text.indexOf(m[1]!);
    return {
      key,
      value: m[1]!.replace(/\s+/g, ' '),
      file,
      position: {
        start: { line: 1, column: start + 1, offset: start },
        end: { line: 1, column: start + m[1]!.length + 1, offset: start + m[1]!.length },
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
        : this.clusterPhysicalMtu(),
    };
  }

  /** The smallest physical MTU among the run's Kubernetes-node hosts: the cluster the manifests describe. */
  private clusterPhysicalMtu(): Fact<{ mtu: number; iface?: string }> {
    let best: { mtu: number; iface: string; evidence: Evidence[] } | undefined;
    for (const host of this.run) {
      if (host.kind !== 'host') continue;
      const f = host.facts();
      if (!(f.kubernetesNode.known && f.kubernetesNode.value) || !f.physicalMtu.known) continue;
      if (!best || f.physicalMtu.value.mtu < best.mtu) {
        best = { mtu: f.physicalMtu.value.mtu, iface: f.physicalMtu.value.iface ?? '', evidence: f.physicalMtu.evidence };
      }
    }
    if (best) return { known: true, value: { mtu: best.mtu, iface: best.iface }, evidence: best.evidence };
    return unknown('set `facts.physicalMtu` in .hostlint.yaml, or lint the manifests together with a Kubernetes node snapshot');
  }

  private hostFacts(c: ConfigFacts): FactSet {
    return {
      kernel: this.hostKernel() ?? (c.kernel ? kernelFact(c.kernel.value, c.kernel.evidence) : unknown(`add \`proc/sys/kernel/osrelease\` or \`sos_commands/kernel/uname_-a\` to the snapshot of ${this.name}, or set \`facts.kernel\``)),
      kubernetesNode: this.hostKubernetesNode() ?? fromConfig(c.kubernetesNode, `set \`facts.kubernetesNode\` for ${this.name}`),
      nat: fromConfig(c.nat, `set \`facts.nat\` for ${this.name}`),
      physicalMtu: this.hostPhysicalMtu(c),
    };
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
        const m = /^(Linux\s+\S+\s+)(\d+\.\d+\S*)/.exec(line.value);
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
        return { known: true, value: true, evidence: [{ file: `${this.displayRoot()}${marker}`, message: `\`${marker}\` exists on ${this.name}` }] };
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

  /** Network interfaces of the host, from `/sys/class/net` or `ip link` output. */
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
        if (tree.factKind === 'ip-link') {
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
        if (node && typeof node.value === 'string' && node.value !== '') {
          return { value: node.value, evidence: { file: cfg!.path, position: node.position, message: `kubelet resolvConf: ${node.value}` } };
        }
      }
      return { value: '/etc/resolv.conf' };
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
        if ((f.language !== 'kube' && f.language !== 'cni') || !f.parsed) continue;
        const key = this.kind === 'host' ? '' : f.path.slice(0, f.path.lastIndexOf('/') + 1);
        const list = groups.get(key) ?? [];
        list.push(f);
        groups.set(key, list);
      }
      return [...groups.values()].map((files) => {
        const kube = files.filter((f) => f.language === 'kube');
        const view = buildCalicoView(
          kube.map((f) => ({ path: f.path, tree: f.parsed!.tree as KubeRoot })),
          (p) => kube.find((f) => f.path === p)?.text ?? '',
        );
        return { view, kube, cni: files.filter((f) => f.language === 'cni') };
      });
    });
  }
}

/** Calico objects and CNI conflists that describe one cluster (or one host). */
export interface CalicoSet {
  view: CalicoView;
  kube: SourceFile[];
  cni: SourceFile[];
}

/**
 * Host sysctl files in application order (procps `--system`, matching
 * systemd-sysctl): `*.conf` in /etc/sysctl.d, /run/sysctl.d,
 * /usr/local/lib/sysctl.d, /usr/lib/sysctl.d, /lib/sysctl.d; a file name seen
 * in an earlier directory masks the same name in later ones; all sorted by
 * file name; /etc/sysctl.conf last.
 */
export function orderHostSysctlFiles(files: SourceFile[], masked: string[] = []): SourceFile[] {
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
      if (!placed.has(f)) main = f;
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
