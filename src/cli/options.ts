/**
 * The command line's options: one table says what each option is, which
 * subcommands take it, and what `--help` says about it. The parser
 * (`parseArgs`), the usage errors for an option given to a subcommand it does
 * not apply to, the "did you mean" for a misspelt flag and the help text are
 * all made from it.
 */
import type { ParseArgsConfig } from 'node:util';

export const COMMANDS = ['lint', 'audit', 'merge', 'rules', 'explain', 'collect'] as const;
export type Command = (typeof COMMANDS)[number];

export interface OptionSpec {
  /** Long name, without `--`. */
  name: string;
  short?: string;
  type: 'string' | 'boolean';
  multiple?: boolean;
  /** The value's placeholder in `--help` (string options). */
  arg?: string;
  /** The subcommands that take it; `help` and `version` apply everywhere. */
  commands: readonly Command[];
  /** Lines of help text (the first is the summary). */
  help: string[];
  /** Said after the usage error when given to `command` (what to do instead). */
  instead?: Partial<Record<Command, string>>;
  /** Listed in --help together with the option before it (`--color, --no-color`). */
  pairedWith?: string;
}

const LINT_AUDIT: readonly Command[] = ['lint', 'audit'];
/** The options of every command that writes a report (`merge` writes the report of an audit's shards). */
const REPORTING: readonly Command[] = ['lint', 'audit', 'merge'];

/**
 * Every option, in `--help` order. `formatNames` is the list of output
 * formats (from the formatter registry).
 */
export function optionTable(formatNames: readonly string[]): OptionSpec[] {
  return [
    { name: 'format', short: 'f', type: 'string', arg: 'NAME', commands: ['lint', 'audit', 'merge', 'rules', 'explain'], help: [`Output format: ${formatNames.join(', ')} (default: stylish);`, '`rules`: text, json, markdown; `explain`: text, markdown'] },
    { name: 'output-file', short: 'o', type: 'string', arg: 'FILE', commands: REPORTING, help: ['Write the report to FILE (atomically) instead of stdout'] },
    { name: 'config', short: 'c', type: 'string', arg: 'FILE', commands: REPORTING, help: ['Use this configuration file instead of looking for .hostlint.yaml'] },
    { name: 'max-warnings', type: 'string', arg: 'N', commands: REPORTING, help: ['Exit 1 when there are more than N warnings'] },
    { name: 'quiet', type: 'boolean', commands: REPORTING, help: ['Report errors only'] },
    { name: 'report-unused-disable-directives', type: 'boolean', commands: REPORTING, help: ['Report hostlint-disable comments that suppress nothing'] },
    { name: 'report-unused-disable-directives-severity', type: 'string', arg: 'SEVERITY', commands: REPORTING, help: ['Severity for them: error, warning or note (default: error)'] },
    { name: 'include-suppressed', type: 'boolean', commands: REPORTING, help: ['Include suppressed results in the output (SARIF: with suppressions)'] },
    { name: 'sarif-category', type: 'string', arg: 'CATEGORY', commands: REPORTING, help: ['SARIF automationDetails.id category (one per analysis)'] },
    { name: 'ignore-pattern', type: 'string', multiple: true, arg: 'PATTERN', commands: LINT_AUDIT, help: ['Do not lint files matching PATTERN (a glob, as in `ignores`; repeatable)'] },
    { name: 'no-ignore', type: 'boolean', commands: LINT_AUDIT, help: ['Lint files that .gitignore, `ignores` or --ignore-pattern would skip'] },
    { name: 'pass-on-no-files', type: 'boolean', commands: LINT_AUDIT, help: ['Exit 0 instead of 2 when there is nothing to lint (no file, no snapshot)'] },
    { name: 'no-snippets', type: 'boolean', commands: REPORTING, help: ["Leave the flagged line's text out of the output (SARIF context snippets)"] },
    { name: 'color', type: 'boolean', commands: REPORTING, help: ['Force or disable colours (default: on for a terminal; NO_COLOR, FORCE_COLOR)'] },
    { name: 'no-color', type: 'boolean', commands: REPORTING, help: [], pairedWith: 'color' },
    { name: 'fix', type: 'boolean', commands: ['lint'], help: ["Apply the rules' fixes to the files (atomically), then report what is left"] },
    { name: 'fix-dry-run', type: 'boolean', commands: ['lint'], help: ["Compute the fixes without writing; --format json shows each fixed file's output"] },
    { name: 'baseline', type: 'string', arg: 'FILE', commands: REPORTING, help: ['Report only results whose fingerprint is not in FILE (an earlier JSON or SARIF output)'] },
    { name: 'write-baseline', type: 'string', arg: 'FILE', commands: REPORTING, help: ['Write the current results to FILE (JSON) as the baseline; without --baseline,', 'this run then reports nothing as new'] },
    {
      name: 'max-file-size',
      type: 'string',
      arg: 'SIZE',
      commands: ['lint'],
      help: ['Do not read files larger than SIZE (bytes, or e.g. 64M; default 8M)'],
      instead: { audit: 'for `hostlint audit` set `maxFileSize` in .hostlint.yaml' },
    },
    { name: 'stdin', type: 'boolean', commands: ['lint'], help: ['Lint standard input (also: a PATH of -)'] },
    { name: 'stdin-filename', type: 'string', arg: 'NAME', commands: ['lint'], help: ['The path standard input is linted as (decides its language)'] },
    { name: 'concurrency', type: 'string', arg: 'N', commands: ['audit'], help: ['Worker threads (default: the number of cores; 1 lints in process)'] },
    { name: 'shard', type: 'string', arg: 'INDEX/COUNT', commands: ['audit'], help: ['Lint only shard INDEX (0-based) of COUNT, not the repository scope;', 'write --format ndjson for `hostlint merge`'] },
    { name: 'host-timeout', type: 'string', arg: 'SECONDS', commands: ['audit'], help: ['Stop a worker that spends longer on one host (default 120); the host gets an internal-error'] },
    { name: 'help', short: 'h', type: 'boolean', commands: COMMANDS, help: ['Show this help'] },
    { name: 'version', short: 'v', type: 'boolean', commands: COMMANDS, help: ['Show the version'] },
  ];
}

