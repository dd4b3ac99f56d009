/**
 * A fleet audit: every snapshot under the paths is a host, every other file
 * belongs to the repository scope (say, a `cluster/` folder of manifests).
 *
 * Hosts are linted one at a time in parallel worker threads (`tinypool`), or
 * in process with `concurrency: 1`. Each worker returns the host's results and
 * a small summary of its facts; the parsed trees stay in the worker and are
 * dropped with the task. Outcomes are handed to `onHost` in host order as soon
 * as they are ready (results stream out; at most a window of a few hosts per
 * thread is held), and each host's summary goes to a temporary file for the
 * joins (src/audit/spilled-hosts.ts: memory does not grow with the fleet). When
 * every host is done, the repository scope is linted in the main thread
 * against those summaries, streamed back: the cluster its manifests describe is
 * the run's Kubernetes nodes. The file is gone when the run ends.
 *
 * Nothing here knows about the command line or output formats.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Config } from '../config/load.js';
import { kubeDocumentSelector, runScopes } from '../engine/linter.js';
import { displayPath, loadPaths, type HostRef } from '../engine/load.js';
import { INTERNAL_ERROR } from '../engine/builtin.js';
import path from 'node:path';
import type { Rule } from '../engine/rule.js';
import type { LintReport, Severity } from '../types.js';
import { lintHost, type HostOutcome } from './host.js';
import type { HostTask } from './worker.js';
import { relativeToRoot, shardOf, type Shard } from './shard.js';
import { ORIGIN } from '../util/position.js';
import { SpilledHosts, summaryFromSections } from './spilled-hosts.js';
import type { HostSummary } from '../facts/summary.js';

export type { HostOutcome } from './host.js';

export interface AuditOptions {
  paths: string[];
  /** `--ignore-pattern` globs (relative to `cwd`); `.gitignore` files do not apply: an audit takes what it is given. */
  ignorePatterns?: string[];
  noIgnore?: boolean;
  cwd: string;
  config: Config;
  /** Absolute path of the configuration file (workers load it themselves). */
  configFile?: string;
  rules: Rule[];
  reportUnusedDisableDirectives?: Severity | 'off';
  toolVersion: string;
  /** Worker threads; 1 lints in process. Default: the number of cores. */
  concurrency?: number;
  /**
   * Milliseconds a worker may spend on one host before it is stopped and the
   * host gets an internal-error (default 120 s). Only worker threads can be
   * stopped: with `concurrency: 1` it does not apply.
   */
  hostTimeoutMs?: number;
  /** Called once per host, in host order, as soon as its outcome is ready. */
  onHost: (outcome: HostOutcome) => void;
  /** Called when the number of finished hosts changes. */
  onProgress?: (done: number, total: number) => void;
  /** Lint only this shard's hosts, and not the repository scope (that needs every host: `hostlint merge` does it). */
  shard?: Shard;
  /** Called once the hosts are found, before any is linted: what identifies the run. */
  onStart?: (run: RunIdentity) => void;
}

/** What the shards of one run have in common (NDJSON header `run`). */
export interface RunIdentity {
  /** Hosts found under the paths (all shards). */
  hosts: number;
  /** sha256 of the display paths of every host found and of the repository files with their digests. */
  fleet: string;
  /** The repository scope's files (the cluster's manifests), relative to the working directory, with the sha256 of their text. */
  repository: Array<{ file: string; sha256: string }>;
}

export interface AuditRun {
  /** Paths given that do not exist. */
  missing: string[];
  /** Hosts scanned (snapshots found and read). */
  hostCount: number;
  /** The repository scope's report (its files, the load diagnostics outside hosts); in a sharded run only the load diagnostics, in shard 0. */
  repository: LintReport;
}

export const DEFAULT_HOST_TIMEOUT_MS = 120_000;

export function defaultConcurrency(): number {
  // Taken here, not imported: a lint of named files does not load `os` (bundle.test.ts).
  const os = process.getBuiltinModule('node:os');
  return Math.max(1, typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length);
}

/**
 * The worker module: bin/audit-worker.cjs, which loads the bundled CLI
 * (dist/hostlint.cjs, one file with its V8 code cache) when the build made
 * it; else the unbundled dist/src/audit/worker.js (found beside this module,
 * or in dist/ when running from sources).
 */
