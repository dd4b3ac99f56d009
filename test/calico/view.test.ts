import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildCalicoView, versionFromImage } from '../../src/calico/view.js';
import { parseKube } from '../../src/parsers/yaml.js';

const CORPUS = new URL('../../fixtures/corpus/calico/', import.meta.url);

function load(name: string): { text: string; view: ReturnType<typeof buildCalicoView> } {
  const text = readFileSync(new URL(name, CORPUS), 'utf8');
  const { tree } = parseKube(text);
  const view = buildCalicoView([{ path: name, tree }], (p) => {
    expect(p).toBe(name);
    return text;
  });
  return { text, view };
}

function view(text: string, path = 'inline.yaml'): ReturnType<typeof buildCalicoView> {
  return buildCalicoView([{ path, tree: parseKube(text).tree }], () => text);
}

/** Line and column of an offset, computed independently of LineIndex. */
function lineCol(text: string, offset: number): { line: number; column: number; offset: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1]!.length + 1, offset };
}

describe('buildCalicoView on the Calico v3.9.0 manifest (scholzj)', () => {
  const name = 'scholzj-terraform-aws-kubernetes_calico-v3.9.0-calico.yaml';
  const { text, view: v } = load(name);

  it('finds the calico-config ConfigMap with veth_mtu "1440"', () => {
    expect(v.configMaps).toHaveLength(1);
    const cm = v.configMaps[0]!;
    expect(cm.name).toBe('calico-config');
    expect(cm.namespace).toBe('kube-system');
    expect(cm.file).toBe(name);
    const veth = cm.data.get('veth_mtu')!;
    expect(veth.value).toBe('1440');
    expect(veth.node.source).toBe('"1440"');
    expect(veth.node.position.start).toEqual(lineCol(text, text.indexOf('"1440"')));
    expect(cm.document.kind).toBe('ConfigMap');
  });

  it('finds calico-node with FELIX_IPINIPMTU taken from veth_mtu', () => {
    expect(v.nodes).toHaveLength(1);
    const node = v.nodes[0]!;
    expect(node.name).toBe('calico-node');
    expect(node.namespace).toBe('kube-system');
    expect(node.image?.value).toBe('calico/node:v3.9.0');
    expect(node.version).toBe('3.9.0');
    const ipip = node.env.get('FELIX_IPINIPMTU')!;
    expect(ipip.value).toBeUndefined();
    expect(ipip.configMapKeyRef).toMatchObject({ name: 'calico-config', key: 'veth_mtu' });
    expect(ipip.nameNode.position.start).toEqual(lineCol(text, text.indexOf('FELIX_IPINIPMTU')));
    expect(ipip.configMapKeyRef!.node.type).toBe('mapping');
    // The install-cni init container gets CNI_MTU from veth_mtu too.
    expect(node.installCniEnv.get('CNI_MTU')?.configMapKeyRef).toMatchObject({ name: 'calico-config', key: 'veth_mtu' });
    expect(node.env.get('CALICO_IPV4POOL_CIDR')?.value?.value).toBe('192.168.0.0/16');
  });
});

describe('buildCalicoView on the Calico v3.28.0 manifest', () => {
  const name = 'projectcalico-calico_v3.28.0-calico.yaml';
  const { text, view: v } = load(name);

  it('reads veth_mtu "0" and the node version', () => {
    expect(v.configMaps[0]!.data.get('veth_mtu')!.value).toBe('0');
    expect(v.nodes).toHaveLength(1);
    expect(v.nodes[0]!.version).toBe('3.28.0');
    expect(v.nodes[0]!.image!.value).toBe('docker.io/calico/node:v3.28.0');
    for (const key of ['FELIX_IPINIPMTU', 'FELIX_VXLANMTU', 'FELIX_WIREGUARDMTU']) {
      expect(v.nodes[0]!.env.get(key)?.configMapKeyRef?.key).toBe('veth_mtu');
    }
  });

  it('locates the __CNI_MTU__ placeholder of cni_network_config in the file', () => {
    const cni = v.configMaps[0]!.cni!;
    expect(cni.source.node.style).toBe('literal');
    expect(cni.source.value).toContain('"mtu": __CNI_MTU__');
    const at = text.indexOf('__CNI_MTU__');
    expect(at).toBeGreaterThan(0);
    expect(cni.mtu).toEqual({
      raw: '__CNI_MTU__',
      placeholder: true,
      position: { start: lineCol(text, at), end: lineCol(text, at + '__CNI_MTU__'.length) },
    });
    expect(cni.mtu!.position.start.line).toBe(70);
  });

  it('finds no operator resources in a manifest install', () => {
    expect(v.installations).toEqual([]);
    expect(v.ipPools).toEqual([]);
    expect(v.felixConfigurations).toEqual([]);
  });
});