/** `parseArgs` options made from the table. */
export function parseArgsOptions(table: readonly OptionSpec[]): NonNullable<ParseArgsConfig['options']> {
  const options: NonNullable<ParseArgsConfig['options']> = {};
  for (const o of table) {
    options[o.name] = { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.multiple ? { multiple: true } : {}) };
  }
  return options;
}

/** `a`, `a and b`, `a, b and c`. */
export function listWords(words: readonly string[]): string {
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

/**
 * Why `option` cannot be given to `command` (one line), or undefined when it
 * applies.
 */
export function notApplicable(option: OptionSpec, command: Command): string | undefined {
  if (option.commands.includes(command)) return undefined;
  const where = listWords(option.commands.map((c) => `\`hostlint ${c}\``));
  const instead = option.instead?.[command];
  return `--${option.name} does not apply to \`hostlint ${command}\` (it is an option of ${where})${instead ? `; ${instead}` : ''}`;
}

const HELP_COLUMN = 38;

/** The options part of `--help`: grouped by the subcommands that take them. */
export function optionsHelp(table: readonly OptionSpec[]): string {
  const groups = new Map<string, OptionSpec[]>();
  for (const o of table) {
    const key = o.commands.length === COMMANDS.length ? '' : o.commands.join(',');
    groups.set(key, [...(groups.get(key) ?? []), o]);
  }
  let out = '';
  for (const [key, options] of groups) {
    const commands = key === '' ? [] : key.split(',');
    out += key === '' ? '\nOptions of every command:\n' : `\nOptions of ${listWords(commands.map((c) => `\`${c}\``))}:\n`;
    for (const o of options) {
      if (o.pairedWith) continue;
      const paired = options.find((p) => p.pairedWith === o.name);
      let left = `  ${o.short ? `-${o.short}, ` : '    '}--${o.name}${o.arg ? ` ${o.arg}` : ''}${paired ? `, --${paired.name}` : ''}`;
      const [first = '', ...more] = o.help;
      if (left.length + 2 > HELP_COLUMN) {
        out += `${left}\n`;
        left = '';
      }
      out += `${left.padEnd(HELP_COLUMN)}${first}\n`;
      for (const line of more) out += `${' '.repeat(HELP_COLUMN)}${line}\n`;
    }
  }
  return out;
}

/**
 * Whether the report is coloured. `--no-color` / `--color` decide first, as
 * in ESLint; then `NO_COLOR` (any non-empty value: off, no-color.org); then
 * `FORCE_COLOR` as supports-color reads it (`0` or `false`: off; empty,
 * `true`, `1`, `2`, `3` or anything else: on); else colours go to a terminal
 * only, never into `-o FILE`.
 */
export function useColor(values: { color?: boolean; 'no-color'?: boolean }, env: NodeJS.ProcessEnv, isTTY: boolean, toFile: boolean): boolean {
  if (values['no-color']) return false;
  if (values.color) return true;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return !(force === 'false' || /^0+$/.test(force));
  return isTTY && !toFile;
}
