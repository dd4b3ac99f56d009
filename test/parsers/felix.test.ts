import { describe, expect, it } from 'vitest';
import { UNEXPECTED_LINE, felixSettings, parseFelix } from '../../src/parsers/felix.js';
import type { IniPropertyNode, Position } from '../../src/types.js';

function pos(start: [number, number, number], end: [number, number, number]): Position {
  return {
    start: { line: start[0], column: start[1], offset: start[2] },
    end: { line: end[0], column: end[1], offset: end[2] },
  };
}

const CFG = [
  '# top comment', //                line 1, offsets 0..13
  'LogSeverityScreen = Info', //     line 2, starts at 14
  '[global]', //                     line 3, starts at 39
  '; semicolon comment', //          line 4, starts at 48
  'IpInIpMtu=1440', //               line 5, starts at 68
  '  MetadataAddr : "none"', //      line 6, starts at 83
  '[other]', //                      line 7, starts at 107
  'IpInIpMtu = 1430 ; later wins', // line 8, starts at 115
  '',
].join('\n');

function props(section: { children: Array<{ type: string }> }): IniPropertyNode[] {
  return section.children.filter((c): c is IniPropertyNode => c.type === 'property');
}

describe('parseFelix', () => {
  const { tree, problems, comments } = parseFelix(CFG);

  it('keeps an implicit top section and every named section', () => {
    expect(problems).toEqual([]);
    expect(tree.language).toBe('felix');
    expect(tree.children.map((s) => s.name)).toEqual(['', 'global', 'other']);
    const [top, global, other] = tree.children;
    expect(top!.header).toBeUndefined();
    expect(top!.position).toEqual(pos([1, 1, 0], [2, 25, 38]));
    expect(global!.header).toEqual(pos([3, 1, 39], [3, 9, 47]));
    expect(global!.position).toEqual(pos([3, 1, 39], [6, 24, 106]));
    expect(other!.header).toEqual(pos([7, 1, 107], [7, 8, 114]));
  });

  it('positions keys and values exactly', () => {
    const [top, global] = tree.children;
    const [sev] = props(top!);
    expect(sev!.key).toEqual({ type: 'key', name: 'LogSeverityScreen', position: pos([2, 1, 14], [2, 18, 31]) });
    expect(sev!.value).toEqual({ type: 'value', value: 'Info', position: pos([2, 21, 34], [2, 25, 38]) });
    expect(sev!.position).toEqual(pos([2, 1, 14], [2, 25, 38]));
    expect(sev!.children).toEqual([sev!.key, sev!.value]);

    const [mtu, meta] = props(global!);
    expect(mtu!.key.position).toEqual(pos([5, 1, 68], [5, 10, 77]));
    expect(mtu!.value).toEqual({ type: 'value', value: '1440', position: pos([5, 11, 78], [5, 15, 82]) });
    // `key: value` and quotes, decoded like INI.
    expect(meta!.key).toMatchObject({ name: 'MetadataAddr', position: pos([6, 3, 85], [6, 15, 97]) });
    expect(meta!.value).toEqual({ type: 'value', value: 'none', position: pos([6, 18, 100], [6, 24, 106]) });
  });

  it('cuts inline comments from the value and lists them with the comments', () => {
    const [mtu] = props(tree.children[2]!);
    expect(mtu!.value.value).toBe('1430');
    const at = CFG.indexOf('1430');
    expect(mtu!.value.position).toEqual(pos([8, 13, at], [8, 17, at + 4]));
    expect(comments.map((c) => [c.marker, c.value, c.position.start.line, c.position.start.column])).toEqual([
      ['#', ' top comment', 1, 1],
      [';', ' semicolon comment', 4, 1],
      [';', ' later wins', 8, 18],
    ]);
    // Full-line comments are also children of their section.
    expect(tree.children[0]!.children[0]).toMatchObject({ type: 'comment', marker: '#', position: pos([1, 1, 0], [1, 14, 13]) });
  });

  it('keeps duplicate keys in the tree; the last one wins across sections', () => {
    const settings = felixSettings(tree);
    const mtus = settings.get('IpInIpMtu')!;
    expect(mtus).toHaveLength(2);
    expect(mtus.map((p) => p.value.value)).toEqual(['1440', '1430']);
    expect(mtus.map((p) => p.key.position.start.line)).toEqual([5, 8]);
    expect(mtus[mtus.length - 1]!.value.value).toBe('1430');
  });

  it('keeps duplicate keys within one section', () => {
    const { tree: t } = parseFelix('[global]\nFelixHostname = a\nFelixHostname = b\n');
    expect(props(t.children[0]!).map((p) => p.value.value)).toEqual(['a', 'b']);
    expect(felixSettings(t).get('FelixHostname')).toHaveLength(2);
  });

  it('reports lines that are none of the known forms and goes on', () => {
    const text = '[global]\njust some words\nIpInIpEnabled = true\n[unclosed\n';
    const { tree: t, problems: p } = parseFelix(text);
    expect(p).toHaveLength(2);
    expect(p[0]).toEqual({ message: UNEXPECTED_LINE, position: pos([2, 1, 9], [2, 16, 24]) });
    expect(p[1]!.position.start.line).toBe(4);
    expect(props(t.children[0]!).map((x) => x.key.name)).toEqual(['IpInIpEnabled']);
  });

  it('splits at the first `=` or `:` and allows empty values', () => {
    const text = 'FelixHostname: a=b\nEmpty =\nUrl = http://x:1\n';
    const { tree: t, problems: p } = parseFelix(text);
    expect(p).toEqual([]);
    const [host, empty, url] = props(t.children[0]!);
    expect([host!.key.name, host!.value.value]).toEqual(['FelixHostname', 'a=b']);
    expect(empty!.value.value).toBe('');
    expect(empty!.value.position).toEqual(pos([2, 8, 26], [2, 8, 26]));
    expect([url!.key.name, url!.value.value]).toEqual(['Url', 'http://x:1']);
  });

  it('handles CRLF and an empty file', () => {
    const { tree: t } = parseFelix('[global]\r\nA = 1\r\n');
    const [a] = props(t.children[0]!);
    expect(a!.value.position).toEqual(pos([2, 5, 14], [2, 6, 15]));
    const empty = parseFelix('');
    expect(empty.tree.children).toEqual([]);
    expect(empty.problems).toEqual([]);
  });
});
