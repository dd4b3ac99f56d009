/**
 * documentStarts and readHeader (src/parsers/yaml.ts) were rewritten to let
 * the engine's native searches skip the characters that change nothing; the
 * per-character versions they replace are kept in yaml-header-reference.ts.
 * Both must give the same answer on every input: every YAML file of
 * fixtures/, each document of it, and those files edited at random with the
 * characters the readers look for.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { documentStarts, readHeader } from '../../src/parsers/yaml.js';
import { filesUnder } from '../helpers/files.js';
import { referenceDocumentStarts, referenceReadHeader } from './yaml-header-reference.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const yamlFiles = filesUnder(path.join(repo, 'fixtures'))
  .filter((f) => /\.ya?ml$/.test(f))
  .sort();

/** documentStarts and readHeader of every document (and of the text as one range) agree with the reference. */
function agree(text: string, label: string): void {
  const starts = documentStarts(text);
  expect(starts, `${label}: documentStarts`).toEqual(referenceDocumentStarts(text));
  const ranges: Array<[number, number]> = [[0, text.length]];
  if (starts) for (let i = 0; i < starts.length; i++) ranges.push([starts[i]!, starts[i + 1] ?? text.length]);
  for (const [from, to] of ranges) {
    expect(readHeader(text, from, to), `${label}: readHeader(${from}, ${to})`).toEqual(referenceReadHeader(text, from, to));
  }
}

/** A small seeded generator (mulberry32), so that a failure can be repeated. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What the readers look for: quotes, escapes, comments, colons, markers, blanks, line ends, block and flow starts, properties. */
const PIECES = ['"', "'", "''", '\\', '\\"', '#', ' #', ':', ': ', ':\r', '\n', '\r\n', '\r', '\t', ' ', '    ', '---\n', '--- ', '...\n', '... #', '%', '|', '|-', '>+', '|2', '[', ']', '{', '}', '&a ', '*a', '!t ', '?', '@', '`', '- ', '-', '\uFEFF', 'kind: DaemonSet\n', '  name: x\n', 'metadata:\n', 'apiVersion: v1\n', 'null', 'true'];

describe('documentStarts and readHeader agree with their per-character reference', () => {
  it(`on every YAML file of fixtures/ (${yamlFiles.length})`, () => {
    expect(yamlFiles.length).toBeGreaterThan(100);
    for (const f of yamlFiles) agree(readFileSync(f, 'utf8'), path.relative(repo, f));
  });

  it('on those files edited at random (pieces inserted, lines re-indented, spans cut), CRLF and lone-CR line ends too', () => {
    const next = random(15);
    const pick = <T>(a: T[]): T => a[Math.floor(next() * a.length)]!;
    // The small files: many edits each, cheaply.
    const texts = yamlFiles.map((f) => readFileSync(f, 'utf8')).filter((t) => t.length < 20_000);
    let cases = 0;
    for (let round = 0; round < 3000; round++) {
      let text = pick(texts);
      const edits = 1 + Math.floor(next() * 6);
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(next() * (text.length + 1));
        const kind = next();
        if (kind < 0.6) text = text.slice(0, at) + pick(PIECES) + text.slice(at);
        else if (kind < 0.75) text = text.slice(0, at) + text.slice(at + 1 + Math.floor(next() * 40));
        else if (kind < 0.9) {
          // Re-indent the line at `at`.
          const ls = text.lastIndexOf('\n', at - 1) + 1;
          const n = Math.floor(next() * 6);
          text = next() < 0.5 ? text.slice(0, ls) + ' '.repeat(n) + text.slice(ls) : text.slice(0, ls) + text.slice(ls).replace(/^ {1,6}/, '');
        } else text = next() < 0.5 ? text.replaceAll('\n', '\r\n') : text.replaceAll('\n', '\r');
      }
      agree(text, `round ${round}`);
      cases++;
    }
    expect(cases).toBe(3000);
  });

  it('on documents made of random lines (a readable header, then lines of every shape the readers tell apart)', () => {
    const next = random(28);
    const pick = <T>(a: T[]): T => a[Math.floor(next() * a.length)]!;
    const indents = ['', '', ' ', '  ', '  ', '    ', '      ', '\t'];
    const seqs = ['', '', '- ', '- - ', '-'];
    const keys = ['', 'key: ', 'key:', 'kind: ', 'name: ', 'metadata:', 'a.b/c-d: ', '"q": ', "'q': ", 'k :', 'k: # c', '? ', 'x:y: '];
    const values = ['', 'plain', 'two words', 'v # c', 'v#c', 'a: b', '"closed"', '"open', '"esc \\" still', "'it''s'", "'open", '|', '|-', '>+', '|2', '| # c', '[a, b]', '[open', '{a: 1}', '{open', '&anchor v', '*alias', '!tag v', '%', '@', '`', 'null', 'true', 'Config', '---', '...', '#c', ' '];
    const ends = ['\n', '\n', '\n', '\r\n', ' \n', '\t\n'];
    const heads = [
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n',
      '---\nkind: DaemonSet\napiVersion: apps/v1\nmetadata:\n  labels:\n    x: y\n  name: "n"\n',
      'apiVersion: v1\nmetadata:\n',
      '',
    ];
    let readable = 0;
    for (let round = 0; round < 20000; round++) {
      let text = next() < 0.8 ? heads[round % 2]! : pick(heads);
      const lines = 1 + Math.floor(next() * 10);
      for (let l = 0; l < lines; l++) {
        const r = next();
        // Mostly lines under a top-level key, some top-level keys, some of any shape.
        const indent = r < 0.7 ? pick(['  ', '    ', '      ', '        ']) : r < 0.85 ? '' : pick(indents);
        const key = r < 0.85 ? pick(['key: ', 'k:', 'spec:', 'data: ', 'key: ', 'k:', '', '', ...keys]) : pick(keys);
        const value = next() < 0.75 ? pick(['plain', 'x', '"s"', '|', 'words go on', '', 'w #c']) : pick(values);
        text += indent + (r < 0.7 ? pick(seqs) : '') + key + value + (next() < 0.8 ? '\n' : pick(ends));
      }
      if (next() < 0.3) text += pick(heads.slice(0, 2)).replace('name: a', 'name: late');
      agree(text, `document ${round}: ${JSON.stringify(text)}`);
      if (referenceReadHeader(text, 0, text.length)) readable++;
    }
    // Enough of them readable for the continuation rules to matter.
    expect(readable).toBeGreaterThan(1000);
  });
});
