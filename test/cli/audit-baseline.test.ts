/**
 * Audit baselines: `audit --write-baseline` records last week's findings,
 * `audit --baseline` (and `merge --baseline`) report only what is new since,
 * per host — fingerprints name the host and the file's path on the host, so
 * a re-collected snapshot (a new sosreport directory, an archive instead of a
 * directory) keeps its findings' identity, and the same line on another host
 * is a finding of its own.
 */
import { cpSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const work = mkdtempSync(path.join(tmpdir(), 'hostlint-audit-baseline-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function week(name: string): string {
  const dir = path.join(work, name);
  cpSync(path.join(repo, 'fixtures/examples/fleet'), path.join(dir, 'fleet'), { recursive: true, verbatimSymlinks: true });
  return dir;
}

describe('audit baselines', () => {
  const lastWeek = week('2026-11-24');
  const baseline = path.join(work, 'baseline.json');

  it('--write-baseline records every finding; alone, the run reports nothing as new', async () => {
    const r = await runCli(['audit', '--concurrency', '1', '--format', 'json', '--write-baseline', baseline, 'fleet'], { cwd: lastWeek });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).summary).toMatchObject({ errorCount: 0, warningCount: 0, hosts: 6 });
    const recorded = JSON.parse(readFileSync(baseline, 'utf8'));
    expect(recorded.results.map((x: { ruleId: string; host?: string }) => [x.ruleId, x.host ?? '(repository)'])).toEqual([
      ['sysctl-tw-recycle', 'db01'],
      ['sysctl-drift', 'node01'],
      ['k8s-ip-forward', 'node01'],
      ['resolv-search-inherited', 'node01'],
      ['cni-mtu-inconsistent', '(repository)'],
      ['cni-mtu-mismatch', '(repository)'],
      ['calico-mtu-mismatch', '(repository)'],
    ]);
  });

  it('--baseline reports only what is new since, per host, though the snapshots were collected again elsewhere', async () => {
    const thisWeek = week('2026-12-01');
    const fleet = path.join(thisWeek, 'fleet');
    // node02's sosreport has a new directory name (the host is named by its hostname file).
    renameSync(path.join(fleet, 'sosreport-node02-2024-05-01-qxlvjzb'), path.join(fleet, 'sosreport-node02-2026-12-01-abcdefg'));
    // web01 got a new problem; node03 is new, a copy of node01 (the same lines, other host).
    appendFileSync(path.join(fleet, 'web01/etc/sysctl.d/10-network-security.conf'), 'net.ipv4.ip_forward = 1\nnet.ipv4.ip_forward = 0\n');
    cpSync(path.join(fleet, 'node01'), path.join(fleet, 'node03'), { recursive: true, verbatimSymlinks: true });
    const r = await runCli(['audit', '--concurrency', '1', '--format', 'json', '--baseline', baseline, 'fleet'], { cwd: thisWeek });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc.results.map((x: Record<string, unknown>) => [x.ruleId, x.host, x.file, x.line, x.baselineState])).toEqual([
      ['sysctl-drift', 'node03', 'fleet/node03/etc/sysctl.d/50-kubernetes-charm.conf', 4, 'new'],
      ['k8s-ip-forward', 'node03', 'fleet/node03/etc/sysctl.d/60-cis-hardening.conf', 5, 'new'],
      ['resolv-search-inherited', 'node03', 'fleet/node03/run/systemd/resolve/resolv.conf', 8, 'new'],
      ['sysctl-duplicate-key', 'web01', 'fleet/web01/etc/sysctl.d/10-network-security.conf', 7, 'new'],
    ]);
    expect(doc.hosts.map((h: Record<string, unknown>) => [h.host, h.errorCount, h.warningCount])).toEqual([
      ['antrea01', 0, 0],
      ['db01', 0, 0],
      ['node01', 0, 0],
      ['node03', 1, 2],
      ['antrea02', 0, 0],
      ['node02', 0, 0],
      ['web01', 0, expect.any(Number)],
    ]);
    // The known ones are there as suppressed, with --include-suppressed.
    const all = JSON.parse((await runCli(['audit', '--concurrency', '1', '--format', 'json', '--include-suppressed', '--baseline', baseline, 'fleet'], { cwd: thisWeek })).stdout);
    expect(all.results.filter((x: { baselineState: string }) => x.baselineState === 'unchanged').map((x: { ruleId: string; host?: string }) => [x.ruleId, x.host ?? '(repository)'])).toEqual([
      ['sysctl-tw-recycle', 'db01'],
      ['sysctl-drift', 'node01'],
      ['k8s-ip-forward', 'node01'],
      ['resolv-search-inherited', 'node01'],
      ['cni-mtu-inconsistent', '(repository)'],
      ['cni-mtu-mismatch', '(repository)'],
      ['calico-mtu-mismatch', '(repository)'],
    ]);
  });

  it('merge --baseline gives what audit --baseline gives', async () => {
    const dir = week('merge');
    appendFileSync(path.join(dir, 'fleet/web01/etc/sysctl.d/10-network-security.conf'), 'net.ipv4.ip_forward = 1\nnet.ipv4.ip_forward = 0\n');
    const files: string[] = [];
    for (let i = 0; i < 3; i++) {
      const s = await runCli(['audit', '--concurrency', '1', '--shard', `${i}/3`, '--format', 'ndjson', 'fleet'], { cwd: dir });
      files.push(path.join(dir, `shard-${i}.ndjson`));
      writeFileSync(files[i]!, s.stdout);
    }
    const merged = await runCli(['merge', '--format', 'json', '--baseline', baseline, ...files], { cwd: dir });
    const audited = await runCli(['audit', '--concurrency', '1', '--format', 'json', '--baseline', baseline, 'fleet'], { cwd: dir });
    expect(merged.stderr).toBe('');
    expect(merged.stdout).toBe(audited.stdout);
    expect(JSON.parse(merged.stdout).results.map((x: { ruleId: string; host: string }) => [x.ruleId, x.host])).toEqual([['sysctl-duplicate-key', 'web01']]);
    // And merge --write-baseline records the whole fleet, as audit does.
    const again = path.join(dir, 'baseline.json');
    const w = await runCli(['merge', '--format', 'json', '--write-baseline', again, ...files], { cwd: dir });
    expect(w.code).toBe(0);
    expect(JSON.parse(readFileSync(again, 'utf8')).results).toHaveLength(8);
  });

  it('a baseline that cannot be read is exit 2 with one line', async () => {
    const r = await runCli(['audit', '--concurrency', '1', '--baseline', 'missing.json', 'fleet'], { cwd: lastWeek });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('hostlint: cannot read baseline missing.json (ENOENT)\n');
  });
});
