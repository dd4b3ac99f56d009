import {
  defineRule,
  evidenceOf,
  felixFileSetting,
  getItems,
  getScalar,
  type CalicoView,
  type CniRoot,
  type Location,
  type Position,
  type ScalarNode,
  type SourceFile,
} from '../src/rule-api.js';

/** Encapsulation overheads in bytes (Calico MTU docs; Felix int_dataplane.go constants). */
const OVERHEAD = { 'IP-in-IP': 20, VXLAN: 50, 'VXLAN (IPv6)': 70, WireGuard: 60, 'WireGuard (IPv6)': 80 } as const;
type Encap = keyof typeof OVERHEAD;

const ENABLED_MODES = /^(always|crosssubnet)$/i;
const OFF = /^(never|off|false|)$/i;

/** A place that sets a Calico MTU. */
interface MtuSetting {
  value: number;
  what: string;
  file: string;
  position: Position;
  node?: ScalarNode;
  /** The tunnel the setting is for, when its name says (felix.cfg's IpInIpMtu, VXLANMTU, ...). */
  encap?: Encap;
}

export default defineRule({
  meta: {
    id: 'calico-mtu-mismatch',
    type: 'problem',
    description: 'Require Calico MTUs to equal the physical MTU minus the overhead of the enabled encapsulation',
    rationale: [
      'Calico wraps pod traffic in IP-in-IP (20 bytes), VXLAN (50, or 70 over IPv6) or WireGuard (60, or 80 over IPv6). The pod (veth) and tunnel MTUs must leave room for that header: Calico\'s recommendation is the physical MTU minus the largest overhead in use, e.g. 1480 for IP-in-IP on a 1500-byte network, 1450 for VXLAN.',
      'An MTU **larger** than that makes packets that fit the pod interface too big for the wire once encapsulated: they are fragmented or, with DF set, dropped — connections hang once they send full-size segments. An MTU **smaller** than that works but wastes capacity on every packet (reported one level lower). `0` means auto-detection (Calico ≥ 3.17) and is not checked here.',
      'The physical MTU is the smallest MTU among the host\'s interfaces that are up and match Calico\'s default `mtuIfacePattern`, taken from node snapshots (`sys/class/net/<if>/mtu`, `ip` output) or from `facts.physicalMtu`; for the cluster\'s manifests it is the smallest among the run\'s Kubernetes nodes (a fleet audit). When it is unknown the rule only leaves a note. On a host, the tunnel MTUs of Felix\'s `felix.cfg` (`IpInIpMtu`, `VXLANMTU`, `WireguardMTU`, ...) are checked against the overhead of their own tunnel.',
    ].join('\n\n'),
    severity: 'error',
    precision: 'medium',
    languages: ['kube', 'cni'],
    messages: {
      tooLarge: 'Calico MTU {{value}} ({{what}}) exceeds {{expected}}: physical MTU {{physical}} minus {{overhead}} bytes of {{encap}}; encapsulated packets will be fragmented or dropped',
      tooSmall: 'Calico MTU {{value}} ({{what}}) is below {{expected}}: physical MTU {{physical}} minus {{overhead}} bytes of {{encap}}; set it to {{expected}}',
      unknownPhysical: 'Calico MTU {{value}} ({{what}}) cannot be checked against the physical MTU: {{hint}}',
    },
    sources: [
      { title: 'Calico: Configure MTU to maximize network performance (overheads and recommended values)', url: 'https://docs.tigera.io/calico/latest/networking/configuring/mtu' },
      { title: 'Felix dataplane/linux/int_dataplane.go: ipipMTUOverhead 20, vxlanMTUOverhead 50, wireguardMTUOverhead 60', url: 'https://github.com/projectcalico/calico/blob/master/felix/dataplane/linux/int_dataplane.go' },
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
        for (const { view, cni, felix } of scope.calicoSets()) check(view, cni, felix ?? []);
      },
    };

    function check(view: CalicoView, cniFiles: SourceFile[], felixFiles: SourceFile[]): void {
      const settings = [...mtuSettings(view), ...cniFiles.flatMap(cniMtu), ...felixCfgMtu(felixFiles)];
      if (settings.length === 0) return;
      const { encaps, evidence, known } = enabledEncapsulations(view);
      let encap = 'no encapsulation';
      let overhead = 0;
      for (const e of encaps) {
        if (OVERHEAD[e] > overhead) {
          overhead = OVERHEAD[e];
          encap = e;
        }
      }
      const files = new Map(scope.files.map((f) => [f.path, f]));
      for (const s of settings) {
        const file = files.get(s.file);
        if (!file) continue;
        const physical = scope.facts(file).physicalMtu;
        const data = { value: s.value, what: s.what };
        if (!physical.known) {
          context.report({ messageId: 'unknownPhysical', file, position: s.position, data: { ...data, hint: physical.hint }, demote: 2 });
          continue;
        }
        // A tunnel's own MTU (felix.cfg's IpInIpMtu, ...) leaves room for that tunnel's header.
        const sEncap = s.encap ?? encap;
        const sOverhead = s.encap ? OVERHEAD[s.encap] : overhead;
        const expected = physical.value.mtu - sOverhead;
        if (s.value === expected || (!s.encap && !known && s.value <= physical.value.mtu)) continue;
        const related: Location[] = [...evidenceOf(physical), ...evidence.filter((e) => e.message?.includes(sEncap))];
        const full = { ...data, expected, physical: physical.value.mtu, overhead: sOverhead, encap: sEncap };
        const fix = s.node ? replaceNumber(s.node, String(expected)) : undefined;
        if (s.value > expected) context.report({ messageId: 'tooLarge', file, position: s.position, data: full, related, fix });
        else context.report({ messageId: 'tooSmall', file, position: s.position, data: full, related, fix, demote: 1 });
      }
    }
  },
});

