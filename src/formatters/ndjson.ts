/**
 * hostlint NDJSON, format version 1: one JSON object per line, for streams,
 * log pipelines and the shards of a fleet audit that `hostlint merge` joins.
 * The schema is `schemas/ndjson-v1.schema.json`; fields are only ever added
 * within a version.
 *
 *   {"type":"header","format":"hostlint-ndjson","formatVersion":1,
 *    "tool":{"name":"hostlint","version":"0.1.0"},"command":"audit",
 *    "configDigest":"sha256:…","shard":{"index":0,"count":8},
 *    "options":{"reportUnusedDisableDirectives":"off"},
 *    "run":{"hosts":1000,"fleet":"…","repository":[{"file":"cluster/calico.yaml","sha256":"…"}]}}
 *   {"type":"result", …the JSON format's result (with "host" in a snapshot)…, "snippet":"…"}
 *   {"type":"host","host":"node01","path":"fleet/node01","form":"directory","role":"kubernetes-node",
 *    "kubernetesNode":true,"kernel":"5.4.0-150-generic","errorCount":1,"warningCount":2,"noteCount":0,
 *    "index":17,"summary":{…the facts joins and fleet rules need…}}
 *   {"type":"trailer","files":7,"errorCount":3,"warningCount":2,"noteCount":0,"hosts":4,"hostsWithErrors":2,"rules":["…"]}
 *
 * In an audit a host's results come right before its `host` record, written
 * as soon as the host is done; the repository's results (no `host`) come after
 * the last host. A file without its trailer is incomplete. Unlike `json`,
 * suppressed results are always written (with `suppressions`): the counts
 * leave them out, and `merge` decides what to show. A result also carries
 * what a later formatter needs that `json` leaves out: the flagged line's text
 * (`snippet`, unless `--no-snippets`), the positions of its fix's edits and
 * of a suppressing directive.
 */
import type { HostOutcome } from '../audit/host.js';
import type { RunIdentity } from '../audit/run.js';
import type { Shard } from '../audit/shard.js';
import type { FileReport, FleetHost, LintReport, Location, Position, Result, RuleMeta, Severity } from '../types.js';
import type { FleetSummary, AuditWriter } from './audit.js';
import { toJsonResult, type JsonResult } from './json.js';
import { countResults, type FormatOptions } from './shared.js';
import type { HostSummary } from '../engine/scope.js';

export const NDJSON_FORMAT = 'hostlint-ndjson';
export const NDJSON_FORMAT_VERSION = 1;

