/**
 * The sysctl parser, the lazy `sysctl -a` parse and its key index against the
 * parser as it was (test/parsers/sysctl-reference.ts): on every real sysctl
 * file and dump of the repository, on adversarial texts and on random ones,
 * the trees, comments and live values must be exactly the reference's.
 *
 * Live values: what `liveDump()` gave when it read the reference tree's
 * assignments into a map (key → the last assignment's value with its runs of
 * white space made one space, at the value's position; keys in the order they
 * first appear; a later dump file wins).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { liveDump, liveValue, type LiveValue } from '../../src/facts/live-sysctl.js';
import type { FactScope } from '../../src/facts/provider.js';
import { parseSysctl, parseSysctlDump, sysctlDumpIndexOf } from '../../src/parsers/sysctl.js';
import type { ParseResult, SourceFile } from '../../src/types.js';
import { linesOf, mutatedSample, seed, textOf } from '../fuzz/inputs.js';
import { filesUnder } from '../helpers/files.js';
import { referenceParseSysctl } from './sysctl-reference.js';

const ROOT = path.resolve(__dirname, '../..');


const all = filesUnder(path.join(ROOT, 'fixtures'));
/** Every `sysctl -a` dump of the repository (sosreports in fixtures, examples, corpus snapshots). */
const DUMPS = all.filter((f) => f.endsWith('/sos_commands/kernel/sysctl_-a'));
/** Every sysctl.conf / sysctl.d file of the repository. */
const CONFS = all.filter((f) => /\/sysctl\.d\/[^/]+\.conf$|\/sysctl\.conf$|\/corpus\/sysctl\/[^/]+\.conf$/.test(f));

/** A host scope holding these dump files, as much of one as `liveDump()` reads. */
function hostWith(files: SourceFile[]): FactScope {
  const memo = new Map<string, unknown>();
  return {
    kind: 'host',
    name: 'h',
    filesOf: (language: string) => (language === 'sysctl-dump' ? files : []),
    readHostPath: () => undefined,
    derive<T>(key: string, f: () => T): T {
      if (!memo.has(key)) memo.set(key, f());
      return memo.get(key) as T;
    },
  } as unknown as FactScope;
}

function fileOf(name: string, text: string, parsed: ParseResult): SourceFile {
  return { path: name, text, parsed } as unknown as SourceFile;
}

/** The live values the reference trees give, in map order (see the header). */
function referenceLive(files: SourceFile[], texts: string[]): Array<[string, LiveValue]> {
  const out = new Map<string, LiveValue>();
  files.forEach((file, i) => {
    for (const node of referenceParseSysctl(texts[i]!, 'sysctl-dump').tree.children) {
      if (node.type === 'assignment') out.set(node.key.name, { key: node.key.name, value: node.value.value.replace(/\s+/g, ' '), file, position: node.value.position });
    }
  });
  return [...out];
}

/** The lazy parse, read the way the engine reads it, equals the reference parse (with key order: JSON). */
function expectSameParse(text: string): void {
  const want = referenceParseSysctl(text, 'sysctl-dump');
  const lazy = parseSysctlDump(text);
  expect(lazy.problems).toEqual([]);
  expect(JSON.stringify(lazy.tree.position)).toBe(JSON.stringify(want.tree.position));
  expect(JSON.stringify(lazy.comments)).toBe(JSON.stringify(want.comments));
  expect(JSON.stringify(lazy.tree)).toBe(JSON.stringify(want.tree));
  expect(lazy.tree.children).toBe(lazy.tree.children); // parsed once
  expect(JSON.stringify(parseSysctl(text, 'sysctl-dump'))).toBe(JSON.stringify(want));
}

/** A live value as JSON, its file by path (key order and every field of the position count). */
const plain = (v: LiveValue | undefined) => (v ? JSON.stringify({ ...v, file: v.file.path }) : 'undefined');

