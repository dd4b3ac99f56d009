/**
 * flannel and Canal: the `net-conf.json` of the flannel ConfigMap
 * (`kube-flannel-cfg`, or Canal's `canal-config`), whose `Backend.Type`
 * chooses the encapsulation (flannel's pkg/subnet/config.go: `udp` when
 * omitted) and whose `Backend.MTU` (vxlan and wireguard backends) is the MTU
 * "for the outgoing packets" — the underlying network's: flannel subtracts its
 * overhead from it for the flannel device and `FLANNEL_MTU`
 * (pkg/backend/vxlan/vxlan.go, vxlan_network.go, device.go). Canal's
 * `veth_mtu` is the pods' MTU (Calico's CNI plugin, over flannel's backend;
 * Calico adds no encapsulation of its own).
 */
import { getScalar, isScalar } from '../parsers/data-tree.js';
import type { ScalarNode, SourceFile } from '../types.js';
import { configMapData, embedded, locationOf, mtuNumber, type KubeObject, type Located } from './kube.js';
import { OVERHEADS, type CniConfig, type CniEncapsulation } from './model.js';

const BACKENDS: Record<string, { name: string; overhead: number }> = {
  vxlan: { name: 'VXLAN', overhead: OVERHEADS.flannel.vxlan },
  wireguard: { name: 'WireGuard', overhead: OVERHEADS.flannel.wireguard },
  ipip: { name: 'IP-in-IP', overhead: OVERHEADS.flannel.ipip },
  udp: { name: 'UDP', overhead: OVERHEADS.flannel.udp },
  ipsec: { name: 'IPsec', overhead: OVERHEADS.flannel.ipsec },
  'host-gw': { name: 'host-gw', overhead: 0 },
};

/** Backends whose `Backend.MTU` flannel reads (the external MTU it subtracts its overhead from). */
const MTU_BACKENDS = new Set(['vxlan', 'wireguard']);

interface NetConf {
  backend?: { type: string; encapsulation?: CniEncapsulation; known: boolean };
  mtu?: { value: number; node: ScalarNode; position: import('../types.js').Position };
}

/** Read `net-conf.json` of a ConfigMap value. */
function readNetConf(file: SourceFile, holder: Located, objectWhat: string): NetConf | undefined {
  const doc = embedded(file, holder.node, 'json');
  if (!doc) return undefined;
  const out: NetConf = {};
  const typeNode = getScalar(doc.body, 'Backend', 'Type');
  const type = typeNode && typeof typeNode.value === 'string' ? typeNode.value.toLowerCase() : 'udp';
  const spec = BACKENDS[type];
  const typePos = typeNode ? doc.positionOf(typeNode) : undefined;
  const at = typePos ?? holder.node.position;
  const how = typeNode ? `Backend.Type ${JSON.stringify(typeNode.value)} in net-conf.json of ${objectWhat}` : `Backend.Type unset in net-conf.json of ${objectWhat} (flannel's default: udp)`;
  out.backend = {
    type,
    known: spec !== undefined,
    ...(spec ? { encapsulation: { name: `flannel ${spec.name}`, overhead: spec.overhead, location: locationOf(file, at, spec.overhead ? `flannel ${spec.name} adds ${spec.overhead} bytes: ${how}` : `flannel ${spec.name} routes without encapsulation: ${how}`) } } : {}),
  };
  const mtuNode = getScalar(doc.body, 'Backend', 'MTU');
  const mtu = mtuNode && typeof mtuNode.value === 'number' ? mtuNumber(mtuNode) : undefined;
  const mtuPos = mtuNode ? doc.positionOf(mtuNode) : undefined;
  if (mtu !== undefined && mtuPos && isScalar(mtuNode) && MTU_BACKENDS.has(type)) out.mtu = { value: mtu, node: mtuNode!, position: mtuPos };
  return out;
}

/** A flannel ConfigMap (any ConfigMap with `net-conf.json`, except Canal's). */
export function readFlannel(obj: KubeObject): CniConfig | undefined {
  if (obj.kind !== 'ConfigMap' || isCanal(obj)) return undefined;
  const data = configMapData(obj);
  const holder = data.get('net-conf.json');
  if (!holder) return undefined;
  const what = `ConfigMap ${obj.name}`;
  const conf = readNetConf(obj.file, holder, what);
  if (!conf?.backend) return undefined;
  const config: CniConfig = {
    cni: 'flannel',
    anchor: locationOf(obj.file, holder.node.position, `net-conf.json of ${what}`),
    encapsulations: conf.backend.encapsulation ? [conf.backend.encapsulation] : [],
    encapsulationKnown: conf.backend.known,
    settings: [],
  };
  if (conf.mtu) {
    config.settings.push({ cni: 'flannel', value: conf.mtu.value, what: `Backend.MTU in net-conf.json of ${what}`, file: obj.file.path, position: conf.mtu.position, meaning: 'underlay', checkSmall: false });
  }
  return config;
}

/** Canal's `canal-config`: `veth_mtu` (the pods' MTU) over flannel's backend from its `net-conf.json`. */
/**
 * Canal's ConfigMap: `canal-config` (Calico's canal.yaml), or any ConfigMap
 * holding both flannel's `net-conf.json` and Calico's `veth_mtu` (RKE2's
 * `rke2-canal-config`, ...).
 */
function isCanal(obj: KubeObject): boolean {
  if (obj.name === 'canal-config') return true;
  const data = configMapData(obj);
  return data.has('net-conf.json') && data.has('veth_mtu');
}

export function readCanal(obj: KubeObject): CniConfig | undefined {
  if (obj.kind !== 'ConfigMap' || !isCanal(obj)) return undefined;
  const data = configMapData(obj);
  const what = `ConfigMap ${obj.name}`;
  const holder = data.get('net-conf.json');
  const conf = holder ? readNetConf(obj.file, holder, what) : undefined;
  const config: CniConfig = {
    cni: 'canal',
    anchor: locationOf(obj.file, (holder ?? data.get('veth_mtu'))?.node.position ?? obj.body.position, what),
    encapsulations: conf?.backend?.encapsulation ? [conf.backend.encapsulation] : [],
    encapsulationKnown: conf?.backend?.known ?? false,
    settings: [],
  };
  const veth = data.get('veth_mtu');
  const value = mtuNumber(veth?.node);
  if (veth && value !== undefined) {
    config.settings.push({ cni: 'canal', value, what: `veth_mtu in ${what}`, file: obj.file.path, position: veth.node.position, node: veth.node, meaning: 'pod', checkSmall: true });
  }
  if (conf?.mtu) {
    config.settings.push({ cni: 'canal', value: conf.mtu.value, what: `Backend.MTU in net-conf.json of ${what}`, file: obj.file.path, position: conf.mtu.position, meaning: 'underlay', checkSmall: false });
  }
  return config;
}

/** The flannel device of each backend on a node, and the backend it shows. */
export const FLANNEL_DEVICE_BACKEND: Array<[RegExp, string]> = [
  [/^flannel\.\d+$/, 'vxlan'],
  [/^flannel-wg$/, 'wireguard'],
  [/^flannel\.ipip$/, 'ipip'],
  [/^flannel0$/, 'udp'],
];

/** Overhead and name of a flannel backend type. */
export function flannelBackend(type: string): { name: string; overhead: number } | undefined {
  return BACKENDS[type];
}
