/**
 * The command line: arguments → engine → formatter → exit code.
 *
 * Exit codes: 0 no errors (and warnings within --max-warnings); 1 lint errors
 * (or too many warnings); 2 usage, configuration or internal failure.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { rules as allRules } from '../../rules/index.js';
import { Config, ConfigError, findConfigFile, loadConfig } from '../config/load.js';
import { catalogJson, catalogMarkdown, catalogText, ruleText, ruleMarkdown } from '../docs/render.js';
import { INTERNAL_ERROR, READ_ERROR } from '../engine/builtin.js';
import { applyBaseline, baselineFingerprints, filterFiles } from '../engine/baseline.js';
import { lintAndFix } from '../engine/fix.js';
import { runScopes } from '../engine/linter.js';
import { displayPath, isReported, loadPathsAsync, parseText, type ReportFilter } from '../engine/load.js';
import { classifyRepoPath } from '../engine/classify.js';
import { DEFAULT_MAX_FILE_BYTES, overLimitReason, parseByteSize, sourceFile } from '../engine/read.js';
import { Scope } from '../engine/scope.js';
import { getFormatter, formatters } from '../formatters/index.js';
import { json } from '../formatters/json.js';
import type { LintReport, Severity } from '../types.js';
import { BaselineError, readBaseline } from './baseline.js';
import { writeFixedFile } from './fix-write.js';
import { OutputError, writeOutputFile } from './output.js';
import { auditCommand } from './audit.js';
import { collectScript } from '../collect/index.js';
import { escapeText, neutralizeOutput, safeReport } from '../util/escape.js';

export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  stdin: () => Promise<string>;
  cwd: string;
  isTTY: boolean;
  /** Whether standard error is a terminal (the audit's progress indicator); false when absent. */
  stderrIsTTY?: boolean;
  env: NodeJS.ProcessEnv;
  /** Standard error without the escaping `main` adds (the audit's progress line writes its own control sequences). */
  rawStderr?: (s: string) => void;
}

