/**
 * The bundled incident example (fixtures/examples/incident/, see its
 * README.md) reports exactly the incident's causes, at the right lines, in
 * stylish, JSON and SARIF; the SARIF passes Microsoft's validator.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { validateSarif } from './helpers/sarif-validator.js';

const repo = fileURLToPath(new URL('..', import.meta.url));
const out = mkdtempSync(path.join(tmpdir(), 'hostlint-example-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const E = 'fixtures/examples/incident';

const STYLISH = `
${E}/cluster/calico.yaml
  17:13  warning  Calico MTU 1430 (veth_mtu in ConfigMap calico-config) is below 1480: physical MTU 1500 minus 20 bytes of IP-in-IP; set it to 1480  calico-mtu-mismatch

${E}/db01/etc/sysctl.conf  (host db01)
  13:27  error  \`net.ipv4.tcp_tw_recycle = 1\` with TCP timestamps on makes kernel 3.10.0-1160.el7.x86_64 drop SYNs from clients behind NAT; set it to 0  sysctl-tw-recycle

${E}/node01/etc/sysctl.d/60-cis-hardening.conf  (host node01)
  5:23  error  \`net.ipv4.ip_forward = 0\` on a Kubernetes node: pod and Service traffic cannot be routed; set it to 1  k8s-ip-forward

${E}/node01/run/systemd/resolve/resolv.conf  (host node01)
  8:8  warning  Pods on this Kubernetes node inherit search domain \`corp.example.com\` and, with ndots:5, try names against it before resolving them as written  resolv-search-inherited

✖ 4 problems (2 errors, 2 warnings, 0 notes)
`;

describe('incident example', () => {
  it('stylish: exactly the incident causes, exit 1', async () => {
    const r = await runCli([E], { cwd: repo });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(STYLISH);
    expect(r.code).toBe(1);
  });

  it('json: the same results with evidence', async () => {
    const r = await runCli([E, '--format', 'json'], { cwd: repo });
    const doc = JSON.parse(r.stdout);
    // Files linted with or without results: every file of the example but its README.md (22 of 23).
    expect(doc.summary).toEqual({ files: 22, errorCount: 2, warningCount: 2, noteCount: 0 });
    const compact = doc.results.map((x: Record<string, unknown>) => [x.ruleId, x.severity, x.file, x.line, x.column, x.endLine, x.endColumn, x.host ?? null]);
    expect(compact).toEqual([
      ['calico-mtu-mismatch', 'warning', `${E}/cluster/calico.yaml`, 17, 13, 17, 19, null],
      ['sysctl-tw-recycle', 'error', `${E}/db01/etc/sysctl.conf`, 13, 27, 13, 28, 'db01'],
      ['k8s-ip-forward', 'error', `${E}/node01/etc/sysctl.d/60-cis-hardening.conf`, 5, 23, 5, 24, 'node01'],
      ['resolv-search-inherited', 'warning', `${E}/node01/run/systemd/resolve/resolv.conf`, 8, 8, 8, 24, 'node01'],
    ]);
    // Evidence: the node's NIC decides the MTU; the kernel release decides tcp_tw_recycle.
    expect(doc.results[0].related.map((l: { file: string; line: number; message: string }) => [l.file, l.line, l.message])).toEqual([
      [`${E}/node01/sys/class/net/eth0/mtu`, 1, 'MTU of eth0 is 1500 on node01, the only Kubernetes node in the run'],
      [`${E}/cluster/calico.yaml`, 610, 'IP-in-IP is enabled: CALICO_IPV4POOL_IPIP Always'],
    ]);
    expect(doc.results[1].related.map((l: { file: string; line: number; column: number; message: string }) => [l.file, l.line, l.column, l.message])).toEqual([
      [`${E}/db01/proc/sys/kernel/osrelease`, 1, 1, 'Kernel release 3.10.0-1160.el7.x86_64'],
    ]);
    expect(doc.results[2].related.map((l: { message: string }) => l.message)).toEqual(['`/var/lib/kubelet` exists on node01']);
    expect(doc.results[1].fix).toEqual({ description: 'Set net.ipv4.tcp_tw_recycle to 0', edits: [{ range: [expect.any(Number), expect.any(Number)], text: '0' }] });
    const text = readFileSync(path.join(repo, E, 'db01/etc/sysctl.conf'), 'utf8');
    const [a, b] = doc.results[1].fix.edits[0].range;
    expect(text.slice(a, b)).toBe('1');
  });

  it('sarif: the same results, and the validator reports zero errors', { timeout: 120_000 }, async () => {
    const file = path.join(out, 'incident.sarif');
    const r = await runCli([E, '--format', 'sarif', '-o', file], { cwd: repo });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const log = JSON.parse(readFileSync(file, 'utf8'));
    const results = log.runs[0].results;
    expect(results.map((x: { ruleId: string; level: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string; uriBaseId: string }; region: { startLine: number; startColumn: number } } }> }) => [
      x.ruleId,
      x.level,
      x.locations[0]!.physicalLocation.artifactLocation.uri,
      x.locations[0]!.physicalLocation.artifactLocation.uriBaseId,
      x.locations[0]!.physicalLocation.region.startLine,
      x.locations[0]!.physicalLocation.region.startColumn,
    ])).toEqual([
      ['calico-mtu-mismatch', 'warning', `${E}/cluster/calico.yaml`, '%SRCROOT%', 17, 13],
      ['sysctl-tw-recycle', 'error', `${E}/db01/etc/sysctl.conf`, '%SRCROOT%', 13, 27],
      ['k8s-ip-forward', 'error', `${E}/node01/etc/sysctl.d/60-cis-hardening.conf`, '%SRCROOT%', 5, 23],
      ['resolv-search-inherited', 'warning', `${E}/node01/run/systemd/resolve/resolv.conf`, '%SRCROOT%', 8, 8],
    ]);
    for (const x of results) expect(x.partialFingerprints['hostlint/v1']).toMatch(/^[0-9a-f]{32}$/);
    const v = await validateSarif(file);
    expect(v.errors, v.errors.join('\n')).toEqual([]);
  });
});

describe('every example', () => {
  const examples = readdirSync(path.join(repo, 'fixtures/examples'), { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();

  it('includes the incident', () => {
    expect(examples).toContain('incident');
  });

  it.each(examples)('%s: the SARIF (fingerprints, a category, fixes where rules offer them) validates with zero errors', { timeout: 120_000 }, async (name) => {
    const file = path.join(out, `example-${name}.sarif`);
    const r = await runCli([`fixtures/examples/${name}`, '--format', 'sarif', '--sarif-category', `hostlint/${name}`, '-o', file], { cwd: repo });
    expect(r.code, r.stderr).toBeLessThan(2);
    const log = JSON.parse(readFileSync(file, 'utf8'));
    expect(log.runs[0].automationDetails).toEqual({ id: `hostlint/${name}/` });
    for (const x of log.runs[0].results) expect(x.partialFingerprints['hostlint/v1']).toMatch(/^[0-9a-f]{32}$/);
    if (name === 'incident') {
      const tw = log.runs[0].results.find((x: { ruleId: string }) => x.ruleId === 'sysctl-tw-recycle');
      expect(tw.fixes[0].artifactChanges[0].replacements).toEqual([
        { deletedRegion: { startLine: 13, startColumn: 27, endLine: 13, endColumn: 28, charOffset: 443, charLength: 1 }, insertedContent: { text: '0' } },
      ]);
    }
    const v = await validateSarif(file);
    expect(v.errors, v.errors.join('\n')).toEqual([]);
  });
});
