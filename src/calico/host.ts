/**
 * What Calico rules need to know about a node to join it with the cluster's
 * manifests: the reverse-path filter setting Felix checks, the interfaces
 * Felix auto-detects the MTU from, the node's felix.cfg settings, and whether
 * the node has its own calico CNI configuration. Plain data, so that a fleet
 * audit can compute it where the host is linted and send it along.
 */
import { interfaces } from '../facts/interfaces.js';
import { liveValue as live } from '../facts/live-sysctl.js';
import type { FactScope } from '../facts/provider.js';
import { getItems, getScalar } from '../parsers/data-tree.js';
import type { CniRoot, Location } from '../types.js';
import { felixFileSetting } from './settings.js';
import { ORIGIN } from '../util/position.js';

/** Felix's default mtuIfacePattern (the interfaces it auto-detects the host MTU from). */
export const CALICO_DEFAULT_MTU_IFACE_PATTERN = '^((en|wl|ww|sl|ib)[Pcopsvx].*|(eth|wlan|wwan).*)';
export const CALICO_DEFAULT_MTU_IFACE = new RegExp(CALICO_DEFAULT_MTU_IFACE_PATTERN);

export interface HostCalicoFacts {
  /** `net.ipv4.conf.all.rp_filter`: the value the sysctl files set and the live one, where known. */
  rpFilter: Array<{ value: string; how: 'configured' | 'live'; location: Location }>;
  /** Interfaces from /sys/class/net or `ip link` output. */
  interfaces: Array<{ name: string; mtu: number; state?: string; location: Location }>;
  /** Settings of the host's felix.cfg that the rules read, by Felix parameter name in lower case. */
  felix: Record<string, { value: string; location: Location }>;
  /** The `mtu` of the host's calico CNI plugin configuration (/etc/cni/net.d), when there is one. */
  cniMtu?: { value: number | null; location: Location };
}

const RP_FILTER = 'net.ipv4.conf.all.rp_filter';
const FELIX_KEYS = ['IgnoreLooseRPF', 'MTUIfacePattern'];

export function hostCalicoFacts(scope: FactScope): HostCalicoFacts {
  return scope.derive('hostCalicoFacts', () => readHostCalico(scope));
}

function readHostCalico(scope: FactScope): HostCalicoFacts {
  const out: HostCalicoFacts = { rpFilter: [], interfaces: [], felix: Object.create(null) as HostCalicoFacts['felix'] };
  const set = scope.sysctlSets()[0];
  const eff = set?.effective(RP_FILTER);
  if (eff) out.rpFilter.push({ value: eff.value.trim(), how: 'configured', location: { file: eff.file.path, position: eff.node.value.position, message: `${RP_FILTER} = ${eff.value.trim()} on ${scope.name}` } });
  const liveValue = live(scope, RP_FILTER);
  if (liveValue) out.rpFilter.push({ value: liveValue.value.trim(), how: 'live', location: { file: liveValue.file.path, position: liveValue.position, message: `Live ${RP_FILTER} = ${liveValue.value.trim()} on ${scope.name}` } });
  for (const i of interfaces(scope)) {
    out.interfaces.push({ name: i.name, mtu: i.mtu, ...(i.state !== undefined ? { state: i.state } : {}), location: { file: i.evidence.file, position: i.evidence.position ?? ORIGIN, message: i.evidence.message } });
  }
  const felixFiles = scope.filesOf('felix');
  for (const key of FELIX_KEYS) {
    const hit = felixFileSetting(felixFiles, key);
    if (hit) out.felix[key.toLowerCase()] = { value: hit.property.value.value, location: { file: hit.file.path, position: hit.property.value.position, message: `${hit.property.key.name} = ${hit.property.value.value} in ${hit.file.hostPath ?? hit.file.path}` } };
  }
  for (const file of scope.filesOf('cni')) {
    const body = (file.parsed!.tree as CniRoot).children[0]?.body ?? null;
    const plugins = getItems(body, 'plugins');
    for (const p of plugins.length ? plugins : [body]) {
      if (getScalar(p, 'type')?.value !== 'calico') continue;
      const mtu = getScalar(p, 'mtu');
      const typeNode = getScalar(p, 'type')!;
      const value = mtu && typeof mtu.value === 'number' ? mtu.value : null;
      out.cniMtu = { value, location: { file: file.path, position: (mtu ?? typeNode).position, message: mtu ? `mtu ${String(mtu.value)} of the calico CNI plugin` : 'calico CNI plugin without mtu' } };
    }
  }
  return out;
}

