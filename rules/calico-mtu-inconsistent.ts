import {
  defineRule,
  felixFileSetting,
  getItems,
  getScalar,
  type CalicoView,
  type CniRoot,
  type Position,
  type ScalarNode,
  type SourceFile,
} from '../src/rule-api.js';

/** One place that sets a Calico MTU to a number. */
interface Setting {
  value: number;
  what: string;
  file: string;
  position: Position;
}

/** IPv4 tunnel MTUs: the IPv6 ones legitimately differ (VXLAN over IPv6 costs 70 bytes, not 50). */
const FELIX_ENV = ['FELIX_IPINIPMTU', 'FELIX_VXLANMTU', 'FELIX_WIREGUARDMTU'];
const FELIX_FIELDS = ['ipipMTU', 'vxlanMTU', 'wireguardMTU'];
const FELIX_FILE_KEYS = ['IpInIpMtu', 'VXLANMTU', 'WireguardMTU'];

function number(node: ScalarNode): number | undefined {
  const v = typeof node.value === 'string' ? node.value.trim() : node.value;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : NaN;
  return Number.isInteger(n) && n > 0 ? n : undefined; // 0 = auto-detect; templates are not MTUs
}

/** Every explicit MTU of one Calico set, pod MTU first, then the tunnels. */
function settings(view: CalicoView, cni: SourceFile[], felixFiles: SourceFile[]): Setting[] {
  const out: Setting[] = [];
  const add = (node: ScalarNode, file: string, what: string) => {
    const value = number(node);
    if (value !== undefined) out.push({ value, what, file, position: node.position });
  };
  for (const cm of view.configMaps) {
    const v = cm.data.get('veth_mtu');
    if (v) add(v.node, v.file, `veth_mtu in ConfigMap ${cm.name}`);
    const m = cm.cni?.mtu;
    if (m && !m.placeholder && /^\d+$/.test(m.raw) && Number(m.raw) > 0) {
      out.push({ value: Number(m.raw), what: `"mtu" in cni_network_config of ConfigMap ${cm.name}`, file: cm.file, position: m.position });
    }
  }
  for (const node of view.nodes) {
    const c = node.installCniEnv.get('CNI_MTU')?.value;
    if (c) add(c.node, c.file, `CNI_MTU of DaemonSet ${node.name}`);
  }
  for (const file of cni) {
    const body = (file.parsed!.tree as CniRoot).children[0]?.body ?? null;
    const plugins = getItems(body, 'plugins');
    for (const p of plugins.length ? plugins : [body]) {
      if (getScalar(p, 'type')?.value !== 'calico') continue;
      const mtu = getScalar(p, 'mtu');
      if (mtu && typeof mtu.value === 'number') add(mtu, file.path, `mtu of the calico CNI plugin in ${file.hostPath ?? file.path}`);
    }
  }
  for (const inst of view.installations) if (inst.mtu) add(inst.mtu.node, inst.mtu.file, `spec.calicoNetwork.mtu of Installation ${inst.name}`);
  for (const node of view.nodes) {
    for (const name of FELIX_ENV) {
      const v = node.env.get(name)?.value; // a configMapKeyRef is the ConfigMap's value, counted there
      if (v) add(v.node, v.file, `${name} of DaemonSet ${node.name}`);
    }
  }
  for (const fc of view.felixConfigurations) {
    for (const field of FELIX_FIELDS) {
      const v = fc.spec.get(field);
      if (v) add(v.node, v.file, `${field} of FelixConfiguration ${fc.name}`);
    }
  }
  for (const key of FELIX_FILE_KEYS) {
    const hit = felixFileSetting(felixFiles, key);
    if (!hit) continue;
    const raw = hit.property.value.value.trim();
    const n = /^\d+$/.test(raw) ? Number(raw) : 0;
    if (n > 0) {
      out.push({ value: n, what: `${hit.property.key.name} in ${hit.file.hostPath ?? hit.file.path}`, file: hit.file.path, position: hit.property.value.position });
    }
  }
  return out;
}

export default defineRule({
  meta: {
    id: 'calico-mtu-inconsistent',
    type: 'problem',
    description: 'Require the Calico workload and tunnel MTUs of one installation to agree',
    rationale: [
      'Calico sets an MTU in several places: the workload (veth) MTU through the CNI configuration (`veth_mtu` → `CNI_MTU` → the `mtu` of the calico CNI plugin, or `spec.calicoNetwork.mtu` of the operator\'s Installation), and the tunnel devices through Felix (`FELIX_IPINIPMTU`, `FELIX_VXLANMTU`, `FELIX_WIREGUARDMTU`, the matching FelixConfiguration fields or felix.cfg keys). The stock manifests feed them all from `veth_mtu`; Calico\'s MTU guide says to "set the workload endpoint MTU and the tunnel MTUs to the same value".',
      'When a literal was edited in one place only — `FELIX_IPINIPMTU: "1440"` left behind while the CNI `mtu` says 1500 — pods send packets the tunnel cannot carry in one piece (fragmented, or dropped when DF is set: connections that hang once they send full-size segments), or the tunnel is larger than the pods ever use. The rule reports every value that differs from the most common one (the first one on a tie); `calico-mtu-mismatch` checks the values against the physical MTU. IPv6 tunnel MTUs are not compared, since their overhead differs. `0` (auto-detection) is not a value here.',
    ].join('\n\n'),
    severity: 'warning',
    precision: 'high',
    languages: ['kube', 'cni', 'felix'],
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
        const felixFiles = scope.kind === 'host' ? scope.filesOf('felix') : [];
        const sets = scope.calicoSets();
        const groups = sets.map((s) => settings(s.view, s.cni, []));
        // A host's felix.cfg belongs with the host's (single) Calico set.
        if (felixFiles.length) {
          const extra = settings({ nodes: [], configMaps: [], installations: [], felixConfigurations: [], ipPools: [] }, [], felixFiles);
          if (groups.length) groups[0]!.push(...extra);
          else groups.push(extra);
        }
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
