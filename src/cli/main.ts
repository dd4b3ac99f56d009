/**
 * The command line: arguments → engine → formatter → exit code.
 *
 * Exit codes: 0 no errors (and warnings within --max-warnings); 1 lint errors
 * (or too many warnings); 2 usage, configuration or internal failure.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { rules as allRules } from '../../rules/index.js';
import { Config, ConfigError, findConfigFile, loadConfig } from '../config/load.js';
import { catalogJson, catalogMarkdown, catalogText, ruleText, ruleMarkdown } from '../docs/render.js';
import { INTERNAL_ERROR, READ_ERROR } from '../engine/builtin.js';
import { applyBaseline, baselineFingerprints, filterFiles } from '../engine/baseline.js';
import { lintAndFix } from '../engine/fix.js';
import { kubeDocumentSelector, runScopes } from '../engine/linter.js';
import { displayPath, isReported, loadPathsAsync, parseText, type ReportFilter } from '../engine/load.js';
import { classifyRepoPath } from '../engine/classify.js';
import { decode, DEFAULT_MAX_FILE_BYTES, parseByteSize, readStreamBounded, sourceFile } from '../engine/read.js';
import { Scope, summarizeHost } from '../engine/scope.js';
import { isArchiveName } from '../engine/archive.js';
import { DirectorySnapshot } from '../engine/snapshot.js';
import { getFormatter, formatters } from '../formatters/index.js';
import { json } from '../formatters/json.js';
import type { FleetHost, LintReport, Severity } from '../types.js';
import { BaselineError, readBaseline } from './baseline.js';
import { writeFixedFile } from './fix-write.js';
import { OutputError, writeOutputFile } from './output.js';
import { auditCommand, configDigest } from './audit.js';
import { mergeCommand } from './merge.js';
import { parseShard, type Shard } from '../audit/shard.js';
import { collectScript } from '../collect/index.js';
import { escapeText, neutralizeOutput, safeReport } from '../util/escape.js';
import { COMMANDS, notApplicable, optionsHelp, optionTable, parseArgsOptions, useColor, type Command } from './options.js';
import { didYouMean } from '../suggest.js';
import { GlobError, pathGlob } from '../util/glob.js';
import { nothingToLintLine } from './nothing.js';
import { unrenderedNote } from '../engine/unrendered.js';

export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  stdin: () => Promise<string>;
  /** Standard input as a stream of chunks (`lint --stdin` stops reading at the size limit); else `stdin` is read whole. */
  stdinStream?: () => AsyncIterable<Uint8Array> | Iterable<Uint8Array>;
  cwd: string;
  isTTY: boolean;
  /** Whether standard error is a terminal (the audit's progress indicator); false when absent. */
  stderrIsTTY?: boolean;
  /** The terminal's width (stdout's columns), when stdout is a terminal: stylish wraps long messages to it. */
  columns?: number;
  env: NodeJS.ProcessEnv;
  /** Standard error without the escaping `main` adds (the audit's progress line writes its own control sequences). */
  rawStderr?: (s: string) => void;
}

const USAGE = `Usage: hostlint [lint] [options] [PATH ...]
       hostlint audit [options] PATH ...
       hostlint rules [--format text|json|markdown]
       hostlint explain [--format text|markdown] RULE
       hostlint merge [options] FILE ...
       hostlint collect > collect.sh

Lint sysctl.conf / sysctl.d, resolv.conf and Calico configuration in files,
directories and host snapshots (default: the current directory).
\`audit\` lints a fleet: every snapshot under the paths (directory, sosreport,
.tar.gz/.tgz/.tar.xz archive) is a host, linted in parallel, with a per-host and
per-rule summary. \`collect\` prints the shell script that collects a snapshot:
  ssh HOST sudo sh -s < collect.sh > HOST.tgz
`;

/** Every option: what it is, which subcommands take it, its help (src/cli/options.ts). */
export const OPTIONS = optionTable(Object.keys(formatters));

export const HELP = `${USAGE}${optionsHelp(OPTIONS)}
Exit codes: 0 no errors, 1 errors found (or too many warnings), 2 usage, configuration or internal failure.
`;

class UsageError extends Error {}

