/**
 * Baselines: `--write-baseline` records the current results, `--baseline`
 * reports only results whose fingerprint is not recorded; SARIF marks every
 * result's `baselineState`, and the baselined ones are externally suppressed.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { writeTree } from '../helpers/lint.js';
import { validateSarif } from '../helpers/sarif-validator.js';

const CONFIG = 'facts:\n  kernel: 3.10.0-1160.el7.x86_64\n  kubernetesNode: true\n';
const DB = '# database host\nnet.core.somaxconn = 1024\nnet.ipv4.tcp_tw_recycle = 1\n';
const NODE = '# node\nnet.ipv4.ip_forward = 0\n';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

describe('baseline round trip', () => {
  it('the same input against its own baseline reports nothing new; one added problem reports exactly one', async () => {
    const cwd = writeTree({ 'db/sysctl.conf': DB, 'node/sysctl.conf': NODE, '.hostlint.yaml': CONFIG });
    const before = await runCli([], { cwd });
    expect(before.code).toBe(1);

    // Writing the baseline adopts every current result: nothing is new in this run.
    const write = await runCli(['--write-baseline', 'hostlint-baseline.json'], { cwd });
    expect(write).toEqual({ code: 0, stdout: '', stderr: '' });
    const baseline = JSON.parse(readFileSync(path.join(cwd, 'hostlint-baseline.json'), 'utf8')) as Json;
    expect(baseline.version).toBe(1);
    expect(baseline.results.map((r: Json) => [r.ruleId, r.file])).toEqual([
      ['sysctl-tw-recycle', 'db/sysctl.conf'],
      ['k8s-ip-forward', 'node/sysctl.conf'],
    ]);
    for (const r of baseline.results) expect(r.fingerprint).toMatch(/^[0-9a-f]{32}$/);

    const same = await runCli(['--baseline', 'hostlint-baseline.json'], { cwd });
    expect(same).toEqual({ code: 0, stdout: '', stderr: '' });

    // Lines inserted above the known findings, and one new problem.
    writeFileSync(path.join(cwd, 'db/sysctl.conf'), '# tuned again\nvm.swappiness = 10\n' + DB);
    writeFileSync(path.join(cwd, 'node/sysctl.conf'), NODE + 'net.ipv4.tcp_tw_recycle = 1\n');
    const added = await runCli(['--baseline', 'hostlint-baseline.json', '-f', 'json'], { cwd });
    expect(added.code).toBe(1);
    const doc = JSON.parse(added.stdout) as Json;
    expect(doc.summary).toEqual({ files: 2, errorCount: 1, warningCount: 0, noteCount: 0 });
    expect(doc.results.map((r: Json) => [r.ruleId, r.file, r.line, r.baselineState])).toEqual([
      ['sysctl-tw-recycle', 'node/sysctl.conf', 3, 'new'],
    ]);
  });

  it('accepts a SARIF log as the baseline', async () => {
    const cwd = writeTree({ 'db/sysctl.conf': DB, '.hostlint.yaml': CONFIG });
    await runCli(['-f', 'sarif', '-o', 'previous.sarif'], { cwd });
    expect(await runCli(['--baseline', 'previous.sarif'], { cwd })).toEqual({ code: 0, stdout: '', stderr: '' });
    writeFileSync(path.join(cwd, 'db/sysctl.conf'), DB.replace('tcp_tw_recycle = 1', 'tcp_tw_recycle = 2'));
    const changed = await runCli(['--baseline', 'previous.sarif', '-f', 'json'], { cwd });
    expect(JSON.parse(changed.stdout).results.map((r: Json) => [r.ruleId, r.line, r.baselineState])).toEqual([['sysctl-tw-recycle', 3, 'new']]);
  });

  it('with --baseline and --write-baseline, reports against the old baseline and records the current results', async () => {
    const cwd = writeTree({ 'db/sysctl.conf': DB, '.hostlint.yaml': CONFIG });
    await runCli(['--write-baseline', 'old.json'], { cwd });
    writeFileSync(path.join(cwd, 'db/sysctl.conf'), DB + 'net.ipv4.ip_forward = 0\n');
    const r = await runCli(['--baseline', 'old.json', '--write-baseline', 'new.json', '-f', 'json'], { cwd });
    expect(JSON.parse(r.stdout).results.map((x: Json) => [x.ruleId, x.baselineState])).toEqual([['k8s-ip-forward', 'new']]);
    expect(JSON.parse(readFileSync(path.join(cwd, 'new.json'), 'utf8')).results.map((x: Json) => x.ruleId)).toEqual(['sysctl-tw-recycle', 'k8s-ip-forward']);
    expect(await runCli(['--baseline', 'new.json'], { cwd })).toEqual({ code: 0, stdout: '', stderr: '' });
  });
});

describe('baseline in SARIF', () => {
  it('marks every result new or unchanged; unchanged ones carry an external suppression; the log validates', { timeout: 120_000 }, async () => {
    const cwd = writeTree({ 'db/sysctl.conf': DB, '.hostlint.yaml': CONFIG });
    await runCli(['--write-baseline', 'base.json'], { cwd });
    writeFileSync(path.join(cwd, 'db/sysctl.conf'), DB + 'net.ipv4.ip_forward = 0\n');

    const shown = JSON.parse((await runCli(['--baseline', 'base.json', '-f', 'sarif'], { cwd })).stdout) as Json;
    expect(shown.runs[0].results.map((r: Json) => [r.ruleId, r.baselineState, r.suppressions])).toEqual([['k8s-ip-forward', 'new', undefined]]);

    const out = mkdtempSync(path.join(tmpdir(), 'hostlint-baseline-sarif-'));
    const file = path.join(out, 'all.sarif');
    const r = await runCli(['--baseline', 'base.json', '--include-suppressed', '-f', 'sarif', '-o', file], { cwd });
    expect(r.code).toBe(1);
    const log = JSON.parse(readFileSync(file, 'utf8')) as Json;
    expect(log.runs[0].results.map((x: Json) => [x.ruleId, x.baselineState, x.suppressions])).toEqual([
      ['sysctl-tw-recycle', 'unchanged', [{ kind: 'external', justification: 'In the baseline base.json' }]],
      ['k8s-ip-forward', 'new', []],
    ]);
    const v = await validateSarif(file);
    expect(v.errors, v.errors.join('\n')).toEqual([]);
  });
});

describe('bad baselines are usage errors (exit 2)', () => {
  const cwd = writeTree({ 'db/sysctl.conf': DB, '.hostlint.yaml': CONFIG, 'broken.json': '{"results": [', 'other.json': '{"hello": 1}\n' });

  it.each([
    ['missing.json', 'hostlint: cannot read baseline missing.json (ENOENT)\n'],
    ['broken.json', /^hostlint: baseline broken\.json is not JSON\n/],
    ['other.json', 'hostlint: baseline other.json is neither hostlint JSON output (--format json) nor SARIF (--format sarif)\n'],
  ])('%s', async (file, message) => {
    const r = await runCli(['--baseline', file], { cwd });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const first = r.stderr.split('Run `hostlint --help`')[0]!;
    if (typeof message === 'string') expect(first).toBe(message);
    else expect(first).toMatch(message);
  });
});