export function workerFile(): string | undefined {
  for (const dist of [new URL('../../', import.meta.url), new URL('../../dist/', import.meta.url)]) {
    const bundled = fileURLToPath(new URL('hostlint.cjs', dist));
    const entry = fileURLToPath(new URL('../bin/audit-worker.cjs', dist));
    if (existsSync(bundled) && existsSync(entry)) return entry;
  }
  const candidates = [new URL('./worker.js', import.meta.url), new URL('../../dist/src/audit/worker.js', import.meta.url)];
  for (const c of candidates) {
    const file = fileURLToPath(c);
    if (existsSync(file)) return file;
  }
  return undefined;
}

/**
 * The young generation of each audit worker's heap, in MiB (V8's default is
 * 16 MiB per semi-space, 48 MiB in all). A host's files, trees and facts live
 * while it is linted and die together after: with room for them in the young
 * generation they die there, instead of being copied twice and promoted to the
 * old generation that a full collection must then clean. Measured on a
 * 1,000-host fleet with two threads: about 35% less CPU on a loaded machine
 * before the parsers allocated less; about 4% less on an idle one after, at
 * the same peak RSS.
 */
const WORKER_YOUNG_GENERATION_MB = 192;

/** A host whose linting failed: an internal-error result in its place, and the audit goes on. */
function crashed(ref: HostRef, cwd: string, error: unknown): HostOutcome {
  const file = ref.kind === 'directory' ? ref.root : ref.file;
  const shown = displayPath(cwd, file);
  const host = path.basename(file);
  const message = `Linting host ${host} failed: ${error instanceof Error ? error.message : String(error)}`;
  return {
    isHost: true,
    host,
    path: shown,
    form: ref.kind === 'archive' ? 'archive' : 'directory',
    files: [{ path: shown, host, results: [{ ruleId: INTERNAL_ERROR, severity: 'error', message, file: shown, position: ORIGIN, related: [], host }] }],
    fileCount: 1,
    ruleIds: [INTERNAL_ERROR],
    errorCount: 1,
    warningCount: 0,
    noteCount: 0,
    kubernetesNode: null,
    kernel: null,
  };
}

export async function runAudit(options: AuditOptions): Promise<AuditRun> {
  // Every host's summary, for the joins of the repository scope (a shard leaves those to `merge`).
  const cluster = options.shard ? undefined : new SpilledHosts();
  try {
    return await audit(options, cluster);
  } finally {
    cluster?.close();
  }
}