/**
 * A `.hostlint.yaml` found above the working directory that another user
 * owns (not root) is used, with a warning (as git's safe.directory warns):
 * on a shared machine it may not be the configuration the user meant.
 */
function warnForeignConfig(file: string, cwd: string, io: Io): void {
  if (path.dirname(file) === path.resolve(cwd)) return;
  const uid = process.getuid?.();
  if (uid === undefined) return;
  try {
    const owner = statSync(file).uid;
    if (owner !== uid && owner !== 0) io.stderr(`hostlint: warning: using ${escapeText(file)}, found above the working directory and owned by another user (uid ${owner}); pass --config to choose the configuration\n`);
  } catch {
    // gone: loadConfig names it
  }
}

/** Why a file could not be written: the error code, and what it means for the paths hostlint refuses. */
export function writeErrorText(error: unknown): string {
  if (error instanceof OutputError) return error.message ? `${error.code} (${error.message})` : error.code;
  return (error as NodeJS.ErrnoException).code ?? (error as Error).message;
}

export function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
    return pkg.version;
  } catch {
    return '0.0.0';
  }
}

export async function main(argv: string[], rawIo: Io): Promise<number> {
  // Untrusted text reaches stderr in many messages: none may carry a control
  // sequence or start a line with `::` (src/util/escape.ts).
  const io: Io = { ...rawIo, stderr: (s) => rawIo.stderr(neutralizeOutput(s)), rawStderr: rawIo.rawStderr ?? rawIo.stderr };
  try {
    return await run(argv, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`hostlint: ${escapeText(error.message)}\nRun \`hostlint --help\` for usage.\n`);
      return 2;
    }
    if (error instanceof ConfigError) {
      io.stderr(`hostlint: configuration error: ${escapeText(error.message)}\n`);
      return 2;
    }
    const detail = error instanceof Error ? error.message : String(error);
    io.stderr(`hostlint: internal error: ${escapeText(detail)}\n${io.env.HOSTLINT_DEBUG ? `${(error as Error).stack}\n` : 'Set HOSTLINT_DEBUG=1 for details, and please report this.\n'}`);
    return 2;
  }
}

