/**
 * Antrea, the AWS VPC CNI and Weave Net.
 *
 * - Antrea: `antrea-agent.conf` in the `antrea-config` ConfigMap (embedded
 *   YAML). `defaultMTU` is the MTU of the gateway and pod interfaces (used as
 *   is: pkg/agent/agent.go getInterfaceMTU); `trafficEncapMode` (default
 *   `encap`), `tunnelType` (default `geneve`) and `trafficEncryptionMode`
 *   choose the deduction (pkg/agent/config/node_config.go
 *   CalculateMTUDeduction): the tunnel's (Geneve/VXLAN 50, GRE 42) in encap
 *   and hybrid modes; WireGuard mode replaces it with 60; IPsec adds 38 on
 *   top of the tunnel. An IPv6 underlay adds 20 (not known from a manifest).
 * - AWS VPC CNI: env `AWS_VPC_ENI_MTU` (default 9001) and `POD_MTU` (default
 *   AWS_VPC_ENI_MTU) of the `aws-node` DaemonSet; no overlay, so a pod MTU
 *   smaller than the network's is a choice (traffic leaving the VPC), not waste.
 * - Weave Net: env `WEAVE_MTU` of the `weave` container (default 1376); the
 *   fast datapath adds 50 bytes, 84 with encryption (`WEAVE_PASSWORD`), per
 *   net/bridge.go.
 */
import { getScalar, getString } from '../parsers/data-tree.js';
import type { ScalarNode } from '../types.js';
import { configMapData, containerEnv, containers, embedded, locationOf, mtuNumber, type KubeObject } from './kube.js';
import { OVERHEADS, type CniConfig, type CniEncapsulation } from './model.js';

/** An Antrea ConfigMap: any ConfigMap with `antrea-agent.conf`. */
export function readAntrea(obj: KubeObject): CniConfig | undefined {
  if (obj.kind !== 'ConfigMap') return undefined;
  const holder = configMapData(obj).get('antrea-agent.conf');
  if (!holder) return undefined;
  const doc = embedded(obj.file, holder.node, 'yaml');
  if (!doc) return undefined;
  const what = `antrea-agent.conf of ConfigMap ${obj.name}`;
  const at = (node: ScalarNode | undefined) => (node && doc.positionOf(node)) || holder.node.position;
  const str = (node: ScalarNode | undefined) => (node && node.value !== null ? String(node.value).trim() : undefined);
  const modeNode = getScalar(doc.body, 'trafficEncapMode');
  const mode = (str(modeNode) ?? 'encap').toLowerCase();
  const typeNode = getScalar(doc.body, 'tunnelType');
  const type = (str(typeNode) ?? 'geneve').toLowerCase();
  const cryptNode = getScalar(doc.body, 'trafficEncryptionMode');
  let crypt = (str(cryptNode) ?? 'none').toLowerCase();
  const legacyIpsec = getScalar(doc.body, 'enableIPSecTunnel');
  if (!cryptNode && legacyIpsec?.value === true) crypt = 'ipsec';
  const config: CniConfig = { cni: 'antrea', anchor: locationOf(obj.file, holder.node.position, what), encapsulations: [], encapsulationKnown: true, settings: [] };
  if (mode === 'networkpolicyonly') return config.settings.length ? config : undefined; // another CNI routes pods
  const enc: CniEncapsulation[] = [];
  const encap = mode === 'encap' || mode === 'hybrid';
  if (crypt === 'wireguard') {
    enc.push({ name: 'Antrea WireGuard', overhead: OVERHEADS.antrea.wireGuard, location: locationOf(obj.file, at(cryptNode), `Antrea WireGuard takes ${OVERHEADS.antrea.wireGuard} bytes (replacing the tunnel's): trafficEncryptionMode ${JSON.stringify(cryptNode?.value)} in ${what}`) });
  } else if (encap) {
    const spec = type === 'vxlan' ? ['VXLAN', OVERHEADS.antrea.vxlan] : type === 'gre' ? ['GRE', OVERHEADS.antrea.gre] : type === 'geneve' ? ['Geneve', OVERHEADS.antrea.geneve] : type === 'stt' ? ['STT', OVERHEADS.antrea.stt] : undefined;
    if (!spec) config.encapsulationKnown = false;
    else if ((spec[1] as number) > 0) {
      const how = typeNode ? `tunnelType ${JSON.stringify(typeNode.value)}` : 'tunnelType unset (Antrea\'s default: geneve)';
      enc.push({ name: `Antrea ${spec[0]}`, overhead: spec[1] as number, location: locationOf(obj.file, at(typeNode ?? modeNode), `Antrea ${spec[0]} takes ${spec[1]} bytes: ${how}, trafficEncapMode ${mode} in ${what}`) });
    }
    if (crypt === 'ipsec') {
      const node = cryptNode ?? legacyIpsec;
      enc.push({ name: 'Antrea IPsec ESP', overhead: OVERHEADS.antrea.ipsec, location: locationOf(obj.file, at(node), `Antrea IPsec ESP takes ${OVERHEADS.antrea.ipsec} more bytes: ${cryptNode ? `trafficEncryptionMode ${JSON.stringify(cryptNode.value)}` : 'enableIPSecTunnel true'} in ${what}`) });
    }
  }
  if (!encap && crypt !== 'wireguard') enc.push({ name: 'Antrea noEncap', overhead: 0, location: locationOf(obj.file, at(modeNode), `Antrea routes without encapsulation: trafficEncapMode ${JSON.stringify(modeNode?.value)} in ${what}`) });
  config.encapsulations = enc;
  const mtuNode = getScalar(doc.body, 'defaultMTU');
  const value = mtuNumber(mtuNode);
  const pos = mtuNode ? doc.positionOf(mtuNode) : undefined;
  if (value !== undefined && pos) {
    config.settings.push({ cni: 'antrea', value, what: `defaultMTU in ${what}`, file: obj.file.path, position: pos, meaning: 'pod', checkSmall: true });
  }
  return config;
}

