/**
 * Sysctl files applied together: the effective value of each key, the
 * assignments it shadows, and the host's application order of its files
 * (procps `sysctl --system`, systemd-sysctl).
 */
import { sysctlGlob } from '../util/glob.js';
import type { Position, SourceFile, SysctlAssignmentNode, SysctlRoot } from '../types.js';

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

/** A live value of a key (`sysctl -a` output, `/proc/sys`). */
export interface LiveValue {
  key: string;
  value: string;
  file: SourceFile;
  position: Position;
}

/** The programs that apply sysctl files on a host. */
export type SysctlReader = 'procps' | 'systemd';

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
    const take = (f: SourceFile, hp: string) => {
      if (!hp.startsWith(dir)) return;
      const name = hp.slice(dir.length);
      if (name.includes('/') || !name.endsWith('.conf')) return;
      if (!byName.has(name)) byName.set(name, f);
    };
    for (const f of files) {
      take(f, f.hostPath ?? '');
      if (f.linkedFrom) for (const hp of f.linkedFrom) take(f, hp);
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
