import { describe, expect, it } from 'vitest';
import { parseKube } from '../../src/parsers/yaml.js';
import { getPath, mapScalarSpan, pairOf } from '../../src/parsers/data-tree.js';
import type { MappingNode, Position, ScalarNode, SequenceNode } from '../../src/types.js';

/** A position from [line, column, offset] triples. */
function pos(start: [number, number, number], end: [number, number, number]): Position {
  return {
    start: { line: start[0], column: start[1], offset: start[2] },
    end: { line: end[0], column: end[1], offset: end[2] },
  };
}

const STREAM = [
  '# top', //                      line 1, offsets 0..5
  'apiVersion: v1', //             line 2, starts at 6
  'kind: ConfigMap # trailing', // line 3, starts at 21
  'metadata:', //                  line 4, starts at 48
  '  name: "cfg"', //              line 5, starts at 58
  'data:', //                      line 6, starts at 72
  '  k: |-', //                    line 7, starts at 78
  '    line1', //                  line 8, starts at 86
  '    "mtu": __CNI_MTU__', //     line 9, starts at 96
  '---', //                        line 10, starts at 119
  '- a', //                        line 11, starts at 123
  "- 'b#x'", //                    line 12, starts at 127
  '',
].join('\n');

describe('parseKube: positions', () => {
  const { tree, problems, comments } = parseKube(STREAM);

  it('parses a two-document stream without problems', () => {
    expect(problems).toEqual([]);
    expect(tree.type).toBe('root');
    expect(tree.language).toBe('kube');
    expect(tree.children).toHaveLength(2);
    expect(tree.position).toEqual(pos([1, 1, 0], [13, 1, STREAM.length]));
  });

  it('gives documents their index, kind, apiVersion and span', () => {
    const [d0, d1] = tree.children;
    expect(d0!.index).toBe(0);
    expect(d0!.kind).toBe('ConfigMap');
    expect(d0!.apiVersion).toBe('v1');
    // The first document starts at its first token (the leading comment is not part of it).
    expect(d0!.position).toEqual(pos([2, 1, 6], [9, 23, 118]));
    expect(d0!.children).toEqual([d0!.body]);
    expect(d1!.index).toBe(1);
    expect(d1!.kind).toBeUndefined();
    // The second document starts at its `---` marker.
    expect(d1!.position).toEqual(pos([10, 1, 119], [12, 8, 134]));
    expect(d1!.body?.type).toBe('sequence');
  });

  it('positions keys, values and pairs exactly', () => {
    const body = tree.children[0]!.body as MappingNode;
    expect(body.type).toBe('mapping');
    expect(body.position).toEqual(pos([2, 1, 6], [9, 23, 118]));
    const kind = pairOf(body, 'kind')!;
    expect(kind.key).toMatchObject({ type: 'scalar', value: 'kind', source: 'kind', style: 'plain' });
    expect(kind.key.position).toEqual(pos([3, 1, 21], [3, 5, 25]));
    expect(kind.value!.position).toEqual(pos([3, 7, 27], [3, 16, 36]));
    expect(kind.position).toEqual(pos([3, 1, 21], [3, 16, 36]));
    expect(kind.children).toEqual([kind.key, kind.value]);

    const name = getPath(body, 'metadata', 'name') as ScalarNode;
    expect(name).toMatchObject({ type: 'scalar', value: 'cfg', source: '"cfg"', style: 'double' });
    expect(name.position).toEqual(pos([5, 9, 66], [5, 14, 71]));
    const metadata = getPath(body, 'metadata') as MappingNode;
    expect(metadata.position).toEqual(pos([5, 3, 60], [5, 14, 71]));
  });

  it('keeps block scalars with their source and maps value offsets back to the file', () => {
    const k = getPath(tree.children[0]!.body, 'data', 'k') as ScalarNode;
    expect(k.style).toBe('literal');
    expect(k.value).toBe('line1\n"mtu": __CNI_MTU__');
    expect(k.source).toBe('|-\n    line1\n    "mtu": __CNI_MTU__');
    expect(k.position).toEqual(pos([7, 6, 83], [9, 23, 118]));
    const v = k.value as string;
    const at = v.indexOf('__CNI_MTU__');
    const mapped = mapScalarSpan(k, at, at + '__CNI_MTU__'.length)!;
    expect(mapped).toEqual([107, 118]);
    expect(STREAM.slice(mapped[0], mapped[1])).toBe('__CNI_MTU__');
  });

  it('positions sequence items and single-quoted scalars', () => {
    const seq = tree.children[1]!.body as SequenceNode;
    expect(seq.position).toEqual(pos([11, 1, 123], [12, 8, 134]));
    const [a, b] = seq.children as ScalarNode[];
    expect(a).toMatchObject({ value: 'a', source: 'a', position: pos([11, 3, 125], [11, 4, 126]) });
    expect(b).toMatchObject({ value: 'b#x', source: "'b#x'", style: 'single', position: pos([12, 3, 129], [12, 8, 134]) });
  });

  it('collects every # comment, and only real comments', () => {
    expect(comments).toEqual([
      { type: 'comment', marker: '#', value: ' top', position: pos([1, 1, 0], [1, 6, 5]) },
      { type: 'comment', marker: '#', value: ' trailing', position: pos([3, 17, 37], [3, 27, 47]) },
    ]);
    expect(tree.comments).toEqual(comments);
  });
});

