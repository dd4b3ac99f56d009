/**
 * The lint pipeline: configuration, loading (paths or in-memory files),
 * rules, fixes, baseline and filtering, in one call. The command line
 * (`hostlint [lint]`), the programmatic API (`lint()`) and the tests' helpers
 * all run it; only the output (a formatter, or the JSON object) differs.
 *
 * Nothing here prints: warnings go to `onWarning` (the CLI writes them on
 * stderr as `hostlint: MESSAGE`), errors are thrown as the typed errors of
 * ./errors.ts.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { rules as allRules } from '../../rules/index.js';
import type { Config } from '../config/load.js';
import { INTERNAL_ERROR, READ_ERROR } from '../engine/builtin.js';
import { applyBaseline, baselineFingerprints, filterFiles } from '../engine/baseline.js';
import { classifyRepoPath } from '../engine/classify.js';
import { lintAndFix } from '../engine/fix.js';
import { kubeDocumentSelector, runScopes, type LoadDiagnostic } from '../engine/linter.js';
import { displayPath, isReported, loadPaths, loadPathsAsync, parseText, type Loaded } from '../engine/load.js';
import { decode, DEFAULT_MAX_FILE_BYTES, parseByteSize, readStreamBounded, sourceFile } from '../engine/read.js';
import { Scope, summarizeHost } from '../engine/scope.js';
import { isArchiveName } from '../engine/archive.js';
import { DirectorySnapshot } from '../engine/snapshot.js';
import { unrenderedNote } from '../engine/unrendered.js';
import type { Rule } from '../engine/rule.js';
import { json } from '../formatters/json.js';
import type { FleetHost, LintReport, Severity } from '../types.js';
import { BaselineError, readBaseline } from '../cli/baseline.js';
import { writeFixedFile } from '../cli/fix-write.js';
import { writeOutputFile } from '../cli/output.js';
import { writeErrorText } from '../cli/io.js';
import { GlobError, pathGlob } from '../util/glob.js';
import { version } from '../version.js';
import { resolveConfig, type ConfigInput, type RuleEntry } from './config.js';
import { UsageError, WriteError } from './errors.js';
import { countSeverities, emptyCounts } from '../util/counts.js';

/** A file linted from memory instead of the disk (an editor's buffer, standard input). */
export interface InMemoryFile {
  /**
   * The path the text is linted as, relative to `cwd` or absolute: it decides
   * the language (`sysctl.d/90-net.conf`, `resolv.conf`, `felix.cfg`, …) and
   * is the `file` of its results.
   */
  path: string;
  /** The text, or its bytes (decoded as files are: UTF-8, BOM removed; NUL bytes and UTF-16 refused), or a stream of chunks read up to the size limit. */
  text: string | Uint8Array | Iterable<Uint8Array | string> | AsyncIterable<Uint8Array | string>;
}

/** The options of `lint()`; every one is optional. */
export interface LintOptions {
  /** The working directory: paths, globs and the `file` of results are relative to it (default: `process.cwd()`). */
  cwd?: string;
  /** Files, directories, snapshots and snapshot archives to lint (default `['.']`). Not with `files`. */
  paths?: string[];
  /** Texts to lint instead of paths (not with `paths`). */
  files?: InMemoryFile[];
  /**
   * The configuration: a file's path (relative to `cwd`), an object of the
   * configuration file's shape, or `false` for none. Default: the nearest
   * `.hostlint.yaml` / `.yml` / `.json` from `cwd` upward, as the CLI finds it.
   */
  config?: ConfigInput;
  /** Rule settings over the configuration's (`{ 'sysctl-port-range': 'off', 'k8s-search-limits': ['warn', {…}] }`). */
  rules?: Record<string, RuleEntry>;
  /** Compute the rules' fixes (`--fix-dry-run`): the result's `fixed` holds each changed file's text. */
  fix?: boolean;
  /** Also write the fixes to the files (`--fix`; not with `files`). */
  writeFixes?: boolean;
  /** Mark results whose fingerprint is in this earlier JSON or SARIF report (a path) as unchanged and suppress them (`--baseline`). */
  baseline?: string;
  /** Write the current results to this file as the baseline (`--write-baseline`). */
  writeBaseline?: string;
  /** Report errors only (`--quiet`). */
  quiet?: boolean;
  /** Keep suppressed results, with their `suppressions` (`--include-suppressed`). */
  includeSuppressed?: boolean;
  /** Globs of files to leave out (`--ignore-pattern`). */
  ignorePatterns?: string[];
  /** Lint what .gitignore, `ignores` and `ignorePatterns` would skip (`--no-ignore`). */
  noIgnore?: boolean;
  /** Do not read files larger than this: bytes, or a size such as `'64M'` (`--max-file-size`; default 8M or the config's `maxFileSize`). */
  maxFileSize?: number | string;
  /** Report disable directives that suppress nothing, with this severity (`true`: error). */
  reportUnusedDisableDirectives?: boolean | Severity | 'warn' | 'off';
  /** Resolve to an empty report instead of throwing when there is nothing to lint (`--pass-on-no-files`). */
  passOnNoFiles?: boolean;
  /** Told about what the CLI prints as warnings on stderr (one line each, without `hostlint: `). */
  onWarning?: (message: string) => void;
}

