import { defineRule, fleetHosts, type HostSummary, type Location, type SysctlSummary } from '../src/rule-api.js';

interface Options {
  minNodes: number;
  minShare: number;
}

const ROLE_NAME: Record<string, string> = { 'kubernetes-node': 'Kubernetes nodes', host: 'hosts (not Kubernetes nodes)' };

function roleOf(h: HostSummary): string {
  return h.facts.kubernetesNode.known && h.facts.kubernetesNode.value ? 'kubernetes-node' : 'host';
}

export default defineRule<'outlier', Options>({
  meta: {
    id: 'fleet-sysctl-outlier',
    type: 'suggestion',
    description: 'Disallow a host whose configured value of a networking sysctl differs from the value most hosts of its role configure',
    rationale: [
      'Hosts of one role — the nodes of a cluster, say — are meant to be configured alike, and a configuration management run that failed on one of them, a drop-in copied from an older image or a hand edit during an incident leaves one node different from the others. That node is usually the misconfigured one, and "which node is different" is the first question in an intermittent-failure incident: only the connections that happen to go through it fail.',
      'In a fleet audit (`hostlint audit`, `hostlint merge`; also `hostlint lint` of several snapshots) hostlint compares, per role (Kubernetes node or not) and per networking key (`net.*`), the effective value each host\'s sysctl files configure (after the real precedence of the sysctl directories). When at least `minNodes` hosts of a role set the key and one value is held by at least `minShare` of them, every host that sets another value is reported at its line; the evidence is one host holding the majority value and how many do. Hosts that do not set the key are not compared: their value is the kernel\'s default, which the snapshot may not show. Live values are not compared either — several keys are sized by the kernel from the machine\'s memory — `sysctl-drift` compares each host\'s live values with its files.',
      'Set the odd host\'s value to the majority\'s, or, when the difference is intended, disable the rule for that file with a `hostlint-disable-next-line` comment saying why.',
    ].join('\n\n'),
    severity: 'warning',
    precision: 'medium',
    languages: ['sysctl'],
    messages: {
      outlier: '`{{key}} = {{value}}` on {{host}} differs from `{{majority}}`, which {{holders}} of the {{total}} {{role}} that set the key configure',
    },
    schema: {
      type: 'object',
      properties: {
        minNodes: { type: 'integer', minimum: 3, description: 'The fewest hosts of a role that must set a key before it is compared' },
        minShare: { type: 'number', exclusiveMinimum: 0.5, maximum: 1, description: 'The share of those hosts the majority value must have' },
      },
      additionalProperties: false,
    },
    defaultOptions: { minNodes: 5, minShare: 0.75 },
    sources: [
      { title: 'sysctl.d(5): configure kernel parameters at boot, directories and precedence', url: 'https://man7.org/linux/man-pages/man5/sysctl.d.5.html' },
      { title: 'insights-core examples/cluster_rules: facts computed per host, evaluated together as cluster rules', url: 'https://github.com/RedHatInsights/insights-core/tree/master/examples/cluster_rules' },
      { title: 'Linux Documentation/networking/ip-sysctl.rst: the networking keys and their meaning', url: 'https://www.kernel.org/doc/Documentation/networking/ip-sysctl.rst' },
    ],
    tags: ['sysctl', 'fleet', 'consistency'],
    fixable: false,
    examples: [
      {
        title: 'Five nodes raise the neighbour table; one still has the old drop-in',
        filename: 'node06/etc/sysctl.d/50-kubernetes.conf',
        code: 'net.ipv4.neigh.default.gc_thresh3 = 16384\n',
        files: Object.fromEntries(
          ['node01', 'node02', 'node03', 'node04', 'node05', 'node06'].flatMap((n) => [
            ...(n === 'node06' ? [] : [[`${n}/etc/sysctl.d/50-kubernetes.conf`, 'net.ipv4.neigh.default.gc_thresh3 = 32768\n']]),
            [`${n}/proc/sys/kernel/osrelease`, '5.4.0-150-generic\n'],
            [`${n}/var/lib/kubelet/config.yaml`, 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n'],
          ]),
        ),
        expect: 1,
      },
      {
        title: 'Four hosts: too few to call one of them odd',
        filename: 'node04/etc/sysctl.d/50-kubernetes.conf',
        code: 'net.ipv4.neigh.default.gc_thresh3 = 16384\n',
        files: Object.fromEntries(
          ['node01', 'node02', 'node03', 'node04'].flatMap((n) => [
            ...(n === 'node04' ? [] : [[`${n}/etc/sysctl.d/50-kubernetes.conf`, 'net.ipv4.neigh.default.gc_thresh3 = 32768\n']]),
            [`${n}/proc/sys/kernel/osrelease`, '5.4.0-150-generic\n'],
          ]),
        ),
        expect: 'valid',
      },
    ],
  },
  create(context) {
    const scope = context.scope;
    return {
      scope() {
        if (scope.kind !== 'repository') return;
        const hosts = fleetHosts(scope);
        if (hosts.length < 2) return;
        const { minNodes, minShare } = context.options;
        // Two passes over the hosts: first how many hosts of each role configure each value of
        // each key (and the first of them, the evidence for a majority); then the entries of
        // the hosts whose value is not the majority's, which are reported. Nothing else of a
        // host is kept. (Maps: keys and values are file contents.)
        const members = new Map<string, number>();
        for (const h of hosts) members.set(roleOf(h), (members.get(roleOf(h)) ?? 0) + 1);
        const table = new Map<string, Map<string, Map<string, { count: number; first: { host: string; entry: SysctlSummary } }>>>();
        for (const h of hosts) {
          const role = roleOf(h);
          if (members.get(role)! < minNodes) continue;
          let keys = table.get(role);
          if (!keys) table.set(role, (keys = new Map()));
          for (const entry of h.sysctl ?? []) {
            let values = keys.get(entry.key);
            if (!values) keys.set(entry.key, (values = new Map()));
            const tally = values.get(entry.value);
            if (tally) tally.count++;
            else values.set(entry.value, { count: 1, first: { host: h.name, entry } });
          }
        }
        /** Per role and key with a majority: its value, its evidence, and the other values' entries (filled by the second pass). */
        type Verdict = { majority: string; related: Location[]; holders: number; total: number; others: Map<string, Array<{ host: string; entry: SysctlSummary }>> };
        const verdicts = new Map<string, Map<string, Verdict>>();
        for (const [role, keys] of table) {
          const byKey = new Map<string, Verdict>();
          for (const [key, values] of keys) {
            if (values.size < 2) continue;
            let total = 0;
            for (const t of values.values()) total += t.count;
            if (total < minNodes) continue;
            const [majority, holders] = [...values].sort(([a, x], [b, y]) => y.count - x.count || (a < b ? -1 : 1))[0]!;
            if (holders.count / total < minShare) continue;
            const example = holders.first;
            const related: Location[] = [
              {
                file: example.entry.file,
                position: example.entry.position,
                message: `\`${key} = ${majority}\` on ${example.host}, as on ${holders.count} of the ${total} ${ROLE_NAME[role]} that set the key`,
              },
            ];
            // The other values, in the order they were first seen.
            const others = new Map<string, Array<{ host: string; entry: SysctlSummary }>>();
            for (const value of values.keys()) if (value !== majority) others.set(value, []);
            byKey.set(key, { majority, related, holders: holders.count, total, others });
          }
          if (byKey.size) verdicts.set(role, byKey);
        }
        table.clear();
        if (verdicts.size === 0) return;
        for (const h of hosts) {
          const byKey = verdicts.get(roleOf(h));
          if (!byKey) continue;
          for (const entry of h.sysctl ?? []) byKey.get(entry.key)?.others.get(entry.value)?.push({ host: h.name, entry });
        }
        for (const [role, byKey] of verdicts) {
          for (const [key, { majority, related, holders, total, others }] of [...byKey].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
            for (const [value, list] of others) {
              for (const { host, entry } of list) {
                context.report({
                  messageId: 'outlier',
                  at: { file: entry.file, position: entry.position, host, ...(entry.hostPath !== undefined ? { hostPath: entry.hostPath } : {}), line: entry.line },
                  data: { key, value, host, majority, holders, total, role: ROLE_NAME[role]! },
                  related,
                });
              }
            }
          }
        }
      },
    };
  },
});
