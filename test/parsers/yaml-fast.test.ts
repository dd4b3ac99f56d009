/**
 * The fast path of src/parsers/yaml-fast.ts against the `yaml` package's
 * path (KubeStream) it stands in for: with every document selected, every
 * YAML file of fixtures/, and documents made to be awkward, must give the
 * same tree (every node, value, source, style and position), comments and
 * problems with the fast path on and off. The fast path must also take the
 * documents it is there for (the Calico manifests' DaemonSets and ConfigMaps).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { LineIndex } from '../../src/parsers/line-index.js';
import { fastKubeDocument } from '../../src/parsers/yaml-fast.js';
import { documentStarts, kubeFastPath, parseKube, readHeader } from '../../src/parsers/yaml.js';
import { filesUnder } from '../helpers/files.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const yamlFiles = filesUnder(path.join(repo, 'fixtures'))
  .filter((f) => /\.ya?ml$/.test(f))
  .sort();

afterEach(() => {
  kubeFastPath.enabled = true;
});

/**
 * The parse with the fast path, and without it: every document selected
 * (`parity` undefined; consecutive selected documents take the fast path
 * only all together), or every other one (0: the first, third...), so that
 * each is a run of its own.
 */
function both(text: string, parity?: number) {
  const select = () => {
    let k = 0;
    return { parseDocument: () => parity === undefined || k++ % 2 === parity };
  };
  kubeFastPath.enabled = true;
  const fast = parseKube(text, select());
  kubeFastPath.enabled = false;
  const slow = parseKube(text, select());
  kubeFastPath.enabled = true;
  return { fast, slow };
}

/** How many documents of `text` the fast path takes (those with a header, as the selective parse offers them). */
function fastCount(text: string): number {
  const starts = documentStarts(text);
  if (!starts) return 0;
  const index = new LineIndex(text);
  let n = 0;
  for (let i = 0; i < starts.length; i++) {
    const end = starts[i + 1] ?? text.length;
    if (readHeader(text, starts[i]!, end) && fastKubeDocument(text, starts[i]!, end, index)) n++;
  }
  return n;
}

/**
 * A parse result as JSON, every property in order. A pair's (and a
 * document's) `children` repeat its key and value (body): written as whether
 * they are those very nodes, else each level would double the text.
 */
function serialize(result: unknown): string {
  return JSON.stringify(result, function (this: Record<string, unknown>, k: string, v: unknown) {
    if (k === 'children' && (this.type === 'pair' || this.type === 'document')) {
      const want = this.type === 'pair' ? (this.value ? [this.key, this.value] : [this.key]) : this.body ? [this.body] : [];
      const list = v as unknown[];
      return list.length === want.length && list.every((c, i) => c === want[i]) ? 'its key and value' : 'other nodes';
    }
    return v;
  });
}

function expectSame(text: string, label: string): void {
  for (const parity of [undefined, 0, 1]) {
    const { fast, slow } = both(text, parity);
    const a = serialize(fast);
    const b = serialize(slow);
    if (a === b) continue;
    let i = 0;
    while (a[i] === b[i]) i++;
    expect(a.slice(Math.max(0, i - 300), i + 200), `${label} (parity ${parity})`).toBe(b.slice(Math.max(0, i - 300), i + 200));
  }
}

