/**
 * Linting one host of a fleet: load its snapshot (directory or archive), run
 * every rule over its scope, and keep only what the run needs afterwards —
 * its results, a few counts and a small, serialisable summary of its facts
 * for the joins of the repository scope. The parsed trees are dropped when
 * this returns, so memory does not grow with the number of hosts.
 */
import path from 'node:path';
import type { Config } from '../config/load.js';
import { runScopes } from '../engine/linter.js';
import { displayPath, loadHost, type HostRef } from '../engine/load.js';
import type { Rule } from '../engine/rule.js';
import { summarizeHost, type HostSummary } from '../engine/scope.js';
import { archiveSuffix } from '../engine/archive.js';
import type { FileReport, Severity } from '../types.js';
import { lintedFileCount } from '../engine/baseline.js';

export interface HostLintOptions {
  cwd: string;
  config: Config;
  rules: Rule[];
  reportUnusedDisableDirectives: Severity | 'off';
  toolVersion: string;
  /** Keep the fact summary (for the joins of the repository scope, fleet rules and NDJSON `host` records). */
  summarize: boolean;
}

/** One host's outcome: plain data (it crosses from a worker to the main thread). */
export interface HostOutcome {
  /** False for an archive found by walking that holds no snapshot (not a host; nothing to report). */
  isHost: boolean;
  host: string;
  /** The snapshot directory or archive, relative to the working directory. */
  path: string;
  form: 'directory' | 'sosreport' | 'archive';
  /** Results by file, in the engine's order (fingerprinted; suppressed ones marked). */
  files: FileReport[];
  /** Files linted (with or without results). */
  fileCount: number;
  /** Ids of the rules and built-in diagnostics the run used for this host. */
  ruleIds: string[];
  errorCount: number;
  warningCount: number;
  noteCount: number;
  kubernetesNode: boolean | null;
  kernel: string | null;
  /** Facts the repository scope and fleet rules join with (when asked for). */
  summary?: HostSummary;
  /** The summary as JSON sections (`summarySections`), in its place, from a worker thread. */
  summarySections?: string[];
  /** The host's position among all hosts of the run (a sharded run's hosts keep theirs, so `merge` restores the order). */
  index?: number;
}

export async function lintHost(ref: HostRef, options: HostLintOptions): Promise<HostOutcome> {
  const { cwd, config } = options;
  const file = ref.kind === 'directory' ? ref.root : ref.file;
  const base = path.basename(file);
  const fallbackName = ref.kind === 'archive' ? base.slice(0, base.length - (archiveSuffix(base)?.length ?? 0)) : base;
  const loaded = await loadHost(ref, { cwd, config });
  const scopes = loaded.scope ? [loaded.scope] : [];
  const host = loaded.scope?.name ?? fallbackName;
  for (const d of loaded.diagnostics) d.host ??= host;
  const report = runScopes(scopes, loaded.diagnostics, {
    config,
    rules: options.rules,
    cwd,
    reportUnusedDisableDirectives: options.reportUnusedDisableDirectives,
    toolVersion: options.toolVersion,
  });
  for (const f of report.files) {
    f.host ??= host;
    for (const r of f.results) r.host ??= host;
  }
  const facts = loaded.scope?.facts();
  const kubernetesNode = facts?.kubernetesNode.known ? facts.kubernetesNode.value : null;
  const outcome: HostOutcome = {
    isHost: loaded.scope !== undefined || report.files.length > 0,
    host,
    path: displayPath(cwd, file),
    form: loaded.snapshot?.form ?? (ref.kind === 'archive' ? 'archive' : 'directory'),
    files: report.files,
    fileCount: lintedFileCount(report),
    ruleIds: report.rules.map((r) => r.id),
    errorCount: report.errorCount,
    warningCount: report.warningCount,
    noteCount: report.noteCount,
    kubernetesNode,
    kernel: facts?.kernel.known ? facts.kernel.value.release : null,
  };
  if (options.summarize && loaded.scope) outcome.summary = summarizeHost(loaded.scope);
  return outcome;
}