export interface NdjsonRange {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface NdjsonHeader {
  type: 'header';
  format: typeof NDJSON_FORMAT;
  formatVersion: 1;
  tool: { name: 'hostlint'; version: string };
  command: 'lint' | 'audit' | 'merge';
  /** `sha256:<hex>` of the configuration file's bytes, or `none` without one. */
  configDigest: string;
  shard: Shard | null;
  options: { reportUnusedDisableDirectives: Severity | 'off' };
  /** What identifies the run (audit, merge). */
  run?: RunIdentity;
}

export type NdjsonResult = { type: 'result' } & Omit<JsonResult, 'fix' | 'suppressions'> & {
  snippet?: string;
  fix?: { description?: string; edits: Array<{ range: [number, number]; text: string; position?: NdjsonRange }> };
  suppressions?: Array<{ kind: 'inSource' | 'external'; justification?: string; location?: NdjsonRange & { file: string } }>;
};

export type NdjsonHost = { type: 'host' } & FleetHost & { index?: number; files?: number; summary?: HostSummary };

export interface NdjsonTrailer {
  type: 'trailer';
  files: number;
  errorCount: number;
  warningCount: number;
  noteCount: number;
  hosts: number;
  hostsWithErrors: number;
  /** Ids of the rules (and built-in diagnostics) the run used. */
  rules: string[];
}

export type NdjsonRecord = NdjsonHeader | NdjsonResult | NdjsonHost | NdjsonTrailer;

/** What the header says beyond the tool: given by the command. */
export interface NdjsonRunInfo {
  command: NdjsonHeader['command'];
  configDigest: string;
  shard: Shard | null;
  reportUnusedDisableDirectives: Severity | 'off';
  run?: RunIdentity;
}

function range(p: Position): NdjsonRange {
  return { line: p.start.line, column: p.start.column, endLine: p.end.line, endColumn: p.end.column };
}

function position(r: NdjsonRange): Position {
  return { start: { line: r.line, column: r.column }, end: { line: r.endLine, column: r.endColumn } };
}

export function header(toolVersion: string, info: NdjsonRunInfo | undefined): NdjsonHeader {
  return {
    type: 'header',
    format: NDJSON_FORMAT,
    formatVersion: NDJSON_FORMAT_VERSION,
    tool: { name: 'hostlint', version: toolVersion },
    command: info?.command ?? 'lint',
    configDigest: info?.configDigest ?? 'none',
    shard: info?.shard ?? null,
    options: { reportUnusedDisableDirectives: info?.reportUnusedDisableDirectives ?? 'off' },
    ...(info?.run ? { run: info.run } : {}),
  };
}

/** One result as an NDJSON record. */
export function toNdjsonResult(result: Result, fileHost: string | undefined): NdjsonResult {
  const { fix: _fix, suppressions: _suppressions, ...base } = toJsonResult(result, fileHost);
  const out: NdjsonResult = { type: 'result', ...base };
  if (result.snippet !== undefined) out.snippet = result.snippet;
  if (result.fix) {
    out.fix = { ...(result.fix.description !== undefined ? { description: result.fix.description } : {}), edits: result.fix.edits.map((e) => ({ range: [e.range[0], e.range[1]], text: e.text, ...(e.position ? { position: range(e.position) } : {}) })) };
  }
  if (result.suppressions?.length) {
    out.suppressions = result.suppressions.map((s) => ({
      kind: s.kind,
      ...(s.justification !== undefined ? { justification: s.justification } : {}),
      ...(s.location ? { location: { file: s.location.file, ...range(s.location.position) } } : {}),
    }));
  }
  return out;
}

/** The result an NDJSON record describes (what `merge` formats). */
export function fromNdjsonResult(rec: NdjsonResult): Result {
  const out: Result = {
    ruleId: rec.ruleId,
    severity: rec.severity,
    message: rec.message,
    file: rec.file,
    position: position(rec),
    related: rec.related.map((l): Location => ({ file: l.file, position: position(l), ...(l.message !== '' ? { message: l.message } : {}) })),
  };
  if (rec.host !== undefined) out.host = rec.host;
  if (rec.fix) {
    out.fix = {
      ...(rec.fix.description !== undefined ? { description: rec.fix.description } : {}),
      edits: rec.fix.edits.map((e) => ({ range: [e.range[0], e.range[1]], text: e.text, ...(e.position ? { position: position(e.position) } : {}) })),
    };
  }
  if (rec.suppressions?.length) {
    out.suppressions = rec.suppressions.map((s) => ({
      kind: s.kind,
      ...(s.justification !== undefined ? { justification: s.justification } : {}),
      ...(s.location ? { location: { file: s.location.file, position: position(s.location) } } : {}),
    }));
  }
  if (rec.snippet !== undefined) out.snippet = rec.snippet;
  if (rec.fingerprint !== undefined) out.fingerprint = rec.fingerprint;
  if (rec.baselineState !== undefined) out.baselineState = rec.baselineState;
  return out;
}

const line = (record: NdjsonRecord) => JSON.stringify(record) + '\n';

function resultLines(files: FileReport[]): string {
  let out = '';
  for (const f of files) for (const r of f.results) out += line(toNdjsonResult(r, f.host));
  return out;
}

/** `--format ndjson` for a finished run (`lint`; any report). */
export function ndjson(report: LintReport, options: FormatOptions): string {
  let out = line(header(report.toolVersion, options.ndjson));
  out += resultLines(report.files);
  let hostsWithErrors = 0;
  for (const h of report.hosts ?? []) {
    if (h.errorCount > 0) hostsWithErrors++;
    out += line({ type: 'host', ...h });
  }
  const rules = new Set(report.rules.map((r) => r.id));
  for (const f of report.files) for (const r of f.results) rules.add(r.ruleId);
  out += line({ type: 'trailer', files: report.files.length, ...countResults(report), hosts: report.hosts?.length ?? 0, hostsWithErrors, rules: [...rules].sort() });
  return out;
}

/** NDJSON for a fleet, streamed: the header now, each host's lines when it is done. */
export function ndjsonAudit(options: FormatOptions, toolVersion: string, write: (s: string) => void): AuditWriter & { start(info: NdjsonRunInfo): void } {
  let started = false;
  const start = (info: NdjsonRunInfo | undefined) => {
    if (started) return;
    started = true;
    write(line(header(toolVersion, info)));
  };
  return {
    start,
    host(outcome: HostOutcome & { record?: FleetHost }) {
      start(options.ndjson);
      const record: NdjsonHost = {
        type: 'host',
        host: outcome.host,
        path: outcome.path,
        form: outcome.form,
        role: outcome.kubernetesNode ? 'kubernetes-node' : 'host',
        kubernetesNode: outcome.kubernetesNode,
        kernel: outcome.kernel,
        ...(outcome.record ? { errorCount: outcome.record.errorCount, warningCount: outcome.record.warningCount, noteCount: outcome.record.noteCount } : { errorCount: outcome.errorCount, warningCount: outcome.warningCount, noteCount: outcome.noteCount }),
        ...(outcome.index !== undefined ? { index: outcome.index } : {}),
        ...(outcome.fileCount !== undefined ? { files: outcome.fileCount } : {}),
        ...(outcome.summary ? { summary: outcome.summary } : {}),
      };
      write(resultLines(outcome.files) + line(record));
    },
    repository(files) {
      start(options.ndjson);
      const text = resultLines(files);
      if (text) write(text);
    },
    end(summary: FleetSummary, rules: RuleMeta[]) {
      start(options.ndjson);
      write(
        line({
          type: 'trailer',
          files: summary.files,
          errorCount: summary.errorCount,
          warningCount: summary.warningCount,
          noteCount: summary.noteCount,
          hosts: summary.hosts,
          hostsWithErrors: summary.hostsWithErrors,
          rules: rules.map((r) => r.id).sort(),
        }),
      );
    },
  };
}