async function audit(options: AuditOptions, cluster: SpilledHosts | undefined): Promise<AuditRun> {
  const { cwd, config } = options;
  const unused = options.reportUnusedDisableDirectives ?? 'off';
  // The cluster's manifests parse only the documents of the kinds enabled rules read, as in `lint`.
  const kubeDocuments = kubeDocumentSelector(options.rules, config);
  const loaded = loadPaths(options.paths, { cwd, config, deferHosts: true, gitignore: false, ignorePatterns: options.ignorePatterns ?? [], noIgnore: options.noIgnore ?? false, ...(kubeDocuments ? { kubeDocuments } : {}) });
  const repositoryScopes = loaded.scopes.filter((s) => s.kind === 'repository');
  const all = loaded.hosts;
  const refFile = (r: HostRef) => (r.kind === 'directory' ? r.root : r.file);
  const { createHash } = process.getBuiltinModule('node:crypto');
  const digest = (text: string) => createHash('sha256').update(text).digest('hex');
  const repositoryFiles = repositoryScopes.flatMap((s) => s.files.map((f) => ({ file: f.path, sha256: digest(f.text) })));
  const fleet = createHash('sha256');
  for (const r of all) fleet.update(`host\0${displayPath(cwd, refFile(r))}\0`);
  for (const f of repositoryFiles) fleet.update(`file\0${f.file}\0${f.sha256}\0`);
  options.onStart?.({ hosts: all.length, fleet: fleet.digest('hex'), repository: repositoryFiles });
  const roots = options.paths.map((p) => path.resolve(cwd, p));
  const shard = options.shard;
  const indexed = all.map((ref, index) => ({ ref, index }));
  const mine = shard ? indexed.filter(({ ref }) => shardOf(relativeToRoot(refFile(ref), roots), shard.count) === shard.index) : indexed;
  const refs = mine.map((m) => m.ref);
  let hostCount = 0;
  let done = 0;
  options.onProgress?.(0, refs.length);

  const accept = (outcome: HostOutcome, index: number) => {
    if (!outcome.isHost) return;
    hostCount++;
    outcome.index = index;
    // From a worker, the summary comes as its spilled text: an object only if the output asks for it (NDJSON).
    const sections = outcome.summarySections;
    delete outcome.summarySections;
    if (sections) {
      let summary: HostSummary | undefined;
      Object.defineProperty(outcome, 'summary', { get: () => (summary ??= summaryFromSections(sections)), enumerable: true, configurable: true });
    }
    options.onHost(outcome);
    if (sections) cluster?.addSections(sections);
    else if (outcome.summary) cluster?.add(outcome.summary);
    delete outcome.summary;
  };

  const concurrency = Math.max(1, Math.floor(options.concurrency ?? defaultConcurrency()));
  const ruleIds = options.rules.map((r) => r.meta.id);
  const task = (ref: HostRef): HostTask => ({
    ref,
    cwd,
    ...(options.configFile ? { configFile: options.configFile } : {}),
    reportUnusedDisableDirectives: unused,
    toolVersion: options.toolVersion,
    summarize: true,
    ruleIds,
  });

  if (concurrency === 1 || refs.length <= 1) {
    for (const [i, ref] of refs.entries()) {
      accept(
        await lintHost(ref, { cwd, config, rules: options.rules, reportUnusedDisableDirectives: unused, toolVersion: options.toolVersion, summarize: true }).catch((error) =>
          crashed(ref, cwd, error),
        ),
        mine[i]!.index,
      );
      options.onProgress?.(++done, refs.length);
      // Let the event loop run between hosts: signals (Ctrl-C) and stdout errors are handled now, not at the end.
      await new Promise((resolve) => setImmediate(resolve));
    }
  } else {
    const filename = workerFile();
    if (!filename) throw new Error('the audit worker (dist/src/audit/worker.js) is missing: run `npm run build`, or use --concurrency 1');
    const { Tinypool } = await import('tinypool');
    const threads = Math.min(concurrency, refs.length);
    const timeoutMs = options.hostTimeoutMs ?? DEFAULT_HOST_TIMEOUT_MS;
    // Workers start without the process's Node options (some, like --input-type or
    // --expose-gc, are refused by worker threads).
    const execArgv: string[] = [];
    const pool = new Tinypool({ filename, minThreads: threads, maxThreads: threads, idleTimeout: 1000, execArgv, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } });
    try {
      // In host order, with at most `window` hosts in flight or waiting to be emitted.
      const window = threads * 4;
      const pending = new Map<number, Promise<HostOutcome>>();
      let next = 0;
      const launch = () => {
        while (next < refs.length && pending.size < window) {
          const i = next++;
          const ref = refs[i]!;
          // A worker that crashes (exits, throws outside the task) rejects its task; one
          // that hangs is stopped at the timeout. Either way only this host is lost.
          const abort = new AbortController();
          const timer = setTimeout(() => abort.abort(), timeoutMs);
          const p = (pool.run(task(ref), { signal: abort.signal }) as Promise<HostOutcome>)
            .catch((error) =>
              crashed(ref, cwd, abort.signal.aborted ? new Error(`it did not finish within ${timeoutMs / 1000} s (the per-host timeout, --host-timeout); its worker was stopped`) : error),
            )
            .finally(() => clearTimeout(timer));
          p.then(
            () => options.onProgress?.(++done, refs.length),
            () => undefined,
          );
          pending.set(i, p);
        }
      };
      launch();
      for (let i = 0; i < refs.length; i++) {
        const outcome = await pending.get(i)!;
        pending.delete(i);
        launch();
        accept(outcome, mine[i]!.index);
      }
    } finally {
      await pool.destroy();
    }
  }

  // A shard leaves the repository scope to `merge`; shard 0 reports the load diagnostics outside hosts.
  const repository = runScopes(shard ? [] : repositoryScopes, shard && shard.index !== 0 ? [] : loaded.diagnostics, {
    config,
    rules: options.rules,
    cwd,
    reportUnusedDisableDirectives: unused,
    toolVersion: options.toolVersion,
    ...(cluster ? { cluster } : {}),
  });
  return { missing: loaded.missing, hostCount, repository };
}
