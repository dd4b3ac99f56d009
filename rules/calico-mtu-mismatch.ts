import {
  CALICO_KINDS,
  calicoSets,
  defineRule,
  encapsulations,
  evidenceOf,
  largestOverhead,
  mtuSettings,
  OVERHEAD,
  type CalicoView,
  type Location,
  type ScalarNode,
  type SourceFile,
} from '../src/rule-api.js';

export default defineRule({
  meta: {
    id: 'calico-mtu-mismatch',
    type: 'problem',
    description: 'Require Calico MTUs to equal the physical MTU minus the overhead of the enabled encapsulation',
    rationale: [
      'Calico wraps pod traffic in IP-in-IP (20 bytes), VXLAN (50, or 70 over IPv6) or WireGuard (60, or 80 over IPv6). The pod (veth) and tunnel MTUs must leave room for that header: Calico\'s recommendation is the physical MTU minus the largest overhead in use, e.g. 1480 for IP-in-IP on a 1500-byte network, 1450 for VXLAN.',
      'An MTU **larger** than that makes packets that fit the pod interface too big for the wire once encapsulated: they are fragmented or, with DF set, dropped — connections hang once they send full-size segments. An MTU **smaller** than that works but wastes capacity on every packet (reported one level lower). `0` means auto-detection (Calico ≥ 3.17) and is not checked here.',
      'The physical MTU is the smallest MTU among the host\'s interfaces that are up and match Calico\'s default `mtuIfacePattern`, taken from node snapshots (`sys/class/net/<if>/mtu`, `ip` output) or from `facts.physicalMtu`; for the cluster\'s manifests it is the smallest among the run\'s Kubernetes nodes (a fleet audit). When it is unknown the rule only leaves a note. Each tunnel MTU (`ipipMTU`, `vxlanMTU`, `vxlanMTUV6`, `wireguardMTU`, `wireguardMTUV6` in a FelixConfiguration, the matching `FELIX_*MTU` env vars or felix.cfg keys) is checked against the overhead of its own tunnel, and only when that tunnel is in use (an IP pool, the calico-node env, or Felix\'s WireGuard switch, whose booleans are read as Felix reads them: `1`, `true`, `yes`, `t`, any case); the workload MTU against the largest overhead in use. An Installation whose `linuxDataplane` is `None` is not Calico\'s network and is not checked.',
    ].join('\n\n'),
    severity: 'error',
    precision: 'medium',
    languages: ['kube', 'cni'],
    kinds: [...CALICO_KINDS],
    messages: {
      tooLarge: 'Calico MTU {{value}} ({{what}}) exceeds {{expected}}: physical MTU {{physical}} minus {{overhead}} bytes of {{encap}}; encapsulated packets will be fragmented or dropped',
      tooSmall: 'Calico MTU {{value}} ({{what}}) is below {{expected}}: physical MTU {{physical}} minus {{overhead}} bytes of {{encap}}; set it to {{expected}}',
      unknownPhysical: 'Calico MTU {{value}} ({{what}}) cannot be checked against the physical MTU: {{hint}}',
    },
    sources: [
      { title: 'Calico: Configure MTU to maximize network performance (overheads and recommended values)', url: 'https://docs.tigera.io/calico/latest/networking/configuring/mtu' },
      { title: 'Felix dataplane/linux/int_dataplane.go: ipipMTUOverhead 20, vxlanMTUOverhead 50, wireguardMTUOverhead 60', url: 'https://github.com/projectcalico/calico/blob/master/felix/dataplane/linux/int_dataplane.go' },
      { title: 'Felix config/param_types.go: BoolParam.Parse accepts "true", "1", "yes", "y", "t" (any case) as true', url: 'https://github.com/projectcalico/calico/blob/06f4606a56bf62d46e04b52fc2da7220c4f10b5e/felix/config/param_types.go' },
      { title: 'Calico: Configure calico/node (CALICO_IPV4POOL_IPIP default Always, CALICO_IPV4POOL_VXLAN default Never)', url: 'https://docs.tigera.io/calico/latest/reference/configure-calico-node' },
    ],
    tags: ['calico', 'mtu', 'kubernetes'],
    fixable: true,
    examples: [
      {
        title: 'IPv6-VXLAN value with IP-in-IP on a 1500-byte network',
        filename: 'cluster/calico-config.yaml',
        code: [
          'kind: ConfigMap',
          'apiVersion: v1',
          'metadata:',
          '  name: calico-config',
          '  namespace: kube-system',
          'data:',
          '  veth_mtu: "1430"',
          '---',
          'kind: IPPool',
          'apiVersion: crd.projectcalico.org/v1',
          'metadata:',
          '  name: default-ipv4-ippool',
          'spec:',
          '  cidr: 192.168.0.0/16',
          '  ipipMode: Always',
          '',
        ].join('\n'),
        facts: { physicalMtu: 1500 },
        expect: 1,
      },
      {
        title: 'The recommended value',
        filename: 'cluster/calico-config.yaml',
        code: [
          'kind: ConfigMap',
          'apiVersion: v1',
          'metadata:',
          '  name: calico-config',
          '  namespace: kube-system',
          'data:',
          '  veth_mtu: "1480"',
          '---',
          'kind: IPPool',
          'apiVersion: crd.projectcalico.org/v1',
          'metadata:',
          '  name: default-ipv4-ippool',
          'spec:',
          '  cidr: 192.168.0.0/16',
          '  ipipMode: Always',
          '',
        ].join('\n'),
        facts: { physicalMtu: 1500 },
        expect: 'valid',
      },
    ],
  },
  create(context) {
    const scope = context.scope;
    return {
      scope() {
        for (const { view, cni, felix } of calicoSets(scope)) check(view, cni, felix ?? []);
      },
    };

    function check(view: CalicoView, cniFiles: SourceFile[], felixFiles: SourceFile[]): void {
      const settings = mtuSettings(view, cniFiles, felixFiles);
      if (settings.length === 0) return;
      const { active, evidence, known } = encapsulations(view, felixFiles);
      const largest = largestOverhead(active);
      const files = new Map(scope.files.map((f) => [f.path, f]));
      for (const s of settings) {
        // A tunnel MTU matters only when its tunnel is in use.
        if (s.encap && known && !active.has(s.encap)) continue;
        const file = files.get(s.file);
        if (!file) continue;
        const physical = scope.facts(file).physicalMtu;
        const data = { value: s.value, what: s.what };
        if (!physical.known) {
          context.report({ messageId: 'unknownPhysical', file, position: s.position, data: { ...data, hint: physical.hint }, demote: 2 });
          continue;
        }
        // A tunnel's own MTU leaves room for that tunnel's header; the workload MTU for the largest in use.
        const sEncap = s.encap ?? largest.encap;
        const sOverhead = s.encap ? OVERHEAD[s.encap] : largest.overhead;
        const expected = physical.value.mtu - sOverhead;
        if (s.value === expected || (!s.encap && !known && s.value <= physical.value.mtu)) continue;
        const related: Location[] = [...evidenceOf(physical), ...evidence.filter((e) => e.message?.startsWith(`${sEncap} is enabled`))];
        const full = { ...data, expected, physical: physical.value.mtu, overhead: sOverhead, encap: sEncap };
        const fix = s.node ? replaceNumber(s.node, String(expected)) : undefined;
        if (s.value > expected) context.report({ messageId: 'tooLarge', file, position: s.position, data: full, related, fix });
        else context.report({ messageId: 'tooSmall', file, position: s.position, data: full, related, fix, demote: 1 });
      }
    }
  },
});

/**
 * A fix replacing a scalar's number, keeping its quotes; none when the source
 * is not the number as written (`!!binary MTQ4MA==`, a block scalar, escapes),
 * where putting digits in its place would change what the value means.
 */
function replaceNumber(node: ScalarNode, text: string) {
  const start = node.position.start.offset!;
  const end = node.position.end.offset!;
  const quoted = node.style === 'single' || node.style === 'double';
  const inner = quoted ? node.source.slice(1, -1) : node.source;
  if (inner !== String(node.value)) return undefined;
  return { description: `Set the MTU to ${text}`, edits: [{ range: [quoted ? start + 1 : start, quoted ? end - 1 : end] as [number, number], text }] };
}
