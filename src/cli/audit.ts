/**
 * `hostlint audit PATH ...`: the fleet audit on the command line. Output
 * streams to stdout or, with `-o`, to a temporary file renamed over the
 * target at the end (complete or absent). A progress line is drawn on
 * stderr only when stderr is a terminal, the report goes to a terminal or a
 * file (not a pipe), and `CI` is not set.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { rules as allRules } from '../../rules/index.js';
import type { HostOutcome } from '../audit/host.js';
import { runAudit } from '../audit/run.js';
import type { Shard } from '../audit/shard.js';
import type { Config } from '../config/load.js';
import { applyBaseline, baselineFingerprints, lintedFileCount } from '../engine/baseline.js';
import { builtinMetas, INTERNAL_ERROR } from '../engine/builtin.js';
import { bufferedAudit, FleetTally, jsonAudit, onlyErrorFiles, sarifAudit, stylishAudit, type AuditWriter } from '../formatters/audit.js';
import { getFormatter } from '../formatters/index.js';
import { json } from '../formatters/json.js';
import { ndjsonAudit } from '../formatters/ndjson.js';
import type { FormatOptions } from '../formatters/shared.js';
import type { FileReport, LintReport, RuleMeta, Severity } from '../types.js';
import { BaselineError, readBaseline } from './baseline.js';
import { writeErrorText, type Io } from './io.js';
import { version } from '../version.js';
import { openOutput, writeOutputFile, type OutputTarget } from './output.js';
import { escapeText, safeReport } from '../util/escape.js';
import { useColor } from './options.js';
import { noSnapshotLine } from './nothing.js';

export interface AuditCommand {
  paths: string[];
  /** `--ignore-pattern`s and `--no-ignore` (.gitignore does not apply to an audit). */
  ignorePatterns: string[];
  noIgnore: boolean;
  config: Config;
  formatName: string;
  maxWarnings: number;
  unusedSeverity: Severity | 'off';
  concurrency: number | undefined;
  /** Per-host timeout of the worker threads (`--host-timeout`, in ms). */
  hostTimeoutMs?: number | undefined;
  /** `--shard INDEX/COUNT`: lint only this shard's hosts, leave the repository scope to `merge`. */
  shard?: Shard | undefined;
  values: FleetValues & { 'pass-on-no-files'?: boolean };
  io: Io;
}

/** The options of `audit` and `merge` that shape the output. */
export interface FleetValues {
  quiet?: boolean;
  color?: boolean;
  'no-color'?: boolean;
  'output-file'?: string;
  'include-suppressed'?: boolean;
  'sarif-category'?: string;
  'no-snippets'?: boolean;
  baseline?: string;
  'write-baseline'?: string;
}

/** `sha256:<hex>` of the configuration file's bytes (`none` without one): shards and `merge` must agree on it. */
export function configDigest(config: Config): string {
  if (!config.file) return 'none';
  try {
    return `sha256:${process.getBuiltinModule('node:crypto').createHash('sha256').update(readFileSync(config.file)).digest('hex')}`;
  } catch {
    return 'unreadable';
  }
}

export class FleetUsageError extends Error {}

/** Characters of output held back before they are written (see FleetOutput). */
const OUTPUT_CHUNK = 64 * 1024;

/**
 * The output side of a fleet run (`audit` and `merge`): hosts in, one at a
 * time, then the repository's files; the chosen format written as it goes
 * (stylish, json and ndjson stream; sarif keeps its results in a temporary
 * file and writes them at the end; any other formatter of the registry gets
 * the whole run at the end), baselines applied per host, the fleet summary,
 * the exit code.
 */
export class FleetOutput {
  readonly formatOptions: FormatOptions;
  readonly tally = new FleetTally();
  private readonly ruleIds = new Set<string>();
  private internalError = false;
  /** Where the report goes (src/cli/output.ts): a temporary file next to the target, or the device or FIFO itself. */
  private out: OutputTarget | undefined;
  private readonly outputFile: string | undefined;
  /** Made on first use: an audit that finds no host writes no report. */
  private made: AuditWriter | undefined;
  private readonly makeWriter: () => AuditWriter;
  private readonly progress: Progress;
  private readonly baseline: Set<string> | undefined;
  /** `--write-baseline`: the results that count now, collected for the file. */
  private readonly current: FileReport[] | undefined;
  private finished = false;
  /** Write what is held back of the output. */
  private readonly flush: () => void;

