import { describe, expect, it } from 'vitest';
import { normalizeSysctlKey, parseSysctl } from '../../src/parsers/sysctl.js';
import type {
  CommentNode,
  SysctlAssignmentNode,
  SysctlExclusionNode,
  SysctlInvalidNode,
  SysctlLineNode,
} from '../../src/types.js';

const p = (line: number, column: number, offset: number) => ({ line, column, offset });
const span = (a: [number, number, number], b: [number, number, number]) => ({
  start: p(...a),
  end: p(...b),
});

function only<T extends SysctlLineNode>(text: string, type: T['type'], language?: 'sysctl' | 'sysctl-dump'): T {
  const { tree } = parseSysctl(text, language);
  expect(tree.children).toHaveLength(1);
  const node = tree.children[0]!;
  expect(node.type).toBe(type);
  return node as T;
}

describe('normalizeSysctlKey', () => {
  it('keeps dotted keys', () => {
    expect(normalizeSysctlKey('net.ipv4.ip_forward')).toBe('net.ipv4.ip_forward');
    expect(normalizeSysctlKey('net.ipv4.conf.eth0/100.forwarding')).toBe('net.ipv4.conf.eth0/100.forwarding');
    expect(normalizeSysctlKey('kernel')).toBe('kernel');
  });
  it('swaps dots and slashes when the first separator is a slash', () => {
    expect(normalizeSysctlKey('net/ipv4/ip_forward')).toBe('net.ipv4.ip_forward');
    expect(normalizeSysctlKey('net/ipv4/conf/eth0.100/forwarding')).toBe('net.ipv4.conf.eth0/100.forwarding');
  });
});

describe('parseSysctl: assignments', () => {
  it('parses a simple assignment with exact positions', () => {
    const a = only<SysctlAssignmentNode>('net.ipv4.ip_forward = 1\n', 'assignment');
    expect(a.ignoreFailure).toBe(false);
    expect(a.position).toEqual(span([1, 1, 0], [1, 24, 23]));
    expect(a.key).toMatchObject({ type: 'key', name: 'net.ipv4.ip_forward', raw: 'net.ipv4.ip_forward', glob: false });
    expect(a.key.position).toEqual(span([1, 1, 0], [1, 20, 19]));
    expect(a.value).toMatchObject({ type: 'value', value: '1' });
    expect(a.value.position).toEqual(span([1, 23, 22], [1, 24, 23]));
    expect(a.children).toEqual([a.key, a.value]);
  });

  it('trims surrounding whitespace and tabs, keeps inner whitespace', () => {
    const text = '  \tnet.core.rmem = \t4096  87380\t6291456 \t\n';
    const a = only<SysctlAssignmentNode>(text, 'assignment');
    expect(a.position).toEqual(span([1, 4, 3], [1, 40, 39]));
    expect(a.key.raw).toBe('net.core.rmem');
    expect(a.key.position).toEqual(span([1, 4, 3], [1, 17, 16]));
    expect(a.value.value).toBe('4096  87380\t6291456');
    expect(a.value.position).toEqual(span([1, 21, 20], [1, 40, 39]));
  });

  it('splits at the first = and has no inline comments', () => {
    const a = only<SysctlAssignmentNode>('a.b=c=d # not a comment', 'assignment');
    expect(a.key.raw).toBe('a.b');
    expect(a.value.value).toBe('c=d # not a comment');
    expect(a.value.position).toEqual(span([1, 5, 4], [1, 24, 23]));
  });

  it('places an empty value right after the =', () => {
    const a = only<SysctlAssignmentNode>('kernel.modprobe =\n', 'assignment');
    expect(a.value.value).toBe('');
    expect(a.value.position).toEqual(span([1, 18, 17], [1, 18, 17]));
    const b = only<SysctlAssignmentNode>('kernel.modprobe =   \n', 'assignment');
    expect(b.value.position).toEqual(span([1, 18, 17], [1, 18, 17]));
    expect(b.position).toEqual(span([1, 1, 0], [1, 18, 17]));
  });

  it('handles the - prefix (ignore failure)', () => {
    const a = only<SysctlAssignmentNode>('-net.ipv4.ping_group_range = 0 2147483647', 'assignment');
    expect(a.ignoreFailure).toBe(true);
    expect(a.position).toEqual(span([1, 1, 0], [1, 42, 41]));
    expect(a.key.raw).toBe('net.ipv4.ping_group_range');
    expect(a.key.position).toEqual(span([1, 2, 1], [1, 27, 26]));
    expect(a.value.value).toBe('0 2147483647');
    expect(a.value.position).toEqual(span([1, 30, 29], [1, 42, 41]));
  });

  it('normalises slash keys and keeps raw', () => {
    const a = only<SysctlAssignmentNode>('net/ipv4/conf/eth0.100/forwarding=1', 'assignment');
    expect(a.key.raw).toBe('net/ipv4/conf/eth0.100/forwarding');
    expect(a.key.name).toBe('net.ipv4.conf.eth0/100.forwarding');
    expect(a.key.position).toEqual(span([1, 1, 0], [1, 34, 33]));
    expect(a.value.position).toEqual(span([1, 35, 34], [1, 36, 35]));
  });

  it('flags glob keys', () => {
    expect(only<SysctlAssignmentNode>('net.ipv4.conf.*.rp_filter = 2', 'assignment').key.glob).toBe(true);
    expect(only<SysctlAssignmentNode>('ddb.onpanic?=0', 'assignment').key.glob).toBe(true);
    expect(only<SysctlAssignmentNode>('net.ipv4.conf.eth[01].rp_filter=1', 'assignment').key.glob).toBe(true);
  });

  it('makes lines with an empty key invalid', () => {
    expect(only<SysctlInvalidNode>('= 1', 'invalid').text).toBe('= 1');
    expect(only<SysctlInvalidNode>('-=1', 'invalid').text).toBe('-=1');
    expect(only<SysctlInvalidNode>('-', 'invalid').text).toBe('-');
  });
});