describe('parseKube: comments', () => {
  it('ignores # inside quoted and block scalars', () => {
    const text = 'a: "x # y"\nb: |\n  # not a comment\nc: \'p#q\' # real\nd: e#f\n';
    const { comments, problems } = parseKube(text);
    expect(problems).toEqual([]);
    expect(comments).toHaveLength(1);
    const at = text.indexOf('# real');
    expect(comments[0]!.value).toBe(' real');
    expect(comments[0]!.position.start).toEqual({ line: 4, column: 10, offset: at });
    expect(comments[0]!.position.end.offset).toBe(at + '# real'.length);
  });

  it('collects comments of a comment-only stream (which has no document)', () => {
    const { tree, comments } = parseKube('# one\n\n  # two\n');
    expect(tree.children).toEqual([]);
    expect(comments.map((c) => [c.value, c.position.start.line, c.position.start.column])).toEqual([
      [' one', 1, 1],
      [' two', 3, 3],
    ]);
  });

  it('counts columns in UTF-16 code units and handles CRLF', () => {
    const text = 'a: "😀"\r\nb: c # ü\r\n';
    const { tree, comments } = parseKube(text);
    const b = getPath(tree.children[0]!.body, 'b') as ScalarNode;
    expect(b.position).toEqual(pos([2, 4, 12], [2, 5, 13]));
    expect(comments[0]!.position).toEqual(pos([2, 6, 14], [2, 9, 17]));
  });
});