/** felix.cfg parameters that set a tunnel's MTU (Felix config_params.go; names are case-insensitive). */
const FELIX_CFG_MTUS: Array<[string, Encap]> = [
  ['IpInIpMtu', 'IP-in-IP'],
  ['VXLANMTU', 'VXLAN'],
  ['VXLANMTUV6', 'VXLAN (IPv6)'],
  ['WireguardMTU', 'WireGuard'],
  ['WireguardMTUV6', 'WireGuard (IPv6)'],
];

/** The tunnel MTUs a host's felix.cfg sets (explicit, non-zero). */
function felixCfgMtu(files: SourceFile[]): MtuSetting[] {
  const out: MtuSetting[] = [];
  for (const [key, encap] of FELIX_CFG_MTUS) {
    const hit = felixFileSetting(files, key);
    if (!hit) continue;
    const raw = hit.property.value.value.trim();
    if (!/^\d+$/.test(raw) || Number(raw) <= 0) continue;
    out.push({ value: Number(raw), what: `${hit.property.key.name} in ${hit.file.hostPath ?? 'felix.cfg'}`, file: hit.file.path, position: hit.property.value.position, encap });
  }
  return out;
}

/** Every explicit, non-zero MTU in the Calico objects. */
function mtuSettings(view: CalicoView): MtuSetting[] {
  const out: MtuSetting[] = [];
  const add = (node: ScalarNode, file: string, what: string) => {
    const n = Number(typeof node.value === 'string' ? node.value.trim() : node.value);
    if (!Number.isInteger(n) || n <= 0) return; // 0 = auto-detect; templates and garbage are not MTUs
    out.push({ value: n, what, file, position: node.position, node });
  };
  for (const cm of view.configMaps) {
    const v = cm.data.get('veth_mtu');
    if (v) add(v.node, v.file, `veth_mtu in ConfigMap ${cm.name}`);
    const cni = cm.cni?.mtu;
    if (cni && !cni.placeholder && /^\d+$/.test(cni.raw) && Number(cni.raw) > 0) {
      out.push({ value: Number(cni.raw), what: `"mtu" in cni_network_config of ConfigMap ${cm.name}`, file: cm.file, position: cni.position });
    }
  }
  for (const node of view.nodes) {
    for (const name of ['FELIX_IPINIPMTU', 'FELIX_VXLANMTU', 'FELIX_VXLANMTUV6', 'FELIX_WIREGUARDMTU', 'FELIX_WIREGUARDMTUV6']) {
      const env = node.env.get(name);
      if (env?.value) add(env.value.node, env.value.file, `${name} of DaemonSet ${node.name}`); // a configMapKeyRef is reported at the ConfigMap
    }
    const cniMtuEnv = node.installCniEnv.get('CNI_MTU');
    if (cniMtuEnv?.value) add(cniMtuEnv.value.node, cniMtuEnv.value.file, `CNI_MTU of DaemonSet ${node.name}`);
  }
  for (const inst of view.installations) if (inst.mtu) add(inst.mtu.node, inst.mtu.file, `spec.calicoNetwork.mtu of Installation ${inst.name}`);
  for (const fc of view.felixConfigurations) {
    for (const field of ['ipipMTU', 'vxlanMTU', 'vxlanMTUV6', 'wireguardMTU', 'wireguardMTUV6']) {
      const v = fc.spec.get(field);
      if (v) add(v.node, v.file, `${field} of FelixConfiguration ${fc.name}`);
    }
  }
  return out;
}

/** The `mtu` of the calico plugin in a CNI conflist. */
function cniMtu(file: SourceFile): MtuSetting[] {
  const body = (file.parsed!.tree as CniRoot).children[0]?.body ?? null;
  const plugins = getItems(body, 'plugins');
  const candidates = plugins.length ? plugins : [body];
  const out: MtuSetting[] = [];
  for (const p of candidates) {
    if (getScalar(p, 'type')?.value !== 'calico') continue;
    const mtu = getScalar(p, 'mtu');
    if (mtu && typeof mtu.value === 'number' && Number.isInteger(mtu.value) && mtu.value > 0) {
      out.push({ value: mtu.value, what: 'mtu of the calico CNI plugin', file: file.path, position: mtu.position, node: mtu });
    }
  }
  return out;
}

