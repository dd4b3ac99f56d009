/**
 * `--format gitlab` (GitLab Code Quality): exact output for a known report,
 * and every issue checked against GitLab's documented report format
 * (test/schemas/gitlab-code-quality.schema.json, origin in
 * test/schemas/SOURCES.md) with Ajv, for lint and audit runs.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import AjvModule from 'ajv';
import { describe, expect, it } from 'vitest';
import { gitlab } from '../../src/formatters/gitlab.js';
import { runCli } from '../helpers/cli.js';
import { cleanReport, reportWithResults } from './reports.js';

const Ajv = AjvModule.default ?? AjvModule;
const REPO = fileURLToPath(new URL('../..', import.meta.url));
const schema = JSON.parse(readFileSync(new URL('../schemas/gitlab-code-quality.schema.json', import.meta.url), 'utf8'));
const validate = new Ajv({ strict: true, strictRequired: false, allErrors: true }).compile(schema);

function valid(text: string): boolean {
  expect(text.charCodeAt(0)).not.toBe(0xfeff); // GitLab's parser rejects a BOM
  const ok = validate(JSON.parse(text));
  expect(validate.errors ?? []).toEqual([]);
  return ok as boolean;
}

describe('gitlab formatter', () => {
  it('one issue per result with the documented fields; severities error→major, warning→minor, note→info', () => {
    const out = gitlab(reportWithResults(), { color: false });
    expect(JSON.parse(out)).toEqual([
      {
        description: 'net.ipv4.tcp_tw_recycle = 1 drops SYNs from clients behind NAT while TCP timestamps are on. (host db01)',
        check_name: 'no-tcp-tw-recycle',
        fingerprint: '5b1f0c9e2d7a4e13',
        severity: 'major',
        location: { path: 'fixtures/examples/incident/db01/etc/sysctl.conf', lines: { begin: 7 } },
      },
      {
        description: 'Invalid syntax: expected `key = value`. (host db01)',
        check_name: 'parse-error',
        fingerprint: '0e9d8c7b6a594837',
        severity: 'major',
        location: { path: 'fixtures/examples/incident/db01/etc/sysctl.conf', lines: { begin: 12 } },
      },
      {
        description: 'veth_mtu is 1430, but IP-in-IP on a 1500-byte network needs 1480.',
        check_name: 'calico-mtu-mismatch',
        fingerprint: 'c0ffee0123456789',
        severity: 'minor',
        location: { path: 'fixtures/examples/incident/manifests/calico.yaml', lines: { begin: 42 } },
      },
      {
        // No engine fingerprint in this hand-made result: a hash of rule, file and message.
        description: 'Pods inherit the search domain corp.example.com. (host node01)',
        check_name: 'resolv-search-inherited',
        fingerprint: '1e97992b73d7b74bd30c3eb360fa0008',
        severity: 'info',
        location: { path: 'fixtures/examples/incident/node01/etc/resolv.conf', lines: { begin: 2 } },
      },
    ]);
    expect(out.startsWith('[\n  {\n    "description": ')).toBe(true);
    expect(out.endsWith('\n]\n')).toBe(true);
    expect(valid(out)).toBe(true);
  });

  it('a clean run is [] (valid); suppressed results only with --include-suppressed, marked', () => {
    expect(gitlab(cleanReport(), { color: false })).toBe('[]\n');
    expect(valid('[]\n')).toBe(true);
    const all = JSON.parse(gitlab(reportWithResults(), { color: false, includeSuppressed: true }));
    expect(all.map((i: { description: string }) => i.description).at(-1)).toBe('Pods inherit the search domain lab.example.com. (host node01) (suppressed)');
  });

  it('fingerprints are unique even when results share one', () => {
    const report = reportWithResults();
    for (const f of report.files) for (const r of f.results) r.fingerprint = 'same';
    const issues = JSON.parse(gitlab(report, { color: false }));
    expect(new Set(issues.map((i: { fingerprint: string }) => i.fingerprint)).size).toBe(issues.length);
  });

  it('the schema check can fail: a missing check_name or an unknown severity is rejected', () => {
    expect(validate([{ description: 'd', fingerprint: 'f', severity: 'minor', location: { path: 'p', lines: { begin: 1 } } }])).toBe(false);
    expect(validate([{ description: 'd', check_name: 'c', fingerprint: 'f', severity: 'warning', location: { path: 'p', lines: { begin: 1 } } }])).toBe(false);
    expect(validate([{ description: 'd', check_name: 'c', fingerprint: 'f', severity: 'minor', location: { path: 'p' } }])).toBe(false);
  });

  it('lint and audit through the CLI: valid, one issue per result, unique fingerprints', async () => {
    const lint = await runCli(['-f', 'gitlab', 'fixtures/examples/incident'], { cwd: REPO });
    expect(lint.code).toBe(1);
    expect(valid(lint.stdout)).toBe(true);
    const json = JSON.parse((await runCli(['-f', 'json', 'fixtures/examples/incident'], { cwd: REPO })).stdout);
    const issues = JSON.parse(lint.stdout);
    expect(issues.map((i: { check_name: string; location: { path: string; lines: { begin: number } } }) => [i.check_name, i.location.path, i.location.lines.begin])).toEqual(
      json.results.map((r: { ruleId: string; file: string; line: number }) => [r.ruleId, r.file, r.line]),
    );
    expect(issues.map((i: { fingerprint: string }) => i.fingerprint)).toEqual(json.results.map((r: { fingerprint: string }) => r.fingerprint));

    const audit = await runCli(['audit', '--concurrency', '1', '-f', 'gitlab', 'fixtures/examples/fleet'], { cwd: REPO });
    expect(audit.code).toBe(1);
    expect(valid(audit.stdout)).toBe(true);
    const fleet = JSON.parse(audit.stdout);
    expect(fleet.length).toBeGreaterThan(3);
    expect(new Set(fleet.map((i: { fingerprint: string }) => i.fingerprint)).size).toBe(fleet.length);
    expect(fleet.find((i: { check_name: string }) => i.check_name === 'sysctl-tw-recycle')).toEqual({
      description: '`net.ipv4.tcp_tw_recycle = 1` with TCP timestamps on makes kernel 3.10.0-1160.el7.x86_64 drop SYNs from clients behind NAT; set it to 0 (host db01)',
      check_name: 'sysctl-tw-recycle',
      fingerprint: expect.stringMatching(/^[0-9a-f]{32}$/),
      severity: 'major',
      location: { path: 'fixtures/examples/fleet/db01.tgz!/db01/etc/sysctl.conf', lines: { begin: 13 } },
    });
  });
});
