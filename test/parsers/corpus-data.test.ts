import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildCalicoView } from '../../src/calico/view.js';
import { parseKube } from '../../src/parsers/yaml.js';
import type { DataNode, KubeRoot, Point, Position } from '../../src/types.js';

const CORPUS = new URL('../../../shared/corpus/calico/', import.meta.url);

/** Files that are intentionally not valid YAML (see shared/corpus/SOURCES.md). */
const INVALID = new Set([
  'projectcalico-calico_v3.1.0-docs-jekyll-kdd-calico-networking-1.7-calico.yaml',
  'projectcalico-calico_v3.32.1-aso-OSS-custom-resources.tmpl.yaml',
]);

function corpusFiles(): string[] {
  // Fails (does not skip) when the corpus is missing.
  const dir = fileURLToPath(CORPUS);
  if (!existsSync(dir)) throw new Error(`Calico corpus folder is missing: ${dir}`);
  return readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();
}

/** Line starts, computed independently of LineIndex. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\r' && text[i + 1] === '\n') continue;
    if (text[i] === '\n' || text[i] === '\r') starts.push(i + 1);
  }
  return starts;
}

function checkPoint(text: string, starts: number[], p: Point, what: string): void {
  expect(p.offset, what).toBeTypeOf('number');
  const o = p.offset!;
  expect(o, what).toBeGreaterThanOrEqual(0);
  expect(o, what).toBeLessThanOrEqual(text.length);
  expect(p.line, what).toBeGreaterThanOrEqual(1);
  expect(p.line, what).toBeLessThanOrEqual(starts.length);
  expect(starts[p.line - 1]! + p.column - 1, what).toBe(o);
  const next = p.line < starts.length ? starts[p.line]! : text.length + 1;
  expect(o, what).toBeLessThan(next);
}

function checkPosition(text: string, starts: number[], pos: Position, what: string): void {
  checkPoint(text, starts, pos.start, `${what} start`);
  checkPoint(text, starts, pos.end, `${what} end`);
  expect(pos.start.offset!, what).toBeLessThanOrEqual(pos.end.offset!);
}

function checkTree(file: string, text: string, tree: KubeRoot): number {
  const starts = lineStarts(text);
  let count = 0;
  const check = (pos: Position, what: string): void => {
    count++;
    checkPosition(text, starts, pos, `${file}: ${what}`);
  };
  const inside = (outer: Position, inner: Position, what: string): void => {
    expect(inner.start.offset!, `${file}: ${what} starts inside its parent`).toBeGreaterThanOrEqual(outer.start.offset!);
    expect(inner.end.offset!, `${file}: ${what} ends inside its parent`).toBeLessThanOrEqual(outer.end.offset!);
  };
  const data = (n: DataNode, what: string): void => {
    check(n.position, `${what} (${n.type})`);
    if (n.type === 'scalar') {
      expect(text.slice(n.position.start.offset, n.position.end.offset), `${file}: ${what} source`).toBe(n.source);
    } else if (n.type === 'mapping') {
      let last = -1;
      for (const pair of n.children) {
        check(pair.position, `${what} pair`);
        inside(n.position, pair.position, `${what} pair`);
        expect(pair.position.start.offset!).toBeGreaterThanOrEqual(last);
        last = pair.position.start.offset!;
        data(pair.key, `${what}.key`);
        inside(pair.position, pair.key.position, `${what} key`);
        if (pair.value) {
          data(pair.value, `${what}.${String(pair.key.value)}`);
          inside(pair.position, pair.value.position, `${what} value`);
        }
      }
    } else if (n.type === 'sequence') {
      n.children.forEach((c, i) => {
        data(c, `${what}[${i}]`);
        inside(n.position, c.position, `${what}[${i}]`);
      });
    } else {
      expect(text.slice(n.position.start.offset, n.position.end.offset)).toBe(`*${n.name}`);
    }
  };
  check(tree.position, 'root');
  expect(tree.position.end.offset).toBe(text.length);
  tree.children.forEach((doc, i) => {
    expect(doc.index).toBe(i);
    check(doc.position, `document ${i}`);
    if (doc.body) {
      data(doc.body, `document ${i}`);
      inside(doc.position, doc.body.position, `document ${i} body`);
    }
  });
  for (const c of tree.comments) {
    check(c.position, 'comment');
    expect(text.slice(c.position.start.offset, c.position.end.offset)).toBe(`#${c.value}`);
  }
  return count;
}

describe('Calico corpus: YAML data trees', () => {
  const files = corpusFiles();

  it('has the corpus files', () => {
    expect(files.length).toBeGreaterThanOrEqual(33);
    for (const f of INVALID) expect(files).toContain(f);
  });

  it.each(files)('%s parses with exact, in-text positions', (file) => {
    const text = readFileSync(new URL(file, CORPUS), 'utf8');
    let result: ReturnType<typeof parseKube> | undefined;
    expect(() => {
      result = parseKube(text);
    }).not.toThrow();
    const { tree, problems, comments } = result!;
    expect(tree.comments).toEqual(comments);
    expect(checkTree(file, text, tree)).toBeGreaterThan(0);
    const starts = lineStarts(text);
    for (const p of problems) checkPosition(text, starts, p.position, `${file}: problem ${p.message}`);
    if (INVALID.has(file)) {
      expect(problems.length, `${file} is not valid YAML`).toBeGreaterThan(0);
    } else {
      expect(problems.map((p) => `${p.position.start.line}: ${p.message}`)).toEqual([]);
    }
  });

  it('buildCalicoView never throws on any corpus file, alone or all together', () => {
    const texts = new Map(files.map((f) => [f, readFileSync(new URL(f, CORPUS), 'utf8')]));
    const parsed = files.map((f) => ({ path: f, tree: parseKube(texts.get(f)!).tree }));
    const text = (p: string): string => texts.get(p)!;
    for (const one of parsed) expect(() => buildCalicoView([one], text)).not.toThrow();
    const all = buildCalicoView(parsed, text);
    expect(all.nodes.length).toBeGreaterThan(10);
    expect(all.configMaps.length).toBeGreaterThan(10);
    expect(all.installations.length).toBeGreaterThan(5);
    expect(all.ipPools.length).toBeGreaterThanOrEqual(3);
    // Every embedded CNI mtu that was located points at its raw text.
    for (const cm of all.configMaps) {
      if (!cm.cni?.mtu) continue;
      const t = texts.get(cm.file)!;
      expect(t.slice(cm.cni.mtu.position.start.offset, cm.cni.mtu.position.end.offset)).toBe(cm.cni.mtu.raw);
    }
  });
});