/** Options only the command line and the tests use. */
export interface RunOptions extends LintOptions {
  /** Attach the host scopes' summaries (`report.hosts`: ndjson and html show them). */
  hosts?: boolean;
  /** Leave the flagged lines' text out (`--no-snippets`). */
  noSnippets?: boolean;
  /** The rules run (default: all of hostlint's). */
  ruleSet?: Rule[];
  /** The report's tool version (default: the package's). */
  toolVersion?: string;
  /** Already resolved (the CLI resolves it before the run; the test helper picks its own). */
  resolvedConfig?: Config;
  /** Load snapshots synchronously (archives are not opened): the tests' synchronous helper. */
  sync?: boolean;
}

/** What a lint run produced, before formatting. */
export interface LintRun {
  /** The report every count and the exit code come from (baseline applied; not filtered by `quiet`). */
  report: LintReport;
  /** The report to show: `quiet`, `noSnippets` and `hosts` applied. */
  shown: LintReport;
  config: Config;
  /** Paths that do not exist (the CLI exits 2 after the report). */
  missing: string[];
  /** Directory arguments with nothing to lint (only with `passOnNoFiles`; else NothingToLintError is thrown). */
  nothingUnder: string[];
  /** A fix could not be written (`writeFixes`). */
  writeFailed: boolean;
  /** The files whose fixes could not be written, and why. */
  writeFailures: Array<{ file: string; reason: string }>;
  /** A result of the internal-error rule was reported. */
  internalError: boolean;
  /** The severity unused disable directives were reported with. */
  unusedSeverity: Severity | 'off';
}

/** Thrown when there is nothing to lint; carries what the CLI prints. */
export class NothingToLint extends Error {
  constructor(
    readonly missing: string[],
    readonly nothingUnder: string[],
  ) {
    super('nothing to lint');
  }
}

function unusedSeverityOf(value: LintOptions['reportUnusedDisableDirectives']): Severity | 'off' {
  if (value === undefined || value === false) return 'off';
  if (value === true) return 'error';
  const norm = value === 'warn' ? 'warning' : value;
  if (!['error', 'warning', 'note', 'off'].includes(norm)) throw new UsageError('--report-unused-disable-directives-severity takes error, warning, note or off');
  return norm;
}

/** Check `--ignore-pattern`s: globs of files, not empty, not negated. */
export function checkIgnorePatterns(patterns: readonly string[]): void {
  for (const p of patterns) {
    if (p === '' || p.startsWith('!')) throw new UsageError(`--ignore-pattern takes a glob of files to leave out (not empty, not negated with !): ${JSON.stringify(p)}`);
    try {
      pathGlob([p]);
    } catch (error) {
      if (error instanceof GlobError) throw new UsageError(`--ignore-pattern ${JSON.stringify(p)} ${error.message}`);
      throw error;
    }
  }
}

function maxFileBytesOf(value: number | string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const bytes = parseByteSize(value);
  if (bytes === undefined) throw new UsageError('--max-file-size takes a size of at least one byte: a number of bytes, or e.g. 512K, 64M, 1G');
  return bytes;
}

function isAsyncIterable(x: unknown): x is AsyncIterable<Uint8Array | string> {
  return typeof x === 'object' && x !== null && Symbol.asyncIterator in x;
}

