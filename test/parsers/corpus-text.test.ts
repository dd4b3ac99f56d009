/**
 * Runs the line parsers over the shared third-party corpus (fixtures/corpus,
 * see SOURCES.md) and checks structural invariants of every node. The corpus
 * is required: a missing folder makes these tests fail, not skip.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LineIndex, lines } from '../../src/parsers/line-index.js';
import { parseResolv } from '../../src/parsers/resolv.js';
import { parseSysctl } from '../../src/parsers/sysctl.js';
import type { BaseNode, ParseResult, Position, ResolvRoot, SysctlRoot } from '../../src/types.js';

const corpus = new URL('../../fixtures/corpus/', import.meta.url);
const at = (rel: string): string => fileURLToPath(new URL(rel, corpus));

function listFiles(rel: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(at(dir)).sort()) {
      const child = `${dir}${name}`;
      if (statSync(at(child)).isDirectory()) walk(`${child}/`);
      else out.push(child);
    }
  };
  walk(rel); // throws (fails the test) when the folder is missing
  return out;
}

function readText(rel: string): string {
  const text = readFileSync(at(rel), 'utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text; // as the engine does
}

type AnyNode = BaseNode & Record<string, unknown>;

/** Every node of a tree (children plus the key/value/keyword/args fields). */
function* walk(node: AnyNode): Generator<AnyNode> {
  yield node;
  const seen = new Set<unknown>();
  const kids: unknown[] = [];
  for (const field of ['children', 'args']) {
    const v = node[field];
    if (Array.isArray(v)) kids.push(...v);
  }
  for (const field of ['key', 'value', 'keyword']) {
    const v = node[field];
    if (v && typeof v === 'object') kids.push(v);
  }
  for (const k of kids) {
    if (seen.has(k)) continue;
    seen.add(k);
    yield* walk(k as AnyNode);
  }
}

function checkPosition(index: LineIndex, position: Position, where: string): void {
  const { start, end } = position;
  expect(start.offset, where).toBeGreaterThanOrEqual(0);
  expect(end.offset, where).toBeLessThanOrEqual(index.length);
  expect(start.offset, where).toBeLessThanOrEqual(end.offset!);
  // line/column agree with the offset
  expect(start, where).toEqual(index.point(start.offset!));
  expect(end, where).toEqual(index.point(end.offset!));
}

function within(inner: Position, outer: Position, where: string): void {
  expect(inner.start.offset!, where).toBeGreaterThanOrEqual(outer.start.offset!);
  expect(inner.end.offset!, where).toBeLessThanOrEqual(outer.end.offset!);
}

/** What the source slice of a node must be, or undefined when not checkable. */
function expectedSlice(node: AnyNode): string | undefined {
  switch (node.type) {
    case 'key':
      return node['raw'] as string;
    case 'value':
    case 'keyword':
    case 'word':
      return node['value'] as string;
    case 'option':
      return (node['name'] as string) + (node['value'] === null ? '' : `:${node['value'] as string}`);
    case 'comment':
      return (node['marker'] as string) + (node['value'] as string);
    case 'invalid':
      return node['text'] as string;
    default:
      return undefined;
  }
}

function checkResult(text: string, result: ParseResult<SysctlRoot | ResolvRoot>, file: string): void {
  // The parsers' own blank sets: sysctl also trims \v and \f; (readText already removed a BOM).
  const blank = result.tree.language === 'resolv' ? /^[ \t]*$/ : /^[ \t\v\f]*$/;
  const index = new LineIndex(text);
  const { tree } = result;
  expect(tree.position, file).toEqual(index.position(0, text.length));
  expect(result.problems, file).toEqual([]);

  // One top-level node per non-blank line, in order, each on its own line.
  const nonBlank = [...lines(text)].filter((l) => !blank.test(l.text));
  expect(tree.children.length, file).toBe(nonBlank.length);
  tree.children.forEach((child, i) => {
    const ln = nonBlank[i]!;
    expect(child.position.start.line, `${file}: child ${i}`).toBe(ln.line);
    expect(child.position.end.line, `${file}: child ${i}`).toBe(ln.line);
  });

  // comments = the comment nodes, in order
  expect(result.comments, file).toEqual(tree.children.filter((c) => c.type === 'comment'));

  for (const child of tree.children as unknown as AnyNode[]) {
    for (const node of walk(child)) {
      const where = `${file}:${node.position.start.line}:${node.position.start.column} ${node.type}`;
      checkPosition(index, node.position, where);
      if (node !== child) within(node.position, child.position, where);
      const want = expectedSlice(node);
      if (want !== undefined) {
        expect(text.slice(node.position.start.offset, node.position.end.offset), where).toBe(want);
      }
    }
  }
}

const sysctlFiles = listFiles('sysctl/');
const resolvFiles = listFiles('resolv/');
const snapshotEtc = listFiles('snapshots/hotsos-fake_data_root-kubernetes/etc/');

describe('corpus is present', () => {
  it('has the expected folders', () => {
    expect(sysctlFiles.length).toBeGreaterThan(10);
    expect(resolvFiles.length).toBeGreaterThan(10);
    expect(snapshotEtc.length).toBeGreaterThan(0);
  });
});

describe('sysctl corpus', () => {
  // The .yml files in sysctl/ are Ansible YAML, not sysctl.conf; they go through
  // the sysctl parser anyway, as a robustness check (invariants must still hold).
  const files = [...sysctlFiles, ...snapshotEtc.filter((f) => /sysctl/.test(f))];
  it.each(files)('%s', (file) => {
    const text = readText(file);
    const result = parseSysctl(text);
    checkResult(text, result, file);
  });

  it('sysctl -a dump from the hotsos snapshot', () => {
    const file = 'snapshots/hotsos-fake_data_root-kubernetes/sos_commands/kernel/sysctl_-a';
    const text = readText(file);
    const result = parseSysctl(text, 'sysctl-dump');
    checkResult(text, result, file);
    expect(result.tree.children.every((c) => c.type === 'assignment')).toBe(true);
  });
});

describe('resolv corpus', () => {
  const files = [
    ...resolvFiles,
    ...snapshotEtc.filter((f) => /resolv/.test(f)),
    'snapshots/hotsos-fake_data_root-kubernetes/run/systemd/resolve/stub-resolv.conf',
  ];
  it.each(files)('%s', (file) => {
    const text = readText(file);
    const result = parseResolv(text);
    checkResult(text, result, file);
  });
});

describe('snapshot etc/ holds only files these parsers read', () => {
  it.each(snapshotEtc)('%s', (file) => {
    expect(/sysctl|resolv/.test(file), `${file}: no parser assigned`).toBe(true);
  });
});
