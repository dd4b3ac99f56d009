/**
 * Parsing only the documents some rule reads (src/parsers/yaml.ts,
 * `KubeParseOptions.parseDocument`): the stream is split at its `---` lines
 * as the `yaml` package splits it, each document's apiVersion, kind and
 * metadata.name are read from its lines, and only the documents asked for are
 * parsed, with positions in the whole file. These tests pin the split against
 * the `yaml` package itself, the header reader on what could fool it, and
 * that what is parsed is exactly what parsing the whole file gives.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Parser } from 'yaml';
import { describe, expect, it } from 'vitest';
import { rules } from '../../rules/index.js';
import { Config } from '../../src/config/load.js';
import { kubeDocumentSelector } from '../../src/engine/linter.js';
import { getPath } from '../../src/parsers/data-tree.js';
import { documentStarts, parseKube, readHeader } from '../../src/parsers/yaml.js';
import type { DocumentNode } from '../../src/types.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));

/** Where the `yaml` package's CST starts each document. */
function libraryStarts(text: string): number[] {
  return [...new Parser().parse(text)].filter((t) => t.type === 'document').map((t) => t.offset);
}

/** The library's starts, with the first document starting at 0 (what comes before it is its own). */
function expectedStarts(text: string): number[] {
  const s = libraryStarts(text);
  return s.length ? [0, ...s.slice(1)] : [0];
}

const header = (text: string) => readHeader(text, 0, text.length);

describe('documentStarts: the split of the stream, as the yaml package makes it', () => {
  const cases: Array<[string, string]> = [
    ['two documents', 'a: 1\n---\nb: 2\n'],
    ['a `---` indented in a block scalar is text', 'a: |\n  x\n  ---\n  y\n---\nb: 1\n'],
    ['a `---` at column 0 ends a block scalar', 'a: |\n  x\n---\n  y\nb: 1\n'],
    ['a `---` at column 0 ends a top-level block scalar', '--- |\nx\n---\ny\n'],
    ['a `---` at column 0 ends a double-quoted scalar', 'a: "foo\n---\nbar"\n'],
    ['a `---` at column 0 ends a single-quoted scalar', "a: 'foo\n---\nbar'\n"],
    ['a `---` at column 0 ends a flow collection', 'a: [1,\n---\n2]\n'],
    ['`---x` is not a marker', 'a: |\n  x\n---x\n'],
    ['`--- ` with a tab', 'a: 1\n---\tb\n'],
    ['comments before the first `---` belong to the first document', '# c\n\n---\na: 1\n---\nb: 2\n'],
    ['a byte-order mark', '\uFEFF---\na: 1\n---\nb: 2\n'],
    ['CRLF line ends', 'a: 1\r\n---\r\nb: 2\r\n---\r\n'],
    ['empty documents', '---\n---\n---\n'],
    ['`...` then comments then `---`', 'a: 1\n...\n# c\n---\nb: 2\n'],
    ['`...` in a block scalar at column 0 ends the document', 'a: |\n  x\n...\n---\n  y\n'],
  ];
  for (const [name, text] of cases) {
    it(name, () => {
      expect(documentStarts(text)).toEqual(expectedStarts(text));
    });
  }

  it('gives up where the split is not a plain one: a document after `...` without `---`, directives', () => {
    expect(libraryStarts('a: 1\n...\nb: 2\n')).toHaveLength(2);
    expect(documentStarts('a: 1\n...\nb: 2\n')).toBeUndefined();
    expect(documentStarts('%YAML 1.2\n---\na: 1\n')).toBeUndefined();
    expect(documentStarts('a: 1\n... junk\n')).toBeUndefined();
  });

  it('splits every corpus manifest where the yaml package does', () => {
    const dir = path.join(repo, 'fixtures/corpus/calico');
    let checked = 0;
    for (const f of readdirSync(dir).filter((f) => /\.ya?ml$/.test(f))) {
      const text = readFileSync(path.join(dir, f), 'utf8');
      const starts = documentStarts(text);
      if (!starts) continue;
      expect(starts, f).toEqual(expectedStarts(text));
      checked++;
    }
    expect(checked).toBeGreaterThan(20);
  });
});