async function run(argv: string[], io: Io): Promise<number> {
  const { values, command, rest } = parseCommandLine(argv, io.cwd);
  if (values.help) {
    io.stdout(HELP);
    return 0;
  }
  if (values.version) {
    io.stdout(`${version()}\n`);
    return 0;
  }
  if (command === 'rules') return rulesCommand(rest, values.format, io);
  if (command === 'collect') {
    if (rest.length) throw new UsageError(`\`hostlint collect\` takes no arguments (got ${rest.join(' ')})`);
    io.stdout(collectScript());
    return 0;
  }
  if (command === 'explain') return explainCommand(rest, values.format, io);
  const paths = rest;
  let concurrency: number | undefined;
  if (values.concurrency !== undefined) {
    if (!/^[1-9]\d*$/.test(values.concurrency)) throw new UsageError('--concurrency takes a whole number of at least 1');
    concurrency = Number(values.concurrency);
  }
  let hostTimeoutMs: number | undefined;
  if (values['host-timeout'] !== undefined) {
    if (!/^(?:\d+(?:\.\d+)?|\.\d+)$/.test(values['host-timeout']) || Number(values['host-timeout']) <= 0) throw new UsageError('--host-timeout takes a number of seconds greater than 0');
    hostTimeoutMs = Math.ceil(Number(values['host-timeout']) * 1000);
    // Node's timers hold at most 2^31 - 1 ms (a longer one fires at once).
    if (hostTimeoutMs > 2 ** 31 - 1) throw new UsageError(`--host-timeout takes at most ${Math.floor((2 ** 31 - 1) / 1000)} seconds`);
    if (concurrency === 1) throw new UsageError('--host-timeout needs worker threads: with --concurrency 1 hosts are linted on the main thread, which cannot be stopped');
  }

  const formatName = values.format ?? 'stylish';
  const formatter = getFormatter(formatName);
  if (!formatter) throw new UsageError(`unknown format \`${formatName}\` (choose from ${Object.keys(formatters).join(', ')})${didYouMean(formatName, Object.keys(formatters))}`);
  let maxFileBytes: number | undefined;
  if (values['max-file-size'] !== undefined) {
    maxFileBytes = parseByteSize(values['max-file-size']);
    if (maxFileBytes === undefined) throw new UsageError('--max-file-size takes a size of at least one byte: a number of bytes, or e.g. 512K, 64M, 1G');
  }
  let maxWarnings = -1;
  if (values['max-warnings'] !== undefined) {
    if (!/^-?\d+$/.test(values['max-warnings'])) throw new UsageError('--max-warnings takes a whole number');
    maxWarnings = Number(values['max-warnings']);
  }
  let unusedSeverity: Severity | 'off' = 'off';
  if (values['report-unused-disable-directives'] || values['report-unused-disable-directives-severity']) {
    const s = values['report-unused-disable-directives-severity'] ?? 'error';
    const norm = s === 'warn' ? 'warning' : s;
    if (!['error', 'warning', 'note', 'off'].includes(norm)) throw new UsageError('--report-unused-disable-directives-severity takes error, warning, note or off');
    unusedSeverity = norm as Severity | 'off';
  }

  const cwd = io.cwd;
  const knownRules = new Map(allRules.map((r) => [r.meta.id, r.meta.schema] as const));
  let config: Config;
  if (values.config) {
    config = loadConfig(path.resolve(cwd, values.config), knownRules, cwd);
  } else {
    const found = findConfigFile(cwd);
    if (found) warnForeignConfig(found, cwd, io);
    config = found ? loadConfig(found, knownRules, cwd) : Config.empty(cwd);
  }
  let shard: Shard | undefined;
  if (values.shard !== undefined) {
    if (command !== 'audit') throw new UsageError('--shard is an option of `hostlint audit`');
    const parsedShard = parseShard(values.shard);
    if (typeof parsedShard === 'string') throw new UsageError(parsedShard);
    shard = parsedShard;
    if (values.baseline || values['write-baseline']) throw new UsageError('a shard does not take --baseline or --write-baseline: give them to `hostlint merge`');
  }
  const ignoreOptions = { ignorePatterns: values['ignore-pattern'] ?? [], noIgnore: values['no-ignore'] ?? false };
  for (const p of ignoreOptions.ignorePatterns) {
    if (p === '' || p.startsWith('!')) throw new UsageError(`--ignore-pattern takes a glob of files to leave out (not empty, not negated with !): ${JSON.stringify(p)}`);
    try {
      pathGlob([p]);
    } catch (error) {
      if (error instanceof GlobError) throw new UsageError(`--ignore-pattern ${JSON.stringify(p)} ${error.message}`);
      throw error;
    }
  }
  if (command === 'audit') {
    if (values.stdin || paths.includes('-')) throw new UsageError('`hostlint audit` reads snapshots from paths, not standard input');
    if (values.fix || values['fix-dry-run']) throw new UsageError('`hostlint audit` does not take --fix or --fix-dry-run');
    return auditCommand({ paths: paths.length ? paths : ['.'], ...ignoreOptions, config, formatName, maxWarnings, unusedSeverity, concurrency, hostTimeoutMs, shard, values, io });
  }
  if (command === 'merge') {
    if (values.fix || values['fix-dry-run'] || values.stdin) throw new UsageError('`hostlint merge` does not take --fix, --fix-dry-run or --stdin');
    if (rest.length === 0) throw new UsageError('`hostlint merge` needs the shards\' NDJSON files (or - for standard input)');
    return mergeCommand({ files: rest, config, formatName, maxWarnings, unusedSeverity: values['report-unused-disable-directives'] || values['report-unused-disable-directives-severity'] ? unusedSeverity : undefined, values, io });
  }

  const useStdin = values.stdin || paths.includes('-');
  // Standard input is linted alone: paths named beside it would be ignored
  // silently (ESLint's behaviour), and their errors lost from the exit code.
  const besideStdin = paths.filter((p) => p !== '-');
  if (useStdin && besideStdin.length > 0) throw new UsageError(`--stdin lints standard input only; lint ${besideStdin.length === 1 ? 'the path' : 'the paths'} ${besideStdin.map((p) => `\`${p}\``).join(', ')} in another run`);
  if (useStdin && values.fix) throw new UsageError('--fix cannot write to standard input; use --fix-dry-run --format json to see the fixed text');
  let scopes: Scope[];
  let diagnostics: Parameters<typeof runScopes>[1] = [];
  let missing: string[] = [];
  let reportOnly: ReportFilter | undefined;
  if (useStdin) {
    const name = values['stdin-filename'];
    if (!name) throw new UsageError('--stdin needs --stdin-filename NAME so hostlint knows what the text is (e.g. /etc/sysctl.d/90-net.conf)');
    const abs = path.resolve(cwd, name);
    const limit = maxFileBytes ?? config.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
    // Read as a file is: in chunks up to the size limit, then decoded (NUL bytes, UTF-16, invalid UTF-8 refused).
    const read = await readStreamBounded(io.stdinStream ? io.stdinStream() : [await io.stdin()], limit);
    const decoded = read.ok ? decode(read.bytes) : read;
    const text = decoded.ok ? decoded.text : '';
    // What cannot be read is a read-error naming it, whatever its name (it was asked for).
    const language = decoded.ok ? (config.languageFor(abs) ?? classifyRepoPath(displayPath(cwd, abs), () => text)?.language) : undefined;
    if (!decoded.ok) {
      diagnostics = [{ ruleId: READ_ERROR, file: displayPath(cwd, abs), message: `File ${decoded.reason}` }];
      scopes = [];
    } else if (!language) {
      throw new UsageError(`cannot tell what kind of file \`${name}\` is; name it like sysctl.conf, sysctl.d/*.conf, resolv.conf, felix.cfg, *.conflist or *.yaml`);
    } else if (language === 'kube' && unrenderedNote({ abs, rel: displayPath(cwd, abs), cwd, text })) {
      // A template on standard input: the note, no rules (render it first).
      diagnostics = [unrenderedNote({ abs, rel: displayPath(cwd, abs), cwd, text })!];
      scopes = [];
    } else {
      const file = sourceFile({ path: displayPath(cwd, abs), absolutePath: abs, language, text });
      file.parsed = parseText(text, language);
      const chart = config.chartFor(abs);
      if (chart !== undefined) file.chart = chart;
      scopes = [new Scope({ kind: 'repository', name: '(repository)', files: [file], config })];
    }
  } else {
    const kubeDocuments = kubeDocumentSelector(allRules, config);
    const loaded = await loadPathsAsync(paths.length ? paths : ['.'], { cwd, config, ...ignoreOptions, ...(maxFileBytes !== undefined ? { maxFileBytes } : {}), ...(kubeDocuments ? { kubeDocuments } : {}) });
    scopes = loaded.scopes;
    diagnostics = loaded.diagnostics;
    missing = loaded.missing;
    reportOnly = loaded.reportOnly;
    if (loaded.nothingUnder.length > 0 && !values['pass-on-no-files']) {
      for (const m of missing) io.stderr(`hostlint: no such file or directory: ${escapeText(m)}\n`);
      for (const arg of loaded.nothingUnder) io.stderr(nothingToLintLine(arg));
      return 2;
    }
  }
  for (const m of missing) io.stderr(`hostlint: no such file or directory: ${escapeText(m)}\n`);

  const engineOptions = {
    config,
    rules: allRules,
    cwd,
    reportUnusedDisableDirectives: unusedSeverity,
    toolVersion: version(),
  };
  // Only the files named inside a snapshot are reported (and fixed); the rest
  // of the snapshot is there for its facts.
  const reported = (file: string) => isReported(reportOnly, file);
  let report: LintReport;
  let writeFailed = false;
  if (values.fix || values['fix-dry-run']) {
    // Files that are not on disk as they are (members of a snapshot archive) are not fixed.
    const absolute = new Map(scopes.flatMap((s) => s.files.map((f) => [f.path, f.absolutePath] as const)));
    const onDisk = (file: string) => {
      try {
        return useStdin || statSync(absolute.get(file) ?? '').isFile();
      } catch {
        return false;
      }
    };
    const run = lintAndFix(scopes, diagnostics, engineOptions, { canFix: (file) => reported(file) && onDisk(file) });
    for (const w of run.warnings) io.stderr(`hostlint: ${escapeText(w)}\n`);
    report = run.report;
    if (values.fix) {
      const written = new Set<string>();
      for (const [file, entry] of run.fixed) {
        try {
          writeFixedFile(entry, written);
        } catch (error) {
          io.stderr(`hostlint: cannot write fixes to ${escapeText(file)}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}\n`);
          writeFailed = true;
        }
      }
    }
  } else {
    report = runScopes(scopes, diagnostics, engineOptions);
  }
  if (reportOnly) report = filterFiles(report, reported);
  const internalError = report.files.some((f) => f.results.some((r) => r.ruleId === INTERNAL_ERROR));

  let baseline: Set<string> | undefined;
  if (values.baseline) {
    try {
      baseline = readBaseline(path.resolve(cwd, values.baseline), values.baseline);
    } catch (error) {
      if (error instanceof BaselineError) throw new UsageError(error.message);
      throw error;
    }
  }
  if (values['write-baseline']) {
    // The baseline is the JSON report of every result that counts now (no fixed texts).
    const current = { ...report, files: report.files.map(({ output: _output, ...f }) => f) };
    const text = json(current, { color: false });
    try {
      writeOutputFile(path.resolve(cwd, values['write-baseline']), text);
    } catch (error) {
      io.stderr(`hostlint: cannot write ${escapeText(values['write-baseline'])}: ${writeErrorText(error)}\n`);
      return 2;
    }
    baseline ??= baselineFingerprints(current);
  }
  if (baseline) {
    report = applyBaseline(report, baseline, { justification: `In the baseline ${values.baseline ?? values['write-baseline']}` });
  }

  // Formats that show hosts (ndjson, html) get them: the snapshots linted, with their facts.
  if (formatName === 'ndjson' || formatName === 'html') report = { ...report, hosts: lintHosts(scopes, report, cwd) };
  let shown = values.quiet ? onlyErrors(report) : report;
  if (values['no-snippets']) shown = withoutSnippets(shown);
  const color = useColor(values, io.env, io.isTTY, Boolean(values['output-file']));
  const width = io.isTTY && !values['output-file'] ? io.columns : undefined;
  const output = safeReport(formatName, formatter(shown, {
    color,
    ...(width ? { width } : {}),
    timestamp: new Date().toISOString(),
    ndjson: { command: 'lint', configDigest: configDigest(config), shard: null, reportUnusedDisableDirectives: unusedSeverity },
    sarifCategory: values['sarif-category'],
    includeSuppressed: values['include-suppressed'] ?? false,
    warn: (message) => io.stderr(`hostlint: ${escapeText(message)}\n`),
  }));
  if (values['output-file']) {
    try {
      writeOutputFile(path.resolve(cwd, values['output-file']), output);
    } catch (error) {
      io.stderr(`hostlint: cannot write ${escapeText(values['output-file'])}: ${writeErrorText(error)}\n`);
      return 2;
    }
  }
  else io.stdout(output);

  if (missing.length > 0 || writeFailed) return 2;
  if (internalError) return 2;
  if (report.errorCount > 0) return 1;
  if (maxWarnings >= 0 && report.warningCount > maxWarnings) {
    io.stderr(`hostlint found too many warnings (maximum: ${maxWarnings}).\n`);
    return 1;
  }
  return 0;
}

