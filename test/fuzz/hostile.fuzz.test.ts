/**
 * Fuzzing the hostile-input classes of issue 13: prototype-named keys in every
 * language (no rule may crash), control characters and newlines in file names
 * and content (nothing raw reaches the terminal, no line starts with `::`),
 * pathological globs (the linear matchers agree with a reference matcher and
 * stay within their step bound) and pathological RE2 patterns (re2js answers
 * on long inputs). `npm run fuzz` raises the number of cases.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import picomatch from 'picomatch';
import { describe, expect, it } from 'vitest';
import { goRegExp } from '../../src/util/go-regexp.js';
import { globSteps, pathGlob, sysctlGlob } from '../../src/util/glob.js';
import { runCli } from '../helpers/cli.js';
import { allResults, lintDir } from '../helpers/lint.js';
import { runs, seed, timeout } from './inputs.js';

const PROTO = ['constructor', 'toString', '__proto__', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable', 'toLocaleString', '__defineGetter__', '__lookupSetter__', 'prototype', 'length', 'name'];
const CONTROL = ['\u001b[2J', '\u001b]0;t\u0007', '\u009b', '\u007f', '\r', '\n', '\n::error::x\n', '::warning::y', '\u202e', '\u2028', '\t', '\u0007', '\u001b\\'];
const params = (base: number) => ({ numRuns: runs(base), seed: seed() });

const protoName = fc.constantFrom(...PROTO);
const key = fc.array(fc.oneof(protoName, fc.constantFrom('net', 'ipv4', 'kernel', 'conf', 'all', '*', 'tcp_tw_recycle')), { minLength: 1, maxLength: 4 }).map((p) => p.join('.'));

describe('prototype-named keys in every language: no rule crashes', () => {
  it('sysctl, resolv.conf, felix.cfg, CNI and Kubernetes files built from prototype names', { timeout: timeout() }, () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(key, protoName, fc.constantFrom('0', '1', '9000', '')), { minLength: 1, maxLength: 8 }), protoName, fc.constantFrom('3.10.0-1160.el7.x86_64', '6.8.0-45-generic'), (lines, name, kernel) => {
        const dir = mkdtempSync(path.join(tmpdir(), 'hostlint-fuzz-proto-'));
        const put = (rel: string, text: string) => {
          mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
          writeFileSync(path.join(dir, rel), text);
        };
        put('.hostlint.yaml', `facts:\n  kernel: ${kernel}\n  kubernetesNode: true\n`);
        put('etc/sysctl.conf', lines.map(([k, _n, v]) => `${k} = ${v}`).join('\n'));
        put('etc/resolv.conf', `options ${lines.map(([, n, v]) => `${n}:${v}`).join(' ')} ${name}\nsearch ${name}\nnameserver 10.0.0.1\n`);
        put('etc/calico/felix.cfg', `[global]\n${lines.map(([, n, v]) => `${n} = ${v}`).join('\n')}\n`);
        put('net.d/10-calico.conflist', JSON.stringify({ cniVersion: '0.3.1', name, plugins: [Object.fromEntries([['type', 'calico'], ...lines.map(([, n, v]) => [n, v])])] }));
        put('cluster/calico.yaml', `kind: ConfigMap\napiVersion: v1\nmetadata:\n  name: ${name}\ndata:\n${lines.map(([, n, v]) => `  ${n}: "${v}"`).join('\n')}\n`);
        const results = allResults(lintDir(dir));
        expect(results.filter((r) => r.ruleId === 'internal-error')).toEqual([]);
      }),
      params(25),
    );
  });
});

// eslint-disable-next-line no-control-regex
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

describe('control characters and newlines in names and content never reach the terminal raw', () => {
  it('stylish and json output of a tree whose directory names and lines carry them', { timeout: timeout() }, async () => {
    const segment = fc.array(fc.oneof(fc.constantFrom(...CONTROL), fc.constantFrom('a', 'db', ':', '::', ' ', 'x')), { minLength: 1, maxLength: 6 }).map((p) => p.join('').replace(/\//g, '_'));
    await fc.assert(
      fc.asyncProperty(segment, segment, async (dirName, value) => {
        const dir = mkdtempSync(path.join(tmpdir(), 'hostlint-fuzz-ctl-'));
        const sub = dirName === '.' || dirName === '..' ? `d${dirName}` : dirName;
        mkdirSync(path.join(dir, sub), { recursive: true });
        writeFileSync(path.join(dir, sub, 'resolv.conf'), `options ${value.replace(/[\s]/g, '_')} x\nnameserver 1.1.1.1\n`);
        writeFileSync(path.join(dir, sub, 'sysctl.conf'), `net.ipv4.ip_forward ${value}\n`);
        for (const args of [['--no-color'], ['--color'], ['-f', 'json']]) {
          const r = await runCli([...args, '.'], { cwd: dir });
          // eslint-disable-next-line no-control-regex -- ANSI colour escapes, on purpose
          const out = args[0] === '--color' ? r.stdout.replace(/\u001b\[[0-9;]*m/g, '') : r.stdout;
          expect(out).not.toMatch(RAW);
          expect(r.stderr).not.toMatch(RAW);
          expect(`${r.stdout}\n${r.stderr}`.split('\n').filter((l) => l.startsWith('::'))).toEqual([]);
        }
      }),
      params(20),
    );
  });
});

/** A reference fnmatch for short inputs (exponential, obviously right): `*`/`?` inside one `.`-part, `[...]` classes. */
function referenceSysctl(pattern: string, key: string): boolean {
  const p = pattern.split('.');
  const k = key.split('.');
  if (p.length !== k.length) return false;
  return p.every((part, i) => (part === '' ? k[i] === '' : k[i] !== '' || /^\**$/.test(part)) && (part === '' || k[i] === '' ? true : picomatch.isMatch(k[i]!, part, { dot: true, nobrace: true, noextglob: true, bash: false })));
}

