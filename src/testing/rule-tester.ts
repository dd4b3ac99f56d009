/**
 * RuleTester, in ESLint's manner: inline valid and invalid cases for one rule,
 * asserting message ids, exact positions and the fixed text.
 *
 *   new RuleTester().run('sysctl-tw-recycle', {
 *     valid: [{ code: 'net.ipv4.tcp_tw_recycle = 0\n', language: 'sysctl', facts: { kernel: '3.10.0' } }],
 *     invalid: [{
 *       code: 'net.ipv4.tcp_tw_recycle = 1\n', language: 'sysctl', facts: { kernel: '3.10.0' },
 *       errors: [{ messageId: 'natDrop', line: 1, column: 27, endLine: 1, endColumn: 28 }],
 *       output: 'net.ipv4.tcp_tw_recycle = 0\n',
 *     }],
 *   });
 *
 * Each case's files are written to a fresh temp directory (with the case's
 * facts, options and config as its `.hostlint.yaml`) and linted as the CLI
 * lints a directory: the same configuration loading, file discovery and
 * classification, engine and autofix (`--fix`, multipass), with only the rule
 * under test enabled. The directory is removed afterwards.
 *
 * A case fails when: a valid case gives any result of the rule (or a parse or
 * read error); an invalid case gives more or fewer results than `errors`
 * lists, or one whose message id, message, file, severity, line, column,
 * endLine or endColumn differs from what the entry states; the fixes change a
 * file and the case has no `output` (or `output` differs from the fixed text);
 * or the case itself is malformed (a valid case with `errors`, an invalid case
 * without, an error entry with neither `messageId` nor `message`, an unknown
 * message id, a duplicate case, `output` on a rule that is not `meta.fixable`).
 *
 * Inside a test framework, set `RuleTester.describe` and `RuleTester.it`
 * (e.g. vitest's) and `run` declares one test per case; otherwise `run`
 * checks every case at once and throws an AssertionError at the first failure.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { rules as allRules } from '../../rules/index.js';
import { Config, loadConfig } from '../config/load.js';
import { INTERNAL_ERROR, PARSE_ERROR, READ_ERROR } from '../engine/builtin.js';
import { lintAndFix } from '../engine/fix.js';
import { runScopes } from '../engine/linter.js';
import { loadPaths } from '../engine/load.js';
import { fillMessage, type Rule } from '../engine/rule.js';
import type { LanguageId, Result, Severity } from '../types.js';

/** Where a case's `code` is written when it names only a language. */
export const DEFAULT_FILENAMES: Readonly<Record<string, string>> = {
  sysctl: 'etc/sysctl.d/90-test.conf',
  resolv: 'etc/resolv.conf',
  kube: 'manifests/test.yaml',
  felix: 'etc/calico/felix.cfg',
  cni: 'etc/cni/net.d/10-test.conflist',
};

export interface ValidCase {
  /** Shown as the test's name (default: the file name and the first line of the code). */
  name?: string;
  /** The file to lint, as text: with `filename`, or with `language` (written under DEFAULT_FILENAMES). */
  code?: string;
  language?: LanguageId;
  filename?: string;
  /** Files of the case (path relative to the case's directory → text), beside or instead of `code`. */
  files?: Record<string, string>;
  /** `facts` of the configuration (repository scope). */
  facts?: Record<string, unknown>;
  /** The rule's options. */
  options?: Record<string, unknown>;
  /** Anything else of `.hostlint.yaml` (`facts` and the rule's entry are set from the fields above). */
  config?: Record<string, unknown>;
}

export interface ExpectedError {
  messageId?: string;
  /** The exact message text. */
  message?: string;
  /** The result's file, relative to the case's directory (default: not checked). */
  file?: string;
  severity?: Severity;
  line?: number;
  column?: number;
  endLine?: number;
  endColumn?: number;
}

export interface InvalidCase extends ValidCase {
  /** The results, in report order (by file, then position); a number checks only how many. */
  errors: ExpectedError[] | number;
  /**
   * The text after `--fix` (every pass): a string for the case's only changed
   * file, a map path → text when several change. Required when a fix changes
   * anything; `null` (or the unchanged text) asserts that nothing is fixed.
   */
  output?: string | Record<string, string> | null;
}

export interface RuleTests {
  valid: ValidCase[];
  invalid: InvalidCase[];
}

type Describe = (name: string, fn: () => void) => void;
type It = (name: string, fn: () => void) => void;

/** What one case produced: the rule's results and the fixed texts. */
export interface CaseRun {
  results: Result[];
  /** Files the fixes changed, path → fixed text. */
  fixed: Map<string, string>;
  /** The texts as written. */
  written: Map<string, string>;
}

export class RuleTester {
  /** Set these to a framework's `describe`/`it` to get one test per case. */
  static describe: Describe | undefined;
  static it: It | undefined;

