/**
 * The example fleet (fixtures/examples/fleet/, see its README.md): six hosts
 * in every form — directories, sosreport directories, a .tgz archive, a clean
 * directory — and two clusters' manifests: a Calico Installation and Antrea's
 * ConfigMap, each joined with the nodes that may run that CNI. `hostlint audit` reports
 * exactly what the README shows, joins the manifest with the smallest node
 * MTU, gives the same report in parallel and in process, and writes valid
 * SARIF. The committed db01.tgz is the tar of fleet-archives/db01/ (built
 * here; set HOSTLINT_UPDATE_FIXTURES=1 to rewrite it).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { validateSarif } from '../helpers/sarif-validator.js';
import { tarGz, tarOf, treeEntries } from '../helpers/tar.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const E = 'fixtures/examples/fleet';
const out = mkdtempSync(path.join(tmpdir(), 'hostlint-fleet-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** The audit output the README shows, between its fleet markers. */
function readmeAudit(): string {
  const readme = readFileSync(path.join(repo, 'README.md'), 'utf8');
  const m = /<!-- fleet:start -->\n```\n\$ \.\/bin\/hostlint audit fixtures\/examples\/fleet\n([\s\S]*?)```\n<!-- fleet:end -->/.exec(readme);
  expect(m, 'README needs the fleet audit between <!-- fleet:start --> and <!-- fleet:end -->').not.toBeNull();
  return m![1]!;
}

describe('example fleet', () => {
  it('db01.tgz is the tar of fleet-archives/db01', async () => {
    const entries = treeEntries(path.join(repo, 'fixtures/examples/fleet-archives/db01'), 'db01/');
    const file = path.join(repo, E, 'db01.tgz');
    if (process.env.HOSTLINT_UPDATE_FIXTURES) writeFileSync(file, await tarGz(entries));
    expect(gunzipSync(readFileSync(file)).equals(await tarOf(entries))).toBe(true);
  });

  it('stylish, in process: exactly what the README shows, exit 1', async () => {
    const r = await runCli(['audit', '--concurrency', '1', E], { cwd: repo });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(readmeAudit());
    expect(r.code).toBe(1);
  });

  it('json: per-host summaries, and the manifest joined with the smallest node MTU', async () => {
    const r = await runCli(['audit', '--concurrency', '1', '--format', 'json', E], { cwd: repo });
    const doc = JSON.parse(r.stdout);
    expect(doc.hosts.map((h: Record<string, unknown>) => [h.host, h.path, h.form, h.kubernetesNode, h.kernel])).toEqual([
      ['antrea01', `${E}/antrea01`, 'directory', true, '5.15.0-91-generic'],
      ['db01', `${E}/db01.tgz`, 'archive', null, '3.10.0-1160.el7.x86_64'],
      ['node01', `${E}/node01`, 'directory', true, '5.4.0-150-generic'],
      ['antrea02', `${E}/sosreport-antrea02-2024-05-02-mzkqtew`, 'sosreport', true, '5.15.0-91-generic'],
      ['node02', `${E}/sosreport-node02-2024-05-01-qxlvjzb`, 'sosreport', true, '5.4.0-99-generic'],
      ['web01', `${E}/web01`, 'directory', null, '5.15.0-91-generic'],
    ]);
    expect(doc.summary).toMatchObject({ hosts: 6 });
    const mtu = doc.results.find((x: { ruleId: string }) => x.ruleId === 'calico-mtu-mismatch');
    expect([mtu.file, mtu.line, mtu.column, mtu.host, mtu.severity]).toEqual([`${E}/cluster/custom-resources.yaml`, 10, 10, undefined, 'error']);
    expect(mtu.related[0]).toEqual({
      file: `${E}/sosreport-node02-2024-05-01-qxlvjzb/sos_commands/networking/ip_-s_-d_link`,
      line: 7,
      column: 44,
      endLine: 7,
      endColumn: 52,
      message: 'MTU of ens3 is 8958 on node02, the smallest among 2 Kubernetes nodes in the run (2 running another CNI left out)',
    });
    // The Antrea cluster: joined with the smallest uplink among the nodes that may run Antrea.
    const antrea = doc.results.find((x: { ruleId: string }) => x.ruleId === 'cni-mtu-mismatch');
    expect([antrea.file, antrea.line, antrea.column, antrea.severity]).toEqual([`${E}/cluster-antrea/antrea-config.yaml`, 205, 17, 'error']);
    expect(antrea.related.map((r: { file: string; line: number; message: string }) => [r.file, r.line, r.message])).toEqual([
      [`${E}/sosreport-antrea02-2024-05-02-mzkqtew/sos_commands/networking/ip_-s_-d_link`, 7, 'MTU of ens5 is 1450 on antrea02, the smallest among 4 Kubernetes nodes in the run'],
      [`${E}/cluster-antrea/antrea-config.yaml`, 159, 'Antrea Geneve takes 50 bytes: tunnelType "geneve", trafficEncapMode encap in antrea-agent.conf of ConfigMap antrea-config'],
    ]);
    const gw = doc.results.find((x: { ruleId: string }) => x.ruleId === 'cni-mtu-inconsistent');
    expect([gw.line, gw.related[0].file, gw.related[0].line]).toEqual([205, `${E}/sosreport-antrea02-2024-05-02-mzkqtew/sos_commands/networking/ip_-s_-d_link`, 28]);
    // Every result in a host names it; archive members name the archive.
    for (const x of doc.results) if (!/^fixtures\/examples\/fleet\/cluster(-antrea)?\//.test(x.file)) expect(x.host).toMatch(/^(antrea01|antrea02|db01|node01|node02|web01)$/);
    expect(doc.results.filter((x: { file: string }) => x.file.startsWith(`${E}/db01.tgz!/db01/`)).length).toBeGreaterThan(0);
  });

  it('in parallel (the built CLI, two worker threads): the same report', { timeout: 60_000 }, () => {
    const serial = spawnSync(process.execPath, ['bin/hostlint', 'audit', '--concurrency', '1', '--format', 'json', E], { cwd: repo, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
    const parallel = spawnSync(process.execPath, ['bin/hostlint', 'audit', '--concurrency', '2', '--format', 'json', E], { cwd: repo, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
    expect(parallel.stderr).toBe('');
    expect(parallel.status).toBe(1);
    expect(parallel.stdout).toBe(serial.stdout);
    expect(JSON.parse(parallel.stdout).summary.hosts).toBe(6);
  });

  it('sarif: archive members located in the archive, and the validator reports zero errors', { timeout: 120_000 }, async () => {
    const file = path.join(out, 'fleet.sarif');
    const r = await runCli(['audit', '--concurrency', '1', '--format', 'sarif', '-o', file, E], { cwd: repo });
    expect(r.code).toBe(1);
    const log = JSON.parse(readFileSync(file, 'utf8'));
    const uris = log.runs[0].results.map((x: { locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }) => x.locations[0]!.physicalLocation.artifactLocation.uri);
    expect(uris).toContain(`${E}/db01.tgz!/db01/etc/sysctl.conf`);
    for (const x of log.runs[0].results) if (!/^fixtures\/examples\/fleet\/cluster(-antrea)?\//.test(x.locations[0].physicalLocation.artifactLocation.uri)) expect(x.properties.host).toBeDefined();
    const v = await validateSarif(file);
    expect(v.errors, v.errors.join('\n')).toEqual([]);
  });
});
