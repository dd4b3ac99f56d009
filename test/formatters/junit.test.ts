/**
 * `--format junit`: exact output for a known report, and validity against
 * the Apache Ant JUnit schema Jenkins and GitLab consume (test/schemas/JUnit.xsd,
 * origin in test/schemas/SOURCES.md), checked with `xmllint --schema`
 * (Debian's libxml2-utils) for lint and audit runs through the CLI.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { junit, junitTimestamp } from '../../src/formatters/junit.js';
import type { LintReport } from '../../src/types.js';
import { runCli } from '../helpers/cli.js';
import { writeTree } from '../helpers/lint.js';
import { CWD, cleanReport, pos, reportWithResults, RULES } from './reports.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const XSD = path.join(REPO, 'test/schemas/JUnit.xsd');
const STAMP = '2026-12-01T10:20:30.456Z';
const SYSCTL = 'fixtures/examples/incident/db01/etc/sysctl.conf';
const OK = 'fixtures/examples/incident/db01/etc/sysctl.d/10-ok.conf';
const CALICO = 'fixtures/examples/incident/manifests/calico.yaml';
const RESOLV = 'fixtures/examples/incident/node01/etc/resolv.conf';

/** xmllint's verdict on `xml`: [exit code, its stderr]. */
function validate(xml: string): [number, string] {
  const file = path.join(writeTree({}), 'report.xml');
  writeFileSync(file, xml);
  try {
    execFileSync('xmllint', ['--noout', '--schema', XSD, file], { stdio: ['ignore', 'pipe', 'pipe'] });
    return [0, ''];
  } catch (error) {
    const e = error as { status: number; stderr: Buffer };
    return [e.status, e.stderr.toString()];
  }
}

/** The formatter tests' report, with the languages the engine records. */
function withLanguages(): LintReport {
  const report = reportWithResults();
  report.files = report.files.map((f) => ({ ...f, language: f.path.endsWith('.yaml') ? 'kube' : f.path.endsWith('resolv.conf') ? 'resolv' : 'sysctl' }));
  return report;
}

function suite(id: number, name: string, host: string, counts: string): string {
  return `  <testsuite package="${name}" id="${id}" name="${name}" timestamp="2026-12-01T10:20:30" hostname="${host}" ${counts} time="0">`;
}

