/**
 * Cilium: the `cilium-config` ConfigMap (`mtu`, `routing-mode` or the older
 * `tunnel`, `tunnel-protocol`, `enable-wireguard`, `enable-ipsec`) or the
 * cilium chart's values (`MTU`, `routingMode`, `tunnelProtocol`,
 * `encryption.enabled`/`encryption.type`). Cilium's `mtu` is the underlying
 * network's MTU: Cilium subtracts the tunnel (50) and encryption (IPsec 77,
 * WireGuard 80) overheads itself for pod routes (pkg/mtu/mtu.go), so it is
 * wrong only when it exceeds the physical MTU.
 */
import { getPath, getScalar, isMapping } from '../parsers/data-tree.js';
import type { DataNode, Position, ScalarNode, SourceFile } from '../types.js';
import { boolValue, configMapData, locationOf, mtuNumber, type KubeObject } from './kube.js';
import { OVERHEADS, type CniConfig, type CniEncapsulation } from './model.js';

interface Knobs {
  mtu?: ScalarNode;
  routingMode?: ScalarNode;
  tunnel?: ScalarNode;
  tunnelProtocol?: ScalarNode;
  encryption?: { kind: 'wireguard' | 'ipsec'; node: ScalarNode; how: string };
}

function build(file: SourceFile, anchor: Position, what: string, k: Knobs, names: Record<'mtu' | 'routingMode' | 'tunnel' | 'tunnelProtocol', string>): CniConfig {
  const enc: CniEncapsulation[] = [];
  const at = (node: ScalarNode | undefined, msg: string) => locationOf(file, node?.position ?? anchor, msg);
  const str = (n: ScalarNode | undefined) => (n && n.value !== null ? String(n.value).trim().toLowerCase() : undefined);
  // Tunnelling: routing-mode native turns it off; `tunnel: disabled` did before routing-mode existed.
  const routing = str(k.routingMode);
  const tunnel = str(k.tunnel);
  const native = routing === 'native' || (routing === undefined && tunnel === 'disabled');
  if (native) {
    const node = k.routingMode ?? k.tunnel;
    enc.push({ name: 'Cilium native routing', overhead: 0, location: at(node, `Cilium routes natively (no tunnel): ${node === k.routingMode ? names.routingMode : names.tunnel} ${JSON.stringify(node?.value)} in ${what}`) });
  } else {
    const proto = str(k.tunnelProtocol) ?? (tunnel && tunnel !== 'disabled' ? tunnel : 'vxlan');
    const name = proto === 'geneve' ? 'Geneve' : 'VXLAN';
    const how = k.routingMode
      ? `${names.routingMode} ${JSON.stringify(k.routingMode.value)}${k.tunnelProtocol ? `, ${names.tunnelProtocol} ${JSON.stringify(k.tunnelProtocol.value)}` : ''} in ${what}`
      : k.tunnel
        ? `${names.tunnel} ${JSON.stringify(k.tunnel.value)} in ${what}`
        : `${names.routingMode} unset in ${what} (Cilium's default: tunnel, VXLAN)`;
    enc.push({ name: `Cilium ${name}`, overhead: OVERHEADS.cilium.vxlan, location: at(k.routingMode ?? k.tunnel ?? k.tunnelProtocol, `Cilium ${name} tunnelling subtracts ${OVERHEADS.cilium.vxlan} bytes: ${how}`) });
  }
  if (k.encryption) {
    const e = k.encryption;
    const name = e.kind === 'wireguard' ? 'WireGuard' : 'IPsec';
    const overhead = e.kind === 'wireguard' ? OVERHEADS.cilium.wireguard : OVERHEADS.cilium.ipsec;
    enc.push({ name: `Cilium ${name}`, overhead, location: at(e.node, `Cilium ${name} subtracts ${overhead} bytes: ${e.how} in ${what}`) });
  }
  const config: CniConfig = { cni: 'cilium', anchor: locationOf(file, anchor, what), encapsulations: enc, encapsulationKnown: true, settings: [] };
  const mtu = mtuNumber(k.mtu);
  if (k.mtu && mtu !== undefined) {
    config.settings.push({ cni: 'cilium', value: mtu, what: `${names.mtu} in ${what}`, file: file.path, position: k.mtu.position, node: k.mtu, meaning: 'underlay', checkSmall: false });
  }
  return config;
}

/** The `cilium-config` ConfigMap. */
export function readCilium(obj: KubeObject): CniConfig | undefined {
  if (obj.kind !== 'ConfigMap' || obj.name !== 'cilium-config') return undefined;
  const data = configMapData(obj);
  const n = (key: string) => data.get(key)?.node;
  const knobs: Knobs = {
    mtu: n('mtu'),
    routingMode: n('routing-mode'),
    tunnel: n('tunnel'),
    tunnelProtocol: n('tunnel-protocol'),
  };
  const wg = n('enable-wireguard');
  const ipsec = n('enable-ipsec');
  if (boolValue(wg)) knobs.encryption = { kind: 'wireguard', node: wg!, how: `enable-wireguard ${JSON.stringify(wg!.value)}` };
  else if (boolValue(ipsec)) knobs.encryption = { kind: 'ipsec', node: ipsec!, how: `enable-ipsec ${JSON.stringify(ipsec!.value)}` };
  const anchor = getPath(obj.body, 'data')?.position ?? obj.body.position;
  return build(obj.file, anchor, `ConfigMap ${obj.name}`, knobs, {
    mtu: 'mtu',
    routingMode: 'routing-mode',
    tunnel: 'tunnel',
    tunnelProtocol: 'tunnel-protocol',
  });
}

/** The values of the cilium Helm chart (a values.yaml beside the chart's Chart.yaml, or one named by config). */
export function readCiliumValues(file: SourceFile, body: DataNode | null): CniConfig | undefined {
  if (!isMapping(body)) return undefined;
  const s = (...keys: string[]) => getScalar(body, ...keys);
  const knobs: Knobs = {
    mtu: s('MTU'),
    routingMode: s('routingMode'),
    tunnelProtocol: s('tunnelProtocol'),
    tunnel: s('tunnel'),
  };
  const enabled = s('encryption', 'enabled');
  const type = s('encryption', 'type');
  if (enabled && boolValue(enabled)) {
    // The chart's default encryption.type is ipsec.
    const kind = type && String(type.value).toLowerCase() === 'wireguard' ? 'wireguard' : 'ipsec';
    knobs.encryption = { kind, node: type ?? enabled, how: type ? `encryption.type ${JSON.stringify(type.value)}` : 'encryption.enabled true (encryption.type defaults to ipsec)' };
  }
  return build(file, body.position, `the cilium chart values ${file.path}`, knobs, {
    mtu: 'MTU',
    routingMode: 'routingMode',
    tunnel: 'tunnel',
    tunnelProtocol: 'tunnelProtocol',
  });
}
