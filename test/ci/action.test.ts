/**
 * action.yml, the composite GitHub Action: its inputs, the upload step, and
 * the lint step's script run the way the runner runs it (bash, with the
 * inputs in the environment, GITHUB_OUTPUT and GITHUB_ACTION_PATH set) on a
 * throwaway workspace: findings still upload, a hostlint failure does not.
 * Uses the built CLI (bin/hostlint → dist/, made by `npm test`'s build).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { writeTree } from '../helpers/lint.js';
import { validateSarif } from '../helpers/sarif-validator.js';

const checkout = fileURLToPath(new URL('../..', import.meta.url));

interface Step {
  name: string;
  id?: string;
  if?: string;
  uses?: string;
  run?: string;
  shell?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}
const action = parse(readFileSync(path.join(checkout, 'action.yml'), 'utf8')) as {
  inputs: Record<string, { default?: string; description: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Step[] };
};
const step = (id: string) => action.runs.steps.find((s) => s.id === id)!;

describe('action.yml', () => {
  it('is a composite action with the standard inputs, and uploads with codeql-action/upload-sarif', () => {
    expect(action.runs.using).toBe('composite');
    expect(Object.keys(action.inputs)).toEqual(['paths', 'config', 'category', 'baseline', 'args', 'sarif-file', 'upload', 'fail-on-findings', 'node-version', 'token']);
    expect(action.inputs.paths!.default).toBe('.');
    expect(action.inputs.category!.default).toBe('hostlint');
    const upload = step('upload');
    expect(upload.uses).toBe('github/codeql-action/upload-sarif@v4');
    expect(upload.with).toEqual({ sarif_file: '${{ steps.lint.outputs.sarif-file }}', category: '${{ inputs.category }}', token: '${{ inputs.token }}' });
    expect(upload.if).toBe("inputs.upload == 'true'");
    // Failing on findings comes after the upload, never instead of it.
    const names = action.runs.steps.map((s) => s.id ?? s.name);
    expect(names.indexOf('upload')).toBeLessThan(names.indexOf('Fail on findings'));
    expect(Object.keys(action.outputs)).toEqual(['sarif-file', 'exit-code', 'sarif-id']);
  });
});

/** Run the lint step's script as the runner would. */
function lintStep(workspace: string, inputs: Record<string, string>) {
  const lint = step('lint');
  expect(lint.shell).toBe('bash');
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(lint.env!)) {
    const name = /^\$\{\{ inputs\.([\w-]+) \}\}$/.exec(v)![1]!;
    env[k] = inputs[name] ?? action.inputs[name]!.default ?? '';
  }
  const output = path.join(mkdtempSync(path.join(tmpdir(), 'hostlint-action-')), 'output');
  writeFileSync(output, '');
  const r = spawnSync('bash', ['-e', '-c', lint.run!], {
    cwd: workspace,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env, GITHUB_OUTPUT: output, GITHUB_ACTION_PATH: checkout },
  });
  const outputs = Object.fromEntries(readFileSync(output, 'utf8').trim().split('\n').filter(Boolean).map((l) => l.split(/=(.*)/s).slice(0, 2)));
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, outputs };
}

describe('the lint step', () => {
  const KERNEL_310 = 'facts:\n  kernel: 3.10.0-1160.el7.x86_64\n';

  it('writes complete SARIF with the category and succeeds on findings (exit-code 1), so the upload runs', { timeout: 120_000 }, async () => {
    const ws = writeTree({ 'hosts/db/sysctl.conf': 'net.ipv4.tcp_tw_recycle = 1\n', 'ci/hostlint.yaml': KERNEL_310, 'docs/sysctl.conf': 'net.ipv4.tcp_tw_recycle = 1\n' });
    const r = lintStep(ws, { paths: 'hosts/\n', config: 'ci/hostlint.yaml', category: 'hostlint/hosts' });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.outputs).toEqual({ 'exit-code': '1', 'sarif-file': 'hostlint.sarif' });
    const file = path.join(ws, 'hostlint.sarif');
    const log = JSON.parse(readFileSync(file, 'utf8'));
    expect(log.runs[0].automationDetails).toEqual({ id: 'hostlint/hosts/' });
    expect(log.runs[0].results.map((x: { ruleId: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }) => [x.ruleId, x.locations[0]!.physicalLocation.artifactLocation.uri])).toEqual([
      ['sysctl-tw-recycle', 'hosts/db/sysctl.conf'],
    ]);
    const v = await validateSarif(file);
    expect(v.errors, v.errors.join('\n')).toEqual([]);
  });

  it('passes a baseline and extra arguments; a clean run is exit-code 0', () => {
    const ws = writeTree({ 'sysctl.conf': 'net.ipv4.tcp_tw_recycle = 1\n', '.hostlint.yaml': KERNEL_310 });
    expect(spawnSync(process.execPath, [path.join(checkout, 'bin/hostlint'), '--write-baseline', 'base.json'], { cwd: ws }).status).toBe(0);
    const r = lintStep(ws, { baseline: 'base.json', args: '--max-warnings 0 --include-suppressed', 'sarif-file': 'h.sarif' });
    expect(r.code).toBe(0);
    expect(r.outputs).toEqual({ 'exit-code': '0', 'sarif-file': 'h.sarif' });
    const results = JSON.parse(readFileSync(path.join(ws, 'h.sarif'), 'utf8')).runs[0].results;
    expect(results.map((x: { baselineState: string; suppressions: unknown[] }) => [x.baselineState, x.suppressions.length])).toEqual([['unchanged', 1]]);
  });

  it('fails, without a SARIF to upload, when hostlint itself fails (exit 2)', () => {
    const ws = writeTree({ 'sysctl.conf': 'net.ipv4.tcp_tw_recycle = 0\n' });
    const r = lintStep(ws, { paths: 'no-such-dir' });
    expect(r.code).toBe(2);
    expect(r.outputs['exit-code']).toBe('2');
    expect(r.stdout).toContain('::error title=hostlint::hostlint failed (exit 2, see above); nothing was uploaded');
    expect(r.stderr).toContain('hostlint: no such file or directory: no-such-dir');
  });
});