describe('junit formatter', () => {
  it('one testsuite per file; a passing testcase per rule that reads it; a failing testcase per finding; suppressed ones skipped', () => {
    const out = junit(withLanguages(), { color: false, timestamp: STAMP, includeSuppressed: true });
    expect(out).toBe(
      [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<testsuites>',
        suite(0, SYSCTL, 'db01', 'tests="3" failures="2" errors="0" skipped="0"'),
        '    <properties/>',
        `    <testcase name="no-tcp-tw-recycle" classname="${SYSCTL}" time="0">`,
        `      <failure message="net.ipv4.tcp_tw_recycle = 1 drops SYNs from clients behind NAT while TCP timestamps are on." type="error">${SYSCTL}:7:1: error: net.ipv4.tcp_tw_recycle = 1 drops SYNs from clients behind NAT while TCP timestamps are on. (host db01) (no-tcp-tw-recycle)`,
        '  fixtures/examples/incident/db01/proc/sys/kernel/osrelease:1:1: kernel release 3.10.0-1160.el7.x86_64</failure>',
        '    </testcase>',
        `    <testcase name="parse-error" classname="${SYSCTL}" time="0">`,
        `      <failure message="Invalid syntax: expected \`key = value\`." type="error">${SYSCTL}:12:1: error: Invalid syntax: expected \`key = value\`. (host db01) (parse-error)</failure>`,
        '    </testcase>',
        `    <testcase name="rp-filter-loose" classname="${SYSCTL}" time="0"/>`,
        '    <system-out/>',
        '    <system-err/>',
        '  </testsuite>',
        suite(1, OK, 'db01', 'tests="2" failures="0" errors="0" skipped="0"'),
        '    <properties/>',
        `    <testcase name="no-tcp-tw-recycle" classname="${OK}" time="0"/>`,
        `    <testcase name="rp-filter-loose" classname="${OK}" time="0"/>`,
        '    <system-out/>',
        '    <system-err/>',
        '  </testsuite>',
        suite(2, CALICO, 'localhost', 'tests="1" failures="1" errors="0" skipped="0"'),
        '    <properties/>',
        `    <testcase name="calico-mtu-mismatch" classname="${CALICO}" time="0">`,
        `      <failure message="veth_mtu is 1430, but IP-in-IP on a 1500-byte network needs 1480." type="warning">${CALICO}:42:13: warning: veth_mtu is 1430, but IP-in-IP on a 1500-byte network needs 1480. (calico-mtu-mismatch)`,
        '  fixtures/examples/incident/node01/sys/class/net/eth0/mtu:1:1: eth0 MTU 1500</failure>',
        '    </testcase>',
        '    <system-out/>',
        '    <system-err/>',
        '  </testsuite>',
        suite(3, RESOLV, 'node01', 'tests="2" failures="1" errors="0" skipped="1"'),
        '    <properties/>',
        `    <testcase name="resolv-search-inherited" classname="${RESOLV}" time="0">`,
        `      <failure message="Pods inherit the search domain corp.example.com." type="note">${RESOLV}:2:8: note: Pods inherit the search domain corp.example.com. (host node01) (resolv-search-inherited)</failure>`,
        '    </testcase>',
        `    <testcase name="resolv-search-inherited" classname="${RESOLV}" time="0">`,
        `      <skipped message="suppressed: lab nodes only">${RESOLV}:3:8: note: Pods inherit the search domain lab.example.com. (host node01) (resolv-search-inherited)</skipped>`,
        '    </testcase>',
        '    <system-out/>',
        '    <system-err/>',
        '  </testsuite>',
        '</testsuites>',
        '',
      ].join('\n'),
    );
    expect(validate(out)).toEqual([0, '']);
  });

  it('a clean run is an empty, valid <testsuites>; a clean file with a known language still lists its rules', () => {
    const empty = junit({ ...cleanReport(), files: [] }, { color: false, timestamp: STAMP });
    expect(empty).toBe('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n</testsuites>\n');
    expect(validate(empty)).toEqual([0, '']);
    const clean = junit({ ...cleanReport(), files: [{ path: 'etc/resolv.conf', language: 'resolv', results: [] }] }, { color: false, timestamp: STAMP });
    expect(clean).toContain('tests="1" failures="0" errors="0" skipped="0" time="0">\n    <properties/>\n    <testcase name="resolv-search-inherited" classname="etc/resolv.conf" time="0"/>\n');
    expect(validate(clean)).toEqual([0, '']);
  });

  it('escapes markup and writes characters XML cannot carry as \\uXXXX: still valid', () => {
    const hostile = 'a <b> & "c" \u0001\u001b[31m \uD800 ]]> \ttab\nline';
    const report: LintReport = {
      cwd: CWD,
      toolVersion: '0.1.0',
      rules: RULES,
      errorCount: 1,
      warningCount: 0,
      noteCount: 0,
      files: [{ path: 'x&y<z>.conf', language: 'sysctl', results: [{ ruleId: 'no-tcp-tw-recycle', severity: 'error', message: hostile, file: 'x&y<z>.conf', position: pos(1, 1, 1, 2), related: [] }] }],
    };
    const out = junit(report, { color: false, timestamp: STAMP });
    expect(out).toContain(
      '<failure message="a &lt;b&gt; &amp; &quot;c&quot; \\u0001\\u001b[31m \\ud800 ]]&gt; &#9;tab&#10;line" type="error">x&amp;y&lt;z&gt;.conf:1:1: error: a &lt;b&gt; &amp; "c" \\u0001\\u001b[31m \\ud800 ]]&gt; \ttab\nline (no-tcp-tw-recycle)</failure>',
    );
    expect(validate(out)).toEqual([0, '']);
  });

  it('the schema check can fail: two failures in one testcase, or no timestamp, are rejected', () => {
    const out = junit(withLanguages(), { color: false, timestamp: STAMP });
    const twoFailures = out.replace('</failure>\n    </testcase>', '</failure>\n      <failure type="error">again</failure>\n    </testcase>');
    expect(validate(twoFailures)[0]).not.toBe(0);
    expect(validate(out.replace(/ timestamp="[^"]*"/, ''))[0]).not.toBe(0);
  });

  it('timestamps: the schema wants seconds without a zone', () => {
    expect(junitTimestamp('2026-12-01T10:20:30.456Z')).toBe('2026-12-01T10:20:30');
    expect(junitTimestamp(undefined)).toBe('1970-01-01T00:00:00');
  });

  it('lint through the CLI: one suite per file, valid against the XSD', async () => {
    const r = await runCli(['-f', 'junit', 'fixtures/examples/incident'], { cwd: REPO });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(validate(r.stdout)).toEqual([0, '']);
    const suites = [...r.stdout.matchAll(/<testsuite package="([^"]*)" id="(\d+)"[^>]* hostname="([^"]*)" tests="(\d+)" failures="(\d+)"/g)].map((m) => [m[1], m[3], Number(m[5])]);
    expect(suites).toEqual([
      ['fixtures/examples/incident/cluster/calico.yaml', 'localhost', 1],
      ['fixtures/examples/incident/db01/etc/sysctl.conf', 'db01', 1],
      ['fixtures/examples/incident/node01/etc/sysctl.d/60-cis-hardening.conf', 'node01', 1],
      ['fixtures/examples/incident/node01/run/systemd/resolve/resolv.conf', 'node01', 1],
    ]);
    expect(r.stdout).toContain(
      '<failure message="`net.ipv4.tcp_tw_recycle = 1` with TCP timestamps on makes kernel 3.10.0-1160.el7.x86_64 drop SYNs from clients behind NAT; set it to 0" type="error">fixtures/examples/incident/db01/etc/sysctl.conf:13:27: error: ',
    );
  });

  it('audit through the CLI: one suite per host (clean hosts too, every rule a testcase), valid against the XSD', async () => {
    const r = await runCli(['audit', '--concurrency', '1', '-f', 'junit', 'fixtures/examples/fleet'], { cwd: REPO });
    expect(r.code).toBe(1);
    expect(validate(r.stdout)).toEqual([0, '']);
    const suites = [...r.stdout.matchAll(/<testsuite package="([^"]*)" id="(\d+)"[^>]* hostname="([^"]*)" tests="(\d+)" failures="(\d+)"/g)].map((m) => [m[1], m[3], Number(m[4]), Number(m[5])]);
    // Every rule that applies to a host is a testcase of its suite (39 here).
    expect(suites.slice(0, 6)).toEqual([
      ['antrea01', 'antrea01', 39, 0],
      ['db01', 'db01', 39, 1],
      ['node01', 'node01', 39, 3],
      ['antrea02', 'antrea02', 39, 0],
      ['node02', 'node02', 39, 0],
      ['web01', 'web01', 39, 0],
    ]);
    expect(suites.slice(6).map((s) => s[1])).toEqual(suites.slice(6).map(() => 'localhost'));
  });
});