  /** Check `tests` against `rule` (a rule object, or the id of a built-in rule). */
  run(rule: Rule | string, tests: RuleTests): void {
    const resolved = typeof rule === 'string' ? builtin(rule) : rule;
    const id = resolved.meta.id;
    const cases: Array<[string, () => void]> = [];
    const seen = new Set<string>();
    const add = (kind: 'valid' | 'invalid', c: ValidCase | InvalidCase, i: number) => {
      const key = JSON.stringify([kind, c]);
      const name = `${kind} #${i + 1}: ${c.name ?? caseTitle(c)}`;
      cases.push([name, () => {
        assert.ok(!seen.has(key), `${name}: duplicate test case`);
        seen.add(key);
        if (kind === 'valid') checkValid(resolved, c);
        else checkInvalid(resolved, c as InvalidCase);
      }]);
    };
    assert.ok(Array.isArray(tests.valid) && Array.isArray(tests.invalid), 'RuleTester: tests need `valid` and `invalid` arrays');
    tests.valid.forEach((c, i) => add('valid', c, i));
    tests.invalid.forEach((c, i) => add('invalid', c, i));
    const { describe, it } = RuleTester;
    if (describe && it) {
      describe(id, () => {
        for (const [name, fn] of cases) it(name, fn);
      });
    } else {
      for (const [, fn] of cases) fn();
    }
  }
}

function builtin(id: string): Rule {
  const rule = allRules.find((r) => r.meta.id === id);
  assert.ok(rule, `RuleTester: no rule \`${id}\``);
  return rule;
}

function caseTitle(c: ValidCase): string {
  const file = c.filename ?? (c.language ? DEFAULT_FILENAMES[c.language] : undefined) ?? Object.keys(c.files ?? {}).join(', ');
  const first = (c.code ?? '').split('\n')[0] ?? '';
  return first ? `${file}: ${first.length > 60 ? `${first.slice(0, 57)}...` : first}` : file;
}

function checkValid(rule: Rule, c: ValidCase): void {
  assert.ok(!('errors' in c), 'a valid case must not have `errors`');
  assert.ok(!('output' in c), 'a valid case must not have `output`');
  const run = runCase(rule, c);
  assert.deepEqual(run.results.map(describeResult), [], 'a valid case gave results');
}

function checkInvalid(rule: Rule, c: InvalidCase): void {
  const meta = rule.meta;
  assert.ok('errors' in c, 'an invalid case needs `errors`');
  if (typeof c.errors === 'number') assert.ok(c.errors > 0, 'an invalid case needs at least one error');
  else {
    assert.ok(c.errors.length > 0, 'an invalid case needs at least one error');
    for (const e of c.errors) {
      assert.ok(e.messageId !== undefined || e.message !== undefined, 'each error needs a `messageId` or a `message`');
      if (e.messageId !== undefined) assert.ok(Object.hasOwn(meta.messages, e.messageId), `\`${e.messageId}\` is not a message id of ${meta.id} (${Object.keys(meta.messages).join(', ')})`);
    }
  }
  if (c.output !== undefined && c.output !== null) assert.ok(meta.fixable, `${meta.id} is not meta.fixable: a case cannot expect \`output\``);

  const run = runCase(rule, c);
  const actual = run.results;
  if (typeof c.errors === 'number') {
    assert.equal(actual.length, c.errors, `expected ${c.errors} result(s), got ${actual.length}:\n${actual.map(describeResult).join('\n')}`);
  } else {
    assert.equal(actual.length, c.errors.length, `expected ${c.errors.length} result(s), got ${actual.length}:\n${actual.map(describeResult).join('\n')}`);
    c.errors.forEach((want, i) => {
      const got = actual[i]!;
      const at = `result ${i + 1} (${describeResult(got)})`;
      if (want.messageId !== undefined) assert.equal(messageIdOf(rule, got), want.messageId, `${at}: message id`);
      if (want.message !== undefined) assert.equal(got.message, want.message, `${at}: message`);
      if (want.file !== undefined) assert.equal(got.file, want.file, `${at}: file`);
      if (want.severity !== undefined) assert.equal(got.severity, want.severity, `${at}: severity`);
      if (want.line !== undefined) assert.equal(got.position.start.line, want.line, `${at}: line`);
      if (want.column !== undefined) assert.equal(got.position.start.column, want.column, `${at}: column`);
      if (want.endLine !== undefined) assert.equal(got.position.end.line, want.endLine, `${at}: endLine`);
      if (want.endColumn !== undefined) assert.equal(got.position.end.column, want.endColumn, `${at}: endColumn`);
    });
  }

  const fixed = Object.fromEntries(run.fixed);
  if (c.output === undefined) {
    assert.deepEqual(fixed, {}, 'the fixes changed the text: the case needs `output`');
  } else if (c.output === null) {
    assert.deepEqual(fixed, {}, 'expected no fix (`output: null`)');
  } else if (typeof c.output === 'string') {
    const paths = [...run.written.keys()];
    // One file in the case: its text after the fixes (unchanged when nothing applied).
    const only = paths.length === 1 ? paths[0]! : Object.keys(fixed).length === 1 ? Object.keys(fixed)[0]! : undefined;
    assert.ok(only, `the case has ${paths.length} files and ${Object.keys(fixed).length} changed: give \`output\` as a map path → text`);
    assert.equal(fixed[only] ?? run.written.get(only), c.output, 'fixed output');
  } else {
    assert.deepEqual(fixed, c.output, 'fixed output (path → text of every changed file)');
  }
}

