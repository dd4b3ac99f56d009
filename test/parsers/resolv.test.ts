import { describe, expect, it } from 'vitest';
import { parseResolv } from '../../src/parsers/resolv.js';
import type { CommentNode, ResolvDirectiveNode, ResolvLineNode, ResolvOptionNode } from '../../src/types.js';

const p = (line: number, column: number, offset: number) => ({ line, column, offset });
const span = (a: [number, number, number], b: [number, number, number]) => ({
  start: p(...a),
  end: p(...b),
});

function nodes(text: string): ResolvLineNode[] {
  const r = parseResolv(text);
  expect(r.problems).toEqual([]);
  return r.tree.children;
}

function directive(text: string): ResolvDirectiveNode {
  const c = nodes(text);
  expect(c).toHaveLength(1);
  expect(c[0]!.type).toBe('directive');
  return c[0] as ResolvDirectiveNode;
}

describe('parseResolv: directives', () => {
  it('parses nameserver with exact positions', () => {
    const d = directive('nameserver 192.0.2.1\n');
    expect(d).toMatchObject({ type: 'directive', name: 'nameserver', active: true });
    expect(d.inactiveReason).toBeUndefined();
    expect(d.position).toEqual(span([1, 1, 0], [1, 21, 20]));
    expect(d.keyword).toMatchObject({ type: 'keyword', value: 'nameserver' });
    expect(d.keyword.position).toEqual(span([1, 1, 0], [1, 11, 10]));
    expect(d.args).toHaveLength(1);
    expect(d.args[0]).toMatchObject({ type: 'word', value: '192.0.2.1' });
    expect(d.args[0]!.position).toEqual(span([1, 12, 11], [1, 21, 20]));
    expect(d.children).toEqual([d.keyword, ...d.args]);
  });

  it('parses search with several words, tabs and trailing blanks', () => {
    const d = directive('search\ta.example  b.example\t \n');
    expect(d.active).toBe(true);
    expect(d.position).toEqual(span([1, 1, 0], [1, 28, 27]));
    expect(d.args.map((a) => a.type)).toEqual(['word', 'word']);
    expect(d.args.map((a) => (a.type === 'word' ? a.value : ''))).toEqual(['a.example', 'b.example']);
    expect(d.args[0]!.position).toEqual(span([1, 8, 7], [1, 17, 16]));
    expect(d.args[1]!.position).toEqual(span([1, 19, 18], [1, 28, 27]));
  });

  it('parses domain and sortlist', () => {
    const d = directive('domain  example.net');
    expect(d).toMatchObject({ name: 'domain', active: true });
    expect(d.args[0]).toMatchObject({ type: 'word', value: 'example.net' });
    expect(d.args[0]!.position).toEqual(span([1, 9, 8], [1, 20, 19]));
    expect(directive('sortlist 192.0.2.0/255.255.255.0').args[0]).toMatchObject({
      type: 'word',
      value: '192.0.2.0/255.255.255.0',
    });
  });

  it('parses options into option nodes', () => {
    const d = directive('options\tinet6\tndots:3 edns0\ttimeout: x:y:z\n');
    expect(d).toMatchObject({ name: 'options', active: true });
    const opts = d.args as ResolvOptionNode[];
    expect(opts.map((o) => [o.type, o.name, o.value])).toEqual([
      ['option', 'inet6', null],
      ['option', 'ndots', '3'],
      ['option', 'edns0', null],
      ['option', 'timeout', ''],
      ['option', 'x', 'y:z'],
    ]);
    expect(opts[0]!.position).toEqual(span([1, 9, 8], [1, 14, 13]));
    expect(opts[1]!.position).toEqual(span([1, 15, 14], [1, 22, 21]));
    expect(opts[3]!.position).toEqual(span([1, 29, 28], [1, 37, 36]));
    expect(opts[4]!.position).toEqual(span([1, 38, 37], [1, 43, 42]));
  });

  it('accepts a keyword followed only by blanks (active, no args)', () => {
    const d = directive('search \n');
    expect(d).toMatchObject({ name: 'search', active: true, args: [] });
    expect(d.position).toEqual(span([1, 1, 0], [1, 7, 6]));
  });
});

describe('parseResolv: inactive lines', () => {
  it('marks a bare keyword as no-separator', () => {
    const d = directive('search\n');
    expect(d).toMatchObject({ name: 'search', active: false, inactiveReason: 'no-separator', args: [] });
    expect(d.keyword.position).toEqual(span([1, 1, 0], [1, 7, 6]));
    expect(directive('nameserver').inactiveReason).toBe('no-separator');
  });

  it('marks an indented keyword as indented', () => {
    const d = directive('  \tnameserver 10.0.0.1 \n');
    expect(d).toMatchObject({ name: 'nameserver', active: false, inactiveReason: 'indented' });
    expect(d.position).toEqual(span([1, 1, 0], [1, 23, 22]));
    expect(d.keyword.position).toEqual(span([1, 4, 3], [1, 14, 13]));
    expect(d.args[0]!.position).toEqual(span([1, 15, 14], [1, 23, 22]));
    // indentation takes precedence over other reasons
    expect(directive(' lookup file').inactiveReason).toBe('indented');
    expect(directive(' options ndots:2').args[0]).toMatchObject({ type: 'option', name: 'ndots', value: '2' });
  });

  it('marks unknown keywords', () => {
    const d = directive('lookup file bind');
    expect(d).toMatchObject({ name: 'lookup', active: false, inactiveReason: 'unknown-keyword' });
    expect(d.args.map((a) => a.type)).toEqual(['word', 'word']);
    expect(directive('nameserver1.2.3.4').inactiveReason).toBe('unknown-keyword');
    expect(directive('Nameserver 1.2.3.4').inactiveReason).toBe('unknown-keyword');
    expect(directive('{{- range .Values.network.dns.servers }}')).toMatchObject({
      name: '{{-',
      inactiveReason: 'unknown-keyword',
    });
  });
});

