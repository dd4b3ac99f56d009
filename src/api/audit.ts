/**
 * The API's `audit()`: the fleet audit of `hostlint audit --format json`,
 * run by the command line's own machinery (src/cli/audit.ts) with its output
 * collected and parsed. Loaded on demand (`import()` from src/api.ts): the
 * lint path never loads the audit, its archive readers or its worker pool.
 */
import path from 'node:path';
import { auditCommand } from '../cli/audit.js';
import type { Io } from '../cli/io.js';
import type { Severity } from '../types.js';
import type { JsonResult } from '../formatters/json.js';
import type { HostRecord } from '../formatters/audit.js';
import { resolveConfig, type ConfigInput, type RuleEntry } from './config.js';
import { UsageError } from './errors.js';
import { checkIgnorePatterns } from './lint.js';
import { version } from '../version.js';

export interface AuditOptions {
  /** The working directory (default: `process.cwd()`). */
  cwd?: string;
  /** Where to look for snapshots, directories and archives (default `['.']`). */
  paths?: string[];
  /** As `lint()`'s `config`. A configuration given as an object, or `rules`, make the audit run in this thread (`concurrency: 1`): worker threads read the configuration from its file. */
  config?: ConfigInput;
  rules?: Record<string, RuleEntry>;
  /** Worker threads (default: the number of cores; 1 lints in this thread). */
  concurrency?: number;
  /** Stop a worker that spends longer than this on one host, in seconds (default 120). */
  hostTimeout?: number;
  ignorePatterns?: string[];
  noIgnore?: boolean;
  quiet?: boolean;
  includeSuppressed?: boolean;
  baseline?: string;
  writeBaseline?: string;
  reportUnusedDisableDirectives?: boolean | Severity | 'warn' | 'off';
  /** Resolve to an empty report instead of throwing when no snapshot is found. */
  passOnNoFiles?: boolean;
  onWarning?: (message: string) => void;
}

/** What `hostlint audit --format json` prints. */
export interface JsonAuditReport {
  version: 1;
  tool: { name: 'hostlint'; version: string };
  results: JsonResult[];
  hosts: HostRecord[];
  rules: Array<{ ruleId: string; errorCount: number; warningCount: number; noteCount: number }>;
  summary: { files: number; errorCount: number; warningCount: number; noteCount: number; hosts: number; hostsWithErrors: number };
}

export async function audit(options: AuditOptions = {}): Promise<JsonAuditReport> {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const warnings: string[] = [];
  const config = resolveConfig({ cwd, config: options.config, rules: options.rules, warn: (m) => warnings.push(m) });
  for (const w of warnings) options.onWarning?.(w);
  let concurrency = options.concurrency;
  if (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency >= 1)) throw new UsageError('--concurrency takes a whole number of at least 1');
  if ((options.config !== undefined && typeof options.config !== 'string') || (options.rules && Object.keys(options.rules).length > 0)) concurrency = 1;
  let hostTimeoutMs: number | undefined;
  if (options.hostTimeout !== undefined) {
    if (!(options.hostTimeout > 0) || options.hostTimeout * 1000 > 2 ** 31 - 1) throw new UsageError(`--host-timeout takes a number of seconds greater than 0 and at most ${Math.floor((2 ** 31 - 1) / 1000)}`);
    if (options.concurrency === 1) throw new UsageError('--host-timeout needs worker threads: with --concurrency 1 hosts are linted on the main thread, which cannot be stopped');
    if (concurrency !== 1) hostTimeoutMs = Math.ceil(options.hostTimeout * 1000);
  }
  const ignorePatterns = options.ignorePatterns ?? [];
  checkIgnorePatterns(ignorePatterns);
  const u = options.reportUnusedDisableDirectives;
  const unused = u === undefined || u === false ? 'off' : u === true ? 'error' : u === 'warn' ? 'warning' : u;
  if (!['error', 'warning', 'note', 'off'].includes(unused)) throw new UsageError('--report-unused-disable-directives-severity takes error, warning, note or off');

  let stdout = '';
  const stderr: string[] = [];
  const io: Io = {
    stdout: (s) => void (stdout += s),
    stderr: (s) => void stderr.push(s),
    stdin: () => Promise.resolve(''),
    cwd,
    isTTY: false,
    stderrIsTTY: false,
    env: {},
  };
  const code = await auditCommand({
    paths: options.paths?.length ? options.paths : ['.'],
    ignorePatterns,
    noIgnore: options.noIgnore ?? false,
    config,
    formatName: 'json',
    maxWarnings: -1,
    unusedSeverity: unused as Severity | 'off',
    concurrency,
    hostTimeoutMs,
    values: {
      ...(options.quiet ? { quiet: true } : {}),
      ...(options.includeSuppressed ? { 'include-suppressed': true } : {}),
      ...(options.baseline ? { baseline: options.baseline } : {}),
      ...(options.writeBaseline ? { 'write-baseline': options.writeBaseline } : {}),
      ...(options.passOnNoFiles ? { 'pass-on-no-files': true } : {}),
    },
    io,
  });
  const lines = stderr.join('').split('\n').filter(Boolean).map((l) => l.replace(/^hostlint(?: audit)?: /, ''));
  // No report: the audit could not start or found no snapshot; what it said is the error.
  if (stdout === '' && code === 2) throw new UsageError(lines.join('; ') || 'the audit failed');
  for (const line of lines) options.onWarning?.(line);
  if (stdout === '') {
    // --pass-on-no-files with no snapshot: an empty report.
    return { version: 1, tool: { name: 'hostlint', version: version() }, results: [], hosts: [], rules: [], summary: { files: 0, errorCount: 0, warningCount: 0, noteCount: 0, hosts: 0, hostsWithErrors: 0 } };
  }
  return JSON.parse(stdout) as JsonAuditReport;
}