/**
 * Encapsulations the Calico objects enable, with where each is enabled.
 * `known` is false when nothing in the set declares how pods are networked
 * (e.g. a node's conflist alone): then only an MTU above the physical one is
 * certain to be wrong.
 */
function enabledEncapsulations(view: CalicoView): { encaps: Set<Encap>; evidence: Location[]; known: boolean } {
  const encaps = new Set<Encap>();
  const evidence: Location[] = [];
  const on = (e: Encap, file: string, position: Position, how: string) => {
    encaps.add(e);
    evidence.push({ file, position, message: `${e} is enabled: ${how}` });
  };
  for (const pool of view.ipPools) {
    const v6 = (pool.cidr?.value ?? '').includes(':');
    if (pool.ipipMode && ENABLED_MODES.test(pool.ipipMode.value)) on('IP-in-IP', pool.file, pool.ipipMode.node.position, `IPPool ${pool.name} ipipMode ${pool.ipipMode.value}`);
    if (pool.vxlanMode && ENABLED_MODES.test(pool.vxlanMode.value)) on(v6 ? 'VXLAN (IPv6)' : 'VXLAN', pool.file, pool.vxlanMode.node.position, `IPPool ${pool.name} vxlanMode ${pool.vxlanMode.value}`);
  }
  for (const inst of view.installations) {
    for (const pool of inst.ipPools) {
      const enc = pool.encapsulation;
      if (!enc) continue;
      const v6 = (pool.cidr?.value ?? '').includes(':');
      if (/^IPIP/i.test(enc.value)) on('IP-in-IP', enc.file, enc.node.position, `Installation ${inst.name} encapsulation ${enc.value}`);
      if (/^VXLAN/i.test(enc.value)) on(v6 ? 'VXLAN (IPv6)' : 'VXLAN', enc.file, enc.node.position, `Installation ${inst.name} encapsulation ${enc.value}`);
    }
  }
  const haveDeclaredPools = view.ipPools.length > 0 || view.installations.some((i) => i.ipPools.length > 0);
  const configValue = (ref: { name: string; key: string } | undefined) =>
    ref ? view.configMaps.find((c) => c.name === ref.name)?.data.get(ref.key) : undefined;
  for (const node of view.nodes) {
    const envValue = (name: string) => {
      const env = node.env.get(name);
      return env?.value ?? configValue(env?.configMapKeyRef);
    };
    const backend = envValue('CALICO_NETWORKING_BACKEND');
    if (backend && /^none$/i.test(backend.value)) continue; // policy-only: no Calico networking
    if (!haveDeclaredPools) {
      const ipip = envValue('CALICO_IPV4POOL_IPIP');
      const vxlan = envValue('CALICO_IPV4POOL_VXLAN');
      if (ipip ? !OFF.test(ipip.value) : !vxlan || OFF.test(vxlan.value)) {
        const at = ipip?.node.position ?? node.env.get('CALICO_IPV4POOL_IPIP')?.nameNode.position ?? node.document.position;
        on('IP-in-IP', ipip?.file ?? node.file, at, ipip ? `CALICO_IPV4POOL_IPIP ${ipip.value}` : 'CALICO_IPV4POOL_IPIP unset (default Always)');
      }
      if (vxlan && !OFF.test(vxlan.value)) on('VXLAN', vxlan.file, vxlan.node.position, `CALICO_IPV4POOL_VXLAN ${vxlan.value}`);
      // calico-node creates an IPv6 pool only when Felix has IPv6 support on.
      const ipv6 = envValue('FELIX_IPV6SUPPORT');
      const vxlan6 = ipv6 && /^true$/i.test(ipv6.value) ? envValue('CALICO_IPV6POOL_VXLAN') : undefined;
      if (vxlan6 && !OFF.test(vxlan6.value)) on('VXLAN (IPv6)', vxlan6.file, vxlan6.node.position, `CALICO_IPV6POOL_VXLAN ${vxlan6.value}`);
    }
    const wg = envValue('FELIX_WIREGUARDENABLED');
    if (wg && /^true$/i.test(wg.value)) on('WireGuard', wg.file, wg.node.position, 'FELIX_WIREGUARDENABLED true');
    const wg6 = envValue('FELIX_WIREGUARDENABLEDV6');
    if (wg6 && /^true$/i.test(wg6.value)) on('WireGuard (IPv6)', wg6.file, wg6.node.position, 'FELIX_WIREGUARDENABLEDV6 true');
  }
  for (const fc of view.felixConfigurations) {
    const wg = fc.spec.get('wireguardEnabled');
    if (wg && wg.value === true) on('WireGuard', wg.file, wg.node.position, `FelixConfiguration ${fc.name} wireguardEnabled`);
    const wg6 = fc.spec.get('wireguardEnabledV6');
    if (wg6 && wg6.value === true) on('WireGuard (IPv6)', wg6.file, wg6.node.position, `FelixConfiguration ${fc.name} wireguardEnabledV6`);
  }
  const known = view.nodes.length > 0 || view.ipPools.length > 0 || view.installations.length > 0 || encaps.size > 0;
  return { encaps, evidence, known };
}

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
