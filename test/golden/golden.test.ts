/**
 * Golden outputs: every rule fixture, example and corpus file linted (or, for
 * fleets, audited) as JSON and as SARIF, compared byte for byte with the
 * outputs recorded before the architecture change (issue 11). A difference is
 * either a regression or a deliberate fix; a deliberate fix re-records:
 *
 *   HOSTLINT_GOLDEN_UPDATE=1 npx vitest run test/golden
 *
 * and the commit says which answer changed and why. JSON is kept whole (it is
 * small and diffs well); SARIF, which repeats every rule's documentation, is
 * kept as a SHA-256 per case.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const store = fileURLToPath(new URL('./outputs/', import.meta.url));
const update = process.env.HOSTLINT_GOLDEN_UPDATE === '1';

interface Case {
  /** File name under outputs/ (no extension). */
  name: string;
  cwd: string;
  argv: string[];
}

function cases(): Case[] {
  const out: Case[] = [];
  const rulesRoot = path.join(repo, 'fixtures/rules');
  for (const id of readdirSync(rulesRoot).sort()) {
    for (const kase of readdirSync(path.join(rulesRoot, id)).sort()) {
      out.push({ name: `rules/${id}/${kase}`, cwd: path.join(rulesRoot, id, kase), argv: ['.'] });
    }
  }
  const corpus = path.join(repo, 'fixtures/corpus');
  for (const group of readdirSync(corpus).sort()) {
    if (!statSync(path.join(corpus, group)).isDirectory()) continue;
    for (const entry of readdirSync(path.join(corpus, group)).sort()) {
      out.push({ name: `corpus/${group}/${entry}`, cwd: corpus, argv: [`${group}/${entry}`] });
    }
  }
  const examples = path.join(repo, 'fixtures/examples');
  out.push({ name: 'examples/incident', cwd: examples, argv: ['incident'] });
  out.push({ name: 'examples/fleet', cwd: examples, argv: ['audit', 'fleet', '--concurrency', '1'] });
  out.push({ name: 'examples/fleet-archives', cwd: examples, argv: ['audit', 'fleet-archives', '--concurrency', '1'] });
  out.push({ name: 'helm', cwd: path.join(repo, 'fixtures'), argv: ['helm'] });
  return out;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
/** SARIF names the run's base folder as an absolute URI: the checkout's place is not part of the output compared. */
const repoUri = pathToFileURL(repo).href;
const portable = (s: string) => s.replaceAll(repoUri, 'file:///REPO/');
const hashFile = path.join(store, 'sarif.sha256');

function readHashes(): Map<string, string> {
  const map = new Map<string, string>();
  if (!existsSync(hashFile)) return map;
  for (const line of readFileSync(hashFile, 'utf8').split('\n')) {
    const space = line.indexOf(' ');
    if (space > 0) map.set(line.slice(space + 1), line.slice(0, space));
  }
  return map;
}

describe('golden outputs (byte-identical JSON and SARIF)', () => {
  const all = cases();
  const hashes = readHashes();
  const recorded = new Map<string, string>();

  for (const kase of all) {
    it(kase.name, async () => {
      const json = await runCli([...kase.argv, '--format', 'json'], { cwd: kase.cwd });
      const sarif = await runCli([...kase.argv, '--format', 'sarif'], { cwd: kase.cwd });
      const jsonText = `exit ${json.code}\n${json.stdout}`;
      const sarifHash = `${sarif.code}:${sha256(portable(sarif.stdout))}`;
      const file = path.join(store, `${kase.name}.json`);
      if (update) {
        mkdirSync(path.dirname(file), { recursive: true });
        writeFileSync(file, jsonText);
        recorded.set(kase.name, sarifHash);
        return;
      }
      expect(existsSync(file), `${kase.name}: no recorded output (HOSTLINT_GOLDEN_UPDATE=1 records it)`).toBe(true);
      expect(jsonText).toBe(readFileSync(file, 'utf8'));
      expect(sarifHash, `${kase.name}: SARIF differs from the recorded output`).toBe(hashes.get(kase.name));
    });
  }

  it('every recorded case still exists', () => {
    if (update) {
      writeFileSync(hashFile, [...recorded].map(([name, hash]) => `${hash} ${name}\n`).join(''));
      return;
    }
    const names = new Set(all.map((c) => c.name));
    expect([...hashes.keys()].filter((n) => !names.has(n))).toEqual([]);
  });
});
