import { CALICO_KINDS, calicoSets, defineRule, encapsulations, largestOverhead, mtuSettings, OVERHEAD, type CalicoSet, type MtuSetting } from '../src/rule-api.js';

/**
 * The MTUs of one Calico set that must agree: the workload MTUs, and the
 * tunnel MTU of the encapsulation the workload MTU is sized for (the active
 * one with the largest overhead). Tunnels not in use, and tunnels with a
 * different overhead, legitimately differ (`calico-mtu-mismatch` checks each
 * against its own overhead). IPv6 tunnels are never compared. When the set
 * does not say which encapsulations are in use, every IPv4 tunnel MTU is.
 */
function settings(set: CalicoSet, felixFiles: CalicoSet['felix']): MtuSetting[] {
  const all = mtuSettings(set.view, set.cni, felixFiles);
  const { active, known } = encapsulations(set.view, felixFiles);
  const largest = largestOverhead(active);
  return all.map((s) => (s.where ? { ...s, what: `${s.what} in ${s.where}` } : s)).filter((s) => {
    if (!s.encap) return true;
    if (s.encap.endsWith('(IPv6)')) return false;
    return !known || (active.has(s.encap) && OVERHEAD[s.encap] === largest.overhead);
  });
}

export default defineRule({
  meta: {
    id: 'calico-mtu-inconsistent',
    type: 'problem',
    description: 'Require the Calico workload and tunnel MTUs of one installation to agree',
    rationale: [
      'Calico sets an MTU in several places: the workload (veth) MTU through the CNI configuration (`veth_mtu` → `CNI_MTU` → the `mtu` of the calico CNI plugin, or `spec.calicoNetwork.mtu` of the operator\'s Installation), and the tunnel devices through Felix (`FELIX_IPINIPMTU`, `FELIX_VXLANMTU`, `FELIX_WIREGUARDMTU`, the matching FelixConfiguration fields or felix.cfg keys). The stock manifests feed them all from `veth_mtu`; Calico\'s MTU guide says to "set the workload endpoint MTU and the tunnel MTUs to the same value".',
      'When a literal was edited in one place only — `FELIX_IPINIPMTU: "1440"` left behind while the CNI `mtu` says 1500 — pods send packets the tunnel cannot carry in one piece (fragmented, or dropped when DF is set: connections that hang once they send full-size segments), or the tunnel is larger than the pods ever use. The rule reports every value that differs from the most common one (the first one on a tie); `calico-mtu-mismatch` checks the values against the physical MTU. Only the tunnel the workload MTU is sized for is compared (the encapsulation in use with the largest overhead): a tunnel that is not in use, or a second one with a smaller overhead (IP-in-IP next to WireGuard), may differ, and IPv6 tunnel MTUs are not compared, since their overhead differs. `0` (auto-detection) is not a value here.',
    ].join('\n\n'),
    severity: 'warning',
    precision: 'high',
    languages: ['kube', 'cni', 'felix'],
    kinds: [...CALICO_KINDS],
    messages: {
      differs: 'Calico MTU {{value}} ({{what}}) differs from {{expected}} ({{otherWhat}}): set the workload and tunnel MTUs to the same value',
    },
    sources: [
      { title: 'Calico: Configure MTU to maximize network performance ("set the workload endpoint MTU and the tunnel MTUs to the same value")', url: 'https://docs.tigera.io/calico/latest/networking/configuring/mtu' },
      { title: 'Calico manifest template calico-node.yaml: CNI_MTU, FELIX_IPINIPMTU, FELIX_VXLANMTU and FELIX_WIREGUARDMTU all from veth_mtu', url: 'https://github.com/projectcalico/calico/blob/master/charts/calico/templates/calico-node.yaml' },
      { title: 'Felix configuration reference: IpInIpMtu, VXLANMTU, WireguardMTU (0 = auto-detect)', url: 'https://docs.tigera.io/calico/latest/reference/felix/configuration' },
    ],
    tags: ['calico', 'mtu', 'kubernetes'],
    fixable: false,
    examples: [
      {
        title: 'A tunnel MTU left behind',
        filename: 'cluster/calico.yaml',
        code: [
          'kind: ConfigMap',
          'apiVersion: v1',
          'metadata:',
          '  name: calico-config',
          '  namespace: kube-system',
          'data:',
          '  veth_mtu: "1480"',
          '---',
          'kind: DaemonSet',
          'apiVersion: apps/v1',
          'metadata:',
          '  name: calico-node',
          '  namespace: kube-system',
          'spec:',
          '  template:',
          '    spec:',
          '      containers:',
          '        - name: calico-node',
          '          image: calico/node:v3.26.1',
          '          env:',
          '            - name: FELIX_IPINIPMTU',
          '              value: "1440"',
          '',
        ].join('\n'),
        expect: 1,
      },
      {
        title: 'The tunnel MTU from veth_mtu',
        filename: 'cluster/calico.yaml',
        code: [
          'kind: ConfigMap',
          'apiVersion: v1',
          'metadata:',
          '  name: calico-config',
          '  namespace: kube-system',
          'data:',
          '  veth_mtu: "1480"',
          '---',
          'kind: DaemonSet',
          'apiVersion: apps/v1',
          'metadata:',
          '  name: calico-node',
          '  namespace: kube-system',
          'spec:',
          '  template:',
          '    spec:',
          '      containers:',
          '        - name: calico-node',
          '          image: calico/node:v3.26.1',
          '          env:',
          '            - name: FELIX_IPINIPMTU',
          '              valueFrom:',
          '                configMapKeyRef:',
          '                  name: calico-config',
          '                  key: veth_mtu',
          '',
        ].join('\n'),
        expect: 'valid',
      },
    ],
  },
  create(context) {
    const scope = context.scope;
    return {
      scope() {
        const files = new Map(scope.files.map((f) => [f.path, f]));
        // felix.cfg is a host's file: in the repository it configures no known host.
        const groups = calicoSets(scope).map((set) => settings(set, scope.kind === 'host' ? set.felix : []));
        for (const list of groups) {
          if (new Set(list.map((s) => s.value)).size < 2) continue;
          const counts = new Map<number, number>();
          for (const s of list) counts.set(s.value, (counts.get(s.value) ?? 0) + 1);
          let expected = list[0]!.value;
          for (const s of list) if (counts.get(s.value)! > counts.get(expected)!) expected = s.value;
          const reference = list.find((s) => s.value === expected)!;
          for (const s of list) {
            if (s.value === expected) continue;
            const file = files.get(s.file);
            if (!file) continue;
            context.report({
              messageId: 'differs',
              file,
              position: s.position,
              data: { value: s.value, what: s.what, expected, otherWhat: reference.what },
              related: [{ file: reference.file, position: reference.position, message: `Calico MTU ${expected}: ${reference.what}` }],
            });
          }
        }
      },
    };
  },
});
