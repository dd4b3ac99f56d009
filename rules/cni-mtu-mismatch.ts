import {
  CNI_KINDS,
  CNI_TITLE,
  cniConfigs,
  defineRule,
  describeBudget,
  evidenceOf,
  FLANNEL_DEVICE_BACKEND,
  flannelBackend,
  hostCniFacts,
  physicalMtuFor,
  totalOverhead,
  type CniConfig,
  type CniMtuSetting,
  type Location,
  type ScalarNode,
  type SourceFile,
} from '../src/rule-api.js';

export default defineRule({
  meta: {
    id: 'cni-mtu-mismatch',
    type: 'problem',
    description: 'Require the MTU of flannel, Canal, Cilium, Antrea, the AWS VPC CNI and Weave Net to fit the physical MTU with the encapsulation in use',
    rationale: [
      'Every overlay CNI wraps pod traffic in a header of its own, and each project subtracts a different overhead (from its own source): flannel VXLAN 50, WireGuard 80, IP-in-IP 20, UDP 28, IPsec 77, host-gw none; Antrea Geneve and VXLAN 50, GRE 42, WireGuard 60 (instead of the tunnel), IPsec 38 on top of the tunnel; Cilium tunnels 50, IPsec 77, WireGuard 80; Weave Net\'s fast datapath 50, 84 with encryption; the AWS VPC CNI none (no overlay). A pod MTU larger than the physical MTU minus that overhead makes full-size packets too big for the wire once encapsulated: they are fragmented or, with DF set, dropped — connections hang once they send full-size segments.',
      'What an MTU setting means depends on the CNI, and the rule reads each with its own meaning. Pod MTUs — Canal\'s `veth_mtu` (over flannel\'s backend), Antrea\'s `defaultMTU`, Weave Net\'s `WEAVE_MTU`, the AWS VPC CNI\'s `AWS_VPC_ENI_MTU` and `POD_MTU`, a node\'s `FLANNEL_MTU` — must be at most the physical MTU minus the active overheads; below that is reported one level lower for overlays (capacity wasted on every packet), never for the AWS VPC CNI (a smaller pod MTU is how traffic leaving the VPC is capped). Underlying-network MTUs — Cilium\'s `mtu` (`MTU` in its chart values) and flannel\'s `Backend.MTU` — are the MTU of the network itself: the CNI subtracts its overheads from them, so they are wrong only when larger than the physical MTU (`mtu: 1500` with VXLAN on a 1500-byte network is right; on a 1450-byte cloud network it is not). Native routing and host-gw add nothing. `0` means auto-detection and is not checked. Calico\'s own settings are `calico-mtu-mismatch`\'s.',
      'The physical MTU is the smallest MTU among the host\'s interfaces that are up and match the default uplink pattern (`en*`, `eth*`, ...), from node snapshots or `facts.physicalMtu`; for a cluster\'s manifests it is the smallest among the run\'s Kubernetes nodes that may run that CNI (a node whose /etc/cni/net.d shows another CNI belongs to another cluster), with the deciding node and interface as evidence. When it is unknown the rule only leaves a note.',
    ].join('\n\n'),
    severity: 'error',
    precision: 'medium',
    languages: ['kube', 'fact'],
    kinds: [...CNI_KINDS],
    messages: {
      tooLarge: 'MTU {{value}} of {{cni}} ({{what}}) exceeds {{expected}}: {{budget}}; full-size packets will be fragmented or dropped',
      tooSmall: 'MTU {{value}} of {{cni}} ({{what}}) is below {{expected}}: {{budget}}; set it to {{expected}}',
      underlayTooLarge: 'MTU {{value}} of {{cni}} ({{what}}) exceeds the physical MTU {{physical}}: {{cni}} takes it as the underlying network\'s MTU and subtracts {{encap}} itself, so its packets will be fragmented or dropped',
      unknownPhysical: 'MTU {{value}} of {{cni}} ({{what}}) cannot be checked against the physical MTU: {{hint}}',
    },
    sources: [
      { title: 'flannel pkg/backend/vxlan/vxlan_network.go: encapOverhead = 50, MTU() = mtu - encapOverhead', url: 'https://github.com/flannel-io/flannel/blob/cdf760595c23292fd03ff4daf03638ac1ceef417/pkg/backend/vxlan/vxlan_network.go' },
      { title: 'flannel pkg/backend/wireguard/wireguard_network.go: overhead = 80', url: 'https://github.com/flannel-io/flannel/blob/cdf760595c23292fd03ff4daf03638ac1ceef417/pkg/backend/wireguard/wireguard_network.go' },
      { title: 'flannel pkg/backend/ipip/ipip.go (MTU - 20) and udp/udp_network_amd64.go (encapOverhead = 28)', url: 'https://github.com/flannel-io/flannel/blob/cdf760595c23292fd03ff4daf03638ac1ceef417/pkg/backend/ipip/ipip.go' },
      { title: 'flannel Documentation/backends.md: Backend.MTU is the desired MTU for the outgoing packets (default: the external interface\'s)', url: 'https://github.com/flannel-io/flannel/blob/cdf760595c23292fd03ff4daf03638ac1ceef417/Documentation/backends.md' },
      { title: 'Cilium pkg/mtu/mtu.go: TunnelOverhead 50, EncryptionIPsecOverhead 77, WireguardOverhead 80, subtracted from the base MTU', url: 'https://github.com/cilium/cilium/blob/314ca7baeff4f568ffc0bad95124e40665b1f88c/pkg/mtu/mtu.go' },
      { title: 'Antrea pkg/agent/config/node_config.go: CalculateMTUDeduction (Geneve/VXLAN 50, GRE 42, IPv6 +20, WireGuard 60, IPsec ESP 38)', url: 'https://github.com/antrea-io/antrea/blob/fc70f2bb7037f398196fd42210d34800cb6aa398/pkg/agent/config/node_config.go' },
      { title: 'AWS VPC CNI README: AWS_VPC_ENI_MTU (default 9001) and POD_MTU', url: 'https://github.com/aws/amazon-vpc-cni-k8s/blob/b52188387f2e2f10bf289ace929d6a63b176a4fa/README.md' },
      { title: 'Weave Net net/bridge.go: default MTU 1376 = 1460 minus 20 + 8 + 8 + 14 (VXLAN) and 34 (ESP)', url: 'https://github.com/weaveworks/weave/blob/8c8476381d48820891356497bfcee6337e99a401/net/bridge.go' },
      { title: 'Weave Net: Using Fast Datapath, packet size (MTU)', url: 'https://github.com/weaveworks/weave/blob/8c8476381d48820891356497bfcee6337e99a401/site/tasks/manage/fastdp.md' },
    ],
    tags: ['cni', 'mtu', 'kubernetes'],
    fixable: true,
    examples: [
      {
        title: 'Canal: veth_mtu 1500 over flannel VXLAN on a 1500-byte network',
        filename: 'cluster/canal.yaml',
        code: [
          'kind: ConfigMap',
          'apiVersion: v1',
          'metadata:',
          '  name: canal-config',
          '  namespace: kube-system',
          'data:',
          '  veth_mtu: "1500"',
          '  net-conf.json: |',
          '    {',
          '      "Network": "10.244.0.0/16",',
          '      "Backend": {',
          '        "Type": "vxlan"',
          '      }',
          '    }',
          '',
        ].join('\n'),
        facts: { physicalMtu: 1500 },
        expect: 1,
      },
      {
        title: 'Cilium: the underlying network\'s MTU, with VXLAN',
        filename: 'cluster/cilium-config.yaml',
        code: ['kind: ConfigMap', 'apiVersion: v1', 'metadata:', '  name: cilium-config', '  namespace: kube-system', 'data:', '  mtu: "1500"', '  routing-mode: "tunnel"', '  tunnel-protocol: "vxlan"', ''].join('\n'),
        facts: { physicalMtu: 1500 },
        expect: 'valid',
      },
    ],
  },
  create(context) {
    const scope = context.scope;
    return {
      scope() {
        const files = new Map(scope.files.map((f) => [f.path, f]));
        for (const { configs } of cniConfigs(scope)) {
          for (const config of configs) for (const s of config.settings) check(config, s, files.get(s.file));
        }
        hostFlannelMtu(files); // a node's /run/flannel/subnet.env (none in the repository)
      },
    };

    function check(config: CniConfig, s: CniMtuSetting, file: SourceFile | undefined): void {
      if (!file) return;
      const physical = physicalMtuFor(scope, file, config.cni);
      const cni = CNI_TITLE[s.cni];
      const data = { cni, value: s.value, what: s.what };
      if (!physical.known) {
        context.report({ messageId: 'unknownPhysical', file, position: s.position, data: { ...data, hint: physical.hint }, demote: 2 });
        return;
      }
      const related: Location[] = [...evidenceOf(physical), ...config.encapsulations.map((e) => e.location)];
      const overhead = totalOverhead(config);
      const names = config.encapsulations.filter((e) => e.overhead > 0).map((e) => e.name).join(' + ');
      if (s.meaning === 'underlay') {
        if (s.value <= physical.value.mtu) return;
        const fix = s.node ? replaceNumber(s.node, String(physical.value.mtu)) : undefined;
        context.report({ messageId: 'underlayTooLarge', file, position: s.position, data: { ...data, physical: physical.value.mtu, encap: overhead ? `${overhead} bytes of ${names}` : 'nothing (no encapsulation)' }, related, fix });
        return;
      }
      const expected = config.encapsulationKnown ? physical.value.mtu - overhead : physical.value.mtu;
      const budget = config.encapsulationKnown ? describeBudget(config, physical.value.mtu) : `the physical MTU ${physical.value.mtu} (the encapsulation in use is not known)`;
      const full = { ...data, expected, budget };
      const fix = s.node ? replaceNumber(s.node, String(expected)) : undefined;
      if (s.value > expected) context.report({ messageId: 'tooLarge', file, position: s.position, data: full, related, fix });
      else if (s.value < expected && s.checkSmall && config.encapsulationKnown) context.report({ messageId: 'tooSmall', file, position: s.position, data: full, related, fix, demote: 1 });
    }

    /** A node's FLANNEL_MTU (/run/flannel/subnet.env) against its uplink, with the backend its flannel device shows. */
    function hostFlannelMtu(files: Map<string, SourceFile>): void {
      const facts = hostCniFacts(scope);
      const mtu = facts.flannelMtu;
      if (!mtu) return;
      const file = files.get(mtu.location.file);
      if (!file) return;
      const device = facts.devices.find((d) => FLANNEL_DEVICE_BACKEND.some(([re]) => re.test(d.name)));
      const type = device ? FLANNEL_DEVICE_BACKEND.find(([re]) => re.test(device.name))![1] : undefined;
      const spec = type ? flannelBackend(type) : undefined;
      const config: CniConfig = {
        cni: 'flannel',
        anchor: mtu.location,
        encapsulations: spec && device ? [{ name: `flannel ${spec.name}`, overhead: spec.overhead, location: { ...device.location, message: `flannel ${spec.name} adds ${spec.overhead} bytes: ${device.name} is flannel's ${type} device (${device.location.message})` } }] : [],
        encapsulationKnown: spec !== undefined,
        settings: [],
      };
      check(config, { cni: 'flannel', value: mtu.value, what: 'FLANNEL_MTU in /run/flannel/subnet.env', file: file.path, position: mtu.location.position, meaning: 'pod', checkSmall: true }, file);
    }
  },
});

/**
 * A fix replacing a scalar's number, keeping its quotes; none when the source
 * is not the number as written (escapes, block scalars).
 */
function replaceNumber(node: ScalarNode, text: string) {
  const start = node.position.start.offset!;
  const end = node.position.end.offset!;
  const quoted = node.style === 'single' || node.style === 'double';
  const inner = quoted ? node.source.slice(1, -1) : node.source;
  if (inner !== String(node.value)) return undefined;
  return { description: `Set the MTU to ${text}`, edits: [{ range: [quoted ? start + 1 : start, quoted ? end - 1 : end] as [number, number], text }] };
}
