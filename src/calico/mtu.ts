/**
 * One model of Calico's encapsulations and MTUs: which encapsulations a set of
 * Calico objects turns on (with where), their overheads, and every explicit
 * MTU setting with its location and the tunnel it belongs to. The Calico MTU
 * and encapsulation rules read this model instead of each walking the view.
 */
import { getItems, getScalar } from '../parsers/data-tree.js';
import type { CniRoot, Location, Position, ScalarNode, SourceFile } from '../types.js';
import { encapsulationOn, envValue, felixBool, felixFileSetting } from './settings.js';
import type { CalicoNode, CalicoView, Installation, ValueRef } from './view.js';

/**
 * Encapsulation overheads in bytes, per address family of the outer header
 * (Calico MTU guide; Felix dataplane/linux/int_dataplane.go constants).
 */
export const OVERHEAD = { 'IP-in-IP': 20, VXLAN: 50, 'VXLAN (IPv6)': 70, WireGuard: 60, 'WireGuard (IPv6)': 80 } as const;
export type Encap = keyof typeof OVERHEAD;

/** Whether an IPIP or VXLAN mode turns encapsulation on (`Always`, `CrossSubnet`). */
export const encapModeOn = encapsulationOn;

/** calico-node's "off" spellings for the default pool's modes (`Off` is a synonym of `Never`). */
const OFF = /^(never|off|false|)$/i;

/** A place that sets a Calico MTU to a positive number (0 = auto-detect is not a setting here). */
export interface MtuSetting {
  value: number;
  /** What and where, for messages: `veth_mtu in ConfigMap calico-config`. */
  what: string;
  file: string;
  position: Position;
  /** The scalar, when the value is one a fix may rewrite. */
  node?: ScalarNode;
  /** The tunnel the setting is for (ipipMTU → IP-in-IP, ...); absent for the workload (veth) MTU. */
  encap?: Encap;
  /** For a CNI conflist's setting: the file (`calico-mtu-inconsistent` names it, `calico-mtu-mismatch` does not). */
  where?: string;
  /** The setting is a literal FELIX_*MTU env value (kept separate for rules that care about the manifest literal). */
  env?: string;
}

export interface Encapsulations {
  active: Set<Encap>;
  /** Where each active encapsulation is turned on (message names the encapsulation). */
  evidence: Location[];
  /**
   * False when nothing in the set says how pods are networked (a node's
   * conflist alone): the encapsulations are then unknown, not absent.
   */
  known: boolean;
}

/** Felix parameters that set a tunnel MTU: FelixConfiguration field, env var, felix.cfg key. */
export const TUNNEL_MTUS: ReadonlyArray<{ field: string; env: string; file: string; encap: Encap }> = [
  { field: 'ipipMTU', env: 'FELIX_IPINIPMTU', file: 'IpInIpMtu', encap: 'IP-in-IP' },
  { field: 'vxlanMTU', env: 'FELIX_VXLANMTU', file: 'VXLANMTU', encap: 'VXLAN' },
  { field: 'vxlanMTUV6', env: 'FELIX_VXLANMTUV6', file: 'VXLANMTUV6', encap: 'VXLAN (IPv6)' },
  { field: 'wireguardMTU', env: 'FELIX_WIREGUARDMTU', file: 'WireguardMTU', encap: 'WireGuard' },
  { field: 'wireguardMTUV6', env: 'FELIX_WIREGUARDMTUV6', file: 'WireguardMTUV6', encap: 'WireGuard (IPv6)' },
];

/** An Installation whose Linux dataplane is `None`: Calico does not network its pods. */
export function installationWithoutDataplane(inst: Installation): boolean {
  return inst.linuxDataplane !== undefined && /^none$/i.test(inst.linuxDataplane.value.trim());
}

/** A calico-node DaemonSet in policy-only mode (`CALICO_NETWORKING_BACKEND: none`). */
function policyOnly(view: CalicoView, node: CalicoNode): boolean {
  const backend = envValue(view, node, 'CALICO_NETWORKING_BACKEND');
  return backend !== undefined && /^none$/i.test(backend.value.trim());
}