/** The `aws-node` DaemonSet of the AWS VPC CNI. */
export function readAwsVpcCni(obj: KubeObject): CniConfig | undefined {
  if (obj.kind !== 'DaemonSet') return undefined;
  const container = containers(obj).find((c) => getString(c, 'name') === 'aws-node');
  if (!container) return undefined;
  const env = containerEnv(obj.file, container);
  const what = `DaemonSet ${obj.name}`;
  const config: CniConfig = {
    cni: 'aws-vpc-cni',
    anchor: locationOf(obj.file, container.position, what),
    encapsulations: [{ name: 'AWS VPC CNI, no overlay', overhead: 0, location: locationOf(obj.file, container.position, `The AWS VPC CNI gives pods VPC addresses and adds no encapsulation (${what})`) }],
    encapsulationKnown: true,
    settings: [],
  };
  for (const name of ['AWS_VPC_ENI_MTU', 'POD_MTU']) {
    const v = env.get(name)?.value;
    const value = mtuNumber(v?.node);
    if (v && value !== undefined) config.settings.push({ cni: 'aws-vpc-cni', value, what: `${name} of ${what}`, file: obj.file.path, position: v.node.position, node: v.node, meaning: 'pod', checkSmall: false });
  }
  return config;
}

/** The `weave-net` DaemonSet: env of its `weave` container. */
export function readWeave(obj: KubeObject): CniConfig | undefined {
  if (obj.kind !== 'DaemonSet') return undefined;
  const container = containers(obj).find((c) => getString(c, 'name') === 'weave' && /weave-kube/.test(getString(c, 'image') ?? 'weave-kube'));
  if (!container) return undefined;
  const env = containerEnv(obj.file, container);
  const what = `DaemonSet ${obj.name}`;
  const password = env.get('WEAVE_PASSWORD');
  const enc: CniEncapsulation[] = [
    { name: 'Weave fast datapath (VXLAN)', overhead: OVERHEADS.weave.fastdp, location: locationOf(obj.file, container.position, `Weave Net's fast datapath adds ${OVERHEADS.weave.fastdp} bytes (${what})`) },
  ];
  if (password) enc.push({ name: 'Weave encryption (ESP)', overhead: OVERHEADS.weave.esp, location: locationOf(obj.file, password.nameNode.position, `Weave Net's encryption adds ${OVERHEADS.weave.esp} bytes: WEAVE_PASSWORD is set in ${what}`) });
  const config: CniConfig = { cni: 'weave', anchor: locationOf(obj.file, container.position, what), encapsulations: enc, encapsulationKnown: true, settings: [] };
  const v = env.get('WEAVE_MTU')?.value;
  const value = mtuNumber(v?.node);
  if (v && value !== undefined) config.settings.push({ cni: 'weave', value, what: `WEAVE_MTU of ${what}`, file: obj.file.path, position: v.node.position, node: v.node, meaning: 'pod', checkSmall: true });
  return config;
}
