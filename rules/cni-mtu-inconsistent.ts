import {
  CNI_KINDS,
  CALICO_KINDS,
  calicoSets,
  CNI_TITLE,
  cniConfigs,
  defineRule,
  fleetHosts,
  ORIGIN,
  hostCniFacts,
  mtuSettings,
  type CniName,
  type HostCniFacts,
  type Location,
  type Position,
  type Scope,
  type SourceFile,
} from '../src/rule-api.js';

/** CNI devices whose MTU is the pods' MTU on the wire (IPv4 tunnels; IPv6 ones legitimately differ). */
const POD_DEVICES: Array<{ re: RegExp; cni: CniName | 'calico' }> = [
  { re: /^flannel\.\d+$/, cni: 'flannel' },
  { re: /^flannel-wg$/, cni: 'flannel' },
  { re: /^flannel\.ipip$/, cni: 'flannel' },
  { re: /^flannel0$/, cni: 'flannel' },
  { re: /^antrea-gw0$/, cni: 'antrea' },
  { re: /^weave$/, cni: 'weave' },
  { re: /^cilium_(vxlan|geneve)$/, cni: 'cilium' },
  { re: /^(vxlan\.calico|tunl0|wireguard\.cali)$/, cni: 'calico' },
];

/** Which CNI's devices a configuration's pods use (Canal's pods cross nodes through flannel). */
const DEVICE_CNI: Record<CniName | 'calico', CniName | 'calico' | undefined> = {
  flannel: 'flannel',
  canal: 'flannel',
  cilium: 'cilium',
  antrea: 'antrea',
  weave: 'weave',
  'aws-vpc-cni': undefined,
  calico: 'calico',
};

interface Observation {
  host: string;
  device: string;
  cni: CniName | 'calico';
  mtu: number;
  location: Location;
}

function observations(host: string, facts: HostCniFacts | undefined): Observation[] {
  const out: Observation[] = [];
  for (const d of facts?.devices ?? []) {
    const spec = POD_DEVICES.find((p) => p.re.test(d.name));
    if (spec) out.push({ host, device: d.name, cni: spec.cni, mtu: d.mtu, location: d.location });
  }
  return out;
}

/** The cluster's nodes with their CNI devices, when they were linted in this run. */
function clusterObservations(scope: Scope): Observation[] {
  const out: Observation[] = [];
  for (const h of fleetHosts(scope)) {
    const k = h.facts.kubernetesNode;
    if (k.known && k.value) out.push(...observations(h.name, h.cni));
  }
  return out;
}


