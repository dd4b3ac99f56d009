import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildCalicoView } from '../../src/calico/view.js';
import { parseKube } from '../../src/parsers/yaml.js';
import type { DataNode, KubeRoot, Point, Position } from '../../src/types.js';

const CORPUS = new URL('../../fixtures/corpus/calico/', import.meta.url);

/** Files that are intentionally not valid YAML (see fixtures/corpus/SOURCES.md). */
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

/**
 * Position checks collect failures instead of calling `expect` per node: the
 * corpus has ~100k nodes and per-node assertions would take half a minute.
 */
class Checker {
  readonly failures: string[] = [];
  count = 0;
  private readonly starts: number[];

  constructor(
    private readonly file: string,
    private readonly text: string,
  ) {
    this.starts = lineStarts(text);
  }

  fail(message: string): void {
    if (this.failures.length < 20) this.failures.push(`${this.file}: ${message}`);
  }

  point(p: Point, what: string): void {
    const o = p.offset;
    if (typeof o !== 'number' || o < 0 || o > this.text.length) return this.fail(`${what}: offset ${o} outside the text`);
    if (p.line < 1 || p.line > this.starts.length) return this.fail(`${what}: line ${p.line} outside the text`);
    if (this.starts[p.line - 1]! + p.column - 1 !== o) return this.fail(`${what}: ${p.line}:${p.column} is not offset ${o}`);
    const next = p.line < this.starts.length ? this.starts[p.line]! : this.text.length + 1;
    if (o >= next) this.fail(`${what}: column ${p.column} beyond the end of line ${p.line}`);
  }

  position(pos: Position, what: string): void {
    this.count++;
    this.point(pos.start, `${what} start`);
    this.point(pos.end, `${what} end`);
    if (pos.start.offset! > pos.end.offset!) this.fail(`${what}: start after end`);
  }

  inside(outer: Position, inner: Position, what: string): void {
    if (inner.start.offset! < outer.start.offset! || inner.end.offset! > outer.end.offset!) {
      this.fail(`${what}: not inside its parent`);
    }
  }

  data(n: DataNode, what: string): void {
    this.position(n.position, `${what} (${n.type})`);
    const slice = this.text.slice(n.position.start.offset, n.position.end.offset);
    if (n.type === 'scalar') {
      if (slice !== n.source) this.fail(`${what}: source ${JSON.stringify(n.source)} is not the text ${JSON.stringify(slice)}`);
    } else if (n.type === 'alias') {
      if (slice !== `*${n.name}`) this.fail(`${what}: alias text ${JSON.stringify(slice)}`);
    } else if (n.type === 'mapping') {
      let last = -1;
      for (const pair of n.children) {
        this.position(pair.position, `${what} pair`);
        this.inside(n.position, pair.position, `${what} pair`);
        if (pair.position.start.offset! < last) this.fail(`${what}: pairs out of order`);
        last = pair.position.start.offset!;
        this.data(pair.key, `${what} key`);
        this.inside(pair.position, pair.key.position, `${what} key`);
        if (pair.value) {
          this.data(pair.value, `${what}.${String(pair.key.value)}`);
          this.inside(pair.position, pair.value.position, `${what}.${String(pair.key.value)}`);
        }
      }
    } else {
      n.children.forEach((c, i) => {
        this.data(c, `${what}[${i}]`);
        this.inside(n.position, c.position, `${what}[${i}]`);
      });
    }
  }

  tree(tree: KubeRoot): void {
    this.position(tree.position, 'root');
    if (tree.position.end.offset !== this.text.length) this.fail('root does not end at the end of the text');
    tree.children.forEach((doc, i) => {
      if (doc.index !== i) this.fail(`document ${i} has index ${doc.index}`);
      this.position(doc.position, `document ${i}`);
      if (doc.body) {
        this.data(doc.body, `document ${i}`);
        this.inside(doc.position, doc.body.position, `document ${i} body`);
      }
    });
    for (const c of tree.comments) {
      this.position(c.position, 'comment');
      if (this.text.slice(c.position.start.offset, c.position.end.offset) !== `#${c.value}`) {
        this.fail(`comment at ${c.position.start.line}:${c.position.start.column} is not the text`);
      }
    }
  }
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
    expect(tree.comments).toBe(comments);
    const checker = new Checker(file, text);
    checker.tree(tree);
    for (const p of problems) checker.position(p.position, `problem ${p.message}`);
    expect(checker.failures).toEqual([]);
    expect(checker.count).toBeGreaterThan(tree.children.length);
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