/** The in-memory files as one repository scope (or the diagnostics that replace them). */
async function loadInMemory(files: InMemoryFile[], cwd: string, config: Config, maxFileBytes: number | undefined): Promise<{ scopes: Scope[]; diagnostics: LoadDiagnostic[] }> {
  const diagnostics: LoadDiagnostic[] = [];
  const sources = [];
  const limit = maxFileBytes ?? config.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  for (const input of files) {
    const name = input.path;
    const abs = path.resolve(cwd, name);
    const t = input.text;
    // Read as a file is: in chunks up to the size limit, then decoded (NUL bytes, UTF-16, invalid UTF-8 refused).
    const chunks = typeof t === 'string' || t instanceof Uint8Array ? [t] : isAsyncIterable(t) ? t : (t as Iterable<Uint8Array | string>);
    const read = await readStreamBounded(chunks, limit);
    const decoded = read.ok ? decode(read.bytes) : read;
    const text = decoded.ok ? decoded.text : '';
    const rel = displayPath(cwd, abs);
    // What cannot be read is a read-error naming it, whatever its name (it was asked for).
    if (!decoded.ok) {
      diagnostics.push({ ruleId: READ_ERROR, file: rel, message: `File ${decoded.reason}` });
      continue;
    }
    const language = config.languageFor(abs) ?? classifyRepoPath(rel, () => text)?.language;
    if (!language) {
      throw new UsageError(`cannot tell what kind of file \`${name}\` is; name it like sysctl.conf, sysctl.d/*.conf, resolv.conf, felix.cfg, *.conflist or *.yaml`);
    }
    // A template: the note, no rules (render it first).
    const note = language === 'kube' ? unrenderedNote({ abs, rel, cwd, text }) : undefined;
    if (note) {
      diagnostics.push(note);
      continue;
    }
    const file = sourceFile({ path: rel, absolutePath: abs, language, text });
    file.parsed = parseText(text, language);
    const chart = config.chartFor(abs);
    if (chart !== undefined) file.chart = chart;
    sources.push(file);
  }
  return { scopes: sources.length ? [new Scope({ kind: 'repository', name: '(repository)', files: sources, config })] : [], diagnostics };
}

/** The options checked and the configuration resolved: what a run needs before it loads anything. */
interface Prepared {
  cwd: string;
  warn: (message: string) => void;
  maxFileBytes: number | undefined;
  unusedSeverity: Severity | 'off';
  ignoreOptions: { ignorePatterns: string[]; noIgnore: boolean };
  config: Config;
  paths: string[];
}