describe('parseResolv: comments', () => {
  it('parses # and ; comments at column 1', () => {
    const r = parseResolv('# hello \n;domain x\n#\n');
    expect(r.comments).toEqual(r.tree.children);
    const [a, b, c] = r.comments as [CommentNode, CommentNode, CommentNode];
    expect(a).toMatchObject({ type: 'comment', marker: '#', value: ' hello ' });
    expect(a.position).toEqual(span([1, 1, 0], [1, 9, 8]));
    expect(b).toMatchObject({ marker: ';', value: 'domain x' });
    expect(b.position).toEqual(span([2, 1, 9], [2, 10, 18]));
    expect(c).toMatchObject({ marker: '#', value: '' });
    expect(c.position).toEqual(span([3, 1, 19], [3, 2, 20]));
  });

  it('makes indented # / ; lines comments positioned at the marker', () => {
    const r = parseResolv('\t# hostlint-disable x\n  ;y');
    const [a, b] = r.comments as [CommentNode, CommentNode];
    expect(r.tree.children).toHaveLength(2);
    expect(a).toMatchObject({ marker: '#', value: ' hostlint-disable x' });
    expect(a.position).toEqual(span([1, 2, 1], [1, 22, 21]));
    expect(b).toMatchObject({ marker: ';', value: 'y' });
    expect(b.position).toEqual(span([2, 3, 24], [2, 5, 26]));
  });

  it('does not recognise inline comments', () => {
    const d = directive('nameserver 192.0.2.1 # primary');
    expect(d.args.map((a) => (a.type === 'word' ? a.value : ''))).toEqual(['192.0.2.1', '#', 'primary']);
  });
});

describe('parseResolv: text shapes', () => {
  it('parses an empty file', () => {
    const r = parseResolv('');
    expect(r.tree).toEqual({ type: 'root', language: 'resolv', children: [], position: span([1, 1, 0], [1, 1, 0]) });
    expect(r.comments).toEqual([]);
    expect(nodes(' \n\t\n\n')).toEqual([]);
  });

  it('handles CRLF', () => {
    const text = '# c\r\nnameserver 1.1.1.1\r\nsearch\r\n';
    const r = parseResolv(text);
    const [c, n, s] = r.tree.children as [CommentNode, ResolvDirectiveNode, ResolvDirectiveNode];
    expect(c.value).toBe(' c');
    expect(c.position).toEqual(span([1, 1, 0], [1, 4, 3]));
    expect(n.position).toEqual(span([2, 1, 5], [2, 19, 23]));
    expect(n.args[0]).toMatchObject({ value: '1.1.1.1' });
    expect(n.args[0]!.position).toEqual(span([2, 12, 16], [2, 19, 23]));
    expect(s.inactiveReason).toBe('no-separator');
    expect(s.position).toEqual(span([3, 1, 25], [3, 7, 31]));
    expect(r.tree.position.end).toEqual(p(4, 1, 33));
  });

  it('handles lone CR', () => {
    const r = parseResolv('nameserver 1.1.1.1\rdomain x\r');
    const [, d] = r.tree.children as [ResolvDirectiveNode, ResolvDirectiveNode];
    expect(d.keyword.position).toEqual(span([2, 1, 19], [2, 7, 25]));
    expect(d.args[0]!.position).toEqual(span([2, 8, 26], [2, 9, 27]));
    expect(r.tree.position.end).toEqual(p(3, 1, 28));
  });

  it('handles a missing final newline', () => {
    const r = parseResolv('search a\ndomain example.net');
    const d = r.tree.children[1] as ResolvDirectiveNode;
    expect(d.position).toEqual(span([2, 1, 9], [2, 19, 27]));
    expect(r.tree.position.end).toEqual(p(2, 19, 27));
  });

  it('treats a BOM at offset 0 as whitespace (so the first line is indented)', () => {
    const r = parseResolv('\uFEFFnameserver 1.1.1.1\n\uFEFF# c\n');
    const [d, x] = r.tree.children as [ResolvDirectiveNode, ResolvDirectiveNode];
    expect(d).toMatchObject({ name: 'nameserver', active: false, inactiveReason: 'indented' });
    expect(d.keyword.position).toEqual(span([1, 2, 1], [1, 12, 11]));
    // A U+FEFF elsewhere is an ordinary character.
    expect(x).toMatchObject({ type: 'directive', name: '\uFEFF#', inactiveReason: 'unknown-keyword' });
    const c = parseResolv('\uFEFF#x').comments[0]!;
    expect(c.position).toEqual(span([1, 2, 1], [1, 4, 3]));
  });
});
