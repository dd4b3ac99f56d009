/**
 * The programmatic API (src/api.ts): `lint()` resolves to the object
 * `hostlint --format json` prints for the same inputs, byte for byte once
 * stringified; in-memory files, a configuration object, rule overrides, fixes,
 * quiet and baselines behave as the CLI's flags; mistakes are typed errors.
 */
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { audit, ConfigError, lint, NothingToLintError, rules, UsageError } from '../../src/api.js';
import { runCli } from '../helpers/cli.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const golden = (name: string) => readFileSync(path.join(repo, 'test/golden/outputs', `${name}.json`), 'utf8').replace(/^exit \d+\n/, '');
const text = (report: unknown) => `${JSON.stringify(report, null, 2)}\n`;

describe('lint() is the JSON the CLI prints', () => {
  // Recorded before the API existed (test/golden): the API must give the same bytes.
  const cases: Array<{ name: string; cwd: string; paths: string[] }> = [
    { name: 'examples/incident', cwd: path.join(repo, 'fixtures/examples'), paths: ['incident'] },
    { name: 'rules/sysctl-tw-recycle/invalid-kernel-from-osrelease', cwd: path.join(repo, 'fixtures/rules/sysctl-tw-recycle/invalid-kernel-from-osrelease'), paths: ['.'] },
    { name: 'rules/sysctl-duplicate-key/invalid-same-file', cwd: path.join(repo, 'fixtures/rules/sysctl-duplicate-key/invalid-same-file'), paths: ['.'] },
    { name: 'rules/calico-mtu-mismatch/invalid-ipip-too-small', cwd: path.join(repo, 'fixtures/rules/calico-mtu-mismatch/invalid-ipip-too-small'), paths: ['.'] },
    { name: 'rules/k8s-ip-forward/invalid-node-snapshot-gce-default', cwd: path.join(repo, 'fixtures/rules/k8s-ip-forward/invalid-node-snapshot-gce-default'), paths: ['.'] },
    { name: 'rules/resolv-search-inherited/invalid-kubelet-resolvconf-systemd', cwd: path.join(repo, 'fixtures/rules/resolv-search-inherited/invalid-kubelet-resolvconf-systemd'), paths: ['.'] },
    { name: 'helm', cwd: path.join(repo, 'fixtures'), paths: ['helm'] },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const report = await lint({ cwd: c.cwd, paths: c.paths });
      expect(text(report)).toBe(golden(c.name));
      const cli = await runCli([...c.paths, '--format', 'json'], { cwd: c.cwd });
      expect(text(report)).toBe(cli.stdout);
    });
  }

  it('the incident example: its four findings', async () => {
    const report = await lint({ cwd: path.join(repo, 'fixtures/examples'), paths: ['incident'] });
    expect(report.results.map((r) => [r.ruleId, r.severity, r.file, r.line, r.column, r.endLine, r.endColumn, r.message])).toEqual([
      ['calico-mtu-mismatch', 'warning', 'incident/cluster/calico.yaml', 17, 13, 17, 19, 'Calico MTU 1430 (veth_mtu in ConfigMap calico-config) is below 1480: physical MTU 1500 minus 20 bytes of IP-in-IP; set it to 1480'],
      ['sysctl-tw-recycle', 'error', 'incident/db01/etc/sysctl.conf', 13, 27, 13, 28, '`net.ipv4.tcp_tw_recycle = 1` with TCP timestamps on makes kernel 3.10.0-1160.el7.x86_64 drop SYNs from clients behind NAT; set it to 0'],
      ['k8s-ip-forward', 'error', 'incident/node01/etc/sysctl.d/60-cis-hardening.conf', 5, 23, 5, 24, '`net.ipv4.ip_forward = 0` on a Kubernetes node: pod and Service traffic cannot be routed; set it to 1'],
      ['resolv-search-inherited', 'warning', 'incident/node01/run/systemd/resolve/resolv.conf', 8, 8, 8, 24, 'Pods on this Kubernetes node inherit search domain `corp.example.com` and, with ndots:5, try names against it before resolving them as written'],
    ]);
    expect(report.summary).toEqual({ files: 22, errorCount: 2, warningCount: 2, noteCount: 0 });
  });
});