function prepare(options: RunOptions): Prepared {
  const cwd = path.resolve(options.cwd ?? process.cwd());
  const warn = options.onWarning ?? (() => {});
  const paths = options.paths ?? [];
  if (options.files !== undefined && paths.length > 0) {
    throw new UsageError(`--stdin lints standard input only; lint ${paths.length === 1 ? 'the path' : 'the paths'} ${paths.map((p) => `\`${p}\``).join(', ')} in another run`);
  }
  if (options.files !== undefined && options.writeFixes) throw new UsageError('--fix cannot write to standard input; use --fix-dry-run --format json to see the fixed text');
  const maxFileBytes = maxFileBytesOf(options.maxFileSize);
  const unusedSeverity = unusedSeverityOf(options.reportUnusedDisableDirectives);
  const ignoreOptions = { ignorePatterns: options.ignorePatterns ?? [], noIgnore: options.noIgnore ?? false };
  checkIgnorePatterns(ignoreOptions.ignorePatterns);
  const config = options.resolvedConfig ?? resolveConfig({ cwd, config: options.config, rules: options.rules, warn });
  return { cwd, warn, maxFileBytes, unusedSeverity, ignoreOptions, config, paths: paths.length ? paths : ['.'] };
}

function loadOptions(p: Prepared, options: RunOptions) {
  // Kubernetes YAML: only the documents of a kind some enabled rule reads are parsed.
  const kubeDocuments = kubeDocumentSelector(options.ruleSet ?? allRules, p.config);
  return { cwd: p.cwd, config: p.config, ...p.ignoreOptions, ...(p.maxFileBytes !== undefined ? { maxFileBytes: p.maxFileBytes } : {}), ...(kubeDocuments ? { kubeDocuments } : {}) };
}

/**
 * Lint as `hostlint [lint]` does, up to the report. Throws UsageError,
 * ConfigError, WriteError, or NothingToLint.
 */
export async function runLint(options: RunOptions): Promise<LintRun> {
  const p = prepare(options);
  if (options.files !== undefined) {
    const { scopes, diagnostics } = await loadInMemory(options.files, p.cwd, p.config, p.maxFileBytes);
    return finish(p, options, { scopes, diagnostics, missing: [], nothingUnder: [], hosts: [] }, true);
  }
  return finish(p, options, await loadPathsAsync(p.paths, loadOptions(p, options)), false);
}

/**
 * `runLint` without waiting: paths only, and snapshot archives are not
 * opened (the tests' synchronous helper, test/helpers/lint.ts).
 */
export function runLintSync(options: RunOptions): LintRun {
  if (options.files !== undefined) throw new UsageError('runLintSync lints paths, not in-memory files');
  const p = prepare(options);
  return finish(p, options, loadPaths(p.paths, loadOptions(p, options)), false);
}

function finish(p: Prepared, options: RunOptions, loaded: Loaded, inMemory: boolean): LintRun {
  const { cwd, warn, config, unusedSeverity } = p;
  const { scopes, diagnostics, missing, nothingUnder, reportOnly } = loaded;
  if (nothingUnder.length > 0 && !options.passOnNoFiles) throw new NothingToLint(missing, nothingUnder);
  for (const m of missing) warn(`no such file or directory: ${m}`);

  const engineOptions = {
    config,
    rules: options.ruleSet ?? allRules,
    cwd,
    reportUnusedDisableDirectives: unusedSeverity,
    toolVersion: options.toolVersion ?? version(),
  };
  // Only the files named inside a snapshot are reported (and fixed); the rest
  // of the snapshot is there for its facts.
  const reported = (file: string) => isReported(reportOnly, file);
  let report: LintReport;
  const writeFailures: Array<{ file: string; reason: string }> = [];
  if (options.fix || options.writeFixes) {
    // Files that are not on disk as they are (members of a snapshot archive) are not fixed.
    const absolute = new Map(scopes.flatMap((s) => s.files.map((f) => [f.path, f.absolutePath] as const)));
    const onDisk = (file: string) => {
      try {
        return inMemory || statSync(absolute.get(file) ?? '').isFile();
      } catch {
        return false;
      }
    };
    const run = lintAndFix(scopes, diagnostics, engineOptions, { canFix: (file) => reported(file) && onDisk(file) });
    for (const w of run.warnings) warn(w);
    report = run.report;
    if (options.writeFixes) {
      const written = new Set<string>();
      for (const [file, entry] of run.fixed) {
        try {
          writeFixedFile(entry, written);
        } catch (error) {
          const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
          warn(`cannot write fixes to ${file}: ${reason}`);
          writeFailures.push({ file, reason });
        }
      }
    }
  } else {
    report = runScopes(scopes, diagnostics, engineOptions);
  }
  if (reportOnly) report = filterFiles(report, reported);
  const internalError = report.files.some((f) => f.results.some((r) => r.ruleId === INTERNAL_ERROR));

  let baseline: Set<string> | undefined;
  if (options.baseline) {
    try {
      baseline = readBaseline(path.resolve(cwd, options.baseline), options.baseline);
    } catch (error) {
      if (error instanceof BaselineError) throw new UsageError(error.message);
      throw error;
    }
  }
  if (options.writeBaseline) {
    // The baseline is the JSON report of every result that counts now (no fixed texts).
    const current = { ...report, files: report.files.map(({ output: _output, ...f }) => f) };
    const text = json(current, { color: false });
    try {
      writeOutputFile(path.resolve(cwd, options.writeBaseline), text);
    } catch (error) {
      throw new WriteError(options.writeBaseline, writeErrorText(error));
    }
    baseline ??= baselineFingerprints(current);
  }
  if (baseline) {
    report = applyBaseline(report, baseline, { justification: `In the baseline ${options.baseline ?? options.writeBaseline}` });
  }

  if (options.hosts) report = { ...report, hosts: lintHosts(scopes, report, cwd) };
  let shown = options.quiet ? onlyErrors(report) : report;
  if (options.noSnippets) shown = withoutSnippets(shown);
  return { report, shown, config, missing, nothingUnder, writeFailed: writeFailures.length > 0, writeFailures, internalError, unusedSeverity };
}

/** The host scopes of a lint run as fleet hosts (summaries included), in path order. */
function lintHosts(scopes: Scope[], report: LintReport, cwd: string): FleetHost[] {
  const out: FleetHost[] = [];
  for (const scope of scopes) {
    if (scope.kind !== 'host' || !scope.root) continue;
    const counts = emptyCounts();
    for (const f of report.files) countSeverities(f.results.filter((r) => (r.host ?? f.host) === scope.name), counts);
    const facts = scope.facts();
    const kubernetesNode = facts.kubernetesNode.known ? facts.kubernetesNode.value : null;
    out.push({
      host: scope.name,
      path: displayPath(cwd, scope.root),
      form: isArchiveName(scope.root) ? 'archive' : new DirectorySnapshot(scope.root).form,
      role: kubernetesNode ? 'kubernetes-node' : 'host',
      kubernetesNode,
      kernel: facts.kernel.known ? facts.kernel.value.release : null,
      ...counts,
      summary: summarizeHost(scope),
    });
  }
  return out;
}

/** The report without the flagged lines' text (`--no-snippets`): only positions, messages and fixes remain. */
function withoutSnippets(report: LintReport): LintReport {
  return { ...report, files: report.files.map((f) => ({ ...f, results: f.results.map(({ snippet: _snippet, ...r }) => r) })) };
}

function onlyErrors(report: LintReport): LintReport {
  return {
    ...report,
    files: report.files.map((f) => ({ ...f, results: f.results.filter((r) => r.severity === 'error') })).filter((f) => f.results.length > 0 || f.output !== undefined),
    warningCount: 0,
    noteCount: 0,
  };
}