interface CommandLine {
  values: ParsedValues;
  positionals: string[];
  /** The subcommand (\`lint\` when none is named). */
  command: Command;
  /** The positionals after the subcommand's name. */
  rest: string[];
}

type ParsedValues = {
  format?: string;
  'output-file'?: string;
  config?: string;
  'max-warnings'?: string;
  quiet?: boolean;
  'report-unused-disable-directives'?: boolean;
  'report-unused-disable-directives-severity'?: string;
  'include-suppressed'?: boolean;
  'sarif-category'?: string;
  shard?: string;
  'ignore-pattern'?: string[];
  'no-ignore'?: boolean;
  'pass-on-no-files'?: boolean;
  concurrency?: string;
  'host-timeout'?: string;
  fix?: boolean;
  'fix-dry-run'?: boolean;
  baseline?: string;
  'write-baseline'?: string;
  'max-file-size'?: string;
  'no-snippets'?: boolean;
  stdin?: boolean;
  'stdin-filename'?: string;
  color?: boolean;
  'no-color'?: boolean;
  help?: boolean;
  version?: boolean;
};

/**
 * Parses the arguments against the option table: an unknown flag, a
 * misspelt subcommand, or an option given to a subcommand that does not
 * take it is a usage error (with "did you mean" where something is close).
 */
