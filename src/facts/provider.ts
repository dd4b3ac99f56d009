/**
 * The contract of a fact provider (src/facts/<fact>.ts) and the view of a
 * scope that providers read. A provider declares the snapshot paths it reads
 * (the snapshot reader lists only those: src/engine/classify.ts derives its
 * path lists from the providers), computes its fact from a host snapshot and
 * from the configuration's `facts:`, and adds what cross-host joins need to the
 * host's summary. Facts are computed lazily, once per scope (`derive`).
 *
 * This module imports no scope implementation: src/engine/scope.ts implements
 * FactScope, and the providers (and src/calico/, src/cni/) depend only on this
 * interface, so there is no import cycle between the scope and them.
 */
import type { Config, ConfigFacts } from '../config/load.js';
import type { SysctlSet } from '../engine/sysctl-set.js';
import type { Evidence, Fact, LanguageId, Position, SourceFile } from '../types.js';

/** What a provider sees of a scope. */
export interface FactScope {
  readonly kind: 'host' | 'repository';
  /** Host name (snapshot directory name) or `(repository)`. */
  readonly name: string;
  /** Absolute snapshot root (host scopes). */
  readonly root: string | undefined;
  readonly files: SourceFile[];
  readonly config: Config;
  /** The parsed files of one language. */
  filesOf(language: LanguageId): SourceFile[];
  /** The file read at a host path of the snapshot. */
  hostFile(hostPath: string): SourceFile | undefined;
  /** The file at a host path, read lazily when it was not listed (`/proc/sys/...`); undefined when absent. */
  readHostPath(hostPath: string): SourceFile | undefined;
  /** Whether a host path exists in the snapshot: a file hostlint read, or a recorded marker. */
  hasHostPath(hostPath: string): boolean;
  /** Whether the snapshot reader recorded a marker path (SNAPSHOT_MARKERS). */
  hasMarker(hostPath: string): boolean;
  /** Display path of a host path of the snapshot (directory or archive member). */
  displayHostPath(hostPath: string): string;
  /** Path of the snapshot root relative to the working directory, for evidence without a file. */
  displayRoot(): string;
  /** Sysctl file sets: one per host, or one per file in the repository. */
  sysctlSets(): SysctlSet[];
  /** A value derived from the scope's files, computed once (until `--fix` changes a file). */
  derive<T>(key: string, f: () => T): T;
}

/** A fact provider: one file of src/facts/, registered in src/facts/index.ts. */
export interface FactProvider {
  /** The provider's name (its file name). */
  readonly id: string;
  /** Host paths it reads, as globs relative to the snapshot root (`*` is one path segment). */
  readonly paths?: readonly string[];
  /** Host paths whose presence it reads (the snapshot records which exist). */
  readonly markers?: readonly string[];
}

/** A provider of one entry of FactSet: from the snapshot and from the configuration. */
export interface FactSetProvider<K extends keyof FactSetValues> extends FactProvider {
  readonly key: K;
  /** The fact as a host scope knows it (its snapshot, with the configuration's `facts:` for its root as the fallback or the override). */
  host(scope: FactScope, config: ConfigFacts): Fact<FactSetValues[K]>;
  /** The fact in the repository scope, from the configuration's `facts:` for the file (or a join with the run's hosts). */
  repository(config: ConfigFacts, join: RunJoin): Fact<FactSetValues[K]>;
}

/**
 * The run's hosts for a join: iterable again and again, in host order, each
 * pass reading them anew (a fleet audit streams them back from a temporary
 * file: src/audit/spilled-hosts.ts), and how many there are. An array is one.
 * Keep from each host only what the join needs: holding on to the hosts
 * themselves holds the whole fleet in memory.
 */
export interface HostList<H> extends Iterable<H> {
  readonly length: number;
}

/** The run's hosts, for the repository scope's joins (H: the host summary, src/facts/summary.ts). */
export interface RunJoin<H extends HostFacts = HostFacts> {
  /** The summaries of the run's hosts (computed lazily): the only way to facts of other hosts. */
  hosts(): HostList<H>;
  /** Memoise a join per key. */
  derive<T>(key: string, f: () => T): T;
}

/** The part of a host summary that joins read. */
export interface HostFacts {
  name: string;
  facts: FactSet;
  cni?: { files: Array<{ cni?: string }> };
}

export interface Kernel {
  release: string;
  /** major.minor.patch, coerced from the release. */
  version: string;
}

export interface FactSetValues {
  kernel: Kernel;
  kubernetesNode: boolean;
  nat: boolean;
  physicalMtu: { mtu: number; iface?: string };
  /** procps-ng, whose `sysctl -p` / `sysctl --system` reads the sysctl files outside systemd-sysctl. */
  procps: { version: string };
}

/** Facts that hold for one file's host: each is known with evidence, or unknown with a hint. */
export type FactSet = { [K in keyof FactSetValues]: Fact<FactSetValues[K]> };

/** An unknown fact, with how to provide it. */
export function unknown(hint: string): { known: false; hint: string } {
  return { known: false, hint };
}

/** The fact the configuration asserts, else unknown. */
export function fromConfig<T>(fact: { value: T; evidence: Evidence } | undefined, hint: string): Fact<T> {
  return fact ? { known: true, value: fact.value, evidence: [fact.evidence] } : unknown(hint);
}

/** A position `length` characters long, `lead` characters into a single-line position. */
export function shift(p: Position, lead: number, length: number): Position {
  return {
    start: { line: p.start.line, column: p.start.column + lead, offset: (p.start.offset ?? 0) + lead },
    end: { line: p.start.line, column: p.start.column + lead + length, offset: (p.start.offset ?? 0) + lead + length },
  };
}
