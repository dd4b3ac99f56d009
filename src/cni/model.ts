/**
 * The encapsulation and MTU model of the CNIs other than Calico (Calico's own
 * model lives with its view): for each CNI configuration found, the
 * encapsulations it makes active, each with its overhead and the setting (or
 * default) that chooses it, and every explicit MTU setting with its location
 * and its meaning — the pods' MTU, or the underlying network's, from which
 * the CNI subtracts its overheads itself.
 *
 * Overheads come from each project's own source (see `OVERHEADS`); readers
 * per CNI live in src/cni/<cni>.ts and produce these shapes.
 */
import { OVERHEAD as CALICO_OVERHEAD, type Encap, type Encapsulations, type MtuSetting } from '../calico/mtu.js';
import type { Location } from '../types.js';

export type CniName = 'flannel' | 'canal' | 'cilium' | 'antrea' | 'aws-vpc-cni' | 'weave';

/** Human names, for messages. */
export const CNI_TITLE: Record<CniName, string> = {
  flannel: 'flannel',
  canal: 'Canal',
  cilium: 'Cilium',
  antrea: 'Antrea',
  'aws-vpc-cni': 'AWS VPC CNI',
  weave: 'Weave Net',
};

/**
 * Overheads in bytes, as each project's source subtracts them.
 * - flannel: pkg/backend/vxlan/vxlan_network.go `encapOverhead = 50`;
 *   wireguard/wireguard_network.go `overhead = 80`; ipip/ipip.go `MTU - 20`;
 *   udp/udp_network_amd64.go `encapOverhead = 28`; ipsec/ipsec_network.go
 *   `ipsecOverhead = 77` (+8 with UDP encapsulation); host-gw: route_network.go, none.
 * - Cilium: pkg/mtu/mtu.go `TunnelOverhead = 50` (VXLAN and Geneve),
 *   `EncryptionIPsecOverhead = 77`, `WireguardOverhead = 80`.
 * - Antrea: pkg/agent/config/node_config.go vxlanOverhead 50, geneveOverhead 50,
 *   greOverhead 42, ipv6ExtraOverhead 20, WireGuardOverhead 60, IPSecESPOverhead 38.
 * - Weave Net: net/bridge.go — fast datapath (VXLAN) 50 = 20 + 8 + 8 + 14, and
 *   34 more for ESP when encryption is on (1460 − 1376 = 84).
 */
export const OVERHEADS = {
  flannel: { vxlan: 50, wireguard: 80, ipip: 20, udp: 28, ipsec: 77, 'host-gw': 0 },
  cilium: { vxlan: 50, geneve: 50, ipsec: 77, wireguard: 80 },
  antrea: { geneve: 50, vxlan: 50, gre: 42, stt: 0, ipv6: 20, wireGuard: 60, ipsec: 38 },
  weave: { fastdp: 50, esp: 34 },
} as const;

/** One encapsulation (or encryption) a CNI configuration makes active. */
export interface CniEncapsulation {
  /** `VXLAN`, `Geneve`, `WireGuard`, `IPsec`, `GRE`, `IP-in-IP`, `UDP`, `fast datapath`, ... */
  name: string;
  overhead: number;
  /** The setting that chooses it, or the object whose default it is (message: what and why). */
  location: Location;
}

/** What an MTU setting means to its CNI. */
export type MtuMeaning =
  /** The MTU of pod interfaces: must be at most the physical MTU minus the active overheads. */
  | 'pod'
  /** The underlying network's MTU: the CNI subtracts its overheads itself; must be at most the physical MTU. */
  | 'underlay';

/**
 * An explicit MTU setting of a CNI configuration: the shape of Calico's
 * `MtuSetting` (src/calico/mtu.ts: value, what, file, position, the scalar
 * for a fix), plus which CNI it belongs to and what it means to that CNI.
 */
export interface CniMtuSetting extends Pick<MtuSetting, 'value' | 'what' | 'file' | 'position' | 'node'> {
  cni: CniName;
  meaning: MtuMeaning;
  /** Whether a value below the physical MTU minus the overheads deserves a warning (overlays' pod MTUs). */
  checkSmall: boolean;
}

/**
 * Calico's active encapsulations in this model's shape (one entry per
 * encapsulation, its overhead from Felix's constants and the setting that
 * turns it on), so that every CNI's encapsulations read alike.
 */
export function fromCalicoEncapsulations(e: Encapsulations): CniEncapsulation[] {
  return [...e.active].map((encap: Encap) => {
    const location = e.evidence.find((l) => l.message?.includes(encap)) ?? e.evidence[0]!;
    return { name: `Calico ${encap}`, overhead: CALICO_OVERHEAD[encap], location };
  });
}

