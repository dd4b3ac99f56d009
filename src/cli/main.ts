/**
 * The command line: arguments → the lint pipeline (src/api/lint.ts, which the
 * programmatic API runs too) → formatter → exit code.
 *
 * Exit codes: 0 no errors (and warnings within --max-warnings); 1 lint errors
 * (or too many warnings); 2 usage, configuration or internal failure.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { rules as allRules } from '../../rules/index.js';
import { ConfigError } from '../config/load.js';
import { catalogJson, catalogMarkdown, catalogText, ruleText, ruleMarkdown } from '../docs/render.js';
import { parseByteSize } from '../engine/read.js';
import { getFormatter, formatters } from '../formatters/index.js';
import type { Severity } from '../types.js';
import { writeOutputFile } from './output.js';
import { auditCommand, configDigest } from './audit.js';
import { mergeCommand } from './merge.js';
import { parseShard, type Shard } from '../audit/shard.js';
import { collectScript } from '../collect/index.js';
import { escapeText, neutralizeOutput, safeReport } from '../util/escape.js';
import { COMMANDS, notApplicable, optionsHelp, optionTable, parseArgsOptions, useColor, type Command } from './options.js';
import { didYouMean } from '../suggest.js';
import { nothingToLintLine } from './nothing.js';
import { writeErrorText, type Io } from './io.js';
import { version } from '../version.js';
import { resolveConfig } from '../api/config.js';
import { UsageError, WriteError } from '../api/errors.js';
import { checkIgnorePatterns, NothingToLint, runLint, type InMemoryFile } from '../api/lint.js';

export type { Io } from './io.js';

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
    if (error instanceof WriteError) {
      io.stderr(`hostlint: ${escapeText(error.message)}\n`);
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
  const config = resolveConfig({ cwd, config: values.config || undefined, warn: (m) => io.stderr(`hostlint: ${escapeText(m)}\n`) });
  let shard: Shard | undefined;
  if (values.shard !== undefined) {
    if (command !== 'audit') throw new UsageError('--shard is an option of `hostlint audit`');
    const parsedShard = parseShard(values.shard);
    if (typeof parsedShard === 'string') throw new UsageError(parsedShard);
    shard = parsedShard;
    if (values.baseline || values['write-baseline']) throw new UsageError('a shard does not take --baseline or --write-baseline: give them to `hostlint merge`');
  }
  const ignoreOptions = { ignorePatterns: values['ignore-pattern'] ?? [], noIgnore: values['no-ignore'] ?? false };
  checkIgnorePatterns(ignoreOptions.ignorePatterns);
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
  let files: InMemoryFile[] | undefined;
  if (useStdin) {
    const name = values['stdin-filename'];
    if (!name) throw new UsageError('--stdin needs --stdin-filename NAME so hostlint knows what the text is (e.g. /etc/sysctl.d/90-net.conf)');
    files = [{ path: name, text: io.stdinStream ? io.stdinStream() : [await io.stdin()] }];
  }

  const warn = (message: string) => io.stderr(`hostlint: ${escapeText(message)}\n`);
  let run;
  try {
    run = await runLint({
      cwd,
      ...(files ? { files } : { paths }),
      resolvedConfig: config,
      fix: values['fix-dry-run'] ?? false,
      writeFixes: values.fix ?? false,
      ...(values.baseline ? { baseline: values.baseline } : {}),
      ...(values['write-baseline'] ? { writeBaseline: values['write-baseline'] } : {}),
      quiet: values.quiet ?? false,
      noSnippets: values['no-snippets'] ?? false,
      hosts: formatName === 'ndjson' || formatName === 'html',
      ...ignoreOptions,
      ...(maxFileBytes !== undefined ? { maxFileSize: maxFileBytes } : {}),
      reportUnusedDisableDirectives: unusedSeverity,
      passOnNoFiles: values['pass-on-no-files'] ?? false,
      onWarning: warn,
    });
  } catch (error) {
    if (!(error instanceof NothingToLint)) throw error;
    for (const m of error.missing) warn(`no such file or directory: ${m}`);
    for (const arg of error.nothingUnder) io.stderr(nothingToLintLine(arg));
    return 2;
  }
  const { report, shown } = run;

  const color = useColor(values, io.env, io.isTTY, Boolean(values['output-file']));
  const width = io.isTTY && !values['output-file'] ? io.columns : undefined;
  const output = safeReport(formatName, formatter(shown, {
    color,
    ...(width ? { width } : {}),
    timestamp: new Date().toISOString(),
    // The configuration's digest (a SHA-256) only where it is written.
    ...(formatName === 'ndjson' ? { ndjson: { command: 'lint' as const, configDigest: configDigest(config), shard: null, reportUnusedDisableDirectives: unusedSeverity } } : {}),
    sarifCategory: values['sarif-category'],
    includeSuppressed: values['include-suppressed'] ?? false,
    warn,
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

  if (run.missing.length > 0 || run.writeFailed) return 2;
  if (run.internalError) return 2;
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