describe('buildCalicoView on operator resources', () => {
  it('reads the Installation and its ipPools (v3.32.1 custom-resources)', () => {
    const { text, view: v } = load('projectcalico-calico_v3.32.1-custom-resources.yaml');
    expect(v.installations).toHaveLength(1);
    const inst = v.installations[0]!;
    expect(inst.name).toBe('default');
    expect(inst.mtu).toBeUndefined();
    expect(inst.ipPools).toHaveLength(1);
    const pool = inst.ipPools[0]!;
    expect(pool.cidr?.value).toBe('192.168.0.0/16');
    expect(pool.encapsulation?.value).toBe('VXLANCrossSubnet');
    expect(pool.natOutgoing?.value).toBe('Enabled');
    expect(pool.encapsulation!.node.position.start).toEqual(lineCol(text, text.indexOf('VXLANCrossSubnet')));
    expect(pool.node.type).toBe('mapping');
    expect(inst.document.kind).toBe('Installation');
  });

  it('reads IPPools (v3.32.1 confd mock vxlan-always)', () => {
    const { text, view: v } = load('projectcalico-calico_v3.32.1-confd-mock-vxlan-always-input.yaml');
    expect(v.ipPools.map((p) => [p.name, p.cidr?.value, p.ipipMode?.value, p.vxlanMode?.value, p.natOutgoing?.value])).toEqual([
      ['ippool-1', '192.168.0.0/16', 'Never', 'Always', true],
      ['ippool-v6-1', 'dead:beef::/64', 'Never', 'Always', true],
    ]);
    const v6 = v.ipPools[1]!;
    expect(v6.cidr!.node.position.start).toEqual(lineCol(text, text.indexOf('dead:beef::/64')));
    expect(v6.document.index).toBe(5);
    expect(v.nodes).toEqual([]);
  });

  it('reads Installation mtu and linuxDataplane', () => {
    const text =
      'apiVersion: operator.tigera.io/v1\nkind: Installation\nmetadata:\n  name: default\nspec:\n  calicoNetwork:\n    mtu: 1430\n    linuxDataplane: Iptables\n';
    const v = view(text);
    expect(v.installations[0]!.mtu?.value).toBe(1430);
    expect(v.installations[0]!.mtu?.node.position.start).toEqual({ line: 7, column: 10, offset: text.indexOf('1430') });
    expect(v.installations[0]!.linuxDataplane?.value).toBe('Iptables');
  });

  it('reads FelixConfiguration scalar spec fields', () => {
    const v = view(
      'apiVersion: projectcalico.org/v3\nkind: FelixConfiguration\nmetadata:\n  name: default\nspec:\n  ipipMTU: 1430\n  vxlanEnabled: false\n  mtuIfacePattern: ^eth\n  failsafeInboundHostPorts: []\n',
    );
    const fc = v.felixConfigurations[0]!;
    expect(fc.name).toBe('default');
    expect(fc.spec.get('ipipMTU')?.value).toBe(1430);
    expect(fc.spec.get('vxlanEnabled')?.value).toBe(false);
    expect(fc.spec.get('mtuIfacePattern')?.value).toBe('^eth');
    expect(fc.spec.has('failsafeInboundHostPorts')).toBe(false);
  });
});

