import { describe, expect, it } from 'vitest';
import { parseCni, dataTreeFromJson } from '../../src/parsers/json.js';
import { getPath, pairOf } from '../../src/parsers/data-tree.js';
import { LineIndex } from '../../src/parsers/line-index.js';
import type { MappingNode, Position, ScalarNode, SequenceNode } from '../../src/types.js';

function pos(start: [number, number, number], end: [number, number, number]): Position {
  return {
    start: { line: start[0], column: start[1], offset: start[2] },
    end: { line: end[0], column: end[1], offset: end[2] },
  };
}

const CONFLIST = [
  '{', //                                   line 1, offset 0
  '  "name": "k8s-pod-network",', //         line 2, starts at 2
  '  "cniVersion": "0.3.1",', //             line 3, starts at 31
  '  "plugins": [', //                       line 4, starts at 56
  '    {"type": "calico", "mtu": 1440}', //  line 5, starts at 71
  '  ]', //                                  line 6, starts at 107
  '}', //                                    line 7, starts at 111
  '',
].join('\n');

describe('parseCni', () => {
  it('builds one document with a mapping body and exact positions', () => {
    const { tree, problems, comments } = parseCni(CONFLIST);
    expect(problems).toEqual([]);
    expect(comments).toEqual([]);
    expect(tree.language).toBe('cni');
    expect(tree.position).toEqual(pos([1, 1, 0], [8, 1, CONFLIST.length]));
    expect(tree.children).toHaveLength(1);
    const doc = tree.children[0]!;
    expect(doc.index).toBe(0);
    expect(doc.position).toEqual(pos([1, 1, 0], [7, 2, 112]));
    const body = doc.body as MappingNode;
    expect(body.type).toBe('mapping');
    expect(doc.children).toEqual([body]);

    const name = pairOf(body, 'name')!;
    expect(name.key).toMatchObject({ type: 'scalar', value: 'name', source: '"name"', style: 'json' });
    expect(name.key.position).toEqual(pos([2, 3, 4], [2, 9, 10]));
    expect(name.value).toMatchObject({ value: 'k8s-pod-network', source: '"k8s-pod-network"', style: 'json' });
    expect(name.value!.position).toEqual(pos([2, 11, 12], [2, 28, 29]));
    expect(name.position).toEqual(pos([2, 3, 4], [2, 28, 29]));

    const plugins = getPath(body, 'plugins') as SequenceNode;
    expect(plugins.type).toBe('sequence');
    expect(plugins.position).toEqual(pos([4, 14, 69], [6, 4, 110]));
    const mtu = getPath(body, 'plugins', 0, 'mtu') as ScalarNode;
    expect(mtu).toMatchObject({ type: 'scalar', value: 1440, source: '1440', style: 'json' });
    const at = CONFLIST.indexOf('1440');
    expect(mtu.position).toEqual(pos([5, 31, at], [5, 35, at + 4]));
  });

  it('reports a comment as a problem and still returns the tree', () => {
    const text = '{\n  // the network\n  "name": "n",\n  "mtu": 1500\n}\n';
    const { tree, problems } = parseCni(text);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toMatch(/Comments are not allowed/);
    expect(problems[0]!.message).toMatch(/InvalidCommentToken/);
    const at = text.indexOf('//');
    expect(problems[0]!.position).toEqual(pos([2, 3, at], [2, 17, at + '// the network'.length]));
    expect((getPath(tree.children[0]!.body, 'mtu') as ScalarNode).value).toBe(1500);
  });

  it('reports a trailing comma', () => {
    const text = '{"plugins": [{"type": "calico"},]}';
    const { problems } = parseCni(text);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toMatch(/trailing comma/);
    expect(problems[0]!.position.start.offset).toBe(text.indexOf(']'));
  });

  it('keeps a member whose value is missing, with a null value', () => {
    const text = '{"mtu": __CNI_MTU__, "name": "x"}';
    const { tree, problems } = parseCni(text);
    expect(problems.length).toBeGreaterThan(0);
    const mtu = pairOf(tree.children[0]!.body, 'mtu')!;
    expect(mtu.value).toBeNull();
    expect(mtu.children).toEqual([mtu.key]);
    expect((getPath(tree.children[0]!.body, 'name') as ScalarNode).value).toBe('x');
  });

  it('never throws on empty or garbage input', () => {
    for (const text of ['', '   ', '}{', '[[[[', '"unterminated', 'null', '{"a":}']) {
      const result = parseCni(text);
      expect(result.tree.children).toHaveLength(1);
      const doc = result.tree.children[0]!;
      expect(doc.position.start.offset).toBeLessThanOrEqual(doc.position.end.offset!);
    }
    expect(parseCni('').problems).toHaveLength(1);
    expect(parseCni('').tree.children[0]!.body).toBeNull();
    expect(parseCni('null').tree.children[0]!.body).toMatchObject({ type: 'scalar', value: null });
  });

  it('shifts positions for JSON embedded in a larger text', () => {
    const outer = 'xx\n  {"mtu": 9000}';
    const { body, problems } = dataTreeFromJson(outer.slice(5), new LineIndex(outer), 5);
    expect(problems).toEqual([]);
    const mtu = getPath(body, 'mtu') as ScalarNode;
    expect(mtu.position).toEqual(pos([2, 11, 13], [2, 15, 17]));
    expect(outer.slice(13, 17)).toBe('9000');
  });
});
