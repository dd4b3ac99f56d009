/**
 * parseResolv against the parser as it was (test/parsers/resolv-reference.ts):
 * the same tree and comments, to the byte (JSON, so key order counts), on
 * every resolv.conf of the repository, on adversarial texts and random ones.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseResolv } from '../../src/parsers/resolv.js';
import { linesOf, mutatedSample, seed, textOf } from '../fuzz/inputs.js';
import { filesUnder } from '../helpers/files.js';
import { referenceParseResolv } from './resolv-reference.js';

const ROOT = path.resolve(__dirname, '../..');


const FILES = filesUnder(path.join(ROOT, 'fixtures')).filter((f) => /resolv\.conf$|\/corpus\/resolv\/[^/]+$/.test(f));

const same = (text: string): void => {
  expect(JSON.stringify(parseResolv(text))).toBe(JSON.stringify(referenceParseResolv(text)));
};

describe('parseResolv equals the reference parser', () => {
  it('finds the files', () => expect(FILES.length).toBeGreaterThan(20));
  it.each(FILES.map((f) => path.relative(ROOT, f)))('%s', (rel) => same(readFileSync(path.join(ROOT, rel), 'utf8')));
  it.each([
    '',
    '\n\r\n\r',
    'nameserver 10.0.0.1',
    '\uFEFFnameserver 10.0.0.1\r\nsearch a b\rdomain x\n',
    '  nameserver 10.0.0.1\n\t# indented comment\n# c\n; d \t\n',
    'nameserver\nsearch \noptions ndots:5 rotate timeout: attempts:2\nsortlist 10.0.0.0/255.0.0.0\n',
    'nameserver1.2.3.4\nunknown word\n  \t  \nnameserver 10.0.0.1 # not a comment\n',
  ])('%j', same);
  it('random and mutated texts', () => {
    fc.assert(fc.property(fc.oneof(textOf('resolv'), linesOf('resolv'), mutatedSample('resolv').map((m) => m.text)), same), { numRuns: 800, seed: seed() });
  });
});