function positiveInt(raw: unknown): number | undefined {
  const v = typeof raw === 'string' ? raw.trim() : raw;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : NaN;
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

/**
 * Every explicit, non-zero MTU of one Calico set: workload MTUs (veth_mtu,
 * the CNI plugin's `mtu`, CNI_MTU, the Installation's) and tunnel MTUs
 * (FELIX_*MTU literals, FelixConfiguration fields, felix.cfg keys), in that order.
 */
export function mtuSettings(view: CalicoView, cniFiles: SourceFile[], felixFiles: SourceFile[]): MtuSetting[] {
  const out: MtuSetting[] = [];
  const add = (node: ScalarNode, file: string, what: string, extra: Partial<MtuSetting> = {}) => {
    const value = positiveInt(node.value); // templates and garbage are not MTUs
    if (value !== undefined) out.push({ value, what, file, position: node.position, node, ...extra });
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
  for (const file of cniFiles) {
    const body = (file.parsed!.tree as CniRoot).children[0]?.body ?? null;
    const plugins = getItems(body, 'plugins');
    for (const p of plugins.length ? plugins : [body]) {
      if (getScalar(p, 'type')?.value !== 'calico') continue;
      const mtu = getScalar(p, 'mtu');
      if (mtu && typeof mtu.value === 'number') add(mtu, file.path, 'mtu of the calico CNI plugin', { where: file.hostPath ?? file.path });
    }
  }
  for (const inst of view.installations) {
    if (inst.mtu && !installationWithoutDataplane(inst)) add(inst.mtu.node, inst.mtu.file, `spec.calicoNetwork.mtu of Installation ${inst.name}`);
  }
  for (const node of view.nodes) {
    for (const t of TUNNEL_MTUS) {
      const v = node.env.get(t.env)?.value; // a configMapKeyRef is the ConfigMap's value, counted there
      if (v) add(v.node, v.file, `${t.env} of DaemonSet ${node.name}`, { encap: t.encap, env: t.env });
    }
  }
  for (const fc of view.felixConfigurations) {
    for (const t of TUNNEL_MTUS) {
      const v = fc.spec.get(t.field);
      if (v) add(v.node, v.file, `${t.field} of FelixConfiguration ${fc.name}`, { encap: t.encap });
    }
  }
  for (const t of TUNNEL_MTUS) {
    const hit = felixFileSetting(felixFiles, t.file);
    if (!hit) continue;
    const n = positiveInt(hit.property.value.value);
    if (n !== undefined) {
      out.push({ value: n, what: `${hit.property.key.name} in ${hit.file.hostPath ?? hit.file.path}`, file: hit.file.path, position: hit.property.value.position, encap: t.encap });
    }
  }
  return out;
}

/**
 * A Felix boolean parameter as Felix resolves it: env var (literal or
 * ConfigMap), then felix.cfg, then the per-node FelixConfiguration
 * (`node.<name>`), then the global one (config_params.go source order).
 * Values are parsed like Felix's BoolParam ("true", "1", "yes", "y", "t",
 * any case); a value Felix cannot parse is skipped.
 */
function felixBoolSetting(
  view: CalicoView,
  felixFiles: SourceFile[],
  env: string,
  field: string,
  fileKey: string,
): Array<{ value: boolean; file: string; position: Position; how: string }> {
  const out: Array<{ value: boolean; file: string; position: Position; how: string }> = [];
  for (const node of view.nodes) {
    if (policyOnly(view, node)) continue;
    const v = envValue(view, node, env);
    const b = v ? felixBool(v.value) : undefined;
    if (v && b !== undefined) out.push({ value: b, file: v.file, position: v.node.position, how: `${env} ${JSON.stringify(v.value)}` });
  }
  if (out.length) return out;
  const hit = felixFileSetting(felixFiles, fileKey);
  const fb = hit ? felixBool(hit.property.value.value) : undefined;
  if (hit && fb !== undefined) return [{ value: fb, file: hit.file.path, position: hit.property.value.position, how: `${hit.property.key.name} ${hit.property.value.value.trim()} in ${hit.file.hostPath ?? 'felix.cfg'}` }];
  const ordered = [...view.felixConfigurations].sort((a, b) => Number(b.name.startsWith('node.')) - Number(a.name.startsWith('node.')));
  for (const fc of ordered) {
    const v = fc.spec.get(field) as ValueRef<unknown> | undefined;
    const b = v ? felixBool(v.value) : undefined;
    if (v && b !== undefined) out.push({ value: b, file: v.file, position: v.node.position, how: `FelixConfiguration ${fc.name} ${field}: ${String(v.value)}` });
  }
  return out;
}

/** The encapsulations a Calico set turns on: IP pools, Installation pools, calico-node env, Felix's WireGuard switches. */
export function encapsulations(view: CalicoView, felixFiles: SourceFile[] = []): Encapsulations {
  const active = new Set<Encap>();
  const evidence: Location[] = [];
  const on = (e: Encap, file: string, position: Position, how: string) => {
    active.add(e);
    evidence.push({ file, position, message: `${e} is enabled: ${how}` });
  };
  for (const pool of view.ipPools) {
    const v6 = (pool.cidr?.value ?? '').includes(':');
    if (pool.ipipMode && encapModeOn(pool.ipipMode.value)) on('IP-in-IP', pool.file, pool.ipipMode.node.position, `IPPool ${pool.name} ipipMode ${pool.ipipMode.value}`);
    if (pool.vxlanMode && encapModeOn(pool.vxlanMode.value)) on(v6 ? 'VXLAN (IPv6)' : 'VXLAN', pool.file, pool.vxlanMode.node.position, `IPPool ${pool.name} vxlanMode ${pool.vxlanMode.value}`);
  }
  const installations = view.installations.filter((i) => !installationWithoutDataplane(i));
  for (const inst of installations) {
    for (const pool of inst.ipPools) {
      const enc = pool.encapsulation;
      if (!enc) continue;
      const v6 = (pool.cidr?.value ?? '').includes(':');
      if (/^IPIP/i.test(enc.value)) on('IP-in-IP', enc.file, enc.node.position, `Installation ${inst.name} encapsulation ${enc.value}`);
      if (/^VXLAN/i.test(enc.value)) on(v6 ? 'VXLAN (IPv6)' : 'VXLAN', enc.file, enc.node.position, `Installation ${inst.name} encapsulation ${enc.value}`);
    }
  }
  const haveDeclaredPools = view.ipPools.length > 0 || installations.some((i) => i.ipPools.length > 0);
  const networkingNodes = view.nodes.filter((n) => !policyOnly(view, n));
  if (!haveDeclaredPools) {
    // The env only shapes the pool calico-node creates when there is none.
    for (const node of networkingNodes) {
      const ipip = envValue(view, node, 'CALICO_IPV4POOL_IPIP');
      const vxlan = envValue(view, node, 'CALICO_IPV4POOL_VXLAN');
      if (ipip ? !OFF.test(ipip.value.trim()) : !vxlan || OFF.test(vxlan.value.trim())) {
        const at = ipip?.node.position ?? node.env.get('CALICO_IPV4POOL_IPIP')?.nameNode.position ?? node.document.position;
        on('IP-in-IP', ipip?.file ?? node.file, at, ipip ? `CALICO_IPV4POOL_IPIP ${ipip.value}` : 'CALICO_IPV4POOL_IPIP unset (default Always)');
      }
      if (vxlan && !OFF.test(vxlan.value.trim())) on('VXLAN', vxlan.file, vxlan.node.position, `CALICO_IPV4POOL_VXLAN ${vxlan.value}`);
      // calico-node creates an IPv6 pool only when Felix has IPv6 support on.
      const ipv6 = envValue(view, node, 'FELIX_IPV6SUPPORT');
      const vxlan6 = ipv6 && felixBool(ipv6.value) === true ? envValue(view, node, 'CALICO_IPV6POOL_VXLAN') : undefined;
      if (vxlan6 && !OFF.test(vxlan6.value.trim())) on('VXLAN (IPv6)', vxlan6.file, vxlan6.node.position, `CALICO_IPV6POOL_VXLAN ${vxlan6.value}`);
    }
  }
  for (const [encap, env, field, fileKey] of [
    ['WireGuard', 'FELIX_WIREGUARDENABLED', 'wireguardEnabled', 'WireguardEnabled'],
    ['WireGuard (IPv6)', 'FELIX_WIREGUARDENABLEDV6', 'wireguardEnabledV6', 'WireguardEnabledV6'],
  ] as const) {
    for (const s of felixBoolSetting(view, felixFiles, env, field, fileKey)) if (s.value) on(encap, s.file, s.position, s.how);
  }
  const known = view.nodes.length > 0 || view.ipPools.length > 0 || installations.length > 0 || active.size > 0;
  return { active, evidence, known };
}

/** The largest overhead among the active encapsulations, and its name (`no encapsulation`, 0 when none). */
export function largestOverhead(active: Set<Encap>): { encap: Encap | 'no encapsulation'; overhead: number } {
  let encap: Encap | 'no encapsulation' = 'no encapsulation';
  let overhead = 0;
  for (const e of active) {
    if (OVERHEAD[e] > overhead) {
      overhead = OVERHEAD[e];
      encap = e;
    }
  }
  return { encap, overhead };
}
