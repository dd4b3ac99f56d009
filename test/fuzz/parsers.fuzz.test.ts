/**
 * Property-based fuzzing of every parser (sysctl, sysctl-dump, resolv, YAML,
 * JSON, felix.cfg, fact files): on random text and on mutations of real files
 * a parser never throws, and every position it hands out — nodes, keys,
 * values, comments, problems — lies inside the text, ends after it starts,
 * and has the line and column its offset means.
 *
 * CI runs a bounded number of cases with a fixed seed; `npm run fuzz` runs a
 * long campaign with fresh seeds (`HOSTLINT_FUZZ_RUNS`, `HOSTLINT_FUZZ_SEED`).
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { parseFactFile } from '../../src/parsers/fact.js';
import { parseFelix } from '../../src/parsers/felix.js';
import { parseCni } from '../../src/parsers/json.js';
import { parseResolv } from '../../src/parsers/resolv.js';
import { parseSysctl } from '../../src/parsers/sysctl.js';
import { parseKube } from '../../src/parsers/yaml.js';
import type { FactFileKind, LanguageId, ParseResult } from '../../src/types.js';
import { linesOf, mutatedSample, runs, seed, textOf, timeout } from './inputs.js';
import { positionFaults } from './positions.js';

const FACT_KINDS: FactFileKind[] = ['osrelease', 'uname', 'mtu', 'operstate', 'ip-link', 'ip-address', 'iptables-save', 'kubelet-config', 'proc-sys'];

const PARSERS: Array<{ name: string; language: LanguageId; parse: (text: string) => ParseResult; weight: number }> = [
  { name: 'sysctl', language: 'sysctl', parse: (t) => parseSysctl(t, 'sysctl'), weight: 300 },
  { name: 'sysctl-dump', language: 'sysctl-dump', parse: (t) => parseSysctl(t, 'sysctl-dump'), weight: 150 },
  { name: 'resolv', language: 'resolv', parse: parseResolv, weight: 300 },
  { name: 'yaml', language: 'kube', parse: parseKube, weight: 150 },
  { name: 'json', language: 'cni', parse: parseCni, weight: 300 },
  { name: 'felix', language: 'felix', parse: parseFelix, weight: 300 },
  ...FACT_KINDS.map((k) => ({ name: `fact:${k}`, language: 'fact' as const, parse: (t: string) => parseFactFile(t, k), weight: 40 })),
];

/** Cases run per parser, for the campaign figures printed at the end. */
const counts = new Map<string, number>();
const started = Date.now();
afterAll(() => {
  if (!process.env.HOSTLINT_FUZZ_RUNS) return;
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  console.log(`parser fuzz: ${total} cases in ${((Date.now() - started) / 1000).toFixed(1)} s, ${positionFaults.checked} positions checked`);
  for (const [name, n] of counts) console.log(`  ${name}: ${n}`);
});

function check(name: string, parse: (text: string) => ParseResult, text: string): void {
  counts.set(name, (counts.get(name) ?? 0) + 1);
  let result: ParseResult;
  try {
    result = parse(text);
  } catch (error) {
    throw new Error(`${name} threw on ${JSON.stringify(text.slice(0, 500))}: ${(error as Error).stack}`);
  }
  expect(result.tree.position, 'the root has a position').toBeDefined();
  expect(result.tree.position.start.offset).toBe(0);
  expect(result.tree.position.end.offset).toBe(text.length);
  const faults = positionFaults(result, text);
  if (faults.length > 0) {
    throw new Error(`${name}: ${faults.length} bad positions, first ${faults[0]!.path}: ${faults[0]!.problem}\ninput: ${JSON.stringify(text.slice(0, 2000))}`);
  }
  for (const c of result.comments) expect(text.slice(c.position.start.offset, c.position.end.offset).startsWith(c.marker)).toBe(true);
}

describe.each(PARSERS)('$name parser', ({ name, language, parse, weight }) => {
  const params = { numRuns: runs(weight), seed: seed() };

  it('never throws and keeps every position sound on random text of its tokens', () => {
    fc.assert(fc.property(textOf(language), (text) => check(name, parse, text)), params);
  }, timeout());

  it('... on random lines with LF, CRLF or lone CR terminators', () => {
    fc.assert(fc.property(linesOf(language), (text) => check(name, parse, text)), params);
  }, timeout());

  it('... on mutations of real files (corpus and fixtures)', () => {
    // Fact files of every kind share one pool; JSON and felix use the fixtures' files.
    fc.assert(fc.property(mutatedSample(language), ({ text }) => check(name, parse, text)), { ...params, numRuns: runs(Math.ceil(weight / 2)) });
  }, timeout());
});

describe('parsers on arbitrary strings', () => {
  it('never throw on any string of code points (surrogates, NULs, controls included)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        for (const p of PARSERS) check(p.name, p.parse, text);
      }),
      { numRuns: runs(150), seed: seed() },
    );
  }, timeout());
});
