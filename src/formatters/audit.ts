/**
 * Output of `hostlint audit`: the same formats as `hostlint lint`, grouped by
 * host, with a fleet summary.
 *
 * `stylish` and `json` stream: each host's results are written when the host
 * is done and then dropped, and only a few counts per host are kept for the
 * summary. SARIF, whose rules come before its results, keeps the results in a
 * temporary file and writes the log at the end. Any other format needs the
 * whole run at once: the results (not the parsed files) are collected and
 * formatted at the end.
 *
 * `json` in an audit is the lint document (format version 1, the same
 * `results` entries, each naming its `host`) with fields added: `hosts`, one
 * summary per host; `rules`, the findings per rule; and `summary` also counts
 * `hosts` and `hostsWithErrors`. So that results can stream, `results` comes
 * before `summary` in the text (JSON objects are unordered):
 *
 *   {
 *     "version": 1,
 *     "tool": { "name": "hostlint", "version": "0.1.0" },
 *     "results": [ … ],
 *     "hosts": [
 *       { "host": "db01", "path": "fleet/db01.tgz", "form": "archive",   // directory | sosreport | archive
 *         "role": "host",                                               // kubernetes-node | host
 *         "kubernetesNode": false, "kernel": "3.10.0-1160.el7.x86_64",   // null when unknown
 *         "errorCount": 1, "warningCount": 0, "noteCount": 0 }
 *     ],
 *     "rules": [ { "ruleId": "sysctl-tw-recycle", "errorCount": 1, "warningCount": 0, "noteCount": 0 } ],
 *     "summary": { "files": 7, "errorCount": 1, "warningCount": 2, "noteCount": 0,
 *                  "hosts": 4, "hostsWithErrors": 1 }
 *   }
 *
 * Results of files outside the snapshots (the repository scope: manifests of
 * the cluster) carry no `host`; stylish shows them under `(repository)`.
 */
import picocolors from 'picocolors';
import type { HostOutcome } from '../audit/host.js';
import type { FileReport, FleetHost, LintReport, Result, RuleMeta, Severity } from '../types.js';
import { countKey, countSeverities, emptyCounts } from '../util/counts.js';
import { escapeText } from '../util/escape.js';
import { toJsonResult, JSON_FORMAT_VERSION } from './json.js';
import { sarifStream } from './sarif.js';
import { isSuppressed, visibleResults, type Counts, type FormatOptions, type Formatter } from './shared.js';
import { stylishFiles, stylishSummary } from './stylish.js';

/** One host in the fleet summary. */
export type HostRecord = FleetHost;

export interface FleetSummary extends Counts {
  files: number;
  hosts: number;
  hostsWithErrors: number;
  /** Findings per rule (not suppressed), by rule id. */
  rules: Map<string, Counts>;
  /** One record per host, in host order (a new array of new objects on every read). */
  readonly records: HostRecord[];
  /** The same records one at a time (none kept). */
  eachRecord(): Iterable<HostRecord>;
}

/** Receives an audit as it runs. */
export interface AuditWriter {
  host(outcome: HostOutcome): void;
  /** The repository scope's files, after the hosts. */
  repository(files: FileReport[]): void;
  /** The summary, once everything was written. */
  end(summary: FleetSummary, rules: RuleMeta[]): void;
  /** The run failed before `end`: drop what is held (temporary files). */
  abort?(): void;
}

/** How many of the worst hosts the stylish summary lists. */
export const WORST_HOSTS = 5;

/**
 * Records kept as JSON text in one growing buffer, outside the JavaScript
 * heap, and read back as objects when asked for. One small object kept per
 * host among each host's garbage would pin the heap's pages: its size, and
 * the process's memory, would grow with the fleet although little of it is
 * alive.
 */
class RecordLog<T> {
  private buffer = Buffer.alloc(0);
  private size = 0;

  push(record: T): void {
    const text = `${this.size ? '\n' : ''}${JSON.stringify(record)}`;
    const need = this.size + Buffer.byteLength(text, 'utf8');
    if (need > this.buffer.length) {
      const grown = Buffer.allocUnsafeSlow(Math.max(need, this.buffer.length * 2, 1 << 16));
      this.buffer.copy(grown, 0, 0, this.size);
      this.buffer = grown;
    }
    this.size += this.buffer.write(text, this.size, 'utf8');
  }

  /** Every record, in order (new objects on every call). */
  all(): T[] {
    return [...this];
  }

  /** The records one at a time, in order (JSON escapes every newline: they are only between records). */
  *[Symbol.iterator](): Iterator<T> {
    let at = 0;
    while (at < this.size) {
      let end = this.buffer.indexOf(10, at);
      if (end < 0 || end > this.size) end = this.size;
      yield JSON.parse(this.buffer.toString('utf8', at, end)) as T;
      at = end + 1;
    }
  }
}

