/**
 * YAML that is not a Kubernetes object until rendered: Helm chart templates
 * and other YAML with Go template actions outside quoted scalars, and
 * Kustomize patches. Each gets at most one note saying how to lint the
 * rendered output, no parse error, and no rule runs on it.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { templateActionOffset } from '../../src/engine/unrendered.js';
import { runCli } from '../helpers/cli.js';
import { writeTree } from '../helpers/lint.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CHART = 'fixtures/helm/charts/calico';
const RECIPE = `\`helm template ${CHART} | hostlint --stdin --stdin-filename ${CHART}/rendered.yaml\``;
const HELM_NOTE = `Helm chart template: not Kubernetes YAML until rendered, so not linted; lint the rendered chart instead: ${RECIPE}`;

describe('templateActionOffset: {{ outside quoted scalars, comments and block scalars', () => {
  const at = (text: string) => templateActionOffset(text);
  it('finds actions in plain scalars, keys, sequences, flow collections and whole lines', () => {
    expect(at('name: {{ .Values.name }}\n')).toBe(6);
    expect(at('a: 1\n{{- if .Values.x }}\nb: 2\n')).toBe(5);
    expect(at('{{ .Values.key }}: 1\n')).toBe(0);
    expect(at('- {{ .Values.item }}\n')).toBe(2);
    expect(at('list: [a, {{ .x }}]\n')).toBe(10);
    expect(at("name: x-{{ .Values.suffix }}\n")).toBe(8);
    expect(at("note: don't {{ .x }}\n")).toBe(12); // an apostrophe inside a plain scalar opens no quote
  });
  it('ignores actions inside quoted scalars (even spanning lines, with escapes), comments and block scalars', () => {
    expect(at('image: "{{ .Values.image }}"\n')).toBe(-1);
    expect(at("image: '{{ .Values.image }}'\n")).toBe(-1);
    expect(at('a: "say \\"{{ x }}\\" twice"\nb: \'it\'\'s {{ y }}\'\n')).toBe(-1);
    expect(at('a: "one\n  {{ two }}\n  three"\n')).toBe(-1);
    expect(at('# {{ .Chart.Name }}\na: 1 # {{ x }}\n')).toBe(-1);
    expect(at('script: |\n  echo {{ x }}\n\n  {{ y }}\nnext: 1\n')).toBe(-1);
    expect(at('- >-\n  {{ x }}\n- b\n')).toBe(-1);
    expect(at('a: |2 # comment\n   {{ x }}\n')).toBe(-1);
  });
  it('a line back at the indentation of the block scalar key ends it', () => {
    const text = 'data:\n  cfg: |-\n    {\n  {{- if .x }}\n    }\n';
    expect(at(text)).toBe(text.indexOf('{{-'));
  });
  it('a pipe or > inside a plain scalar is not a block scalar', () => {
    expect(at('a: x | y\nb: {{ z }}\n')).toBe(12);
    expect(at('a: "x" |\nb: {{ z }}\n')).toBe(12);
  });
  it('plain YAML has none', () => {
    expect(at('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {k: "{v}"}\n')).toBe(-1);
    expect(at('')).toBe(-1);
  });
});

describe("Calico's Helm chart (fixtures/helm)", () => {
  it('gives one note per template, no parse error, no rule; exit 0', async () => {
    const r = await runCli(['fixtures/helm'], { cwd: REPO });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(
      [
        '',
        `${CHART}/templates/calico-config.yaml`,
        `  5:9  note  ${HELM_NOTE}  template-not-linted`,
        '',
        `${CHART}/templates/calico-etcd-secrets.yaml`,
        `  1:1  note  ${HELM_NOTE}  template-not-linted`,
        '',
        '✖ 2 problems (0 errors, 0 warnings, 2 notes)',
        '',
      ].join('\n'),
    );
    expect(r.code).toBe(0);
    const j = JSON.parse((await runCli(['-f', 'json', 'fixtures/helm'], { cwd: REPO })).stdout);
    expect(j.results.map((x: { ruleId: string; line: number; column: number; endLine: number; endColumn: number }) => [x.ruleId, x.line, x.column, x.endLine, x.endColumn])).toEqual([
      ['template-not-linted', 5, 9, 5, 11],
      ['template-not-linted', 1, 1, 1, 3],
    ]);
  });

  it('the rendered chart on standard input is linted as Kubernetes YAML', async () => {
    // What `helm template` makes of calico-config.yaml with network=calico, datastore=kubernetes, typha off.
    const rendered = [
      '---',
      '# Source: calico/templates/calico-config.yaml',
      'kind: ConfigMap',
      'apiVersion: v1',
      'metadata:',
      '  name: calico-config',
      '  namespace: kube-system',
      'data:',
      '  typha_service_name: "none"',
      '  calico_backend: "bird"',
      '  veth_mtu: "0"',
      '',
    ].join('\n');
    const r = await runCli(['--stdin', '--stdin-filename', `${CHART}/rendered.yaml`, '-f', 'json'], { cwd: REPO, stdin: rendered });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toMatchObject({ summary: { files: 1, errorCount: 0, warningCount: 0, noteCount: 0 }, results: [] });
    // A template piped in as it is gets the note instead.
    const t = await runCli(['--stdin', '--stdin-filename', 'x.yaml'], { cwd: REPO, stdin: 'kind: ConfigMap\napiVersion: v1\nmetadata:\n  name: {{ .Release.Name }}\n' });
    expect(t).toEqual({
      code: 0,
      stdout: '\nx.yaml\n  4:9  note  Go template action `{{` outside a quoted scalar: not Kubernetes YAML until rendered, so not linted; render it and lint the output: `… | hostlint --stdin --stdin-filename x.yaml`  template-not-linted\n\n✖ 1 problem (0 errors, 0 warnings, 1 note)\n',
      stderr: '',
    });
  });

  it('YAML with quoted actions only is linted as usual; a templated file outside a chart gets the note', async () => {
    const cwd = writeTree({
      'quoted.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: "{{ .Release.Name }}-config"\ndata:\n  veth_mtu: "1430"\n',
      'tmpl.yaml': 'apiVersion: projectcalico.org/v3\nkind: IPPool\nmetadata:\n  name: {{ .Values.pool }}\nspec:\n  cidr: 10.0.0.0/8\n',
    });
    const r = await runCli(['-f', 'json', '.'], { cwd });
    expect(JSON.parse(r.stdout).results.map((x: { ruleId: string; file: string; line: number }) => [x.ruleId, x.file, x.line])).toEqual([['template-not-linted', 'tmpl.yaml', 4]]);
  });
});

describe('Kustomize patches', () => {
  const DS_PATCH = [
    'apiVersion: apps/v1',
    'kind: DaemonSet',
    'metadata:',
    '  name: calico-node',
    '  namespace: kube-system',
    'spec:',
    '  template:',
    '    spec:',
    '      containers:',
    '      - name: calico-node',
    '        env:',
    '        - name: FELIX_IPINIPMTU',
    '          value: "1430"',
    '',
  ].join('\n');
  const cwd = writeTree({
    'base/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- pool.yaml\n',
    'base/pool.yaml': 'apiVersion: crd.projectcalico.org/v1\nkind: IPPool\nmetadata:\n  name: default\nspec:\n  cidr: 10.0.0.0/8\n  ipipMode: Always\n  natOutgoing: true\n',
    'overlays/prod/kustomization.yaml': 'resources:\n- ../../base\npatches:\n- path: patches/calico-node-mtu.yaml\npatchesStrategicMerge:\n- pool-patch.yaml\n',
    'overlays/prod/patches/calico-node-mtu.yaml': DS_PATCH,
    'overlays/prod/pool-patch.yaml': 'kind: IPPool\nspec:\n  ipipMode: Never\n',
    'overlays/prod/fragment.yaml': 'kind: IPPool\nspec:\n  natOutgoing: true\n',
  });
  const note = (why: string) => `Kustomize ${why}: not a complete object, so not linted; lint the built output instead: \`kubectl kustomize overlays/prod | hostlint --stdin --stdin-filename overlays/prod/built.yaml\``;

  it('a patch a kustomization names, and a fragment beside one, get one note each; complete objects are linted', async () => {
    const r = await runCli(['-f', 'json', '.'], { cwd });
    expect(r.stderr).toBe('');
    const doc = JSON.parse(r.stdout);
    expect(doc.results.map((x: { ruleId: string; file: string; line: number; message: string }) => [x.ruleId, x.file, x.line, x.message])).toEqual([
      ['patch-not-linted', 'overlays/prod/fragment.yaml', 1, note('patch fragment (no apiVersion, kind or metadata.name) beside overlays/prod/kustomization.yaml')],
      ['patch-not-linted', 'overlays/prod/patches/calico-node-mtu.yaml', 1, note('patch named by overlays/prod/kustomization.yaml')],
      ['patch-not-linted', 'overlays/prod/pool-patch.yaml', 1, note('patch named by overlays/prod/kustomization.yaml')],
    ]);
    // Linted: base/pool.yaml and base/kustomization.yaml (no findings); the overlay's kustomization
    // (no apiVersion or kind) is not Kubernetes YAML; the three patches carry their notes.
    expect(doc.summary).toEqual({ files: 5, errorCount: 0, warningCount: 0, noteCount: 3 });
  });

  it('a patch named on the command line (pre-commit) gets the same note', async () => {
    const r = await runCli(['-f', 'json', 'overlays/prod/patches/calico-node-mtu.yaml'], { cwd });
    expect(JSON.parse(r.stdout).results.map((x: { ruleId: string; file: string }) => [x.ruleId, x.file])).toEqual([['patch-not-linted', 'overlays/prod/patches/calico-node-mtu.yaml']]);
  });
});