describe('parseSysctl: comments, exclusions, invalid lines', () => {
  it('parses # and ; comments, untrimmed', () => {
    const text = '# hello \n  ; semi\n#\n';
    const { tree, comments } = parseSysctl(text);
    expect(tree.children).toHaveLength(3);
    expect(comments).toEqual(tree.children);
    const [a, b, c] = comments as [CommentNode, CommentNode, CommentNode];
    expect(a).toMatchObject({ type: 'comment', marker: '#', value: ' hello ' });
    expect(a.position).toEqual(span([1, 1, 0], [1, 9, 8]));
    expect(b).toMatchObject({ marker: ';', value: ' semi' });
    expect(b.position).toEqual(span([2, 3, 11], [2, 9, 17]));
    expect(c).toMatchObject({ marker: '#', value: '' });
    expect(c.position).toEqual(span([3, 1, 18], [3, 2, 19]));
  });

  it('parses exclusions', () => {
    const e = only<SysctlExclusionNode>('  -net.ipv4.conf.lo.rp_filter  \n', 'exclusion');
    expect(e.position).toEqual(span([1, 3, 2], [1, 30, 29]));
    expect(e.key).toMatchObject({ raw: 'net.ipv4.conf.lo.rp_filter', name: 'net.ipv4.conf.lo.rp_filter', glob: false });
    expect(e.key.position).toEqual(span([1, 4, 3], [1, 30, 29]));
    expect(e.children).toEqual([e.key]);
    expect(only<SysctlExclusionNode>('-net/ipv4/conf/*/rp_filter', 'exclusion').key).toMatchObject({
      name: 'net.ipv4.conf.*.rp_filter',
      glob: true,
    });
  });

  it('makes other lines without = invalid, not problems', () => {
    const { tree, problems } = parseSysctl('#!/bin/sh\n\tnet.ipv4.ip_forward 1 \n');
    expect(problems).toEqual([]);
    const inv = tree.children[1] as SysctlInvalidNode;
    expect(inv).toMatchObject({ type: 'invalid', text: 'net.ipv4.ip_forward 1' });
    expect(inv.position).toEqual(span([2, 2, 11], [2, 23, 32]));
  });
});

