/**
 * `hostlint audit PATH ...`: the fleet audit on the command line. Output
 * streams to stdout or, with `-o`, to a temporary file renamed over the
 * target at the end (complete or absent). A progress line is drawn on
 * stderr only when stderr is a terminal, the report goes to a terminal or a
 * file (not a pipe), and `CI` is not set.
 */
import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { rules as allRules } from '../../rules/index.js';
import { runAudit } from '../audit/run.js';
import type { Config } from '../config/load.js';
import { lintedFileCount } from '../engine/baseline.js';
import { builtinMetas, INTERNAL_ERROR } from '../engine/builtin.js';
import { bufferedAudit, FleetTally, jsonAudit, onlyErrorFiles, stylishAudit, type AuditWriter } from '../formatters/audit.js';
import { getFormatter } from '../formatters/index.js';
import type { FormatOptions } from '../formatters/shared.js';
import type { FileReport, RuleMeta, Severity } from '../types.js';
import type { Io } from './main.js';
import { version } from './main.js';
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
  values: { 'pass-on-no-files'?: boolean; quiet?: boolean; color?: boolean; 'no-color'?: boolean; 'output-file'?: string; 'include-suppressed'?: boolean; 'sarif-category'?: string; 'no-snippets'?: boolean };
  io: Io;
}

export async function auditCommand(cmd: AuditCommand): Promise<number> {
  const { io, values, config } = cmd;
  const cwd = io.cwd;
  const outputFile = values['output-file'] ? path.resolve(cwd, values['output-file']) : undefined;
  const color = values['no-color'] ? false : values.color ? true : io.isTTY && !io.env.NO_COLOR && !outputFile;
  const formatOptions: FormatOptions = {
    color,
    ...(values['sarif-category'] ? { sarifCategory: values['sarif-category'] } : {}),
    includeSuppressed: values['include-suppressed'] ?? false,
    warn: (message) => io.stderr(`hostlint: ${message}\n`),
  };

  // Where the report goes: stdout, or a temporary file next to the target.
  let fd: number | undefined;
  let tmp: string | undefined;
  if (outputFile) {
    tmp = path.join(path.dirname(outputFile), `.${path.basename(outputFile)}.${process.pid}.${Date.now()}.tmp`);
    try {
      fd = openSync(tmp, 'wx');
    } catch (error) {
      io.stderr(`hostlint: cannot write ${values['output-file']}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}\n`);
      return 2;
    }
  }
  const progress = new Progress(io, Boolean(!io.env.CI && io.stderrIsTTY && (outputFile || io.isTTY)));
  const write = (s: string) => {
    if (s === '') return;
    if (fd !== undefined) writeSync(fd, s);
    else {
      progress.clear();
      io.stdout(s);
      progress.redraw();
    }
  };

  const toolVersion = version();
  // Made on first use: an audit that finds no host writes no report (see below).
  let made: AuditWriter | undefined;
  const writer = (): AuditWriter =>
    (made ??=
      cmd.formatName === 'stylish'
        ? stylishAudit(formatOptions, write)
        : cmd.formatName === 'json'
          ? jsonAudit(formatOptions, toolVersion, write)
          : bufferedAudit(getFormatter(cmd.formatName)!, formatOptions, { cwd, toolVersion }, write));
  const tally = new FleetTally();
  const ruleIds = new Set<string>();
  let internalError = false;
  const withoutSnippets = (files: FileReport[]) => files.map((f) => ({ ...f, results: f.results.map(({ snippet: _snippet, ...r }) => r) }));
  const shown = (files: FileReport[]) => {
    const kept = values.quiet ? onlyErrorFiles(files) : files;
    return values['no-snippets'] ? withoutSnippets(kept) : kept;
  };

  let ok = false;
  try {
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
      onProgress: (done, total) => progress.update(done, total, tally.summary.hostsWithErrors),
      onHost: (outcome) => {
        for (const id of outcome.ruleIds) ruleIds.add(id);
        if (outcome.files.some((f) => f.results.some((r) => r.ruleId === INTERNAL_ERROR))) internalError = true;
        const files = shown(outcome.files);
        tally.host(outcome, files);
        writer().host({ ...outcome, files });
      },
    });
    for (const m of run.missing) io.stderr(`hostlint: no such file or directory: ${m}\n`);
    if (run.hostCount === 0 && run.missing.length === 0 && !values['pass-on-no-files']) {
      progress.clear();
      io.stderr(noSnapshotLine(cmd.paths));
      return 2;
    }
    for (const r of run.repository.rules) ruleIds.add(r.id);
    if (run.repository.files.some((f) => f.results.some((r) => r.ruleId === INTERNAL_ERROR))) internalError = true;
    const repoFiles = shown(run.repository.files);
    tally.files(repoFiles, lintedFileCount(run.repository));
    writer().repository(repoFiles);
    progress.clear();
    progress.stop();
    const metas = new Map<string, RuleMeta>(allRules.map((r) => [r.meta.id, r.meta]));
    const rules = [...ruleIds].sort().map((id) => metas.get(id) ?? builtinMetas[id]!).filter(Boolean);
    writer().end(tally.summary, rules);
    if (fd !== undefined) {
      closeSync(fd);
      fd = undefined;
      renameSync(tmp!, outputFile!);
    }
    ok = true;
    if (run.missing.length > 0 || internalError) return 2;
  } finally {
    progress.stop();
    if (fd !== undefined) closeSync(fd);
    if (!ok && tmp) rmSync(tmp, { force: true });
  }
  const s = tally.summary;
  if (s.errorCount > 0) return 1;
  if (cmd.maxWarnings >= 0 && s.warningCount > cmd.maxWarnings) {
    io.stderr(`hostlint found too many warnings (maximum: ${cmd.maxWarnings}).\n`);
    return 1;
  }
  return 0;
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
    this.io.stderr(`\r\u001b[K${this.line}`);
  }

  clear(): void {
    if (this.enabled && this.line) this.io.stderr('\r\u001b[K');
  }

  redraw(): void {
    if (this.enabled && this.line && !this.stopped) this.io.stderr(this.line);
  }

  stop(): void {
    this.stopped = true;
    this.line = '';
  }
}
