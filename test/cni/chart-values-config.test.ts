/**
 * Chart values recognised by configuration: `languages: { GLOB: helm-values:CHART }`
 * makes a file the values of the cilium or tigera-operator chart without a
 * `Chart.yaml` beside it, and it reports what the same values report beside
 * the chart's `Chart.yaml` (the fixtures `*-chart-values` and
 * `*-chart-values-by-config` hold the same values text).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { allResults, expectedOf, lintDir, writeTree } from '../helpers/lint.js';

const rules = fileURLToPath(new URL('../../fixtures/rules/', import.meta.url));
const CILIUM_VALUES = readFileSync(path.join(rules, 'cni-mtu-mismatch/invalid-cilium-chart-values/charts/cilium/values.yaml'), 'utf8');

function found(dir: string, ruleId: string) {
  return allResults(lintDir(dir))
    .filter((r) => r.ruleId === ruleId)
    .map(expectedOf);
}

describe('chart values named by languages (helm-values:CHART)', () => {
  it('cilium: the same finding as beside Chart.yaml, at the same line and column', () => {
    const beside = found(path.join(rules, 'cni-mtu-mismatch/invalid-cilium-chart-values'), 'cni-mtu-mismatch');
    const byConfig = found(path.join(rules, 'cni-mtu-mismatch/invalid-cilium-chart-values-by-config'), 'cni-mtu-mismatch');
    expect(byConfig).toHaveLength(1);
    expect(byConfig).toEqual(
      beside.map((r) => ({
        ...r,
        file: 'deploy/cilium-values.yaml',
        message: r.message.replace('charts/cilium/values.yaml', 'deploy/cilium-values.yaml'),
      })),
    );
  });

  it('tigera-operator: the same finding as beside Chart.yaml', () => {
    const beside = found(path.join(rules, 'calico-mtu-mismatch/invalid-tigera-operator-chart-values'), 'calico-mtu-mismatch');
    const byConfig = found(path.join(rules, 'calico-mtu-mismatch/invalid-tigera-operator-chart-values-by-config'), 'calico-mtu-mismatch');
    expect(byConfig).toHaveLength(1);
    expect(byConfig).toEqual(beside.map((r) => ({ ...r, file: 'helm/calico.yaml' })));
  });

  it('without the languages entry (and no Chart.yaml) the file is not read as chart values', () => {
    const dir = writeTree({ '.hostlint.yaml': 'facts:\n  physicalMtu: 1500\n', 'deploy/cilium-values.yaml': CILIUM_VALUES });
    expect(found(dir, 'cni-mtu-mismatch')).toEqual([]);
  });

  it('a glob that matches another file leaves this one alone', () => {
    const dir = writeTree({
      '.hostlint.yaml': 'facts:\n  physicalMtu: 1500\nlanguages:\n  "other/*.yaml": helm-values:cilium\n',
      'deploy/cilium-values.yaml': CILIUM_VALUES,
    });
    expect(found(dir, 'cni-mtu-mismatch')).toEqual([]);
  });

  it('works for standard input too (--stdin-filename matched against the globs)', async () => {
    const cwd = writeTree({ '.hostlint.yaml': 'facts:\n  physicalMtu: 1500\nlanguages:\n  "cilium-values.yaml": helm-values:cilium\n' });
    const r = await runCli(['--stdin', '--stdin-filename', 'cilium-values.yaml', '-f', 'json'], { cwd, stdin: CILIUM_VALUES });
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as { results: Array<{ ruleId: string; file: string; line: number; column: number }> };
    expect(out.results.map((x) => [x.ruleId, x.file, x.line, x.column])).toEqual([['cni-mtu-mismatch', 'cilium-values.yaml', 3, 6]]);
  });

  it('a chart hostlint does not read is a configuration error (exit 2) naming the key', async () => {
    const cwd = writeTree({ '.hostlint.yaml': 'languages:\n  "values.yaml": helm-values:flannel\n' });
    const r = await runCli([], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'hostlint: configuration error: .hostlint.yaml: `languages.values.yaml` must be one of "sysctl", "sysctl-dump", "resolv", "kube", "felix", "cni", "helm-values:cilium", "helm-values:tigera-operator"\n',
    );
  });
});