describe('readHeader: apiVersion, kind and metadata.name from the lines', () => {
  it('reads a plain header, after a `---` line and comments', () => {
    expect(header('---\n# c\napiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  namespace: kube-system\n  name: calico-node\n  labels:\n    name: x\nspec: {}\n')).toEqual({
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      name: 'calico-node',
    });
    expect(header('kind: "ConfigMap"\napiVersion: \'v1\' # c\nmetadata:\n  name: "a-b"\n')).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', name: 'a-b' });
  });

  it('skips the text of multi-line quoted, plain and block scalars (a CRD description)', () => {
    const crd = [
      'apiVersion: apiextensions.k8s.io/v1',
      'kind: CustomResourceDefinition',
      'metadata:',
      '  annotations:',
      "    a: 'it''s",
      "  name: not-this'",
      '  name: bgppeers.crd.projectcalico.org',
      'spec:',
      '  versions:',
      '  - schema:',
      '      description: "Text that',
      'kind: Fake',
      '        goes on"',
      '      plain: words that',
      '        "go on" here',
      '      script: |',
      '        kind: Fake',
      "        echo 'x",
      'subjects:',
      '- kind: ServiceAccount',
      '',
    ].join('\n');
    expect(header(crd)).toEqual({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', name: 'bgppeers.crd.projectcalico.org' });
    // The same with CRLF line ends (a `key:` before the CR opens no value).
    expect(header(crd.replaceAll('\n', '\r\n'))).toEqual({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', name: 'bgppeers.crd.projectcalico.org' });
    expect(header('apiVersion: v1\r\nkind: ConfigMap\r\nmetadata:\r\n  name: a\r\n')).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', name: 'a' });
  });

  it('reads nothing where a line could be read two ways', () => {
    const base = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n';
    expect(header(base)).toBeDefined();
    // A kind line inside a quoted scalar continued at column 0 (as go-yaml accepts it) is its text.
    expect(header(`${base}data:\n  x: "foo\nkind: DaemonSet\n  bar"\n`)).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', name: 'a' });
    expect(header('apiVersion: v1\nmetadata:\n  name: a\nfoo: "bar\nkind: DaemonSet\nbaz"\n')).toBeUndefined();
    // Values that go on, or are not plain strings.
    expect(header('apiVersion: v1\nkind: Config\n  Map\nmetadata:\n  name: a\n')).toBeUndefined();
    expect(header('apiVersion: v1\nkind: !!str ConfigMap\nmetadata:\n  name: a\n')).toBeUndefined();
    expect(header('apiVersion: v1\nkind: null\nmetadata:\n  name: a\n')).toBeUndefined();
    expect(header('apiVersion: v1\nkind: "Config\\u004dap"\nmetadata:\n  name: a\n')).toBeUndefined();
    // Twice, missing, or not a block mapping at column 0.
    expect(header(`${base}kind: DaemonSet\n`)).toBeUndefined();
    expect(header('apiVersion: v1\nkind: ConfigMap\n')).toBeUndefined();
    expect(header('{apiVersion: v1, kind: ConfigMap, metadata: {name: a}}\n')).toBeUndefined();
    expect(header('  apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: a\n')).toBeUndefined();
    expect(header(`--- !tag\n${base}`)).toBeUndefined();
    expect(header(`${base}"quoted": 1\n`)).toBeUndefined();
    expect(header(`${base}<<: *x\n`)).toBeUndefined();
    expect(header(`${base}spec: [a,\n  b]\n`)).toBeUndefined();
    expect(header(`${base}spec:\n\tx: 1\n`)).toBeUndefined();
  });
});

/** A manifest: a CRD (with a syntax error), a DaemonSet, a CRD, a ConfigMap with a directive-free comment. */
const MANIFEST = [
  '# Source: calico', //                                    line 1
  '---', //                                                 line 2
  'apiVersion: apiextensions.k8s.io/v1', //                 line 3
  'kind: CustomResourceDefinition', //                      line 4
  'metadata:', //                                           line 5
  '  name: felixconfigurations.crd.projectcalico.org', //   line 6
  'spec:', //                                               line 7
  '  description: Felix: broken', //                      line 8: a syntax error
  '---', //                                                 line 9
  'apiVersion: apps/v1', //                                 line 10
  'kind: DaemonSet', //                                     line 11
  'metadata:', //                                           line 12
  '  name: calico-node # the node agent', //                line 13
  'spec:', //                                               line 14
  '  template:', //                                         line 15
  '    spec:', //                                           line 16
  '      containers:', //                                   line 17
  '      - name: calico-node', //                           line 18
  '        env:', //                                        line 19
  '        - {name: FELIX_IPINIPMTU, value: "1480"}', //    line 20
  '---', //                                                 line 21
  'apiVersion: apiextensions.k8s.io/v1', //                 line 22
  'kind: CustomResourceDefinition', //                      line 23
  'metadata:', //                                           line 24
  '  name: ippools.crd.projectcalico.org', //               line 25
  '---', //                                                 line 26
  'apiVersion: v1', //                                      line 27
  'kind: ConfigMap', //                                     line 28
  'metadata:', //                                           line 29
  '  name: calico-config', //                               line 30
  'data:', //                                               line 31
  '  veth_mtu: "0"', //                                     line 32
  '',
].join('\n');

/**
 * The first difference between two trees (path and values), or undefined: an
 * iterative walk that compares each pair of objects once. The trees share
 * objects by design (a pair's `key` and `value` are also its `children`, a
 * document's `body` is its `children[0]`, a parent's position ends are its
 * children's), so a walk that follows every reference visits a node 2^depth
 * times: on a 254 KB manifest's deep CRD schemas that is some 5e8 visits,
 * which made this test (and `toEqual` before it) run for tens of minutes.
 */
function difference(x: unknown, y: unknown): string | undefined {
  const compared = new Map<object, Set<object>>();
  const stack: Array<[unknown, unknown, string]> = [[x, y, '$']];
  while (stack.length) {
    const [a, b, at] = stack.pop()!;
    if (Object.is(a, b)) continue;
    if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return `${at}: ${String(a)} != ${String(b)}`;
    let seen = compared.get(a);
    if (!seen) compared.set(a, (seen = new Set()));
    if (seen.has(b)) continue;
    seen.add(b);
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    if (ka.join() !== kb.join()) return `${at}: keys ${ka.join()} != ${kb.join()}`;
    for (const k of ka) stack.push([(a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${at}.${k}`]);
  }
  return undefined;
}

const notCrds = { parseDocument: (h: { kind: string }) => h.kind !== 'CustomResourceDefinition' };

describe('parseKube with parseDocument: only the documents asked for', () => {
  it('keeps skipped documents as placeholders and parses the rest with positions in the whole file', () => {
    const whole = parseKube(MANIFEST);
    const some = parseKube(MANIFEST, notCrds);
    expect(some.tree.children.map((d) => [d.index, d.kind, d.skipped ?? false, d.body === null])).toEqual([
      [0, 'CustomResourceDefinition', true, true],
      [1, 'DaemonSet', false, false],
      [2, 'CustomResourceDefinition', true, true],
      [3, 'ConfigMap', false, false],
    ]);
    expect(some.tree.children[0]).toMatchObject({ apiVersion: 'apiextensions.k8s.io/v1', name: 'felixconfigurations.crd.projectcalico.org', children: [] });
    // The parsed documents are those of the whole parse, position for position.
    expect(some.tree.children[1]).toEqual(whole.tree.children[1]);
    expect(some.tree.children[3]).toEqual(whole.tree.children[3]);
    const mtu = getPath(some.tree.children[3]!.body, 'data', 'veth_mtu');
    expect(mtu?.position).toEqual({ start: { line: 32, column: 13, offset: MANIFEST.indexOf('"0"') }, end: { line: 32, column: 16, offset: MANIFEST.indexOf('"0"') + 3 } });
    const env = getPath(some.tree.children[1]!.body, 'spec', 'template', 'spec', 'containers');
    expect(JSON.stringify(env)).toContain(`"value":"1480","source":"\\"1480\\"","style":"double","position":{"start":{"line":20,"column":42,"offset":${MANIFEST.indexOf('"1480"')}}`);
    // Comments of the parsed documents (a skipped one's are not read); the syntax error of the skipped CRD is not reported.
    expect(some.comments.map((c) => [c.value, c.position.start.line])).toEqual([[' the node agent', 13]]);
    expect(whole.problems.length).toBeGreaterThan(0);
    expect(whole.problems[0]!.position.start.line).toBe(8);
    expect(some.problems).toEqual([]);
  });

  it('reports the syntax errors of the documents it parses where the whole parse does', () => {
    const text = MANIFEST.replace('veth_mtu: "0"', 'veth_mtu: "0" "1"');
    const whole = parseKube(text);
    const some = parseKube(text, notCrds);
    expect(some.problems).toEqual(whole.problems.filter((p) => p.position.start.line > 9));
    expect(some.problems.length).toBeGreaterThan(0);
  });

  it('parses a document with a hostlint- directive, a List, and a document it cannot read the header of', () => {
    const withDirective = MANIFEST.replace("  name: ippools.crd.projectcalico.org", '  # hostlint-disable calico-mtu-mismatch\n  name: ippools.crd.projectcalico.org');
    const a = parseKube(withDirective, notCrds);
    expect(a.tree.children.map((d) => d.skipped ?? false)).toEqual([true, false, false, false]);
    expect(a.comments.map((c) => c.value)).toContain(' hostlint-disable calico-mtu-mismatch');
    const list = parseKube('apiVersion: v1\nkind: List\nmetadata:\n  name: x\nitems: []\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: y\n', { parseDocument: () => false });
    expect(list.tree.children.map((d) => d.skipped ?? false)).toEqual([false, true]);
    const unreadable = parseKube('apiVersion: v1\nkind: Secret\nmetadata: {name: y}\n', { parseDocument: () => false });
    expect(unreadable.tree.children[0]).toMatchObject({ kind: 'Secret', body: { type: 'mapping' } });
  });

  it('gives the whole parse for CRLF, a byte-order mark, and `...` ends', () => {
    for (const text of [MANIFEST.replaceAll('\n', '\r\n'), `\uFEFF${MANIFEST}`, MANIFEST.replace('\n---\napiVersion: v1\n', '\n...\n# end\n---\napiVersion: v1\n')]) {
      const whole = parseKube(text);
      const some = parseKube(text, notCrds);
      expect(some.tree.children.filter((d) => !d.skipped)).toEqual(whole.tree.children.filter((d: DocumentNode) => d.kind !== 'CustomResourceDefinition'));
      expect(some.comments).toEqual(whole.comments.filter((c) => c.value === ' the node agent'));
    }
  });

  it('parsing every document through the split gives the whole parse, for corpus manifests', () => {
    const dir = path.join(repo, 'fixtures/corpus/calico');
    const files = ['projectcalico-calico_v3.28.0-calico.yaml', 'capz_calico-v3.16.3-addons-calico.yaml', 'projectcalico-calico_v3.32.1-custom-resources.yaml'];
    for (const f of files) {
      const text = readFileSync(path.join(dir, f), 'utf8');
      const some = parseKube(text, { parseDocument: () => true });
      const whole = parseKube(text);
      expect(difference(some, whole), f).toBeUndefined();
      // The walk sees a difference deep in the tree.
      const last = some.tree.children.findLast((d) => d.body !== null)!.body as { position: { end: { offset: number } } };
      last.position.end.offset++;
      expect(difference(some, whole), f).toMatch(/^\$\.tree\.children\.\d+\.(body|children\.0)\.position\.end\.offset: \d+ != \d+$/);
    }
  }, 300_000);
});

describe('kubeDocumentSelector: the kinds the enabled rules read', () => {
  it('reads the kinds from the rules that read Kubernetes YAML', () => {
    const select = kubeDocumentSelector(rules, Config.empty(repo))!;
    expect(select).toBeDefined();
    const h = (kind: string) => ({ apiVersion: 'v1', kind, name: 'x' });
    expect(['DaemonSet', 'ConfigMap', 'Installation', 'FelixConfiguration', 'IPPool', 'KubeletConfiguration'].every((k) => select(h(k)))).toBe(true);
    expect(select(h('CustomResourceDefinition'))).toBe(false);
    expect(select(h('ClusterRole'))).toBe(false);
  });

  it('parses every document when an enabled rule that reads kube does not list its kinds', () => {
    const [first, ...rest] = rules.filter((r) => r.meta.languages.includes('kube'));
    const noKinds = { ...first!, meta: { ...first!.meta, kinds: undefined } };
    expect(kubeDocumentSelector([noKinds, ...rest], Config.empty(repo))).toBeUndefined();
  });
});
