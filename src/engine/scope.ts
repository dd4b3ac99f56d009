/**
 * Scopes: the files that belong together, their sysctl sets, and their facts.
 *
 * A host scope is one snapshot: its files stand for one machine, so sysctl
 * files combine by the real precedence and facts come from the snapshot (with
 * the configuration's facts for the snapshot's path as the fallback). The
 * repository scope is every file not inside a snapshot: each sysctl or resolv
 * file there stands on its own, and facts come from the configuration, per
 * path. A run holds many host scopes and one repository scope; the repository
 * scope draws facts from the run's hosts through their summaries (`join`),
 * whether they were linted in this process or in a fleet audit's workers.
 *
 * Each fact has its provider in src/facts/; this class only holds the files
 * and what providers need to read them.
 */
import type { Config } from '../config/load.js';
import { hostFacts, repositoryFacts } from '../facts/index.js';
import type { FactScope, FactSet, HostList, RunJoin } from '../facts/provider.js';
import { summarizeHost, type HostSummary } from '../facts/summary.js';
import { tuned } from '../facts/tuned.js';
import type { LanguageId, SourceFile } from '../types.js';
import { orderHostSysctlFiles, SysctlSet, type SysctlReader } from './sysctl-set.js';

export { orderHostSysctlFiles, SysctlSet, type EffectiveSetting, type LiveValue, type SysctlEntry, type SysctlReader } from './sysctl-set.js';
export { summarizeHost, type HostSummary } from '../facts/summary.js';
export type { SysctlSummary } from '../facts/sysctl.js';
export type { FactSet, HostList, Kernel } from '../facts/provider.js';
export type { NetInterface } from '../facts/interfaces.js';
export type { CalicoSet } from '../calico/cluster.js';

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

/** The run's hosts as summaries, for a scope's joins. */
export interface RunHosts {
  /** The hosts (computed on first use). */
  hosts(): HostList<HostSummary>;
  /** The run's repository scopes (a host's rule may defer to the cluster's manifests there). */
  repositories: readonly Scope[];
}

/**
 * The hosts of a run as summaries: given (linted elsewhere: a fleet audit's
 * workers, `merge`), or summarised from the run's host scopes on first use.
 */
export function runHosts(scopes: readonly Scope[], given?: HostList<HostSummary>): RunHosts {
  let hosts: HostList<HostSummary> | undefined = given;
  return {
    hosts: () => (hosts ??= scopes.filter((s) => s.kind === 'host').map((s) => summarizeHost(s))),
    repositories: scopes.filter((s) => s.kind === 'repository'),
  };
}

/**
 * What rules see of a scope (rule-api.ts exports it as `Scope`): its files and
 * sysctl sets, its facts, and the run's hosts for joins; not the engine's
 * handles (joinRun, invalidate).
 */
export type RuleScope = FactScope & Pick<Scope, 'facts' | 'hostSysctlSet' | 'join' | 'repositories'>;

const NO_HOSTS: RunHosts = { hosts: () => [], repositories: [] };

export class Scope implements FactScope {
  readonly kind: 'host' | 'repository';
  readonly name: string;
  readonly root: string | undefined;
  readonly files: SourceFile[];
  readonly config: Config;
  private run: RunHosts = NO_HOSTS;
  private readonly displayHostPathFn: ScopeInit['display'];
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
    this.displayHostPathFn = init.display;
  }

  /** Join this scope with the run (set by the engine): the run's hosts as summaries. */
  joinRun(run: RunHosts): void {
    this.run = run;
  }

  /** The run's hosts, for cross-host joins. */
  readonly join: RunJoin<HostSummary> = {
    hosts: () => this.run.hosts(),
    derive: (key, f) => this.memo(`join:${key}`, f),
  };

  /** The run's repository scopes. */
  repositories(): readonly RuleScope[] {
    return this.run.repositories;
  }

  /** Forget every derived fact (after `--fix` changed a file's text and tree). */
  invalidate(): void {
    this.cache.clear();
  }

  private memo<T>(key: string, f: () => T): T {
    if (!this.cache.has(key)) this.cache.set(key, f());
    return this.cache.get(key) as T;
  }

  /**
   * A value derived from this scope's files, computed once (until `--fix`
   * changes a file): the facts of src/facts/ and the models several rules
   * or scopes read.
   */
  derive<T>(key: string, f: () => T): T {
    return this.memo(`derived:${key}`, f);
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

  readHostPath(hostPath: string): SourceFile | undefined {
    return this.hostFile(hostPath) ?? this.readHostFile?.(hostPath);
  }

  hasMarker(hostPath: string): boolean {
    return this.markers.has(hostPath);
  }

  /** Whether a host path exists in the snapshot: a file hostlint read, or a recorded marker directory. */
  hasHostPath(hostPath: string): boolean {
    if (this.markers.has(hostPath)) return true;
    const dir = hostPath.endsWith('/') ? hostPath : `${hostPath}/`;
    return this.files.some((f) => f.hostPath === hostPath || (f.hostPath ?? '').startsWith(dir) || (f.linkedFrom ?? []).some((l) => l === hostPath || l.startsWith(dir)));
  }

  displayHostPath(hostPath: string): string {
    return this.displayHostPathFn ? this.displayHostPathFn(hostPath) : `${this.displayRoot()}${hostPath}`;
  }

  /** Path of the snapshot root relative to the working directory, for evidence without a file. */
  displayRoot(): string {
    const any = this.files.find((f) => f.hostPath);
    if (any && any.hostPath) return any.path.slice(0, any.path.length - any.hostPath.length);
    return this.name;
  }

  /** Sysctl file sets: one per host, or one per file in the repository. */
  sysctlSets(): SysctlSet[] {
    return this.memo('sysctlSets', () => {
      const files = this.filesOf('sysctl');
      if (this.kind === 'repository') return files.map((f) => new SysctlSet([f]));
      const ordered = orderHostSysctlFiles(files, this.masked);
      // tuned's profile: after the sysctl files, or before them when tuned re-applies them (the default).
      const profile = tuned(this);
      const all = profile ? (profile.reapply ? [...profile.files, ...ordered] : [...ordered, ...profile.files]) : ordered;
      return all.length ? [new SysctlSet(all)] : [];
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
      return new SysctlSet(files, reader);
    });
  }

  /** Facts for a file of this scope (or for the scope as a whole). */
  facts(file?: SourceFile): FactSet {
    const key = `facts:${this.kind === 'host' ? '' : (file?.absolutePath ?? '')}`;
    return this.memo(key, () => {
      const configFacts = this.config.factsFor(this.kind === 'host' ? this.root : file?.absolutePath);
      return this.kind === 'host' ? hostFacts(this, configFacts) : repositoryFacts(configFacts, this.join);
    });
  }
}
