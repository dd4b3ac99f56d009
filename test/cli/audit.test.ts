/**
 * `hostlint audit` on the command line: grouping and summary, the JSON
 * document, the output file, --quiet, usage errors, missing paths, the
 * progress line (only on a terminal, never in CI or into a pipe), and
 * archives through the default `lint` command too.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { writeTree } from '../helpers/lint.js';
import { tarGz, treeEntries } from '../helpers/tar.js';

const DB = {
  'fleet/db01/etc/sysctl.conf': 'net.ipv4.tcp_tw_recycle = 1\nnet.core.somaxconn = 1024\n',
  'fleet/db01/proc/sys/kernel/osrelease': '3.10.0-1160.el7.x86_64\n',
  'fleet/db01/proc/sys/net/core/somaxconn': '128\n',
};
const CLEAN = {
  'fleet/web01/etc/sysctl.conf': 'net.core.somaxconn = 1024\n',
  'fleet/web01/proc/sys/kernel/osrelease': '5.15.0-91-generic\n',
  'fleet/web01/proc/sys/net/core/somaxconn': '1024\n',
};

describe('hostlint audit', () => {
  it('stylish: findings grouped by host, then the fleet summary', async () => {
    const cwd = writeTree({ ...DB, ...CLEAN });
    const r = await runCli(['audit', '--concurrency', '1', 'fleet'], { cwd });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(`
host db01  fleet/db01  1 error, 1 warning

  fleet/db01/etc/sysctl.conf
    1:27  error    \`net.ipv4.tcp_tw_recycle = 1\` with TCP timestamps on makes kernel 3.10.0-1160.el7.x86_64 drop SYNs from clients behind NAT; set it to 0                         sysctl-tw-recycle
    2:22  warning  \`net.core.somaxconn\` is configured as \`1024\` but is \`128\` on the running host: the file was changed and not applied since, or the value was changed at runtime  sysctl-drift

Fleet summary
  hosts scanned      2  (1 without findings)
  hosts with errors  1
  findings by rule
    sysctl-drift       1 warning
    sysctl-tw-recycle  1 error
  worst hosts
    db01  1 error, 1 warning

\u2716 2 problems (1 error, 1 warning, 0 notes)
`);
  });

  it('a clean fleet: the summary alone, exit 0', async () => {
    const r = await runCli(['audit', '--concurrency', '1', 'fleet'], { cwd: writeTree(CLEAN) });
    expect(r).toEqual({ code: 0, stderr: '', stdout: '\nFleet summary\n  hosts scanned      1  (1 without findings)\n  hosts with errors  0\n' });
    const j = await runCli(['audit', '--concurrency', '1', '-f', 'json', 'fleet'], { cwd: writeTree(CLEAN) });
    expect(JSON.parse(j.stdout)).toEqual({
      version: 1,
      tool: { name: 'hostlint', version: expect.any(String) },
      results: [],
      hosts: [{ host: 'web01', path: 'fleet/web01', form: 'directory', role: 'host', kubernetesNode: null, kernel: '5.15.0-91-generic', errorCount: 0, warningCount: 0, noteCount: 0 }],
      rules: [],
      // Files linted, with or without results: web01's sysctl.conf, osrelease and somaxconn.
      summary: { files: 3, errorCount: 0, warningCount: 0, noteCount: 0, hosts: 1, hostsWithErrors: 0 },
    });
  });

  it('json: the lint results with hosts, per-host and per-rule summaries; --quiet keeps errors', async () => {
    const cwd = writeTree({ ...DB, ...CLEAN });
    const r = await runCli(['audit', '--concurrency', '1', '-f', 'json', '--quiet', 'fleet'], { cwd });
    const doc = JSON.parse(r.stdout);
    expect(doc.results.map((x: Record<string, unknown>) => [x.ruleId, x.host, x.file, x.line])).toEqual([['sysctl-tw-recycle', 'db01', 'fleet/db01/etc/sysctl.conf', 1]]);
    expect(doc.hosts.map((h: Record<string, unknown>) => [h.host, h.errorCount, h.warningCount])).toEqual([['db01', 1, 0], ['web01', 0, 0]]);
    expect(doc.rules).toEqual([{ ruleId: 'sysctl-tw-recycle', errorCount: 1, warningCount: 0, noteCount: 0 }]);
    // --quiet leaves the warnings out, not the files linted (three per host).
    expect(doc.summary).toEqual({ files: 6, errorCount: 1, warningCount: 0, noteCount: 0, hosts: 2, hostsWithErrors: 1 });
  });

  it('-o writes the report atomically (no temporary file left)', async () => {
    const cwd = writeTree({ ...DB });
    const r = await runCli(['audit', '--concurrency', '1', '-f', 'json', '-o', 'report.json', 'fleet'], { cwd, isTTY: true, stderrIsTTY: true, env: { CI: 'true' } });
    expect([r.code, r.stdout, r.stderr]).toEqual([1, '', '']);
    expect(JSON.parse(readFileSync(path.join(cwd, 'report.json'), 'utf8')).summary.hosts).toBe(1);
    expect(readdirSync(cwd).sort()).toEqual(['fleet', 'report.json']);
  });

  it('draws progress on a terminal only: not in CI, not into a pipe', async () => {
    const cwd = writeTree({ ...DB, ...CLEAN });
    const tty = await runCli(['audit', '--concurrency', '1', 'fleet'], { cwd, isTTY: true, stderrIsTTY: true, env: {} });
    expect(tty.stderr).toContain('\r\u001b[Khostlint audit: 2/2 hosts, 1 with errors');
    expect(tty.stderr.endsWith('\r\u001b[K')).toBe(true);
    expect((await runCli(['audit', '--concurrency', '1', 'fleet'], { cwd, isTTY: true, stderrIsTTY: true, env: { CI: 'true' } })).stderr).toBe('');
    expect((await runCli(['audit', '--concurrency', '1', 'fleet'], { cwd, isTTY: false, stderrIsTTY: true, env: {} })).stderr).toBe('');
    expect((await runCli(['audit', '--concurrency', '1', 'fleet'], { cwd, isTTY: true, stderrIsTTY: false, env: {} })).stderr).toBe('');
  });

  it('usage errors and missing paths', async () => {
    const cwd = writeTree({ ...DB });
    expect(await runCli(['audit', '--concurrency', '0', 'fleet'], { cwd })).toMatchObject({ code: 2, stderr: 'hostlint: --concurrency takes a whole number of at least 1\nRun `hostlint --help` for usage.\n' });
    expect(await runCli(['--concurrency', '2', 'fleet'], { cwd })).toMatchObject({ code: 2, stderr: 'hostlint: --concurrency does not apply to `hostlint lint` (it is an option of `hostlint audit`)\nRun `hostlint --help` for usage.\n' });
    const missing = await runCli(['audit', '--concurrency', '1', 'nope', 'fleet'], { cwd });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('hostlint: no such file or directory: nope\n');
    expect(missing.stdout).toContain('host db01');
  });

  it('sarif: a valid log of the whole fleet, each host result naming its host', async () => {
    const cwd = writeTree({ ...DB, ...CLEAN });
    const r = await runCli(['audit', '--concurrency', '1', '-f', 'sarif', 'fleet'], { cwd });
    const log = JSON.parse(r.stdout);
    expect(log.runs[0].results.map((x: { ruleId: string; properties: { host: string } }) => [x.ruleId, x.properties.host])).toEqual([
      ['sysctl-tw-recycle', 'db01'],
      ['sysctl-drift', 'db01'],
    ]);
  });

  it('manifests beside the snapshots: only the documents some rule reads are parsed, as in hostlint lint', async () => {
    // A CustomResourceDefinition (no rule reads one) and a ConfigMap, each with a mapping indented one column too far.
    const manifest = [
      'apiVersion: apiextensions.k8s.io/v1',
      'kind: CustomResourceDefinition',
      'metadata:',
      '  name: felixconfigurations.crd.projectcalico.org',
      'spec:',
      '  group: crd.projectcalico.org',
      '   names: x',
      '---',
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      '  name: calico-config',
      'data:',
      '  veth_mtu: "1440"',
      '   x: y',
      '',
    ].join('\n');
    const cwd = writeTree({ ...CLEAN, 'fleet/cluster/calico.yaml': manifest });
    const shown = (r: { stdout: string }) => JSON.parse(r.stdout).results.map((x: Record<string, unknown>) => [x.ruleId, x.file, x.line, x.column, x.message]);
    const audit = await runCli(['audit', '--concurrency', '1', '-f', 'json', 'fleet'], { cwd });
    expect(shown(audit)).toEqual([
      ['calico-mtu-mismatch', 'fleet/cluster/calico.yaml', 14, 13, expect.stringMatching(/^Calico MTU 1440 \(veth_mtu in ConfigMap calico-config\) cannot be checked/)],
      ['parse-error', 'fleet/cluster/calico.yaml', 15, 1, 'All mapping items must start at the same column'],
    ]);
    expect(shown(await runCli(['-f', 'json', 'fleet/cluster/calico.yaml'], { cwd }))).toEqual(shown(audit));
  });

  it('hostlint lint reads archive snapshots too', async () => {
    const cwd = writeTree({ ...DB });
    writeFileSync(path.join(cwd, 'db01.tgz'), await tarGz(treeEntries(path.join(cwd, 'fleet/db01'), 'db01/')));
    const r = await runCli(['db01.tgz', '-f', 'json'], { cwd });
    expect(JSON.parse(r.stdout).results.map((x: Record<string, unknown>) => [x.ruleId, x.host, x.file])).toEqual([
      ['sysctl-tw-recycle', 'db01', 'db01.tgz!/db01/etc/sysctl.conf'],
      ['sysctl-drift', 'db01', 'db01.tgz!/db01/etc/sysctl.conf'],
    ]);
  });
});