/** One CNI configuration: a ConfigMap, DaemonSet or chart values of one CNI in one directory (or on one host). */
export interface CniConfig {
  cni: CniName;
  /** Where the configuration is (the object), for findings that concern it as a whole. */
  anchor: Location;
  /** Active encapsulations; their overheads add up. Native routing is an entry with overhead 0 (evidence only). */
  encapsulations: CniEncapsulation[];
  /** False when what is active could not be read (an unknown backend type): only `> physical` is certain. */
  encapsulationKnown: boolean;
  settings: CniMtuSetting[];
}

/** Sum of the overheads of the active encapsulations. */
export function totalOverhead(config: CniConfig): number {
  return config.encapsulations.reduce((n, e) => n + e.overhead, 0);
}

/**
 * What the overheads leave of a physical MTU, in words: `physical MTU 1500
 * minus 50 bytes of flannel VXLAN`, `physical MTU 1500 minus 80 bytes of
 * Antrea GRE (42) + Antrea IPsec ESP (38)`, or `the physical MTU 1500, with no
 * encapsulation (flannel host-gw)`.
 */
export function describeBudget(config: CniConfig, physical: number): string {
  const active = config.encapsulations.filter((e) => e.overhead > 0);
  const total = totalOverhead(config);
  if (active.length === 0) {
    const none = config.encapsulations.find((e) => e.overhead === 0);
    return `the physical MTU ${physical}, with no encapsulation${none ? ` (${none.name})` : ''}`;
  }
  const what = active.length === 1 ? active[0]!.name : active.map((e) => `${e.name} (${e.overhead})`).join(' + ');
  return `physical MTU ${physical} minus ${total} bytes of ${what}`;
}

/** `flannel VXLAN`, `Antrea GRE + Antrea IPsec ESP`, or `no encapsulation`. */
export function describeEncapsulations(config: CniConfig): string {
  const active = config.encapsulations.filter((e) => e.overhead > 0);
  return active.length ? active.map((e) => `${e.name} (${e.overhead} bytes)`).join(' + ') : 'no encapsulation';
}

/** Interfaces each CNI creates for its overlay (the MTU of pod traffic on the wire between nodes). */
export const CNI_DEVICES: Array<{ pattern: RegExp; cni: CniName | 'calico'; meaning: 'pod' | 'underlay' }> = [
  { pattern: /^flannel\.\d+$/, cni: 'flannel', meaning: 'pod' },
  { pattern: /^flannel-v6\.\d+$/, cni: 'flannel', meaning: 'pod' },
  { pattern: /^flannel-wg(-v6)?$/, cni: 'flannel', meaning: 'pod' },
  { pattern: /^flannel\.ipip$/, cni: 'flannel', meaning: 'pod' },
  { pattern: /^flannel0$/, cni: 'flannel', meaning: 'pod' },
  { pattern: /^cni0$/, cni: 'flannel', meaning: 'pod' },
  { pattern: /^cilium_(vxlan|geneve)$/, cni: 'cilium', meaning: 'underlay' },
  { pattern: /^cilium_wg0$/, cni: 'cilium', meaning: 'pod' },
  { pattern: /^antrea-gw0$/, cni: 'antrea', meaning: 'pod' },
  { pattern: /^weave$/, cni: 'weave', meaning: 'pod' },
  { pattern: /^vxlan\.calico$/, cni: 'calico', meaning: 'pod' },
  { pattern: /^vxlan-v6\.calico$/, cni: 'calico', meaning: 'pod' },
  { pattern: /^tunl0$/, cni: 'calico', meaning: 'pod' },
  { pattern: /^wireguard\.cali$/, cni: 'calico', meaning: 'pod' },
  { pattern: /^wg-v6\.cali$/, cni: 'calico', meaning: 'pod' },
];

/** The CNI a node's CNI configuration belongs to, from the plugin `type` of the file the runtime uses. */
export function cniOfPluginType(type: string, fileName: string): CniName | 'calico' | undefined {
  switch (type) {
    case 'flannel':
      return 'flannel';
    case 'calico':
      return /canal/i.test(fileName) ? 'canal' : 'calico';
    case 'cilium-cni':
      return 'cilium';
    case 'antrea':
      return 'antrea';
    case 'aws-cni':
    case 'vpc-cni':
      return 'aws-vpc-cni';
    case 'weave-net':
    case 'weave-plugin-2.8.1':
      return 'weave';
    default:
      return type.startsWith('weave-') ? 'weave' : undefined;
  }
}
