import { describe, expect, it } from 'vitest';
import { sarif } from '../../src/formatters/sarif.js';
import type { FormatOptions } from '../../src/formatters/index.js';
import type { LintReport } from '../../src/types.js';
import { CWD, cleanReport, pos, reportWithResults, RULES } from './reports.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

function log(report: LintReport, options: Partial<FormatOptions> = {}): Json {
  const text = sarif(report, { color: false, ...options });
  expect(text.endsWith('}\n')).toBe(true);
  return JSON.parse(text);
}

describe('sarif formatter', () => {
  it('writes one SARIF 2.1.0 run with the tool and run properties GitHub reads', () => {
    const out = log(reportWithResults());
    expect(out.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    expect(out.version).toBe('2.1.0');
    expect(out.runs).toHaveLength(1);
    const run = out.runs[0];
    expect(run.tool.driver.name).toBe('hostlint');
    expect(run.tool.driver.version).toBe('0.1.0');
    expect(run.tool.driver.semanticVersion).toBe('0.1.0');
    expect(run.tool.driver).not.toHaveProperty('informationUri');
    expect(run.columnKind).toBe('utf16CodeUnits');
    expect(run.originalUriBaseIds).toEqual({ '%SRCROOT%': { uri: 'file:///work/repo/' } });
    expect(run.invocations).toEqual([{ executionSuccessful: true }]);
    expect(run).not.toHaveProperty('automationDetails');
  });

  it('writes the category as automationDetails.id with a trailing slash', () => {
    expect(log(reportWithResults(), { sarifCategory: 'hostlint' }).runs[0].automationDetails).toEqual({ id: 'hostlint/' });
    expect(log(reportWithResults(), { sarifCategory: 'hostlint/hosts/' }).runs[0].automationDetails).toEqual({
      id: 'hostlint/hosts/',
    });
  });

  it('writes informationUri only when given', () => {
    expect(log(cleanReport(), { informationUri: 'https://hostlint.test/' }).runs[0].tool.driver.informationUri).toBe(
      'https://hostlint.test/',
    );
  });

  it('omits semanticVersion when the version is not semver', () => {
    const report = { ...cleanReport(), toolVersion: 'dev' };
    const driver = log(report).runs[0].tool.driver;
    expect(driver.version).toBe('dev');
    expect(driver).not.toHaveProperty('semanticVersion');
  });

  it('describes every rule of the run, then every other rule a result uses', () => {
    const run = log(reportWithResults()).runs[0];
    const ids = run.tool.driver.rules.map((r: Json) => r.id);
    expect(ids).toEqual([...RULES.map((r) => r.id), 'parse-error']);
    for (const result of run.results) {
      expect(run.tool.driver.rules[result.ruleIndex].id).toBe(result.ruleId);
    }
    for (const rule of run.tool.driver.rules) {
      expect(rule.shortDescription.text.length).toBeGreaterThan(0);
      expect(rule.shortDescription.text.length).toBeLessThanOrEqual(1024);
      expect(rule.fullDescription.text.length).toBeGreaterThan(0);
      expect(rule.fullDescription.text.length).toBeLessThanOrEqual(1024);
      expect(rule.help.text.length).toBeGreaterThan(0);
      expect(rule.help.markdown.length).toBeGreaterThan(0);
      expect(['error', 'warning', 'note']).toContain(rule.defaultConfiguration.level);
      expect(rule.properties.precision).toBe(RULES.find((m) => m.id === rule.id)?.precision ?? 'high');
      expect(rule.properties.tags.length).toBeLessThanOrEqual(20);
    }
    expect(run.tool.driver.rules.at(-1)).toEqual({
      id: 'parse-error',
      name: 'ParseError',
      shortDescription: { text: 'Report files that hostlint cannot read or parse' },
      fullDescription: { text: 'Report files that hostlint cannot read or parse.' },
      help: {
        text: 'Report files that hostlint cannot read or parse.',
        markdown: 'Report files that hostlint cannot read or parse.',
      },
      defaultConfiguration: { level: 'error' },
      properties: { tags: [], precision: 'high', 'problem.severity': 'error' },
    });
  });

  it('renders a rule descriptor from its metadata', () => {
    const rule = log(cleanReport()).runs[0].tool.driver.rules[0];
    expect(rule).toEqual({
      id: 'no-tcp-tw-recycle',
      name: 'NoTcpTwRecycle',
      shortDescription: {
        text: 'Disallow net.ipv4.tcp_tw_recycle, which drops connections from clients behind NAT',
      },
      fullDescription: {
        text:
          'Disallow net.ipv4.tcp_tw_recycle, which drops connections from clients behind NAT. ' +
          'With net.ipv4.tcp_tw_recycle = 1 and TCP timestamps on, the kernel drops SYNs whose timestamp is older ' +
          'than the last one seen from the same address. Clients behind one NAT address (pods on a Kubernetes node) ' +
          'then fail to connect intermittently, with no SYN-ACK.',
      },
      help: {
        text:
          RULES[0]!.rationale.replace(/`/g, '') +
          '\n\nSources:\n- Linux commit 4396e46187ca (tcp: remove tcp_tw_recycle): ' +
          RULES[0]!.sources[0]!.url,
        markdown:
          RULES[0]!.rationale +
          '\n\n**Sources**\n\n- [Linux commit 4396e46187ca (tcp: remove tcp_tw_recycle)](' +
          RULES[0]!.sources[0]!.url +
          ')',
      },
      defaultConfiguration: { level: 'error' },
      properties: { tags: ['sysctl', 'tcp', 'nat'], precision: 'high', 'problem.severity': 'error' },
    });
  });

  it('maps severities to problem.severity, and security rules to a string security-severity', () => {
    const rules = log(cleanReport()).runs[0].tool.driver.rules;
    const byId = Object.fromEntries(rules.map((r: Json) => [r.id, r]));
    expect(byId['calico-mtu-mismatch'].properties['problem.severity']).toBe('warning');
    expect(byId['resolv-search-inherited'].properties['problem.severity']).toBe('recommendation');
    expect(byId['resolv-search-inherited'].defaultConfiguration.level).toBe('note');
    expect(byId['rp-filter-loose'].properties['security-severity']).toBe('5.3');
    expect(byId['rp-filter-loose'].properties).not.toHaveProperty('problem.severity');
    expect(byId['rp-filter-loose'].properties.tags).toEqual(['security', 'sysctl']);
  });

  it('truncates descriptions to 1024 characters and tags to 20', () => {
    const long = { ...RULES[0]!, id: 'long', description: 'Disallow ' + 'very '.repeat(300) + 'long things' };
    long.tags = Array.from({ length: 25 }, (_, i) => `t${i}`);
    const rule = log({ ...cleanReport(), rules: [long] }).runs[0].tool.driver.rules[0];
    expect(rule.shortDescription.text.length).toBeLessThanOrEqual(1024);
    expect(rule.shortDescription.text.endsWith('\u2026')).toBe(true);
    expect(rule.fullDescription.text.length).toBeLessThanOrEqual(1024);
    expect(rule.properties.tags).toHaveLength(20);
    // A name equal to the id (ignoring case) is left out (SARIF1001).
    expect(rule).not.toHaveProperty('name');
  });

  it('writes a result with a relative location, an exact region, evidence and a fingerprint', () => {
    const run = log(reportWithResults()).runs[0];
    expect(run.results).toHaveLength(4);
    expect(run.results[0]).toEqual({
      ruleId: 'no-tcp-tw-recycle',
      ruleIndex: 0,
      level: 'error',
      // The evidence linked (SARIF §3.11.6): GitHub shows related locations only where the message links them.
      message: { text: 'net.ipv4.tcp_tw_recycle = 1 drops SYNs from clients behind NAT while TCP timestamps are on. Evidence: [kernel release 3.10.0-1160.el7.x86_64](1).' },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: 'fixtures/examples/incident/db01/etc/sysctl.conf', uriBaseId: '%SRCROOT%' },
            region: { startLine: 7, startColumn: 1, endLine: 7, endColumn: 28 },
            contextRegion: { startLine: 7, endLine: 7, snippet: { text: 'net.ipv4.tcp_tw_recycle = 1' } },
          },
        },
      ],
      relatedLocations: [
        {
          id: 1,
          physicalLocation: {
            artifactLocation: {
              uri: 'fixtures/examples/incident/db01/proc/sys/kernel/osrelease',
              uriBaseId: '%SRCROOT%',
            },
            region: { startLine: 1, startColumn: 1, endLine: 1, endColumn: 28 },
          },
          message: { text: 'kernel release 3.10.0-1160.el7.x86_64' },
        },
      ],
      partialFingerprints: { 'hostlint/v1': '5b1f0c9e2d7a4e13' },
      // The rule's edit (GitHub ignores fixes; other SARIF consumers apply them).
      fixes: [
        {
          description: { text: 'Set net.ipv4.tcp_tw_recycle to 0' },
          artifactChanges: [
            {
              artifactLocation: { uri: 'fixtures/examples/incident/db01/etc/sysctl.conf', uriBaseId: '%SRCROOT%' },
              replacements: [{ deletedRegion: { charOffset: 161, charLength: 1 }, insertedContent: { text: '0' } }],
            },
          ],
        },
      ],
      properties: { host: 'db01' },
    });
    expect(run.results.map((r: Json) => r.level)).toEqual(['error', 'error', 'warning', 'note']);
    // No fingerprint, no partialFingerprints; no related, no relatedLocations; no host, no properties.
    expect(run.results[3]).not.toHaveProperty('partialFingerprints');
    expect(run.results[1]).not.toHaveProperty('relatedLocations');
    expect(run.results[2]).not.toHaveProperty('properties');
    expect(run.results[1]).not.toHaveProperty('fixes');
  });

  it('writes a snippet only when there is a non-empty line text', () => {
    const report = reportWithResults();
    report.files[0]!.results[0]!.snippet = '';
    delete report.files[0]!.results[1]!.snippet;
    const run = log(report).runs[0];
    for (const result of run.results.slice(0, 2)) {
      expect(result.locations[0].physicalLocation).not.toHaveProperty('contextRegion');
      expect(result.locations[0].physicalLocation.region).not.toHaveProperty('snippet');
    }
  });

  it('clamps regions: lines and columns at least 1, end never before start', () => {
    const report = reportWithResults();
    const [a, b] = report.files[0]!.results;
    a!.position = pos(0, 0, 0, 0);
    b!.position = pos(5, 9, 4, 2);
    const c = report.files[2]!.results[0]!;
    c.position = pos(5, 9, 5, 3);
    const d = report.files[3]!.results[0]!;
    d.position = pos(2, 8, 4, 1);
    const run = log(report).runs[0];
    const region = (i: number) => run.results[i].locations[0].physicalLocation.region;
    expect(region(0)).toEqual({ startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 });
    expect(region(1)).toEqual({ startLine: 5, startColumn: 9, endLine: 5, endColumn: 9 });
    expect(region(2)).toEqual({ startLine: 5, startColumn: 9, endLine: 5, endColumn: 9 });
    expect(region(3)).toEqual({ startLine: 2, startColumn: 8, endLine: 4, endColumn: 1 });
    // A multi-line region gets no single-line context snippet.
    expect(run.results[3].locations[0].physicalLocation).not.toHaveProperty('contextRegion');
  });

  it('writes absolute file: URIs without a base for files outside the working directory', () => {
    const report = reportWithResults();
    const result = report.files[2]!.results[0]!;
    result.file = '../elsewhere/calico.yaml';
    result.related[0]!.file = '/etc/cni/net.d/10 calico.conflist';
    const run = log(report).runs[0];
    expect(run.results[2].locations[0].physicalLocation.artifactLocation).toEqual({
      uri: 'file:///work/elsewhere/calico.yaml',
    });
    expect(run.results[2].relatedLocations[0].physicalLocation.artifactLocation).toEqual({
      uri: 'file:///etc/cni/net.d/10%20calico.conflist',
    });
  });

  it('percent-encodes relative paths and treats absolute paths under cwd as relative', () => {
    const report = reportWithResults();
    report.files[2]!.results[0]!.file = `${CWD}/manifests/calico #2.yaml`;
    const run = log(report).runs[0];
    expect(run.results[2].locations[0].physicalLocation.artifactLocation).toEqual({
      uri: 'manifests/calico%20%232.yaml',
      uriBaseId: '%SRCROOT%',
    });
  });

  it('leaves suppressed results out by default, and no result has suppressions', () => {
    const run = log(reportWithResults()).runs[0];
    expect(run.results.map((r: Json) => r.message.text)).not.toContain('Pods inherit the search domain lab.example.com.');
    for (const result of run.results) expect(result).not.toHaveProperty('suppressions');
  });

  it('with includeSuppressed, every result carries a suppressions array', () => {
    const run = log(reportWithResults(), { includeSuppressed: true }).runs[0];
    expect(run.results).toHaveLength(5);
    for (const result of run.results) expect(Array.isArray(result.suppressions)).toBe(true);
    expect(run.results.slice(0, 4).every((r: Json) => r.suppressions.length === 0)).toBe(true);
    expect(run.results[4].suppressions).toEqual([{ kind: 'inSource', justification: 'lab nodes only' }]);
  });

  it('writes results: [] for a clean run, still describing every rule', () => {
    const run = log(cleanReport()).runs[0];
    expect(run.results).toEqual([]);
    expect(run.tool.driver.rules.map((r: Json) => r.id)).toEqual(RULES.map((r) => r.id));
  });

  it('falls back to the rule id for an empty message', () => {
    const report = reportWithResults();
    report.files[2]!.results[0]!.message = '';
    expect(log(report).runs[0].results[2].message).toEqual({ text: 'calico-mtu-mismatch. Evidence: [eth0 MTU 1500](1).' });
    report.files[2]!.results[0]!.related = [];
    expect(log(report).runs[0].results[2].message).toEqual({ text: 'calico-mtu-mismatch' });
  });

  it('is deterministic', () => {
    const options = { color: false, sarifCategory: 'hostlint' };
    expect(sarif(reportWithResults(), options)).toBe(sarif(reportWithResults(), options));
  });
});