/**
 * The message id a result came from: the one of the rule's templates that
 * renders to the result's message. Results are matched, not recorded: the
 * engine's Result carries no id (a template with placeholders matches by
 * pattern when more than one renders the same text, the first wins).
 */
export function messageIdOf(rule: Rule, result: Pick<Result, 'message'>): string | undefined {
  for (const [id, template] of Object.entries(rule.meta.messages) as Array<[string, string]>) {
    if (fillMessage(template, undefined) === result.message) return id;
  }
  for (const [id, template] of Object.entries(rule.meta.messages) as Array<[string, string]>) {
    if (templateMatches(template, result.message)) return id;
  }
  return undefined;
}

/** Whether `message` is `template` with its `{{placeholders}}` filled (placeholders match any text). Linear: no regex over the message. */
function templateMatches(template: string, message: string): boolean {
  const parts = template.split(/\{\{\s*\w+\s*\}\}/);
  if (parts.length === 1) return template === message;
  const first = parts[0]!;
  const last = parts[parts.length - 1]!;
  if (!message.startsWith(first) || !message.endsWith(last) || message.length < first.length + last.length) return false;
  let at = first.length;
  const end = message.length - last.length;
  for (const middle of parts.slice(1, -1)) {
    const found = message.indexOf(middle, at);
    if (found < 0 || found + middle.length > end) return false;
    at = found + middle.length;
  }
  return true;
}

function describeResult(r: Result): string {
  const p = r.position;
  return `${r.file}:${p.start.line}:${p.start.column}-${p.end.line}:${p.end.column} ${r.severity} ${r.ruleId}: ${r.message}`;
}

/** Lint one case as the CLI lints a directory, with only `rule` enabled, and apply its fixes in memory. */
export function runCase(rule: Rule, c: ValidCase): CaseRun {
  const files = new Map<string, string>(Object.entries(c.files ?? {}));
  if (c.code !== undefined) {
    const name = c.filename ?? (c.language ? DEFAULT_FILENAMES[c.language] : undefined);
    assert.ok(name, `\`code\` needs a \`filename\` or a \`language\` (${Object.keys(DEFAULT_FILENAMES).join(', ')})`);
    assert.ok(!files.has(name), `${name} is both \`code\` and in \`files\``);
    files.set(name, c.code);
  } else {
    assert.ok(!c.filename && !c.language, '`filename` and `language` name where `code` goes; the case has no `code`');
  }
  assert.ok(files.size > 0, 'a case needs `code` or `files`');
  const id = rule.meta.id;
  const config: Record<string, unknown> = { ...(c.config ?? {}) };
  if (c.facts) config.facts = c.facts;
  if (c.options) config.rules = { ...((config.rules as Record<string, unknown> | undefined) ?? {}), [id]: [rule.meta.severity, c.options] };

  const dir = realpathSync(mkdtempSync(path.join(tmpdir(), 'hostlint-rule-tester-')));
  try {
    for (const [rel, text] of files) {
      assert.ok(!path.isAbsolute(rel) && !rel.split(/[\\/]/).includes('..'), `${rel}: case files are relative paths inside the case`);
      const abs = path.join(dir, rel);
      mkdirSync(path.dirname(abs), { recursive: true });
      writeFileSync(abs, text);
    }
    const known = new Map<string, Record<string, unknown> | undefined>(allRules.map((r) => [r.meta.id, r.meta.schema]));
    known.set(id, rule.meta.schema);
    let loaded = Config.empty(dir);
    if (Object.keys(config).length > 0) {
      const file = path.join(dir, '.hostlint.yaml');
      assert.ok(!files.has('.hostlint.yaml'), 'give the configuration as `config`, not as a file');
      writeFileSync(file, JSON.stringify(config));
      loaded = loadConfig(file, known, dir);
    }
    const options = { config: loaded, rules: [rule], cwd: dir, reportUnusedDisableDirectives: 'off' as const, toolVersion: '0.0.0-rule-tester' };
    // The results of the texts as written (what `hostlint` reports), then the
    // texts `hostlint --fix` leaves, from a fresh load.
    const first = loadPaths(['.'], { cwd: dir, config: loaded });
    const report = runScopes(first.scopes, first.diagnostics, options);
    const shown = new Set([id, PARSE_ERROR, READ_ERROR, INTERNAL_ERROR]);
    const results = report.files.flatMap((f) => f.results).filter((r) => shown.has(r.ruleId) && !r.suppressions?.length);
    const again = loadPaths(['.'], { cwd: dir, config: loaded });
    const run = lintAndFix(again.scopes, again.diagnostics, options);
    const fixed = new Map([...run.fixed].map(([p, entry]) => [p, entry.output]));
    return { results, fixed, written: files };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