const HELP = `Usage: hostlint [lint] [options] [PATH ...]
       hostlint rules [--format text|json|markdown]
       hostlint explain RULE
       hostlint audit [options] [--concurrency N] PATH ...
       hostlint collect > collect.sh

Lint sysctl.conf / sysctl.d, resolv.conf and Calico configuration in files,
directories and host snapshots (default: the current directory).
\`audit\` lints a fleet: every snapshot under the paths (directory, sosreport,
.tar.gz/.tgz/.tar.xz archive) is a host, linted in parallel, with a per-host and
per-rule summary. \`collect\` prints the shell script that collects a snapshot:
  ssh HOST sudo sh -s < collect.sh > HOST.tgz

Options:
  -f, --format NAME                   Output format: ${Object.keys(formatters).join(', ')} (default: stylish)
  -o, --output-file FILE              Write the report to FILE (atomically) instead of stdout
  -c, --config FILE                   Use this configuration file instead of looking for .hostlint.yaml
      --max-warnings N                Exit 1 when there are more than N warnings
      --quiet                         Report errors only
      --report-unused-disable-directives
                                      Report hostlint-disable comments that suppress nothing
      --report-unused-disable-directives-severity SEVERITY
                                      Severity for them: error, warning or note (default: error)
      --include-suppressed            Include suppressed results in the output (SARIF: with suppressions)
      --sarif-category CATEGORY       SARIF automationDetails.id category (one per analysis)
      --fix                           Apply the rules' fixes to the files (atomically), then report what is left
      --fix-dry-run                   Compute the fixes without writing; --format json shows each fixed file's output
      --baseline FILE                 Report only results whose fingerprint is not in FILE (an earlier JSON or SARIF output)
      --write-baseline FILE           Write the current results to FILE (JSON) as the baseline; without --baseline,
                                      this run then reports nothing as new
      --max-file-size SIZE            Do not read files larger than SIZE (bytes, or e.g. 64M; default 8M)
      --host-timeout SECONDS          \`audit\`: stop a worker that spends longer on one host (default 120); the host gets an internal-error
      --no-snippets                   Leave the flagged line's text out of the output (SARIF context snippets)
      --stdin                         Lint standard input (also: a PATH of -)
      --stdin-filename NAME           The path standard input is linted as (decides its language)
      --color, --no-color             Force or disable colours (default: on for a terminal)
  -h, --help                          Show this help
  -v, --version                       Show the version

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
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        format: { type: 'string', short: 'f' },
        'output-file': { type: 'string', short: 'o' },
        config: { type: 'string', short: 'c' },
        'max-warnings': { type: 'string' },
        quiet: { type: 'boolean' },
        'report-unused-disable-directives': { type: 'boolean' },
        'report-unused-disable-directives-severity': { type: 'string' },
        'include-suppressed': { type: 'boolean' },
        'sarif-category': { type: 'string' },
        concurrency: { type: 'string' },
        'host-timeout': { type: 'string' },
        fix: { type: 'boolean' },
        'fix-dry-run': { type: 'boolean' },
        baseline: { type: 'string' },
        'write-baseline': { type: 'string' },
        'max-file-size': { type: 'string' },
        'no-snippets': { type: 'boolean' },
        stdin: { type: 'boolean' },
        'stdin-filename': { type: 'string' },
        color: { type: 'boolean' },
        'no-color': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/\. To specify a positional argument.*$/s, ''));
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(HELP);
    return 0;
  }
  if (values.version) {
    io.stdout(`${version()}\n`);
    return 0;
  }
  const [command, ...rest] = positionals;
  if (command === 'rules') return rulesCommand(rest, values.format, io);
  if (command === 'collect') {
    if (rest.length) throw new UsageError(`\`hostlint collect\` takes no arguments (got ${rest.join(' ')})`);
    io.stdout(collectScript());
    return 0;
  }
  if (command === 'explain') return explainCommand(rest, values.format, io);
  const paths = command === 'lint' || command === 'audit' ? rest : positionals;
  let concurrency: number | undefined;
  if (values.concurrency !== undefined) {
    if (command !== 'audit') throw new UsageError('--concurrency is an option of `hostlint audit`');
    if (!/^[1-9]\d*$/.test(values.concurrency)) throw new UsageError('--concurrency takes a whole number of at least 1');
    concurrency = Number(values.concurrency);
  }
  let hostTimeoutMs: number | undefined;
  if (values['host-timeout'] !== undefined) {
    if (command !== 'audit') throw new UsageError('--host-timeout is an option of `hostlint audit`');
    if (!/^(?:\d+(?:\.\d+)?|\.\d+)$/.test(values['host-timeout']) || Number(values['host-timeout']) <= 0) throw new UsageError('--host-timeout takes a number of seconds greater than 0');
    hostTimeoutMs = Math.ceil(Number(values['host-timeout']) * 1000);
    // Node's timers hold at most 2^31 - 1 ms (a longer one fires at once).
    if (hostTimeoutMs > 2 ** 31 - 1) throw new UsageError(`--host-timeout takes at most ${Math.floor((2 ** 31 - 1) / 1000)} seconds`);
    if (concurrency === 1) throw new UsageError('--host-timeout needs worker threads: with --concurrency 1 hosts are linted on the main thread, which cannot be stopped');
  }

  const formatName = values.format ?? 'stylish';
  const formatter = getFormatter(formatName);
  if (!formatter) throw new UsageError(`unknown format \`${formatName}\` (choose from ${Object.keys(formatters).join(', ')})`);
  let maxFileBytes: number | undefined;
  if (values['max-file-size'] !== undefined) {
    maxFileBytes = parseByteSize(values['max-file-size']);
    if (maxFileBytes === undefined) throw new UsageError('--max-file-size takes a size of at least one byte: a number of bytes, or e.g. 512K, 64M, 1G');
    if (command === 'audit') throw new UsageError('--max-file-size is an option of `hostlint lint`; for `hostlint audit` set `maxFileSize` in .hostlint.yaml');
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
  if (command === 'audit') {
    if (values.stdin || paths.includes('-')) throw new UsageError('`hostlint audit` reads snapshots from paths, not standard input');
    if (values.fix || values['fix-dry-run'] || values.baseline || values['write-baseline']) throw new UsageError('`hostlint audit` does not take --fix, --fix-dry-run, --baseline or --write-baseline');
    return auditCommand({ paths: paths.length ? paths : ['.'], config, formatName, maxWarnings, unusedSeverity, concurrency, hostTimeoutMs, values, io });
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
    const text = (await io.stdin()).replace(/^\uFEFF/, '');
    const abs = path.resolve(cwd, name);
    const language = config.languageFor(abs) ?? classifyRepoPath(displayPath(cwd, abs), () => text)?.language;
    if (!language) throw new UsageError(`cannot tell what kind of file \`${name}\` is; name it like sysctl.conf, sysctl.d/*.conf, resolv.conf, felix.cfg, *.conflist or *.yaml`);
    const limit = maxFileBytes ?? config.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
    const size = Buffer.byteLength(text, 'utf8');
    if (size > limit) {
      diagnostics = [{ ruleId: READ_ERROR, file: displayPath(cwd, abs), message: `File ${overLimitReason(size, limit)}` }];
      scopes = [];
    } else {
      const file = sourceFile({ path: displayPath(cwd, abs), absolutePath: abs, language, text });
      file.parsed = parseText(text, language);
      scopes = [new Scope({ kind: 'repository', name: '(repository)', files: [file], config })];
    }
  } else {
    const loaded = await loadPathsAsync(paths.length ? paths : ['.'], { cwd, config, ...(maxFileBytes !== undefined ? { maxFileBytes } : {}) });
    scopes = loaded.scopes;
    diagnostics = loaded.diagnostics;
    missing = loaded.missing;
    reportOnly = loaded.reportOnly;
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

  let shown = values.quiet ? onlyErrors(report) : report;
  if (values['no-snippets']) shown = withoutSnippets(shown);
  const color = values['no-color'] ? false : values.color ? true : io.isTTY && !io.env.NO_COLOR && !values['output-file'];
  const output = safeReport(formatName, formatter(shown, {
    color,
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
  else throw new UsageError(`unknown format \`${f}\` for \`hostlint rules\` (choose from text, json, markdown)`);
  return 0;
}

function explainCommand(args: string[], format: string | undefined, io: Io): number {
  if (args.length !== 1) throw new UsageError('`hostlint explain` takes one rule id');
  const rule = allRules.find((r) => r.meta.id === args[0]);
  if (!rule) throw new UsageError(`unknown rule \`${args[0]}\` (\`hostlint rules\` lists them)`);
  const f = format ?? 'text';
  if (f === 'markdown') io.stdout(ruleMarkdown(rule.meta));
  else if (f === 'text') io.stdout(ruleText(rule.meta));
  else throw new UsageError(`unknown format \`${f}\` for \`hostlint explain\` (choose from text, markdown)`);
  return 0;
}