describe('lint() options', () => {
  const work = () => mkdtempSync(path.join(tmpdir(), 'hostlint-api-'));

  it('files: in-memory text is linted as --stdin --stdin-filename lints it', async () => {
    const cwd = work();
    const body = 'net.ipv4.tcp_tw_recycle = 1\nnet.ipv4.tcp_timestamps = 1\nnet.ipv4.tcp_tw_recycle = 0\n';
    const config = { facts: { kernel: '3.10.0-1160.el7.x86_64' } };
    writeFileSync(path.join(cwd, '.hostlint.json'), JSON.stringify(config));
    const fromText = await lint({ cwd, files: [{ path: 'etc/sysctl.d/90-net.conf', text: body }] });
    const fromBytes = await lint({ cwd, files: [{ path: 'etc/sysctl.d/90-net.conf', text: Buffer.from(body) }] });
    const cli = await runCli(['--stdin', '--stdin-filename', 'etc/sysctl.d/90-net.conf', '--format', 'json'], { cwd, stdin: body });
    expect(text(fromText)).toBe(cli.stdout);
    expect(fromBytes).toEqual(fromText);
    expect(fromText.results.map((r) => [r.ruleId, r.file, r.line, r.column, r.message])).toEqual([
      ['sysctl-duplicate-key', 'etc/sysctl.d/90-net.conf', 1, 1, '`net.ipv4.tcp_tw_recycle = 1` is overridden by `net.ipv4.tcp_tw_recycle = 0` at line 3: this line has no effect'],
    ]);
  });

  it('config: an object gives what the same file gives; rules override it', async () => {
    const cwd = path.join(repo, 'fixtures/examples');
    const file = path.join(work(), 'config.json');
    const data = { rules: { 'resolv-search-inherited': 'off', 'k8s-ip-forward': 'error' } };
    writeFileSync(file, JSON.stringify(data));
    const fromObject = await lint({ cwd, paths: ['incident'], config: data });
    const cli = await runCli(['incident', '--format', 'json', '--config', file], { cwd });
    expect(text(fromObject)).toBe(cli.stdout);
    expect(fromObject.results.map((r) => [r.ruleId, r.severity])).toEqual([
      ['calico-mtu-mismatch', 'warning'],
      ['sysctl-tw-recycle', 'error'],
      ['k8s-ip-forward', 'error'],
    ]);
    const overridden = await lint({ cwd, paths: ['incident'], config: data, rules: { 'k8s-ip-forward': 'off', 'resolv-search-inherited': 'warn' } });
    expect(overridden.results.map((r) => [r.ruleId, r.severity])).toEqual([
      ['calico-mtu-mismatch', 'warning'],
      ['sysctl-tw-recycle', 'error'],
      ['resolv-search-inherited', 'warning'],
    ]);
  });

  it('quiet, fix (dry run), baseline: as --quiet, --fix-dry-run, --write-baseline/--baseline', async () => {
    const cwd = path.join(repo, 'fixtures/examples');
    const quiet = await lint({ cwd, paths: ['incident'], quiet: true });
    expect(text(quiet)).toBe((await runCli(['incident', '--format', 'json', '--quiet'], { cwd })).stdout);
    expect(quiet.results.map((r) => r.ruleId)).toEqual(['sysctl-tw-recycle', 'k8s-ip-forward']);

    const fixCwd = path.join(repo, 'fixtures/rules/k8s-ip-forward/invalid-node-snapshot-gce-default');
    const fixed = await lint({ cwd: fixCwd, fix: true });
    expect(text(fixed)).toBe((await runCli(['.', '--format', 'json', '--fix-dry-run'], { cwd: fixCwd })).stdout);
    expect(fixed.fixed?.length).toBeGreaterThan(0);

    const dir = work();
    const base = path.join(dir, 'baseline.json');
    const first = await lint({ cwd, paths: ['incident'], writeBaseline: base });
    expect(first.results).toEqual([]);
    expect(first.summary.errorCount).toBe(0);
    const again = await lint({ cwd, paths: ['incident'], baseline: base, includeSuppressed: true });
    expect(text(again)).toBe((await runCli(['incident', '--format', 'json', '--baseline', base, '--include-suppressed'], { cwd })).stdout);
    expect(again.results.map((r) => [r.ruleId, r.baselineState, r.suppressions?.[0]?.kind])).toEqual([
      ['calico-mtu-mismatch', 'unchanged', 'external'],
      ['sysctl-tw-recycle', 'unchanged', 'external'],
      ['k8s-ip-forward', 'unchanged', 'external'],
      ['resolv-search-inherited', 'unchanged', 'external'],
    ]);
  });

  it('throws typed errors with the messages the CLI prints', async () => {
    const cwd = work();
    const both = await lint({ cwd, paths: ['a'], files: [{ path: 'resolv.conf', text: '' }] }).catch((e: unknown) => e);
    expect(both).toBeInstanceOf(UsageError);
    expect((both as Error).message).toBe('--stdin lints standard input only; lint the path `a` in another run');
    await expect(lint({ cwd, files: [{ path: 'notes.txt', text: 'x' }] })).rejects.toThrow(UsageError);
    const unknown = await lint({ cwd, config: { rules: { 'no-such-rule': 'error' } } }).catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(ConfigError);
    expect((unknown as Error).message).toBe('(config object): `rules.no-such-rule`: unknown rule `no-such-rule` (`hostlint rules` lists them)');
    const loud = await lint({ cwd, rules: { 'sysctl-port-range': 'loud' } }).catch((e: unknown) => e);
    expect(loud).toBeInstanceOf(ConfigError);
    expect((loud as Error).message).toBe('(rules option): `rules.sysctl-port-range` must be one of "off", "note", "warn", "warning", "error"');
    mkdirSync(path.join(cwd, 'empty'));
    const nothing = await lint({ cwd, paths: ['empty'] }).catch((e: unknown) => e);
    expect(nothing).toBeInstanceOf(NothingToLintError);
    expect((nothing as NothingToLintError).nothingUnder).toEqual(['empty']);
    expect((await lint({ cwd, paths: ['empty'], passOnNoFiles: true })).results).toEqual([]);
    writeFileSync(path.join(cwd, 'resolv.conf'), 'nameserver 10.0.0.1\n');
    const gone = await lint({ cwd, paths: ['resolv.conf', 'gone.conf'], passOnNoFiles: true }).catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(NothingToLintError);
    expect((gone as NothingToLintError).missing).toEqual(['gone.conf']);
    expect((gone as Error).message).toBe('no such file or directory: gone.conf');
    const cli = await runCli(['--config', 'missing.yaml', '.'], { cwd });
    const missing = await lint({ cwd, config: 'missing.yaml' }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ConfigError);
    expect(cli.code).toBe(2);
    expect(cli.stderr).toBe(`hostlint: configuration error: ${(missing as Error).message}\n`);
    expect((missing as Error).message).toBe('Cannot read configuration file missing.yaml: ENOENT');
  });

  it('rules lists every rule by id', () => {
    expect(rules.map((r) => r.id)).toEqual([...rules.map((r) => r.id)].sort());
    expect(rules.find((r) => r.id === 'sysctl-tw-recycle')?.severity).toBe('error');
  });
});

describe('audit()', () => {
  it('is the JSON `hostlint audit --format json` prints', async () => {
    const cwd = path.join(repo, 'fixtures/examples');
    const report = await audit({ cwd, paths: ['fleet'], concurrency: 1 });
    expect(text(report)).toBe(golden('examples/fleet'));
    expect(report.summary.hosts).toBe(report.hosts.length);
  });

  it('throws when no snapshot is found', async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'hostlint-api-'));
    writeFileSync(path.join(cwd, 'resolv.conf'), 'nameserver 10.0.0.1\n');
    await expect(audit({ cwd, paths: ['.'], concurrency: 1 })).rejects.toThrow(UsageError);
  });
});