/** Collects the fleet summary from what passes through. */
export class FleetTally {
  private readonly records = new RecordLog<HostRecord>();
  readonly summary: FleetSummary = ((records) => ({
    files: 0,
    hosts: 0,
    hostsWithErrors: 0,
    errorCount: 0,
    warningCount: 0,
    noteCount: 0,
    rules: new Map(),
    /** Read back from the log: the hosts' records are read only at the end. */
    get records() {
      return records.all();
    },
    eachRecord: () => records,
  }))(this.records);

  host(outcome: HostOutcome, files: FileReport[]): HostRecord {
    const counts = this.files(files, outcome.fileCount);
    const record: HostRecord = { host: outcome.host, path: outcome.path, form: outcome.form, role: outcome.kubernetesNode ? 'kubernetes-node' : 'host', kubernetesNode: outcome.kubernetesNode, kernel: outcome.kernel, ...counts };
    this.summary.hosts++;
    if (counts.errorCount > 0) this.summary.hostsWithErrors++;
    this.records.push(record);
    return record;
  }

  /** Count results of `files`; `linted` files were linted (default: those with results). */
  files(files: FileReport[], linted = files.length): Counts {
    const counts = emptyCounts();
    this.summary.files += linted;
    for (const f of files) {
      for (const r of f.results) {
        if (isSuppressed(r)) continue;
        const key = countKey(r.severity);
        counts[key]++;
        this.summary[key]++;
        const byRule = this.summary.rules.get(r.ruleId) ?? emptyCounts();
        byRule[key]++;
        this.summary.rules.set(r.ruleId, byRule);
      }
    }
    return counts;
  }
}

/** The hosts with the most errors, then warnings, then notes (clean hosts left out). */
export function worstHosts(records: HostRecord[], n = WORST_HOSTS): HostRecord[] {
  return records
    .filter((r) => r.errorCount + r.warningCount + r.noteCount > 0)
    .sort((a, b) => b.errorCount - a.errorCount || b.warningCount - a.warningCount || b.noteCount - a.noteCount || (a.host < b.host ? -1 : a.host > b.host ? 1 : 0))
    .slice(0, n);
}

function plural(n: number, word: string): string {
  return `${n} ${n === 1 ? word : word + 's'}`;
}

function countsText(c: Counts): string {
  const parts = [];
  if (c.errorCount) parts.push(plural(c.errorCount, 'error'));
  if (c.warningCount) parts.push(plural(c.warningCount, 'warning'));
  if (c.noteCount) parts.push(plural(c.noteCount, 'note'));
  return parts.length ? parts.join(', ') : 'no problems';
}

/**
 * stylish for a fleet: per host a heading (`host NAME  PATH  counts`) and its
 * files, hosts without findings left out; then the repository's files; then
 * the fleet summary and the usual closing line.
 */
export function stylishAudit(options: FormatOptions, write: (s: string) => void): AuditWriter {
  const c = picocolors.createColors(options.color);
  // The files are indented by two under their host: two columns less to wrap to.
  const inner: FormatOptions = options.width === undefined ? options : { ...options, width: options.width - 2 };
  return {
    host(outcome) {
      const { text, shown } = stylishFiles(outcome.files, inner, false);
      if (shown === 0) return;
      const counts = countVisible(outcome.files, options);
      write(`\n${c.bold(`host ${escapeText(outcome.host)}`)}  ${c.dim(`${escapeText(outcome.path)}  ${countsText(counts)}`)}\n${indent(text)}`);
    },
    repository(files) {
      const { text, shown } = stylishFiles(files, inner, false);
      if (shown === 0) return;
      write(`\n${c.bold('(repository)')}  ${c.dim(`files outside the snapshots  ${countsText(countVisible(files, options))}`)}\n${indent(text)}`);
    },
    end(summary) {
      const total = summary.errorCount + summary.warningCount + summary.noteCount;
      let clean = 0;
      const found: HostRecord[] = [];
      for (const r of summary.eachRecord()) {
        if (r.errorCount + r.warningCount + r.noteCount === 0) clean++;
        else found.push(r);
      }
      let out = `\n${c.bold('Fleet summary')}\n`;
      out += `  hosts scanned      ${summary.hosts}  (${clean} without findings)\n`;
      out += `  hosts with errors  ${summary.hostsWithErrors}\n`;
      if (summary.rules.size > 0) {
        out += `  findings by rule\n`;
        const ids = [...summary.rules.keys()].sort();
        const width = Math.max(...ids.map((id) => escapeText(id).length));
        for (const id of ids) out += `    ${escapeText(id).padEnd(width)}  ${countsText(summary.rules.get(id)!)}\n`;
      }
      const worst = worstHosts(found);
      if (worst.length > 0) {
        out += `  worst hosts\n`;
        const width = Math.max(...worst.map((r) => escapeText(r.host).length));
        for (const r of worst) out += `    ${escapeText(r.host).padEnd(width)}  ${countsText(r)}\n`;
      }
      if (total > 0) out += stylishSummary(summary, options);
      write(out);
    },
  };
}