export default defineRule({
  meta: {
    id: 'cni-mtu-inconsistent',
    type: 'problem',
    description: 'Require the CNI devices of a cluster\'s nodes to share one MTU, the one the CNI is configured with',
    rationale: [
      'Every node of a cluster carries pod traffic to every other node, so they need one pod MTU: the MTU of the CNI\'s tunnel or gateway device — `flannel.1` (and `flannel-wg`, `flannel.ipip`), `cilium_vxlan`/`cilium_geneve`, `antrea-gw0`, `weave`, Calico\'s `vxlan.calico`, `tunl0`, `wireguard.cali` — as `ip -d link` or `/sys/class/net/<dev>/mtu` show it. A node whose device MTU is larger than another node\'s sends packets that node\'s path cannot carry once encapsulated (fragmented, or dropped with DF set: connections that hang on full-size segments); smaller wastes capacity.',
      'Nodes disagree after an MTU change: the CNIs apply a new MTU to new pods (and tunnels) only — Calico\'s MTU guide and Antrea\'s `defaultMTU` comment both say so — or when each node computes its own from an uplink that differs (flannel subtracts its overhead from each node\'s interface). The rule reports: on a node, a device whose MTU differs from the node\'s own configured MTU (`FLANNEL_MTU` of /run/flannel/subnet.env, the `mtu` of the calico CNI configuration); across the nodes linted together, each device larger than the smallest one of the same CNI; and, for the cluster\'s manifests, an explicit pod MTU (Canal\'s `veth_mtu`, Antrea\'s `defaultMTU`, `WEAVE_MTU`) that a node\'s device does not use (Calico\'s own MTU settings are `calico-mtu-mismatch`\'s and `calico-mtu-inconsistent`\'s; its nodes are compared with each other). In a fleet audit the nodes are joined with the cluster\'s manifests; nodes are compared among themselves when they are linted in one process.',
    ].join('\n\n'),
    severity: 'warning',
    precision: 'medium',
    languages: ['fact', 'kube', 'cni'],
    kinds: [...CALICO_KINDS, ...CNI_KINDS],
    messages: {
      differsFromNode: 'MTU {{mtu}} of {{device}} on {{host}} differs from {{expected}} ({{what}}): its pods and its tunnel disagree; restart the CNI agent and recreate the pods there',
      largerThanPeer: 'MTU {{mtu}} of {{device}} on {{host}} exceeds {{min}} of {{peerDevice}} on {{peer}}, the smallest in the cluster: packets from its pods can be too big for the path to {{peer}}',
      notUsedByNode: 'MTU {{value}} of {{cni}} ({{what}}) is not what {{device}} on {{host}} uses ({{mtu}}): an MTU change reaches only new pods and restarted agents',
      nodesDiffer: 'Device MTUs of {{cni}} differ across the cluster\'s nodes: {{mtu}} of {{device}} on {{host}} exceeds {{min}} of {{peerDevice}} on {{peer}}, the smallest; use one MTU on every node',
    },
    sources: [
      { title: 'Calico: Configure MTU to maximize network performance (the new MTU applies to new workloads only; tunnel and workload MTUs the same)', url: 'https://docs.tigera.io/calico/latest/networking/configuring/mtu' },
      { title: 'flannel pkg/backend/vxlan/device.go and vxlan_network.go: the device MTU is the external interface MTU minus 50, per node', url: 'https://github.com/flannel-io/flannel/blob/cdf760595c23292fd03ff4daf03638ac1ceef417/pkg/backend/vxlan/device.go' },
      { title: 'flannel pkg/subnet/subnet.go WriteSubnetFile: FLANNEL_MTU in /run/flannel/subnet.env', url: 'https://github.com/flannel-io/flannel/blob/cdf760595c23292fd03ff4daf03638ac1ceef417/pkg/subnet/subnet.go' },
      { title: 'Antrea build/yamls/antrea.yml: defaultMTU — "If the MTU is updated, the new value will only be applied to new workloads"', url: 'https://github.com/antrea-io/antrea/blob/fc70f2bb7037f398196fd42210d34800cb6aa398/build/yamls/antrea.yml' },
      { title: 'Cilium pkg/mtu/manager.go: the MTU of cilium_vxlan/cilium_geneve is set by Cilium from the base MTU of each node', url: 'https://github.com/cilium/cilium/blob/1ffb3f49af445b4a6083d3c8d66d6f49dfb8c1fa/pkg/mtu/manager.go' },
    ],
    tags: ['cni', 'mtu', 'kubernetes', 'fleet'],
    fixable: false,
    examples: [
      {
        title: 'Canal\'s veth_mtu against a node still on the old flannel MTU',
        filename: 'cluster/canal.yaml',
        code: [
          'kind: ConfigMap',
          'apiVersion: v1',
          'metadata:',
          '  name: canal-config',
          '  namespace: kube-system',
          'data:',
          '  veth_mtu: "1450"',
          '  net-conf.json: |',
          '    {',
          '      "Network": "10.244.0.0/16",',
          '      "Backend": {',
          '        "Type": "vxlan"',
          '      }',
          '    }',
          '',
        ].join('\n'),
        files: {
          'node01/etc/hostname': 'node01\n',
          'node01/etc/cni/net.d/10-canal.conflist': '{"name": "k8s-pod-network", "cniVersion": "0.3.1", "plugins": [{"type": "calico", "mtu": 1450}]}\n',
          'node01/sys/class/net/eth0/mtu': '1500\n',
          'node01/sys/class/net/eth0/operstate': 'up\n',
          'node01/sys/class/net/flannel.1/mtu': '8951\n',
          'node01/sys/class/net/flannel.1/operstate': 'unknown\n',
        },
        expect: 1,
      },
      {
        title: 'The node uses the configured MTU',
        filename: 'cluster/canal.yaml',
        code: [
          'kind: ConfigMap',
          'apiVersion: v1',
          'metadata:',
          '  name: canal-config',
          '  namespace: kube-system',
          'data:',
          '  veth_mtu: "1450"',
          '  net-conf.json: |',
          '    {',
          '      "Network": "10.244.0.0/16",',
          '      "Backend": {',
          '        "Type": "vxlan"',
          '      }',
          '    }',
          '',
        ].join('\n'),
        files: {
          'node01/etc/hostname': 'node01\n',
          'node01/etc/cni/net.d/10-canal.conflist': '{"name": "k8s-pod-network", "cniVersion": "0.3.1", "plugins": [{"type": "calico", "mtu": 1450}]}\n',
          'node01/sys/class/net/eth0/mtu': '1500\n',
          'node01/sys/class/net/eth0/operstate': 'up\n',
          'node01/sys/class/net/flannel.1/mtu': '1450\n',
          'node01/sys/class/net/flannel.1/operstate': 'unknown\n',
        },
        expect: 'valid',
      },
    ],
  },
  create(context) {
    const scope = context.scope;
    const files = new Map(scope.files.map((f) => [f.path, f]));
    return {
      scope() {
        if (scope.kind === 'host') {
          hostOwn();
          hostPeers();
        } else {
          repository();
        }
      },
    };

    function fileOf(path: string): SourceFile | undefined {
      return files.get(path);
    }

    /** A node's devices against the node's own configured MTU. */
    function hostOwn(): void {
      const facts = hostCniFacts(scope);
      const configured: Array<{ cni: CniName | 'calico'; value: number; what: string; location: Location }> = [];
      if (facts.flannelMtu) configured.push({ cni: 'flannel', value: facts.flannelMtu.value, what: 'FLANNEL_MTU in /run/flannel/subnet.env', location: facts.flannelMtu.location });
      const calico = facts.files.find((f) => f.type === 'calico' && f.mtu !== undefined);
      if (calico && calico.mtuLocation) configured.push({ cni: 'calico', value: calico.mtu!, what: `mtu of the calico CNI plugin in /etc/cni/net.d/${calico.name}`, location: calico.mtuLocation });
      for (const o of observations(scope.name, facts)) {
        const c = configured.find((x) => x.cni === o.cni);
        if (!c || c.value === o.mtu) continue;
        const file = fileOf(o.location.file);
        if (!file) continue;
        context.report({ messageId: 'differsFromNode', file, position: o.location.position, data: { mtu: o.mtu, device: o.device, host: scope.name, expected: c.value, what: c.what }, related: [c.location] });
      }
    }

    /**
     * A node's devices against the other nodes linted in the same process,
     * unless the run has the cluster's manifests for that CNI (then the
     * repository scope reports, once).
     */
    function hostPeers(): void {
      const own = observations(scope.name, hostCniFacts(scope));
      if (own.length === 0) return;
      const repositories = scope.repositories();
      const all = clusterObservations(scope);
      for (const o of own) {
        if (repositories.some((r) => repositoryHas(r, o.cni))) continue;
        const peers = all.filter((p) => p.cni === o.cni && p.host !== scope.name);
        const min = peers.reduce<Observation | undefined>((m, p) => (!m || p.mtu < m.mtu ? p : m), undefined);
        if (!min || o.mtu <= min.mtu) continue;
        const file = fileOf(o.location.file);
        if (!file) continue;
        context.report({ messageId: 'largerThanPeer', file, position: o.location.position, data: { mtu: o.mtu, device: o.device, host: scope.name, min: min.mtu, peerDevice: min.device, peer: min.host }, related: [min.location] });
      }
    }

    /** The cluster's manifests against its nodes' devices. */
    function repository(): void {
      const nodes = clusterObservations(scope);
      if (nodes.length === 0) return;
      const anchors: Array<{ cni: CniName | 'calico'; title: string; file: SourceFile; position: Position; pods: Array<{ value: number; what: string; position: Position; file: SourceFile }> }> = [];
      for (const { configs } of cniConfigs(scope)) {
        for (const c of configs) {
          const devCni = DEVICE_CNI[c.cni];
          const file = fileOf(c.anchor.file);
          if (!devCni || !file) continue;
          const pods = c.settings.filter((s) => s.meaning === 'pod').flatMap((s) => (fileOf(s.file) ? [{ value: s.value, what: s.what, position: s.position, file: fileOf(s.file)! }] : []));
          anchors.push({ cni: devCni, title: CNI_TITLE[c.cni], file, position: c.anchor.position ?? ORIGIN, pods });
        }
      }
      for (const set of calicoSets(scope)) {
        const v = set.view;
        if (v.nodes.length === 0 && v.installations.length === 0 && v.configMaps.length === 0) continue;
        // Calico's configured MTUs are the Calico rules' (calico-mtu-mismatch, calico-mtu-inconsistent);
        // here only the nodes are compared with each other, at the first workload MTU setting.
        const workload = mtuSettings(v, [], []).filter((s) => !s.encap);
        const first = set.kube[0];
        if (!first) continue;
        const at = workload.find((s) => fileOf(s.file));
        anchors.push({ cni: 'calico', title: 'Calico', file: at ? fileOf(at.file)! : first, position: at?.position ?? first.parsed?.tree.position ?? ORIGIN, pods: [] });
      }
      for (const a of anchors) {
        const mine = nodes.filter((n) => n.cni === a.cni);
        if (mine.length === 0) continue;
        // An explicit pod MTU the nodes do not use.
        for (const p of a.pods) {
          for (const n of mine.filter((x) => x.mtu !== p.value)) {
            context.report({ messageId: 'notUsedByNode', file: p.file, position: p.position, data: { value: p.value, cni: a.title, what: p.what, device: n.device, host: n.host, mtu: n.mtu }, related: [n.location] });
          }
        }
        if (a.pods.length) continue;
        // Without one: nodes larger than the cluster's smallest.
        const min = mine.reduce((m, p) => (p.mtu < m.mtu ? p : m));
        for (const n of mine.filter((x) => x.mtu > min.mtu)) {
          context.report({ messageId: 'nodesDiffer', file: a.file, position: a.position, data: { cni: a.title, mtu: n.mtu, device: n.device, host: n.host, min: min.mtu, peerDevice: min.device, peer: min.host }, related: [n.location, min.location] });
        }
      }
    }
  },
});

/** Whether a repository scope holds the cluster's configuration for the CNI whose devices these are. */
function repositoryHas(scope: Scope, cni: CniName | 'calico'): boolean {
  if (cni === 'calico') return calicoSets(scope).some((s) => s.view.nodes.length > 0 || s.view.installations.length > 0 || s.view.configMaps.length > 0);
  return cniConfigs(scope).some((g) => g.configs.some((c) => DEVICE_CNI[c.cni] === cni));
}