/** The live values of one or more dump texts on a host equal the reference's, key by key and in order. */
function expectSameLive(texts: string[]): void {
  const files = texts.map((t, i) => fileOf(`d${i}`, t, parseSysctlDump(t)));
  const want = referenceLive(files, texts);
  const dump = liveDump(hostWith(files))!;
  expect([...dump.keys()]).toEqual(want.map(([k]) => k));
  expect(dump.size).toBe(want.length);
  for (const [key, value] of want) {
    expect(dump.has(key)).toBe(true);
    expect(plain(dump.get(key))).toBe(plain(value));
    expect(dump.get(key)!.file).toBe(value.file);
    expect(dump.get(key)).toBe(dump.get(key)); // made once
  }
  expect([...dump.entries()].map(([k, v]) => `${k} ${plain(v)}`)).toEqual(want.map(([k, v]) => `${k} ${plain(v)}`));
  const each: string[] = [];
  dump.forEach((v, k) => each.push(`${k} ${plain(v)}`));
  expect(each).toEqual([...dump].map(([k, v]) => `${k} ${plain(v)}`));
  for (const absent of ['', 'net', 'net.ipv4.ip_forward ', ' net.ipv4.ip_forward', 'net/ipv4/ip_forward', 'no.such.key']) {
    if (want.some(([k]) => k === absent)) continue;
    expect(dump.has(absent)).toBe(false);
    expect(dump.get(absent)).toBeUndefined();
  }
}

describe('parseSysctl equals the reference parser', () => {
  it.each(CONFS.map((f) => path.relative(ROOT, f)))('%s', (rel) => {
    const text = readFileSync(path.join(ROOT, rel), 'utf8');
    for (const language of ['sysctl', 'sysctl-dump'] as const) {
      expect(JSON.stringify(parseSysctl(text, language))).toBe(JSON.stringify(referenceParseSysctl(text, language)));
    }
  });
  it('finds the files', () => {
    expect(CONFS.length).toBeGreaterThan(40);
    expect(DUMPS.length).toBeGreaterThan(15);
  });
});

describe('the lazy sysctl -a parse and its key index, on the real dumps', () => {
  it.each(DUMPS.map((f) => path.relative(ROOT, f)))('%s', (rel) => {
    const text = readFileSync(path.join(ROOT, rel), 'utf8');
    expectSameParse(text);
    expectSameLive([text]);
  });

  it('reads net.ipv4.ip_forward of a real dump at its value, without parsing the tree', () => {
    const rel = 'fixtures/examples/fleet/sosreport-node02-2024-05-01-qxlvjzb/sos_commands/kernel/sysctl_-a';
    const text = readFileSync(path.join(ROOT, rel), 'utf8');
    const parsed = parseSysctlDump(text);
    const file = fileOf(rel, text, parsed);
    const v = liveValue(hostWith([file]), 'net.ipv4.ip_forward')!;
    expect(JSON.stringify(v.position)).toBe('{"start":{"line":468,"column":23,"offset":16693},"end":{"line":468,"column":24,"offset":16694}}');
    expect(v.value).toBe('1');
    expect(Object.keys(parsed.tree)).toEqual(['type', 'language', 'children', 'position']);
    expect(sysctlDumpIndexOf(parsed.tree)!.slots.size).toBeGreaterThan(900);
  });
});

/** Texts where each rule of the syntax shows (see src/parsers/sysctl.ts). */
const ADVERSARIAL: Record<string, string> = {
  empty: '',
  'only terminators': '\n\r\n\r\n\n',
  'no final newline': 'a = 1\nb = 2',
  crlf: 'net.ipv4.ip_forward = 1\r\nkernel.pid_max = 4194304\r\n',
  'lone cr': 'a = 1\rb = 2\r\rc = 3',
  'mixed terminators': 'a = 1\r\nb = 2\rc = 3\nd = 4\r\n',
  bom: '\uFEFFnet.ipv4.ip_forward = 1\n\uFEFFa = 2\n',
  blanks: ' \t\u000b\fkey\t \u000b= \f value with  inner\t\tblanks \t\n',
  'sysctl: error lines': "sysctl: permission denied on key 'fs.protected_fifos'\nsysctl: reading key \"net.ipv6.conf.all.stable_secret\" = x\n  sysctl: x = 1\nsysctl = 1\nsysctl:= 1\n",
  'duplicates: the last wins, in the first place': 'a = 1\nb = 2\na = 3\nc = 4\nb = 5\n',
  'slash keys normalise': 'net/ipv4/ip_forward = 1\nnet.ipv4.ip_forward = 2\nnet/ipv4/conf/eth0.100/forwarding = 1\nnet.ipv4.conf.eth0/100.forwarding = 0\n',
  dashes: '-net.ipv4.ip_forward = 1\n- kernel.pid_max = 2\n-net.ipv4.conf.lo.rp_filter\n-\n-=1\n- = 1\n',
  invalid: 'just words\n= 1\n  =  \nx\n',
  comments: '# a = 1\n; b = 2\n  # hostlint-disable-next-line\na = 3 # not a comment\n#\n;\n',
  'empty values': 'a =\nb =   \nc=\td\n e = \n',
  'equals in values': 'a = b = c\nkernel.core_pattern = |/usr/share/apport/apport -p%p -s%s -c%c -d%d -P%P -u%u -g%g -- %E\n',
  'white space in values': 'a = 1\u00a0\u00a02\nb = 32768\t60999\nc = x\u2028y\n',
  'globs and odd keys': 'net.ipv4.conf.*.rp_filter = 2\nnet.ipv4.conf.[ab].x = 1\na?b = 1\nkey.with.é = 1\nkey.😀 = 1\n',
  'lines without = between assignments': 'a = 1\nno equals here\nnor here\nb = 2\nlast line without\n',
  'no = at all': 'x\ny\nz\n-w\n',
  'NUL and controls': 'a\u0000b = 1\nc = \u0000\n\u0000\n',
};