function parseCommandLine(argv: string[], cwd: string): CommandLine {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, strict: true, tokens: true, options: parseArgsOptions(OPTIONS) });
  } catch (error) {
    const message = (error as Error).message.replace(/\. To specify a positional argument.*$/s, '');
    const unknown = (error as NodeJS.ErrnoException).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? /^Unknown option '(--[^'=]*)/.exec(message)?.[1] : undefined;
    const hint = unknown ? didYouMean(unknown.slice(2), OPTIONS.map((o) => o.name), ' (', (s) => `'--${s}'`) : '';
    throw new UsageError(hint ? `${message}${hint})` : message);
  }
  const { values, positionals, tokens } = parsed;
  const named = (COMMANDS as readonly string[]).includes(positionals[0] ?? '') ? (positionals[0] as Command) : undefined;
  const command: Command = named ?? 'lint';
  if (!named && positionals[0] !== undefined && !positionals[0].includes('/') && !existsSync(path.resolve(cwd, positionals[0]))) {
    const hint = didYouMean(positionals[0], COMMANDS, '; ');
    if (hint) throw new UsageError(`\`${positionals[0]}\` is neither a command nor a file or directory${hint}`);
  }
  if (!values.help && !values.version) {
    for (const token of tokens ?? []) {
      if (token.kind !== 'option') continue;
      const spec = OPTIONS.find((o) => o.name === token.name);
      const reason = spec && notApplicable(spec, command);
      if (reason) throw new UsageError(reason);
    }
  }
  return { values: values as ParsedValues, positionals, command, rest: named ? positionals.slice(1) : positionals };
}