describe('parseKube: odd input', () => {
  it('represents empty values, null flow members, aliases and collection keys', () => {
    const text = 'a: &x 1\nd:\ne: {p: q, r}\nf: *x\n? [k, l]\n: v\n';
    const { tree, problems } = parseKube(text);
    const body = tree.children[0]!.body as MappingNode;
    const d = getPath(body, 'd') as ScalarNode;
    expect(d).toMatchObject({ type: 'scalar', value: null, source: '' });
    expect(d.position.start.offset).toBe(d.position.end.offset);
    const r = pairOf(getPath(body, 'e'), 'r')!;
    expect(r.value).toBeNull();
    expect(r.children).toEqual([r.key]);
    expect(getPath(body, 'f')).toMatchObject({ type: 'alias', name: 'x', position: pos([4, 4, 27], [4, 6, 29]) });
    // Anchored scalar: the node starts at the value, after the anchor.
    expect((getPath(body, 'a') as ScalarNode).position.start.offset).toBe(6);
    const complex = body.children[4]!;
    expect(complex.key).toMatchObject({ type: 'scalar', value: '[k, l]', source: '[k, l]' });
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toMatch(/key is a collection/);
    expect(problems[0]!.position.start).toEqual({ line: 5, column: 3, offset: 32 });
  });

  it('reports broken YAML at the right line and keeps the other documents', () => {
    const text = 'a: 1\n---\nb:\n\tc: 2\n---\napiVersion: v1\nkind: Secret\n';
    const { tree, problems } = parseKube(text);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]!.position.start.line).toBe(4);
    expect(problems[0]!.message).toMatch(/tab/i);
    expect(tree.children).toHaveLength(3);
    expect(tree.children[2]!.kind).toBe('Secret');
  });

  it('reports an unclosed flow sequence without throwing', () => {
    const { problems, tree } = parseKube('a: 1\nb: [1, 2\nc: 3\n');
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]!.position.start.line).toBe(3);
    expect(tree.children).toHaveLength(1);
  });

  it('reports duplicate keys at the repeated key', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\ndata:\n  veth_mtu: "1440"\n  veth_mtu: "1450"\n';
    const { problems, tree } = parseKube(text);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toMatch(/unique/);
    const second = text.lastIndexOf('veth_mtu');
    expect(problems[0]!.position.start).toEqual({ line: 5, column: 3, offset: second });
    // Both pairs stay in the tree; lookups take the last one (as Kubernetes does).
    const data = getPath(tree.children[0]!.body, 'data') as MappingNode;
    expect(data.children).toHaveLength(2);
    expect((getPath(data, 'veth_mtu') as ScalarNode).value).toBe('1450');
  });

  it('reports an alias bomb quickly instead of expanding it', () => {
    const rows = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    const names = 'abcdefghi';
    for (let i = 1; i < names.length; i++) {
      const prev = names[i - 1]!;
      rows.push(`${names[i]}: &${names[i]} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const started = Date.now();
    const { problems, tree } = parseKube(rows.join('\n') + '\n');
    expect(Date.now() - started).toBeLessThan(2000);
    expect(problems.some((p) => /alias/i.test(p.message))).toBe(true);
    expect(tree.children).toHaveLength(1);
  });

  it('reports an alias to a missing anchor at the alias', () => {
    const { problems } = parseKube('a: *nope\n');
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toMatch(/Unresolved alias/);
    expect(problems[0]!.position).toEqual(pos([1, 4, 3], [1, 9, 8]));
  });

  it('gives empty documents a node with a null body', () => {
    const { tree, problems } = parseKube('---\n---\na: 1\n');
    expect(problems).toEqual([]);
    expect(tree.children).toHaveLength(2);
    expect(tree.children[0]!.body).toBeNull();
    expect(tree.children[0]!.children).toEqual([]);
    expect(tree.children[0]!.position.start.offset).toBe(0);
    expect(tree.children[1]!.position.start).toEqual({ line: 2, column: 1, offset: 4 });
  });

  it('returns an empty root for an empty file', () => {
    const result = parseKube('');
    expect(result.tree.children).toEqual([]);
    expect(result.problems).toEqual([]);
    expect(result.comments).toEqual([]);
  });

  it('accepts quoted scalars continued at their key indentation (as go-yaml does) with exact positions', () => {
    const text = "a:\n  description: 'first line\n  second line'\n  type: string\n";
    const { tree, problems } = parseKube(text);
    expect(problems).toEqual([]);
    const d = getPath(tree.children[0]!.body, 'a', 'description') as ScalarNode;
    expect(d.value).toBe('first line second line');
    expect(d.source).toBe("'first line\n  second line'");
    expect(d.position).toEqual(pos([2, 16, 18], [3, 15, 44]));
    const t = getPath(tree.children[0]!.body, 'a', 'type') as ScalarNode;
    expect(t.position).toEqual(pos([4, 9, 53], [4, 15, 59]));
    expect(text.slice(53, 59)).toBe('string');
  });

  it('builds List documents as plain trees', () => {
    const text = 'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: x}\n';
    const { tree, problems } = parseKube(text);
    expect(problems).toEqual([]);
    expect(tree.children[0]!.kind).toBe('List');
    expect((getPath(tree.children[0]!.body, 'items', 0, 'metadata', 'name') as ScalarNode).value).toBe('x');
  });

  it('handles a large stream in linear time', () => {
    const doc = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n' +
      Array.from({ length: 200 }, (_, i) => `  k${i}: "v${i}" # c${i}\n`).join('');
    const text = Array(200).fill(doc).join('---\n');
    const started = Date.now();
    const { tree, comments } = parseKube(text);
    expect(tree.children).toHaveLength(200);
    expect(comments).toHaveLength(40000);
    expect(Date.now() - started).toBeLessThan(10000);
  });
});