describe('pathological globs: same answers as a reference, within the step bound', () => {
  it('sysctl keys', { timeout: timeout() }, () => {
    const pat = fc.array(fc.constantFrom('*', '?', 'a', 'b', '.', '**', '*a', 'b*'), { minLength: 1, maxLength: 12 }).map((p) => p.join(''));
    const k = fc.array(fc.constantFrom('a', 'b', 'ab', '.', 'aa'), { minLength: 1, maxLength: 12 }).map((p) => p.join(''));
    fc.assert(
      fc.property(pat, k, (pattern, name) => {
        const before = globSteps.count;
        const got = sysctlGlob(pattern)(name);
        expect(globSteps.count - before).toBeLessThanOrEqual((pattern.length + 1) * (name.length + 1));
        expect(got).toBe(referenceSysctl(pattern, name));
      }),
      params(300),
    );
  });

  it('.hostlint.yaml path globs against picomatch (dot: true)', { timeout: timeout() }, () => {
    const seg = fc.constantFrom('**', '*', 'a', 'b', 'a*', '*b', '?', 'a?b', '*a*');
    const pat = fc.array(seg, { minLength: 1, maxLength: 6 }).map((p) => p.join('/').replace(/(^|\/)\*\*\/\*\*(?=\/|$)/g, '$1**'));
    const file = fc.array(fc.constantFrom('a', 'b', 'ab', '.a', 'aab', 'ba'), { minLength: 1, maxLength: 8 }).map((p) => p.join('/'));
    fc.assert(
      fc.property(pat, file, (pattern, name) => {
        const before = globSteps.count;
        const got = pathGlob([pattern])(name);
        const segs = pattern.split('/').length + 1;
        const names = name.split('/').length + 1;
        expect(globSteps.count - before).toBeLessThanOrEqual(segs * names * (pattern.length + 1) * (name.length + 1));
        expect(got).toBe(picomatch.isMatch(name, pattern, { dot: true }));
      }),
      params(300),
    );
  });
});

describe('pathological RE2 patterns', () => {
  it('compile or are refused, and answer on 20,000-character names', { timeout: timeout() }, () => {
    const pattern = fc.array(fc.constantFrom('(', ')', 'a', 'a+', 'a*', '|', '?', '^', '$', '.', '\\w', '+', '*', '(?:', '{2,}', '[a-z]'), { minLength: 1, maxLength: 14 }).map((p) => p.join(''));
    fc.assert(
      fc.property(pattern, fc.constantFrom('a', 'ab', 'a!'), (source, unit) => {
        const re = goRegExp(source);
        if (re) expect(typeof re.test(`${unit.repeat(10_000)}!`)).toBe('boolean');
      }),
      params(100),
    );
  });
});