describe('the fast path gives what the yaml package path gives', () => {
  it(`on every YAML file of fixtures/ (${yamlFiles.length})`, () => {
    let taken = 0;
    for (const f of yamlFiles) {
      const text = readFileSync(f, 'utf8');
      expectSame(text, path.relative(repo, f));
      taken += fastCount(text);
    }
    // It is used, not only correct when it gives up.
    expect(taken).toBeGreaterThan(300);
  });

  it('takes the DaemonSet and the ConfigMap of the Calico v3.28 manifest', () => {
    const text = readFileSync(path.join(repo, 'fixtures/corpus/calico/projectcalico-calico_v3.28.0-calico.yaml'), 'utf8');
    const starts = documentStarts(text)!;
    const index = new LineIndex(text);
    const kinds: string[] = [];
    for (let i = 0; i < starts.length; i++) {
      const end = starts[i + 1] ?? text.length;
      const header = readHeader(text, starts[i]!, end);
      if (header && fastKubeDocument(text, starts[i]!, end, index)) kinds.push(`${header.kind}/${header.name}`);
    }
    expect(kinds).toContain('DaemonSet/calico-node');
    expect(kinds).toContain('ConfigMap/calico-config');
  });

  const head = '---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n';
  const awkward: Array<[string, string]> = [
    ['scalars of every kind the core schema tells apart', 'data:\n  a: 1\n  b: -2\n  c: +3\n  d: 007\n  e: 1.5\n  f: .inf\n  g: 0x1F\n  h: 0o17\n  i: true\n  j: False\n  k: null\n  l: ~\n  m: NULL\n  n: 1e3\n  o: 12345678901234567890\n  p: 1.2.3\n  q: 250m\n'],
    ['quoted scalars', 'data:\n  a: "x"\n  b: \'it\'\'s\'\n  c: "a\\tb"\n  d: \'\'\n  e: ""\n  f: "x" # c\n  g: "x"y\n  h: "x"#c\n  i: [a]#c\n  j: \'x\'#c\n'],
    ['comments everywhere', '# top\ndata: # after key\n  # before\n  a: x # after value\n    # deeper\n# at 0\n  b: y   \n  #c\nlist:\n# between\n- a # c\n  # inside\n- b\n'],
    ['sequences at the key column and indented', 'a:\n- x\n- y\nb:\n  - x\n  - k: v\n    l: w\n  - [p, "q", \'r\']\nc: []\nd: [ a , b ]\ne: [a,]\nf: [a, [b]]\ng: [a: b]\n'],
    ['literal block scalars', 'data:\n  a: |\n    line\n      more\n\n    end\n\n  b: |-\n    x\n  c: |+\n    x\n\n  d: >\n    folded\n  e: |2\n     x\n  f: | # c\n    x\n  g: |\n\n    x\n  h: |\n    x\n      \n'],
    ['anchors, aliases, tags, merge keys', 'a: &x 1\nb: *x\nc: !!str 1\nd: !custom x\n<<: {e: 1}\n'],
    ['flow mappings and multi-line values', 'a: {b: 1}\nc: plain\n  goes on\nd: "quoted\n  goes on"\ne:\n  f\n'],
    ['duplicate and odd keys', 'a: 1\na: 2\n"q": 1\n? x\n: y\n1: a\ntrue: b\nk : v\n'],
    ['empty values', 'a:\nb: 1\nc: # c\nd:\n  - \n'],
    ['bad indentation and errors', 'a:\n  b: 1\n c: 2\nd: e: f\n- x\n'],
    ['tabs and CRLF', 'a:\t1\r\nb: 2\r\n'],
    ['a trailing comment and a comment-only tail', 'a: 1 # c\n\n# end\n'],
    ['plain scalars with indicators', 'a: -x\nb: - x\nc: ?x\nd: :x\ne: x:y\nf: x #y\ng: x#y\nh: a, b\ni: [x]y\nj: `x`\nk: @x\nl: %x\n'],
    ['seq items of every shape', 'a:\n- - x\n-\n  k: v\n- |\n  x\n- "q": v\n- k: v\n  - x\n-x\n'],
  ];
  for (const [name, body] of awkward) {
    it(name, () => {
      expectSame(head + body, name);
      expectSame(`${head}${body}---\n${head.slice(4)}`, `${name}, then a document`);
      // Each top-level key alone too (one awkward line makes a whole document fall back).
      for (const part of body.split(/\n(?=[^ \n#-])/)) expectSame(`${head}${part.endsWith('\n') ? part : `${part}\n`}`, `${name}: ${JSON.stringify(part)}`);
    });
  }

  it('on generated documents: nested mappings, sequences, scalars and comments, now and then something awkward', () => {
    let seed = 11;
    const next = (): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x80000000;
    };
    const pick = <T>(a: T[]): T => a[Math.floor(next() * a.length)]!;
    const scalars = ['v', 'two words', 'a-b.c/d', '1', '0', '-1', '+2', '007', '1.5', '1.2.3', '250m', 'true', 'False', 'null', '~', 'yes', '"d"', '""', "'s'", "'it''s'", "''", '"a: b"', '"x #y"', '[a, b]', '[]', '["p", \'q\']', '[ a , 1 ]', 'x#y', 'a,b', 'x # c', 'http://h:1/p'];
    const awkward = ['.inf', '0x1F', '1e3', '&a x', '*a', '!t x', '{a: 1}', '>', '|+', 'a: b', 'x:', '"e\\n"', '[a,]', '', '- x', '? x', '@x', "'open", '"open'];
    const comment = (indent: string): string => (next() < 0.15 ? `${next() < 0.5 ? indent : ''}# note ${Math.floor(next() * 9)}${next() < 0.2 ? '  ' : ''}\n` : '');
    const gen = (indent: string, depth: number): string => {
      let out = '';
      const keys = 1 + Math.floor(next() * 4);
      for (let k = 0; k < keys; k++) {
        out += comment(indent);
        const key = `${indent}${pick(['k', 'key', 'a b', 'x1', 'name', 'image', `k${k}`])}${k}:`;
        const r = next();
        if (depth < 3 && r < 0.25) out += `${key}${next() < 0.1 ? ' # c' : ''}\n${gen(`${indent}  `, depth + 1)}`;
        else if (depth < 3 && r < 0.45) {
          const inner = next() < 0.5 ? indent : `${indent}  `;
          out += `${key}\n`;
          const items = 1 + Math.floor(next() * 3);
          for (let i = 0; i < items; i++) {
            out += comment(inner);
            if (next() < 0.5) out += `${inner}- ${pick(scalars)}\n`;
            else out += `${inner}- ${gen(`${inner}  `, depth + 1).slice(inner.length + 2)}`;
          }
        } else if (r < 0.55) out += `${key} |${next() < 0.5 ? '-' : ''}\n${indent}  line one\n${next() < 0.3 ? '\n' : ''}${indent}    more: text # not a comment\n${next() < 0.3 ? '\n' : ''}`;
        else out += `${key} ${next() < 0.03 ? pick(awkward) : pick(scalars)}${next() < 0.1 ? ' ' : ''}\n`;
      }
      return out;
    };
    let taken = 0;
    for (let round = 0; round < 3000; round++) {
      const text = `${head}${comment('')}${gen('', 0)}`;
      if (fastCount(text) > 0) taken++;
      expectSame(text, `generated ${round}: ${JSON.stringify(text)}`);
    }
    expect(taken).toBeGreaterThan(1200);
  });

  it('on documents of random lines and on fixture documents edited at random', () => {
    let seed = 7;
    const next = (): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x80000000;
    };
    const pick = <T>(a: T[]): T => a[Math.floor(next() * a.length)]!;
    const indents = ['', '  ', '    ', '      ', ' ', '   '];
    const keys = ['k: ', 'key: ', 'a b: ', 'k:', 'x: ', '- ', '- k: ', '- - ', '', '"q": '];
    const values = ['v', 'two words', '1', '-1', '1.5', 'true', 'null', '~', '"d"', "'s'", "'it''s'", '"e\\"', '[a, b]', '[]', '|', '|-', '>', '&a x', '*a', '!t x', '{a: 1}', 'x # c', '# c', 'a: b', 'x:', '', ' '];
    let taken = 0;
    for (let round = 0; round < 4000; round++) {
      let text = head;
      const lines = 1 + Math.floor(next() * 12);
      for (let l = 0; l < lines; l++) text += (next() < 0.3 ? '' : pick(indents)) + pick(keys) + pick(values) + (next() < 0.1 ? ' ' : '') + '\n';
      if (fastCount(text) > 0) taken++;
      expectSame(text, `random ${round}: ${JSON.stringify(text)}`);
    }
    expect(taken).toBeGreaterThan(30);
    const texts = yamlFiles.map((f) => readFileSync(f, 'utf8')).filter((t) => t.length < 30_000 && t.startsWith('---'));
    const pieces = ['#', ' #', ': ', '"', "'", '- ', '  ', '\n', '|', '[', ']', ',', '&', '*', '!', '1', '.5', 'null', '\t', '{'];
    for (let round = 0; round < 1500; round++) {
      let text = pick(texts);
      for (let e = 0; e < 1 + Math.floor(next() * 3); e++) {
        const at = Math.floor(next() * text.length);
        text = next() < 0.7 ? text.slice(0, at) + pick(pieces) + text.slice(at) : text.slice(0, at) + text.slice(at + 1 + Math.floor(next() * 20));
      }
      expectSame(text, `edited ${round}`);
    }
  });
});