/** The host scopes of a lint run as fleet hosts (summaries included), in path order. */
function lintHosts(scopes: Scope[], report: LintReport, cwd: string): FleetHost[] {
  const out: FleetHost[] = [];
  for (const scope of scopes) {
    if (scope.kind !== 'host' || !scope.root) continue;
    const counts = { errorCount: 0, warningCount: 0, noteCount: 0 };
    for (const f of report.files) {
      for (const r of f.results) {
        if ((r.host ?? f.host) !== scope.name || r.suppressions?.length) continue;
        counts[r.severity === 'error' ? 'errorCount' : r.severity === 'warning' ? 'warningCount' : 'noteCount']++;
      }
    }
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

function rulesCommand(args: string[], format: string | undefined, io: Io): number {
  if (args.length) throw new UsageError(`\`hostlint rules\` takes no arguments (got ${args.join(' ')})`);
  const metas = allRules.map((r) => r.meta).sort((a, b) => (a.id < b.id ? -1 : 1));
  const f = format ?? 'text';
  if (f === 'json') io.stdout(catalogJson(metas));
  else if (f === 'markdown') io.stdout(catalogMarkdown(metas));
  else if (f === 'text') io.stdout(catalogText(metas));
  else throw new UsageError(`unknown format \`${f}\` for \`hostlint rules\` (choose from text, json, markdown)${didYouMean(f, ['text', 'json', 'markdown'])}`);
  return 0;
}

function explainCommand(args: string[], format: string | undefined, io: Io): number {
  if (args.length !== 1) throw new UsageError('`hostlint explain` takes one rule id');
  const rule = allRules.find((r) => r.meta.id === args[0]);
  if (!rule) throw new UsageError(`unknown rule \`${args[0]}\`${didYouMean(args[0]!, allRules.map((r) => r.meta.id))} (\`hostlint rules\` lists them)`);
  const f = format ?? 'text';
  if (f === 'markdown') io.stdout(ruleMarkdown(rule.meta));
  else if (f === 'text') io.stdout(ruleText(rule.meta));
  else throw new UsageError(`unknown format \`${f}\` for \`hostlint explain\` (choose from text, markdown)${didYouMean(f, ['text', 'markdown'])}`);
  return 0;
}