function indent(text: string): string {
  return text.replace(/^(?=.)/gm, '  ');
}

function countVisible(files: FileReport[], options: FormatOptions): Counts {
  const counts = emptyCounts();
  for (const f of files) countSeverities(visibleResults(f, options), counts);
  return counts;
}

/** JSON for a fleet, streamed (see the module comment for the shape). */
export function jsonAudit(options: FormatOptions, toolVersion: string, write: (s: string) => void): AuditWriter {
  let first = true;
  write(`{\n  "version": ${JSON_FORMAT_VERSION},\n  "tool": ${nest(JSON.stringify({ name: 'hostlint', version: toolVersion }, null, 2), 2)},\n  "results": [`);
  const emit = (files: FileReport[]) => {
    let chunk = '';
    for (const file of files) {
      for (const r of visibleResults(file, options)) {
        chunk += `${first ? '' : ','}\n    ${nest(JSON.stringify(toJsonResult(r, file.host), null, 2), 4)}`;
        first = false;
      }
    }
    if (chunk) write(chunk);
  };
  return {
    host: (outcome) => emit(outcome.files),
    repository: (files) => emit(files),
    end(summary) {
      const rules = [...summary.rules.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([ruleId, c]) => ({ ruleId, ...c }));
      // `hosts` in pieces, one record at a time: the text JSON.stringify gives the whole tail.
      let chunk = `${first ? ']' : '\n  ]'},\n  "hosts": [`;
      let n = 0;
      for (const record of summary.eachRecord()) {
        chunk += `${n++ ? ',' : ''}\n    ${nest(JSON.stringify(record, null, 2), 4)}`;
        if (chunk.length > 1 << 16) {
          write(chunk);
          chunk = '';
        }
      }
      chunk += n ? '\n  ],\n' : '],\n';
      write(chunk);
      const tail = {
        rules,
        summary: {
          files: summary.files,
          errorCount: summary.errorCount,
          warningCount: summary.warningCount,
          noteCount: summary.noteCount,
          hosts: summary.hosts,
          hostsWithErrors: summary.hostsWithErrors,
        },
      };
      const body = JSON.stringify(tail, null, 2);
      write(`${body.slice(2)}\n`);
    },
  };
}

function nest(json: string, spaces: number): string {
  return json.replace(/\n/g, `\n${' '.repeat(spaces)}`);
}

/**
 * SARIF for a fleet: the results go to a temporary file as each host is done
 * (src/formatters/sarif.ts, `sarifStream`), so memory does not grow with the
 * fleet; the log is written at the end, byte for byte what `sarif()` writes
 * for the whole run (its rules, which come first, are known only then).
 */
export function sarifAudit(options: FormatOptions, base: { cwd: string; toolVersion: string }, write: (s: string) => void): AuditWriter {
  const stream = sarifStream(options, base, write);
  return {
    host: (outcome) => stream.add(outcome.files),
    repository: (files) => stream.add(files),
    end: (_summary, rules) => stream.end(rules),
    abort: () => stream.abort(),
  };
}

/**
 * Any other format: the results are collected (host by host, without trees)
 * and the lint formatter renders them at the end.
 */
export function bufferedAudit(formatter: Formatter, options: FormatOptions, base: { cwd: string; toolVersion: string }, write: (s: string) => void): AuditWriter {
  const files: FileReport[] = [];
  return {
    host: (outcome) => void files.push(...outcome.files),
    repository: (more) => void files.push(...more),
    end(summary, rules) {
      files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
      const report: LintReport = {
        cwd: base.cwd,
        files,
        rules,
        toolVersion: base.toolVersion,
        errorCount: summary.errorCount,
        warningCount: summary.warningCount,
        noteCount: summary.noteCount,
        hosts: summary.records,
      };
      write(formatter(report, { ...options, hosts: summary.records.map((r) => r.host) }));
    },
  };
}

/** Keep only errors (`--quiet`). */
export function onlyErrorFiles(files: FileReport[]): FileReport[] {
  return files.map((f) => ({ ...f, results: f.results.filter((r: Result) => r.severity === ('error' as Severity)) })).filter((f) => f.results.length > 0);
}
