import { CALICO_KINDS, calicoAtLeast, calicoSets, defineRule, mtuSettings, type Location, type ScalarNode } from '../src/rule-api.js';

/** The MTU the manifests hard-coded for IP-in-IP before auto-detection (v3.16 and earlier). */
const LEGACY = '1440';

export default defineRule({
  meta: {
    id: 'calico-mtu-legacy-default',
    type: 'suggestion',
    description: 'Disallow the pre-3.17 Calico default MTU of 1440 hard-coded in manifests of Calico 3.17 or later',
    rationale: [
      'Up to v3.16 the Calico manifests shipped `veth_mtu: "1440"` (and older hand-written ones `FELIX_IPINIPMTU: "1440"`): a guess that suits IP-in-IP on a 1460-byte cloud network and wastes 40 bytes per packet on an ordinary 1500-byte one. Since v3.17 the manifests ship `veth_mtu: "0"` — "By default, MTU is auto-detected" — and Felix derives the tunnel and pod MTUs from the host interfaces and the encapsulation in use.',
      'A 1440 that survives an upgrade (a kept ConfigMap, a patched copy of an old manifest) switches auto-detection off and keeps the old guess — too small on most networks, too large for VXLAN on a 1460-byte network or WireGuard on 1480. The fix sets it to `0`; keep an explicit value only when you chose it for this network (`calico-mtu-mismatch` checks it when the physical MTU is known). The Calico version comes from the calico/node image tag; an image without a version tag is not checked.',
    ].join('\n\n'),
    severity: 'note',
    precision: 'medium',
    languages: ['kube'],
    kinds: [...CALICO_KINDS],
    messages: {
      legacy: '`{{what}}: "1440"` is the default of Calico manifests before 3.17 and turns off MTU auto-detection in Calico {{version}}; set it to "0" unless 1440 was chosen for this network',
    },
    sources: [
      { title: 'Calico v3.17.0 manifests: veth_mtu "0", "By default, MTU is auto-detected" (v3.16 shipped "1440")', url: 'https://github.com/projectcalico/calico/blob/v3.17.0/_includes/charts/calico/templates/calico-config.yaml' },
      { title: 'Calico: Configure MTU to maximize network performance (auto-detection, recommended values)', url: 'https://docs.tigera.io/calico/latest/networking/configuring/mtu' },
    ],
    tags: ['calico', 'mtu', 'kubernetes'],
    fixable: true,
    examples: [
      {
        title: 'veth_mtu 1440 with calico/node v3.26',
        filename: 'cluster/calico.yaml',
        code: [
          'kind: ConfigMap',
          'apiVersion: v1',
          'metadata:',
          '  name: calico-config',
          '  namespace: kube-system',
          'data:',
          '  veth_mtu: "1440"',
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
          '          image: docker.io/calico/node:v3.26.1',
          '',
        ].join('\n'),
        expect: 1,
      },
      {
        title: 'Auto-detection with calico/node v3.26',
        filename: 'cluster/calico.yaml',
        code: [
          'kind: ConfigMap',
          'apiVersion: v1',
          'metadata:',
          '  name: calico-config',
          '  namespace: kube-system',
          'data:',
          '  veth_mtu: "0"',
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
          '          image: docker.io/calico/node:v3.26.1',
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
        for (const { view } of calicoSets(scope)) {
          const node = view.nodes.find((n) => calicoAtLeast(n.version, '3.17.0'));
          if (!node?.version) continue;
          const related: Location[] = node.image ? [{ file: node.image.file, position: node.image.node.position, message: `Calico ${node.version}: ${node.image.value}` }] : [];
          // The manifest literals that carried the old default: veth_mtu, and FELIX_IPINIPMTU written by hand.
          const found = mtuSettings(view, [], [])
            .filter((m) => m.node && (m.env === 'FELIX_IPINIPMTU' || m.what.startsWith('veth_mtu ')))
            .map((m) => ({ what: m.env ?? 'veth_mtu', ref: { file: m.file, node: m.node!, value: String(m.node!.value) } }));
          for (const { what, ref } of found) {
            if (ref.value.trim() !== LEGACY) continue;
            const file = files.get(ref.file);
            if (!file) continue;
            context.report({ messageId: 'legacy', file, node: ref.node, data: { what, version: node.version }, related, fix: zero(ref.node) });
          }
        }
      },
    };
  },
});

/** Replace the digits of a scalar with 0, keeping its quotes. */
function zero(node: ScalarNode) {
  const source = node.source;
  const at = source.indexOf(LEGACY);
  if (at < 0) return undefined;
  const start = node.position.start.offset! + at;
  return { description: 'Set it to 0 (auto-detect)', edits: [{ range: [start, start + LEGACY.length] as [number, number], text: '0' }] };
}