  constructor(
    private readonly io: Io,
    private readonly values: FleetValues,
    formatName: string,
    private readonly maxWarnings: number,
  ) {
    const cwd = io.cwd;
    this.outputFile = values['output-file'] ? path.resolve(cwd, values['output-file']) : undefined;
    const color = useColor(values, io.env, io.isTTY, Boolean(this.outputFile));
    const width = io.isTTY && !this.outputFile ? io.columns : undefined;
    this.formatOptions = {
      color,
      ...(width ? { width } : {}),
      timestamp: new Date().toISOString(),
      ...(values['sarif-category'] ? { sarifCategory: values['sarif-category'] } : {}),
      includeSuppressed: values['include-suppressed'] ?? false,
      warn: (message) => io.stderr(`hostlint: ${escapeText(message)}\n`),
    };
    if (values.baseline) {
      try {
        this.baseline = readBaseline(path.resolve(cwd, values.baseline), values.baseline);
      } catch (error) {
        if (error instanceof BaselineError) throw new FleetUsageError(error.message);
        throw error;
      }
    }
    if (values['write-baseline']) this.current = [];
    if (this.outputFile) {
      try {
        this.out = openOutput(this.outputFile);
      } catch (error) {
        throw new FleetUsageError(`cannot write ${escapeText(values['output-file']!)}: ${writeErrorText(error)}`);
      }
    }
    this.progress = new Progress(io, Boolean(!io.env.CI && io.stderrIsTTY && (this.outputFile || io.isTTY)));
    const emit = (text: string) => {
      if (this.out !== undefined) this.out.write(text);
      else {
        this.progress.clear();
        io.stdout(text);
        this.progress.redraw();
      }
    };
    // Written in chunks of OUTPUT_CHUNK characters, not a system call per host, as C's
    // stdio does; a terminal still sees each host as it is done.
    const chunked = !io.isTTY || this.outputFile !== undefined;
    let pending = '';
    this.flush = () => {
      if (pending === '') return;
      const text = pending;
      pending = '';
      emit(text);
    };
    const write = (raw: string) => {
      if (raw === '') return;
      const text = safeReport(formatName, raw);
      if (!chunked) return emit(text);
      pending += text;
      if (pending.length >= OUTPUT_CHUNK) this.flush();
    };
    const toolVersion = version();
    this.makeWriter = () =>
      formatName === 'stylish'
        ? stylishAudit(this.formatOptions, write)
        : formatName === 'json'
          ? jsonAudit(this.formatOptions, toolVersion, write)
          : formatName === 'ndjson'
            ? ndjsonAudit(this.formatOptions, toolVersion, write)
            : formatName === 'sarif'
              ? sarifAudit(this.formatOptions, { cwd, toolVersion }, write)
              : bufferedAudit(getFormatter(formatName)!, this.formatOptions, { cwd, toolVersion }, write);
  }

  private get writer(): AuditWriter {
    return (this.made ??= this.makeWriter());
  }

  /** The results shown: baseline applied, then --quiet and --no-snippets. */
  private shown(files: FileReport[]): FileReport[] {
    if (this.current) this.current.push(...files.map(({ output: _o, ...f }) => f));
    let out = files;
    const known = this.baseline ?? (this.current ? baselineFingerprints(this.report(files)) : undefined);
    if (known) out = applyBaseline(this.report(files), known, { justification: `In the baseline ${this.values.baseline ?? this.values['write-baseline']}` }).files;
    if (this.values.quiet) out = onlyErrorFiles(out);
    if (this.values['no-snippets']) out = out.map((f) => ({ ...f, results: f.results.map(({ snippet: _snippet, ...r }) => r) }));
    return out;
  }

  private report(files: FileReport[], rules: RuleMeta[] = []): LintReport {
    return { cwd: this.io.cwd, files, rules, toolVersion: version(), errorCount: 0, warningCount: 0, noteCount: 0 };
  }

  updateProgress(done: number, total: number): void {
    this.progress.update(done, total, this.tally.summary.hostsWithErrors);
  }

  host(outcome: HostOutcome): void {
    for (const id of outcome.ruleIds) this.ruleIds.add(id);
    if (outcome.files.some((f) => f.results.some((r) => r.ruleId === INTERNAL_ERROR))) this.internalError = true;
    const files = this.shown(outcome.files);
    const record = this.tally.host(outcome, files);
    this.writer.host({ ...outcome, files, record } as HostOutcome);
  }

  repository(files: FileReport[], ruleIds: Iterable<string>, linted = files.length): void {
    for (const id of ruleIds) this.ruleIds.add(id);
    if (files.some((f) => f.results.some((r) => r.ruleId === INTERNAL_ERROR))) this.internalError = true;
    const shown = this.shown(files);
    this.tally.files(shown, linted);
    this.writer.repository(shown);
  }

