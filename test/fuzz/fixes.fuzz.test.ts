/**
 * Property-based fuzzing of the rules through the engine: on mutated real
 * files and random text of each language, with facts that make the rules
 * fire, no rule crashes, every result's position is sound, and every fix
 * touches only the bytes inside its edits: its edits lie inside the text and
 * do not overlap, applying it leaves every byte outside their ranges as it
 * was, and it never turns a file that parsed into one that does not.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { rules as allRules } from '../../rules/index.js';
import { Config, type ConfigFacts } from '../../src/config/load.js';
import { INTERNAL_ERROR } from '../../src/engine/builtin.js';
import { applyFixes, mergeFix } from '../../src/engine/fix.js';
import { runScopes } from '../../src/engine/linter.js';
import { parseText } from '../../src/engine/load.js';
import { sourceFile } from '../../src/engine/read.js';
import { Scope } from '../../src/engine/scope.js';
import { LineIndex } from '../../src/parsers/line-index.js';
import type { Fix, LanguageId, Result } from '../../src/types.js';
import { linesOf, mutatedSample, runs, seed, timeout } from './inputs.js';
import { positionFault } from './positions.js';

const CWD = '/fuzz';
const NAMES: Partial<Record<LanguageId, string>> = {
  sysctl: 'etc/sysctl.d/90-fuzz.conf',
  resolv: 'resolv.conf',
  kube: 'cluster/calico.yaml',
  cni: 'etc/cni/net.d/10-calico.conflist',
  felix: 'felix.cfg',
};

const fact = <T>(key: string, value: T) => ({ value, evidence: { file: '.hostlint.yaml', message: `Configuration: \`facts.${key}\`` } });
const FACT_SETS: ConfigFacts[] = [
  {},
  { kernel: fact('kernel', '3.10.0-1160.el7.x86_64'), kubernetesNode: fact('kubernetesNode', true), nat: fact('nat', true), physicalMtu: fact('physicalMtu', 1500) },
  { kernel: fact('kernel', '5.15.0-91-generic'), kubernetesNode: fact('kubernetesNode', true), physicalMtu: fact('physicalMtu', 9001) },
  { kernel: fact('kernel', '4.9.0'), kubernetesNode: fact('kubernetesNode', false), physicalMtu: fact('physicalMtu', 1450) },
];

let cases = 0;
let fixesChecked = 0;
let resultsChecked = 0;
const started = Date.now();
afterAll(() => {
  if (!process.env.HOSTLINT_FUZZ_RUNS) return;
  console.log(`fix fuzz: ${cases} cases, ${resultsChecked} results, ${fixesChecked} fixes checked in ${((Date.now() - started) / 1000).toFixed(1)} s`);
});

function lint(language: LanguageId, text: string, facts: ConfigFacts): Result[] {
  const name = NAMES[language]!;
  const file = sourceFile({ path: name, absolutePath: `${CWD}/${name}`, language, text });
  file.parsed = parseText(text, language);
  const config = new Config(undefined, CWD, new Map(), facts, [], [], []);
  const report = runScopes([new Scope({ kind: 'repository', name: '(repository)', files: [file], config })], [], {
    config,
    rules: allRules,
    cwd: CWD,
    reportUnusedDisableDirectives: 'warning',
    toolVersion: '0.0.0-fuzz',
  });
  return report.files.flatMap((f) => f.results);
}

/** Bytes outside `ranges` (sorted, disjoint, in `before`) are the same in `after`, in order. */
function outsideUnchanged(before: string, after: string, ranges: Array<{ start: number; end: number; text: string }>): boolean {
  let cursor = 0;
  let out = 0;
  for (const r of ranges) {
    const keep = before.slice(cursor, r.start);
    if (after.slice(out, out + keep.length) !== keep) return false;
    out += keep.length + r.text.length;
    cursor = r.end;
  }
  return after.slice(out) === before.slice(cursor);
}

function check(language: LanguageId, text: string, facts: ConfigFacts): void {
  cases++;
  const results = lint(language, text, facts);
  const name = NAMES[language]!;
  const index = new LineIndex(text);
  const show = () => `\nlanguage ${language}, input ${JSON.stringify(text.slice(0, 1500))}`;
  const crashed = results.filter((r) => r.ruleId === INTERNAL_ERROR);
  if (crashed.length) throw new Error(`a rule crashed: ${crashed[0]!.message}${show()}`);
  const fixes: Fix[] = [];
  for (const r of results) {
    resultsChecked++;
    if (r.file === name) {
      const fault = positionFault(r.position, index);
      if (fault) throw new Error(`${r.ruleId}: result position ${fault}${show()}`);
    }
    for (const rel of r.related) {
      if (rel.file !== name) continue;
      const fault = positionFault(rel.position, index);
      if (fault) throw new Error(`${r.ruleId}: related location ${fault}${show()}`);
    }
    if (!r.fix) continue;
    fixesChecked++;
    fixes.push(r.fix);
    // The edits lie inside the text and do not overlap one another.
    const merged = mergeFix(text, r.fix);
    if (!merged.ok) throw new Error(`${r.ruleId}: invalid fix (${merged.reason}): ${JSON.stringify(r.fix)}${show()}`);
    const edits = [...r.fix.edits].sort((a, b) => a.range[0] - b.range[0]);
    // Applied alone, the fix changes nothing outside its edits' ranges.
    const { output } = applyFixes(text, [r.fix]);
    const ranges = edits.map((e) => ({ start: e.range[0], end: e.range[1], text: e.text }));
    if (!outsideUnchanged(text, output, ranges)) throw new Error(`${r.ruleId}: the fix changed bytes outside its edits${show()}`);
    // A fix never breaks a file that parsed.
    const before = parseText(text, language).problems.length;
    if (before === 0) {
      const after = parseText(output, language).problems;
      if (after.length > 0) throw new Error(`${r.ruleId}: the fix made the file unparsable (${after[0]!.message}): ${JSON.stringify(r.fix)}${show()}`);
    }
  }
  // All fixes at once (one pass): the applied ones are disjoint, and nothing outside them moves.
  const pass = applyFixes(text, fixes);
  expect(pass.invalid).toEqual([]);
  const applied = pass.applied
    .map((f) => mergeFix(text, f))
    .map((m) => (m.ok ? { start: m.start, end: m.end, text: m.text } : { start: -1, end: -1, text: '' }))
    .sort((a, b) => a.start - b.start);
  for (let i = 1; i < applied.length; i++) expect(applied[i]!.start).toBeGreaterThan(applied[i - 1]!.end);
  if (!outsideUnchanged(text, pass.output, applied)) throw new Error(`one pass of fixes changed bytes outside them${show()}`);
}

describe.each(Object.keys(NAMES) as LanguageId[])('rules and fixes on %s files', (language) => {
  it('mutated real files: no crash, sound positions, fixes confined to their edits', () => {
    fc.assert(
      fc.property(mutatedSample(language, 3000), fc.constantFrom(...FACT_SETS), ({ text }, facts) => check(language, text, facts)),
      { numRuns: runs(language === 'kube' ? 60 : 120), seed: seed() },
    );
  }, timeout());

  it('random lines of the language: the same', () => {
    fc.assert(
      fc.property(linesOf(language), fc.constantFrom(...FACT_SETS), (text, facts) => check(language, text, facts)),
      { numRuns: runs(120), seed: seed() },
    );
  }, timeout());
});
