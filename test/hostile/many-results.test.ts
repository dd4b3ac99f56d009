/**
 * Many findings on one line (issue 13, class 3): whatever depends on the whole
 * line (its text, normalised form, neighbour, the hash of all that) is
 * computed once per line; each result adds O(its own size): a snippet of at
 * most SNIPPET_MAX characters (a window of a long line, containing the
 * result's region) and an occurrence number hashed onto the line's hash. Old
 * fingerprints are unchanged. (A 129 KB line of 20,000 options took 105 s
 * before; these tests run within vitest's timeouts.)
 */
import { createHash } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { SNIPPET_MAX } from '../../src/engine/linter.js';
import { runCli } from '../helpers/cli.js';
import { lintDir, writeTree } from '../helpers/lint.js';

// These tests start the real CLI (child processes, worker threads): on a loaded machine that takes seconds.
vi.setConfig({ testTimeout: 120_000 });

const N = 20_000;
const manyOptions = `options ${Array.from({ length: N }, (_, i) => `x${i}`).join(' ')}\n`;

interface SarifResult {
  ruleId: string;
  message: { text: string };
  partialFingerprints: Record<string, string>;
  locations: Array<{ physicalLocation: { region: { startColumn: number; endColumn: number }; contextRegion?: { startColumn?: number; endColumn?: number; snippet: { text: string } } } }>;
}

async function sarif(files: Record<string, string>): Promise<SarifResult[]> {
  const dir = writeTree(files);
  const r = await runCli(['-f', 'sarif', '.'], { cwd: dir });
  expect(r.stderr).toBe('');
  // The options line's findings (a file of options alone also has no nameserver: resolv-no-nameserver).
  return (JSON.parse(r.stdout).runs[0].results as SarifResult[]).filter((x) => x.ruleId !== 'resolv-no-nameserver');
}

describe('20,000 findings on one 129 KB line', () => {
  it('each has its own message, a snippet window that contains its region, and a distinct fingerprint', { timeout: 120_000 }, async () => {
    const results = await sarif({ 'resolv.conf': manyOptions });
    expect(results.length).toBe(N);
    const line = manyOptions.trimEnd();
    for (const [i, r] of results.entries()) {
      expect(r.message.text).toBe(`Unknown option \`x${i}\`: glibc ignores it`);
      const { region, contextRegion } = r.locations[0]!.physicalLocation;
      expect(contextRegion!.snippet.text.length).toBe(SNIPPET_MAX);
      expect(contextRegion!.startColumn!).toBeLessThanOrEqual(region.startColumn);
      expect(contextRegion!.endColumn!).toBeGreaterThanOrEqual(region.endColumn);
      expect(contextRegion!.snippet.text).toBe(line.slice(contextRegion!.startColumn! - 1, contextRegion!.endColumn! - 1));
    }
    expect(new Set(results.map((r) => r.partialFingerprints['hostlint/v1'])).size).toBe(N);
  });

  it('other members of the class: invalid values repeated on one line, many findings on several long lines', { timeout: 120_000 }, async () => {
    const bad = `options ${Array.from({ length: 2500 }, () => 'ndots:abc attempts:99').join(' ')}\n`;
    const results = await sarif({ 'a/resolv.conf': bad + bad, 'b/resolv.conf': manyOptions.slice(0, 60_000) + '\n' });
    const a = results.filter((r) => r.locations[0]!.physicalLocation.region && r.message.text.startsWith('`'));
    expect(a.length).toBe(10_000);
    // Identical lines: occurrences number the repeats, so all 10,000 fingerprints differ.
    expect(new Set(a.map((r) => r.partialFingerprints['hostlint/v1'])).size).toBe(10_000);
    for (const r of results) expect(r.locations[0]!.physicalLocation.contextRegion!.snippet.text.length).toBeLessThanOrEqual(SNIPPET_MAX);
  });
});

describe('fingerprints and snippets of ordinary lines are what they were', () => {
  it('sha256(rule, file, normalised line, neighbour, occurrence), whole-line snippet without trailing blanks', async () => {
    const text = 'options  x0 x0   \t\nnameserver 1.1.1.1\n';
    const report = lintDir(writeTree({ 'resolv.conf': text }));
    const results = report.files[0]!.results;
    const old = (n: number) => createHash('sha256').update(`resolv-options\0resolv.conf\0options x0 x0\0\0${n}`).digest('hex').slice(0, 32);
    expect(results.map((r) => [r.snippet, r.snippetColumn, r.fingerprint])).toEqual([
      ['options  x0 x0', undefined, old(0)],
      ['options  x0 x0', undefined, old(1)],
    ]);
  });
});
