/**
 * SARIF for people: each result's message links its evidence
 * (`[label](id)`, SARIF §3.11.6; GitHub code scanning shows related
 * locations only where the message links them), literal brackets escaped,
 * every related location with an id and a message; `precision` per rule
 * from its metadata.
 */
import { describe, expect, it } from 'vitest';
import { rules } from '../../rules/index.js';
import { escapeMessage, linkedMessage, toSarifLog } from '../../src/formatters/sarif.js';
import { json } from '../../src/formatters/json.js';
import { stylish } from '../../src/formatters/stylish.js';
import { runCli } from '../helpers/cli.js';
import { fileURLToPath } from 'node:url';
import { pos, reportWithResults, RULES } from './reports.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));

describe('linked messages', () => {
  it('escapes literal [ and ] (and only them)', () => {
    expect(escapeMessage('a[0] = b]c [x](1) \\ ( )')).toBe('a\\[0\\] = b\\]c \\[x\\](1) \\ ( )');
  });

  it('appends the evidence as links to the related locations, by id, in order', () => {
    const related = [
      { file: 'node01/sys/class/net/eth0/mtu', position: pos(1, 1, 1, 5), message: 'MTU of eth0 is 1500 on node01.' },
      { file: 'cluster/calico.yaml', position: pos(610, 22, 610, 28) },
      { file: 'x', position: pos(3, 1, 3, 2), message: 'value [2]\n  of  eth0' },
    ];
    expect(linkedMessage('Calico MTU 1430 is below 1480; set it to 1480', related)).toBe(
      'Calico MTU 1430 is below 1480; set it to 1480. Evidence: [MTU of eth0 is 1500 on node01](1), [cluster/calico.yaml:610](2), [value \\[2\\] of eth0](3).',
    );
    expect(linkedMessage('Ends with a period.', related.slice(0, 1))).toBe('Ends with a period. Evidence: [MTU of eth0 is 1500 on node01](1).');
    expect(linkedMessage('No evidence [here]', [])).toBe('No evidence \\[here\\]');
    const many = Array.from({ length: 12 }, (_, i) => ({ file: `h${i}/mtu`, position: pos(1, 1, 1, 5), message: `MTU ${i}` }));
    expect(linkedMessage('Too many', many)).toBe(
      `Too many. Evidence: ${many.slice(0, 10).map((l, i) => `[${l.message}](${i + 1})`).join(', ')} and 2 more related locations.`,
    );
    expect(linkedMessage('One more', many.slice(0, 11))).toMatch(/\[MTU 9\]\(10\) and 1 more related location\.$/);
  });

  it('results link exactly the related locations they carry; each related location has an id and a message', () => {
    const report = reportWithResults();
    report.files[2]!.results[0]!.related.push({ file: 'fixtures/examples/incident/manifests/calico.yaml', position: pos(610, 22, 610, 28) });
    const run = toSarifLog(report, { color: false }).runs[0];
    for (const result of run.results) {
      const ids = [...result.message.text.matchAll(/(?<!\\)\[(?:[^\]\\]|\\.)*\]\((\d+)\)/g)].map((m) => Number(m[1]));
      expect(ids).toEqual((result.relatedLocations ?? []).map((l) => l.id));
      for (const l of result.relatedLocations ?? []) expect(l.message?.text.length).toBeGreaterThan(0);
    }
    expect(run.results[2]!.relatedLocations!.map((l) => [l.id, l.message!.text])).toEqual([
      [1, 'eth0 MTU 1500'],
      [2, 'fixtures/examples/incident/manifests/calico.yaml:610'],
    ]);
  });

  it('only SARIF changes: JSON and stylish messages stay as the rule wrote them', () => {
    const report = reportWithResults();
    expect(JSON.parse(json(report, { color: false })).results[0].message).toBe(report.files[0]!.results[0]!.message);
    expect(stylish(report, { color: false })).not.toContain('Evidence:');
  });

  it('the incident example through the CLI: every result links its evidence', async () => {
    const r = await runCli(['-f', 'sarif', 'fixtures/examples/incident'], { cwd: REPO });
    const results = JSON.parse(r.stdout).runs[0].results as Array<{ ruleId: string; message: { text: string } }>;
    expect(results.map((x) => [x.ruleId, x.message.text])).toEqual([
      [
        'calico-mtu-mismatch',
        'Calico MTU 1430 (veth_mtu in ConfigMap calico-config) is below 1480: physical MTU 1500 minus 20 bytes of IP-in-IP; set it to 1480. Evidence: [MTU of eth0 is 1500 on node01, the only Kubernetes node in the run](1), [IP-in-IP is enabled: CALICO_IPV4POOL_IPIP Always](2).',
      ],
      [
        'sysctl-tw-recycle',
        '`net.ipv4.tcp_tw_recycle = 1` with TCP timestamps on makes kernel 3.10.0-1160.el7.x86_64 drop SYNs from clients behind NAT; set it to 0. Evidence: [Kernel release 3.10.0-1160.el7.x86_64](1).',
      ],
      ['k8s-ip-forward', '`net.ipv4.ip_forward = 0` on a Kubernetes node: pod and Service traffic cannot be routed; set it to 1. Evidence: [`/var/lib/kubelet` exists on node01](1).'],
      [
        'resolv-search-inherited',
        'Pods on this Kubernetes node inherit search domain `corp.example.com` and, with ndots:5, try names against it before resolving them as written. Evidence: [`/var/lib/kubelet` exists on node01](1).',
      ],
    ]);
  });
});

describe('precision', () => {
  it('comes from each rule\'s meta.precision', () => {
    const run = toSarifLog({ ...reportWithResults(), rules: RULES }, { color: false }).runs[0];
    expect(run.tool.driver.rules.map((r) => [r.id, r.properties.precision])).toEqual([
      ['no-tcp-tw-recycle', 'high'],
      ['calico-mtu-mismatch', 'medium'],
      ['resolv-search-inherited', 'high'],
      ['rp-filter-loose', 'high'],
      ['parse-error', 'high'],
    ]);
  });

  it('rules that rest on inferred facts are medium; rules the files alone prove are high', () => {
    const of = (id: string) => rules.find((r) => r.meta.id === id)!.meta.precision;
    // Whether a host is a Kubernetes node is inferred (/var/lib/kubelet, kubelet config).
    expect(of('k8s-ip-forward')).toBe('medium');
    expect(of('resolv-search-inherited')).toBe('medium');
    // The physical MTU and the node it belongs to are joined across hosts.
    expect(of('calico-mtu-mismatch')).toBe('medium');
    // Syntax and duplicates: the file proves it.
    expect(of('sysctl-syntax')).toBe('high');
    expect(of('sysctl-duplicate-key')).toBe('high');
    expect(of('resolv-max-nameservers')).toBe('high');
  });
});
