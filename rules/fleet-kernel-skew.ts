import { defineRule, ORIGIN, fleetHosts, type Location } from '../src/rule-api.js';

/**
 * Kernel versions where TCP behaviour the rules know about changes (see
 * sysctl-timestamps-value and sysctl-tw-recycle / sysctl-removed-key).
 */
const BOUNDARIES: Array<{ version: string; change: string }> = [
  { version: '4.10.0', change: 'TCP timestamps get a random offset per connection from 4.10 on' },
  { version: '4.12.0', change: '`net.ipv4.tcp_tw_recycle` exists before 4.12 and is gone from 4.12 on' },
];

function compare(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}

export default defineRule({
  meta: {
    id: 'fleet-kernel-skew',
    type: 'suggestion',
    description: 'Require the Kubernetes nodes of a cluster to be on the same side of the kernel versions where TCP behaviour changes',
    rationale: [
      'Pods move between nodes, and a Service sends each connection to any of them: when some nodes of a cluster run a kernel from before a change in TCP behaviour and others from after it, the same workload behaves differently depending on where it lands, and a problem shows up only for some connections — the intermittent kind that is hardest to find. Two such changes matter for the rules of hostlint: Linux 4.10 gives every connection its own random TCP timestamp offset (`tcp_timestamps = 2` turns that off again, and only means something from 4.10 on), and Linux 4.12 removed `net.ipv4.tcp_tw_recycle`, which on older kernels drops SYNs from clients behind NAT.',
      'In a fleet audit (`hostlint audit`, `hostlint merge`; also `hostlint lint` of several snapshots) hostlint takes the kernel release of every Kubernetes node it knows it of, and for each of those versions that some nodes run before and some after, it reports the nodes on the smaller side (the older side when the sides are equal), at their kernel release, as a note: finish the upgrade, or check that the settings the other rules report hold on both sides.',
    ].join('\n\n'),
    severity: 'note',
    precision: 'medium',
    languages: ['fact'],
    messages: {
      skew: 'Kernel {{release}} of {{host}} is {{side}} {{version}}, while {{others}} of the {{total}} Kubernetes nodes are not: {{change}}',
    },
    sources: [
      { title: 'tcp(7): tcp_timestamps value 2 (no random offsets) is meaningful since Linux 4.10; tcp_tw_recycle existed in Linux 2.4 to 4.11', url: 'https://man7.org/linux/man-pages/man7/tcp.7.html' },
      { title: 'Linux commit 4396e46187ca "tcp: remove tcp_tw_recycle" (first released in 4.12)', url: 'https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git/commit/?id=4396e46187ca5070219b81773c4e65088dac50cc' },
      { title: 'Linux commit 95a22caee396 "tcp: randomize tcp timestamp offsets for each connection" (4.10)', url: 'https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git/commit/?id=95a22caee396cef0bb2ca8fafdd82966a49367bb' },
    ],
    tags: ['kernel', 'fleet', 'tcp', 'consistency'],
    fixable: false,
    examples: [
      {
        title: 'One node of three still on a RHEL 7 kernel',
        filename: 'node03/proc/sys/kernel/osrelease',
        code: '3.10.0-1160.el7.x86_64\n',
        files: Object.fromEntries(
          ['node01', 'node02', 'node03'].flatMap((n) => [
            ...(n === 'node03' ? [] : [[`${n}/proc/sys/kernel/osrelease`, '5.4.0-150-generic\n']]),
            [`${n}/etc/sysctl.conf`, '# distribution defaults\n'],
            [`${n}/var/lib/kubelet/config.yaml`, 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n'],
          ]),
        ),
        expect: 2,
      },
      {
        title: 'Different kernels, all after the changes',
        filename: 'node03/proc/sys/kernel/osrelease',
        code: '6.1.0-18-amd64\n',
        files: Object.fromEntries(
          ['node01', 'node02', 'node03'].flatMap((n) => [
            ...(n === 'node03' ? [] : [[`${n}/proc/sys/kernel/osrelease`, '5.4.0-150-generic\n']]),
            [`${n}/etc/sysctl.conf`, '# distribution defaults\n'],
            [`${n}/var/lib/kubelet/config.yaml`, 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n'],
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
        // Two passes over the hosts, keeping only counts and the first node on each side; then
        // the nodes on the smaller side, which are reported.
        const hosts = fleetHosts(scope);
        const nodes = function* () {
          for (const host of hosts) {
            const f = host.facts;
            if (!(f.kubernetesNode.known && f.kubernetesNode.value) || !f.kernel.known) continue;
            yield { name: host.name, release: f.kernel.value.release, version: f.kernel.value.version, evidence: f.kernel.evidence[0] };
          }
        };
        type Node = ReturnType<typeof nodes> extends Generator<infer N> ? N : never;
        const sides = BOUNDARIES.map(() => ({ before: 0, after: 0, firstBefore: undefined as Node | undefined, firstAfter: undefined as Node | undefined }));
        let total = 0;
        for (const n of nodes()) {
          total++;
          for (const [i, { version }] of BOUNDARIES.entries()) {
            const side = sides[i]!;
            if (compare(n.version, version) < 0) {
              side.before++;
              side.firstBefore ??= n;
            } else {
              side.after++;
              side.firstAfter ??= n;
            }
          }
        }
        if (total < 2) return;
        // Per boundary with nodes on both sides: whether the odd ones are those at or after it.
        const oddAfter = sides.map((s) => (s.before === 0 || s.after === 0 ? undefined : s.after < s.before));
        if (oddAfter.every((o) => o === undefined)) return;
        const odd: Node[][] = BOUNDARIES.map(() => []);
        for (const n of nodes()) {
          for (const [i, { version }] of BOUNDARIES.entries()) {
            if (oddAfter[i] !== undefined && compare(n.version, version) >= 0 === oddAfter[i]) odd[i]!.push(n);
          }
        }
        for (const [i, { version, change }] of BOUNDARIES.entries()) {
          if (oddAfter[i] === undefined) continue;
          const s = sides[i]!;
          const [restCount, other, side] = oddAfter[i] ? [s.before, s.firstBefore!, 'at or after'] : [s.after, s.firstAfter!, 'before'];
          const v = version.replace(/\.0$/, '');
          for (const n of odd[i]!) {
            const evidence = n.evidence;
            if (!evidence) continue;
            const otherEvidence = other.evidence;
            const related: Location[] = otherEvidence
              ? [{ file: otherEvidence.file, position: otherEvidence.position ?? ORIGIN, message: `Kernel ${other.release} on ${other.name}, ${side === 'before' ? 'at or after' : 'before'} ${v} like ${restCount} of the ${total} Kubernetes nodes` }]
              : [];
            context.report({
              messageId: 'skew',
              at: { file: evidence.file, position: evidence.position ?? ORIGIN, host: n.name, key: `kernel ${n.release} ${v}` },
              data: { release: n.release, host: n.name, side, version: v, others: restCount, total, change },
              related,
            });
          }
        }
      },
    };
  },
});