describe('parseSysctl: text shapes', () => {
  it('parses an empty file', () => {
    const r = parseSysctl('');
    expect(r.tree).toEqual({ type: 'root', language: 'sysctl', children: [], position: span([1, 1, 0], [1, 1, 0]) });
    expect(r.problems).toEqual([]);
    expect(r.comments).toEqual([]);
  });

  it('parses whitespace-only files to no nodes', () => {
    expect(parseSysctl(' \n\t\r\n\n').tree.children).toEqual([]);
  });

  it('handles CRLF', () => {
    const text = '# c\r\na = 1\r\nb=2\r\n';
    const { tree } = parseSysctl(text);
    expect(tree.position).toEqual(span([1, 1, 0], [4, 1, 17]));
    const [c, a, b] = tree.children as [CommentNode, SysctlAssignmentNode, SysctlAssignmentNode];
    expect(c.value).toBe(' c');
    expect(c.position).toEqual(span([1, 1, 0], [1, 4, 3]));
    expect(a.position).toEqual(span([2, 1, 5], [2, 6, 10]));
    expect(a.value.value).toBe('1');
    expect(a.value.position).toEqual(span([2, 5, 9], [2, 6, 10]));
    expect(b.key.position).toEqual(span([3, 1, 12], [3, 2, 13]));
    expect(b.value.position).toEqual(span([3, 3, 14], [3, 4, 15]));
  });

  it('handles lone CR', () => {
    const text = 'a=1\rb = 2\r';
    const { tree } = parseSysctl(text);
    const [a, b] = tree.children as [SysctlAssignmentNode, SysctlAssignmentNode];
    expect(a.value.position).toEqual(span([1, 3, 2], [1, 4, 3]));
    expect(b.key.position).toEqual(span([2, 1, 4], [2, 2, 5]));
    expect(b.value.value).toBe('2');
    expect(b.value.position).toEqual(span([2, 5, 8], [2, 6, 9]));
    expect(tree.position.end).toEqual(p(3, 1, 10));
  });

  it('handles a missing final newline', () => {
    const text = 'a = 1\nvm.swappiness = 10';
    const { tree } = parseSysctl(text);
    const b = tree.children[1] as SysctlAssignmentNode;
    expect(b.value.position).toEqual(span([2, 17, 22], [2, 19, 24]));
    expect(tree.position.end).toEqual(p(2, 19, 24));
  });

  it('treats a BOM at offset 0 as whitespace', () => {
    const text = '\uFEFFnet.ipv4.ip_forward=1\n\uFEFFx=1\n';
    const { tree } = parseSysctl(text);
    const [a, b] = tree.children as [SysctlAssignmentNode, SysctlAssignmentNode];
    expect(a.key.raw).toBe('net.ipv4.ip_forward');
    expect(a.position).toEqual(span([1, 2, 1], [1, 23, 22]));
    expect(a.key.position).toEqual(span([1, 2, 1], [1, 21, 20]));
    // A U+FEFF elsewhere is an ordinary character.
    expect(b.key.raw).toBe('\uFEFFx');
    const c = only<CommentNode>('\uFEFF# c', 'comment');
    expect(c.position).toEqual(span([1, 2, 1], [1, 5, 4]));
  });

  it('counts columns in UTF-16 code units', () => {
    const a = only<SysctlAssignmentNode>('kernel.hostname = h\u00e9\u{1F600}x', 'assignment');
    expect(a.value.value).toBe('h\u00e9\u{1F600}x');
    expect(a.value.position).toEqual(span([1, 19, 18], [1, 24, 23]));
  });
});

describe('parseSysctl: sysctl-dump', () => {
  it('parses values with tabs and error lines', () => {
    const text =
      'net.ipv4.ip_local_port_range = 32768\t60999\n' +
      "sysctl: permission denied on key 'fs.protected_regular'\n" +
      'sysctl: reading key "net.ipv6.conf.all.stable_secret" = x\n' +
      'dev.cdrom.info = drive name:\t\n' +
      'kernel.domainname = (none)\n';
    const { tree, problems } = parseSysctl(text, 'sysctl-dump');
    expect(problems).toEqual([]);
    expect(tree.language).toBe('sysctl-dump');
    const [a, e1, e2, cd] = tree.children as [
      SysctlAssignmentNode,
      SysctlInvalidNode,
      SysctlInvalidNode,
      SysctlAssignmentNode,
    ];
    expect(a.value.value).toBe('32768\t60999');
    expect(a.value.position).toEqual(span([1, 32, 31], [1, 43, 42]));
    expect(e1).toMatchObject({ type: 'invalid', text: "sysctl: permission denied on key 'fs.protected_regular'" });
    expect(e1.position).toEqual(span([2, 1, 43], [2, 56, 98]));
    expect(e2.type).toBe('invalid');
    expect(cd.value.value).toBe('drive name:');
    expect(tree.children).toHaveLength(5);
  });

  it('treats sysctl: lines as assignments in sysctl.conf mode (no special casing)', () => {
    expect(only<SysctlAssignmentNode>('sysctl: x = 1', 'assignment').key.raw).toBe('sysctl: x');
  });
});