describe('buildCalicoView on odd shapes', () => {
  it('walks the items of List documents', () => {
    const v = view(
      [
        'apiVersion: v1',
        'kind: List',
        'items:',
        '- apiVersion: v1',
        '  kind: ConfigMap',
        '  metadata: {name: calico-config, namespace: kube-system}',
        '  data: {veth_mtu: "1450"}',
        '- apiVersion: crd.projectcalico.org/v1',
        '  kind: IPPool',
        '  metadata: {name: p}',
        '  spec: {cidr: 10.0.0.0/8, ipipMode: Always, natOutgoing: true}',
        '',
      ].join('\n'),
    );
    expect(v.configMaps.map((c) => c.data.get('veth_mtu')?.value)).toEqual(['1450']);
    expect(v.ipPools.map((p) => p.ipipMode?.value)).toEqual(['Always']);
    expect(v.configMaps[0]!.document.kind).toBe('List');
  });

  it('finds calico-node by container name in an extensions/v1beta1 DaemonSet with another name', () => {
    const v = view(
      [
        'apiVersion: extensions/v1beta1',
        'kind: DaemonSet',
        'metadata: {name: my-node}',
        'spec:',
        '  template:',
        '    spec:',
        '      containers:',
        '      - name: calico-node',
        '        image: quay.io/calico/node:v3.0.1-1',
        '        env:',
        '        - {name: FELIX_IPINIPMTU, value: "1440"}',
        '        - {name: FELIX_IPINIPMTU, value: 1430}',
        '        - {name: EMPTY}',
        '',
      ].join('\n'),
    );
    const node = v.nodes[0]!;
    expect(node.name).toBe('my-node');
    expect(node.version).toBe('3.0.1');
    // Repeated env names: the last one wins; numbers are kept as text, the node tells the type.
    expect(node.env.get('FELIX_IPINIPMTU')?.value?.value).toBe('1430');
    expect(node.env.get('FELIX_IPINIPMTU')?.value?.node.value).toBe(1430);
    expect(node.env.get('EMPTY')?.value).toBeUndefined();
  });

  it('ignores DaemonSets that are not calico-node and non-Kubernetes documents', () => {
    const v = view(
      'apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: kube-proxy}\nspec: {template: {spec: {containers: [{name: kube-proxy}]}}}\n---\nkind: ConfigMap\nmetadata: {name: calico-config}\n---\n- just a list\n',
    );
    expect(v).toEqual({ nodes: [], configMaps: [], installations: [], felixConfigurations: [], ipPools: [] });
  });

  it('never throws on null or scalar specs', () => {
    const shapes = [
      'apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: calico-node}\nspec:\n',
      'apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: calico-node}\nspec: {template: {spec: {containers: 3}}}\n',
      'apiVersion: apps/v1\nkind: DaemonSet\nmetadata: calico-node\nspec: [1]\n',
      'apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: calico-node}\nspec: {template: {spec: {containers: [{name: calico-node, env: {a: b}}]}}}\n',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: calico-config}\ndata: null\n',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: calico-config}\ndata: {cni_network_config: 12}\n',
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: calico-config}\ndata: {cni_network_config: "{\\"mtu\\": }"}\n',
      'apiVersion: operator.tigera.io/v1\nkind: Installation\nmetadata: {name: default}\nspec: {calicoNetwork: {ipPools: [1, null, {cidr: [x]}], mtu: lots}}\n',
      'apiVersion: projectcalico.org/v3\nkind: FelixConfiguration\nspec: 7\n',
      'apiVersion: projectcalico.org/v3\nkind: IPPool\nspec:\n',
      'apiVersion: v1\nkind: List\nitems: {a: 1}\n',
      'apiVersion: v1\nkind: List\nitems: [null, 1, [2], {kind: IPPool}]\n',
    ];
    for (const text of shapes) expect(() => view(text)).not.toThrow();
    const odd = view(shapes[7]!);
    expect(odd.installations[0]!.ipPools).toHaveLength(1);
    expect(odd.installations[0]!.mtu).toBeUndefined();
  });

  it('maps a literal mtu in a plain or double-quoted cni_network_config', () => {
    const plain = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: calico-config}\ndata:\n  cni_network_config: \'{"plugins": [{"type": "calico", "mtu": 1500}]}\'\n';
    const cni = view(plain).configMaps[0]!.cni!;
    expect(cni.mtu?.raw).toBe('1500');
    expect(cni.mtu?.placeholder).toBe(false);
    expect(cni.mtu?.position.start).toEqual(lineCol(plain, plain.indexOf('1500')));
    const dq = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: calico-config}\ndata:\n  cni_network_config: "{\\"mtu\\": __CNI_MTU__}"\n';
    const cni2 = view(dq).configMaps[0]!.cni!;
    expect(cni2.mtu?.raw).toBe('__CNI_MTU__');
    expect(cni2.mtu?.position.start).toEqual(lineCol(dq, dq.indexOf('__CNI_MTU__')));
  });

  it('parses calico/node image tags', () => {
    expect(versionFromImage('docker.io/calico/node:v3.28.0')).toBe('3.28.0');
    expect(versionFromImage('calico/node:v3.28.0-1')).toBe('3.28.0');
    expect(versionFromImage('calico/node:latest')).toBeUndefined();
    expect(versionFromImage('localhost:5000/calico/node')).toBeUndefined();
    expect(versionFromImage('calico/node:v3.27.2@sha256:abc')).toBe('3.27.2');
    expect(versionFromImage('calico/node@sha256:abc')).toBeUndefined();
  });
});