  /** Write the summary and close the output; the exit code (`failed`: something else already makes it 2). */
  end(failed: boolean): number {
    this.progress.clear();
    this.progress.stop();
    const metas = new Map<string, RuleMeta>(allRules.map((r) => [r.meta.id, r.meta]));
    const rules = [...this.ruleIds].sort().map((id) => metas.get(id) ?? builtinMetas[id]!).filter(Boolean);
    this.writer.end(this.tally.summary, rules);
    this.flush();
    if (this.out !== undefined) {
      const target = this.out;
      this.out = undefined;
      target.commit();
    }
    this.finished = true;
    if (this.current && this.values['write-baseline']) {
      const text = json(this.report(this.current, rules), { color: false });
      try {
        writeOutputFile(path.resolve(this.io.cwd, this.values['write-baseline']), text);
      } catch (error) {
        this.io.stderr(`hostlint: cannot write ${escapeText(this.values['write-baseline'])}: ${writeErrorText(error)}\n`);
        return 2;
      }
    }
    if (failed || this.internalError) return 2;
    const s = this.tally.summary;
    if (s.errorCount > 0) return 1;
    if (this.maxWarnings >= 0 && s.warningCount > this.maxWarnings) {
      this.io.stderr(`hostlint found too many warnings (maximum: ${this.maxWarnings}).\n`);
      return 1;
    }
    return 0;
  }

  /** Nothing to report (no host found): no report is written, the output file is left as it was. */
  discard(): void {
    this.progress.clear();
    this.progress.stop();
  }

  /** After a failure: the partial output file is removed. */
  close(): void {
    this.progress.stop();
    // What the standard output was to show so far still goes there (a file being written is removed).
    if (this.out === undefined) this.flush();
    if (!this.finished) this.made?.abort?.();
    if (!this.finished && this.out !== undefined) this.out.abort();
    this.out = undefined;
  }
}

export async function auditCommand(cmd: AuditCommand): Promise<number> {
  const { io, values, config } = cmd;
  const cwd = io.cwd;
  let out: FleetOutput;
  try {
    out = new FleetOutput(io, values, cmd.formatName, cmd.maxWarnings);
  } catch (error) {
    if (error instanceof FleetUsageError) {
      io.stderr(`hostlint: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  const toolVersion = version();
  try {
    // Hosts found under the paths, in every shard: a shard whose hosts all hash to other shards is empty, not a failure.
    let foundInRun = 0;
    const run = await runAudit({
      paths: cmd.paths,
      ignorePatterns: cmd.ignorePatterns,
      noIgnore: cmd.noIgnore,
      cwd,
      config,
      ...(config.file ? { configFile: config.file } : {}),
      rules: allRules,
      reportUnusedDisableDirectives: cmd.unusedSeverity,
      toolVersion,
      ...(cmd.concurrency !== undefined ? { concurrency: cmd.concurrency } : {}),
      ...(cmd.hostTimeoutMs !== undefined ? { hostTimeoutMs: cmd.hostTimeoutMs } : {}),
      ...(cmd.shard ? { shard: cmd.shard } : {}),
      onStart: (identity) => {
        foundInRun = identity.hosts;
        out.formatOptions.ndjson = { command: 'audit', configDigest: configDigest(config), shard: cmd.shard ?? null, reportUnusedDisableDirectives: cmd.unusedSeverity, run: identity };
      },
      onProgress: (done, total) => out.updateProgress(done, total),
      onHost: (outcome) => out.host(outcome),
    });
    for (const m of run.missing) io.stderr(`hostlint: no such file or directory: ${escapeText(m)}\n`);
    if (run.hostCount === 0 && !(cmd.shard && foundInRun > 0) && run.missing.length === 0 && !values['pass-on-no-files']) {
      out.discard();
      io.stderr(noSnapshotLine(cmd.paths));
      return 2;
    }
    out.repository(run.repository.files, run.repository.rules.map((r) => r.id), lintedFileCount(run.repository));
    return out.end(run.missing.length > 0);
  } finally {
    out.close();
  }
}

/** `audit: 120/1000 hosts, 3 with errors` on one stderr line, redrawn at most 10 times a second. */
class Progress {
  private line = '';
  private last = 0;
  private stopped = false;

  constructor(
    private readonly io: Io,
    private readonly enabled: boolean,
  ) {}

  update(done: number, total: number, withErrors: number): void {
    if (!this.enabled || this.stopped) return;
    const now = Date.now();
    if (done < total && now - this.last < 100) return;
    this.last = now;
    this.line = `hostlint audit: ${done}/${total} hosts, ${withErrors} with errors`;
    this.raw(`\r\u001b[K${this.line}`);
  }

  clear(): void {
    if (this.enabled && this.line) this.raw('\r\u001b[K');
  }

  redraw(): void {
    if (this.enabled && this.line && !this.stopped) this.raw(this.line);
  }

  /** The line holds only numbers: its own control sequences go to the terminal as they are. */
  private raw(s: string): void {
    (this.io.rawStderr ?? this.io.stderr)(s);
  }

  stop(): void {
    this.stopped = true;
    this.line = '';
  }
}