describe('the lazy sysctl -a parse and its key index, on adversarial texts', () => {
  it.each(Object.keys(ADVERSARIAL))('%s', (name) => {
    const text = ADVERSARIAL[name]!;
    expectSameParse(text);
    expectSameLive([text]);
    for (const language of ['sysctl', 'sysctl-dump'] as const) {
      expect(JSON.stringify(parseSysctl(text, language))).toBe(JSON.stringify(referenceParseSysctl(text, language)));
    }
  });

  it('reads a comment only when the dump has one', () => {
    const plain = parseSysctlDump('a = 1\nsysctl: x\n');
    expect(plain.comments).toEqual([]);
    expect(sysctlDumpIndexOf(plain.tree)!.hasComments).toBe(false);
    const commented = parseSysctlDump('a = 1\n # hostlint-disable\n');
    expect(sysctlDumpIndexOf(commented.tree)!.hasComments).toBe(true);
    expect(commented.comments.map((c) => [c.marker, c.value, c.position.start.column])).toEqual([['#', ' hostlint-disable', 2]]);
  });

  it('several dump files on a host: a later file wins, keys in the order they first appear', () => {
    expectSameLive(['a = 1\nb = 2\n', 'b = 3\nc = 4\n', 'a = 5\n']);
    expectSameLive([ADVERSARIAL.crlf!, ADVERSARIAL['slash keys normalise']!, ADVERSARIAL['duplicates: the last wins, in the first place']!]);
  });

  it('a dump tree the dump parser did not make is read from its assignments', () => {
    const text = ADVERSARIAL['duplicates: the last wins, in the first place']!;
    const files = [fileOf('plain', text, parseSysctl(text, 'sysctl-dump'))];
    expect(sysctlDumpIndexOf(files[0]!.parsed!.tree)).toBeUndefined();
    expect([...liveDump(hostWith(files))!.entries()].map(([k, v]) => `${k} ${plain(v)}`)).toEqual(referenceLive(files, [text]).map(([k, v]) => `${k} ${plain(v)}`));
  });
});

describe('the lazy sysctl -a parse and its key index, on random texts', () => {
  const property = (text: string) => {
    expectSameParse(text);
    expectSameLive([text]);
    expect(JSON.stringify(parseSysctl(text, 'sysctl'))).toBe(JSON.stringify(referenceParseSysctl(text, 'sysctl')));
  };
  it('token soup of both grammars', () => {
    fc.assert(fc.property(fc.oneof(textOf('sysctl-dump'), textOf('sysctl'), linesOf('sysctl-dump'), linesOf('sysctl')), property), { numRuns: 600, seed: seed() });
  });
  it('mutated real dumps and sysctl files', () => {
    fc.assert(
      fc.property(fc.oneof(mutatedSample('sysctl-dump'), mutatedSample('sysctl')), ({ text }) => property(text)),
      { numRuns: 150, seed: seed() },
    );
  });
  it('two random dumps on one host', () => {
    fc.assert(fc.property(linesOf('sysctl-dump'), linesOf('sysctl'), (a, b) => expectSameLive([a, b])), { numRuns: 200, seed: seed() });
  });
});

