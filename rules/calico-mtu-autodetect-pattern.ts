import {
  KUBELET_KINDS,
  CALICO_KINDS,
  calicoSets,
  clusterHosts,
  defineRule,
  ORIGIN,
  envValue,
  evidenceOf,
  getScalar,
  goRegExp,
  hostCalicoFacts,
  type CalicoView,
  type HostCalicoFacts,
  type Location,
  type Position,
} from '../src/rule-api.js';

/** Felix's default (felix/config/config_params.go). */
const DEFAULT_PATTERN = '^((en|wl|ww|sl|ib)[Pcopsvx].*|(eth|wlan|wwan).*)';

interface Pattern {
  source: string;
  from: string;
  location?: Location;
}

/** Where the cluster's manifests set mtuIfacePattern: the calico-node env, else a FelixConfiguration. */
function manifestPattern(view: CalicoView): { env?: Pattern; datastore?: Pattern } {
  const out: { env?: Pattern; datastore?: Pattern } = {};
  for (const node of view.nodes) {
    const v = envValue(view, node, 'FELIX_MTUIFACEPATTERN');
    if (v && v.value !== '') out.env = { source: v.value, from: 'FELIX_MTUIFACEPATTERN', location: { file: v.file, position: v.node.position, message: `FELIX_MTUIFACEPATTERN ${v.value}` } };
  }
  for (const fc of view.felixConfigurations) {
    const v = fc.spec.get('mtuIfacePattern');
    if (v && typeof v.value === 'string' && v.value !== '') out.datastore = { source: v.value, from: `mtuIfacePattern of FelixConfiguration ${fc.name}`, location: { file: v.file, position: v.node.position, message: `mtuIfacePattern ${v.value}` } };
  }
  return out;
}

/** The pattern Felix uses on one node: env > felix.cfg > FelixConfiguration > default. */
function patternFor(facts: HostCalicoFacts, manifest: { env?: Pattern; datastore?: Pattern }): Pattern {
  const file = facts.felix['mtuifacepattern'];
  if (manifest.env) return manifest.env;
  if (file && file.value !== '') return { source: file.value, from: 'MTUIfacePattern in felix.cfg', location: file.location };
  return manifest.datastore ?? { source: DEFAULT_PATTERN, from: 'the default mtuIfacePattern' };
}

/** The node's interfaces Felix would use; undefined when the snapshot lists none or the pattern is not a regexp. */
function check(host: string, facts: HostCalicoFacts, pattern: Pattern): { detail: string; related: Location[] } | undefined {
  if (facts.interfaces.length === 0) return undefined;
  // An RE2 (Go) regexp, run by a linear-time engine: no pattern can hang the run.
  const re = goRegExp(pattern.source);
  if (!re) return undefined;
  // Felix skips links that are not oper-up; an unknown state is given the benefit of the doubt.
  const up = facts.interfaces.filter((i) => i.state === undefined || i.state === 'up' || i.state === 'unknown');
  if (up.some((i) => re.test(i.name))) return undefined;
  const shown = up.filter((i) => i.name !== 'lo');
  const detail = `${host} (up: ${shown.length ? shown.map((i) => i.name).join(', ') : 'none'})`;
  return { detail, related: shown.map((i) => i.location) };
}


export default defineRule({
  meta: {
    id: 'calico-mtu-autodetect-pattern',
    type: 'problem',
    description: 'Require an interface that matches Calico\'s mtuIfacePattern on nodes where Calico auto-detects the MTU',
    rationale: [
      'With the MTU left to auto-detection (`veth_mtu: "0"`, an Installation without `mtu`, a CNI `"mtu": 0`; the default since Calico 3.17) Felix takes the smallest MTU among the host\'s interfaces that are up and whose name matches `mtuIfacePattern`, by default `^((en|wl|ww|sl|ib)[Pcopsvx].*|(eth|wlan|wwan).*)`. Names such as `bond0`, `team0`, `br-ex`, `vlan100` or `ovs-*` do not match. When nothing matches, Felix logs "Failed to auto-detect host MTU - no interfaces matched the MTU interface pattern" and assumes 1460.',
      'On a 9000-byte network that wastes most of every jumbo frame; on a network smaller than 1460 (a VPN, a 1400-byte cloud overlay) pods send packets the wire cannot carry, which hang connections once they send full-size segments. Set `mtuIfacePattern` (`FELIX_MTUIFACEPATTERN`, FelixConfiguration, or `MTUIfacePattern` in felix.cfg) to match the uplink, or set the MTU explicitly.',
      'The rule needs the node\'s interfaces (`sys/class/net/<if>/mtu` and `operstate`, or `ip link` output in a snapshot). Manifests are joined with the Kubernetes node snapshots linted in the same run; a node with its own calico CNI configuration is checked against that file instead.',
    ].join('\n\n'),
    severity: 'warning',
    precision: 'medium',
    languages: ['kube', 'cni', 'felix', 'fact'],
    kinds: [...CALICO_KINDS, ...KUBELET_KINDS],
    messages: {
      noMatch: 'Calico auto-detects the MTU ({{what}}) but no interface that is up matches {{from}} `{{pattern}}` on {{hosts}}: Felix falls back to a host MTU of 1460; set mtuIfacePattern to match the uplink or set the MTU',
    },
    sources: [
      { title: 'Felix dataplane/linux/int_dataplane.go findHostMTU: "no interfaces matched the MTU interface pattern", falls back to 1460', url: 'https://github.com/projectcalico/calico/blob/master/felix/dataplane/linux/int_dataplane.go' },
      { title: 'Felix configuration reference: mtuIfacePattern (FELIX_MTUIFACEPATTERN) and its default', url: 'https://docs.tigera.io/calico/latest/reference/felix/configuration' },
      { title: 'Calico: Configure MTU to maximize network performance (auto-detection)', url: 'https://docs.tigera.io/calico/latest/networking/configuring/mtu' },
    ],
    tags: ['calico', 'mtu', 'kubernetes'],
    fixable: false,
    examples: [
      {
        title: 'Auto MTU on a node whose uplink is a bond',
        filename: 'cluster/calico-config.yaml',
        code: 'kind: ConfigMap\napiVersion: v1\nmetadata:\n  name: calico-config\n  namespace: kube-system\ndata:\n  veth_mtu: "0"\n',
        files: {
          'node01/etc/hostname': 'node01\n',
          'node01/var/lib/kubelet/config.yaml': 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n',
          'node01/sys/class/net/bond0/mtu': '9000\n',
          'node01/sys/class/net/bond0/operstate': 'up\n',
          'node01/sys/class/net/lo/mtu': '65536\n',
          'node01/sys/class/net/lo/operstate': 'unknown\n',
        },
        expect: 1,
      },
      {
        title: 'Auto MTU on a node whose uplink is eth0',
        filename: 'cluster/calico-config.yaml',
        code: 'kind: ConfigMap\napiVersion: v1\nmetadata:\n  name: calico-config\n  namespace: kube-system\ndata:\n  veth_mtu: "0"\n',
        files: {
          'node01/etc/hostname': 'node01\n',
          'node01/var/lib/kubelet/config.yaml': 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n',
          'node01/sys/class/net/eth0/mtu': '9000\n',
          'node01/sys/class/net/eth0/operstate': 'up\n',
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
          const facts = hostCalicoFacts(scope);
          const cni = facts.cniMtu;
          if (!cni || cni.value !== 0) return;
          const file = files.get(cni.location.file);
          const pattern = patternFor(facts, {});
          const hit = check(scope.name, facts, pattern);
          if (!file || !hit) return;
          context.report({
            messageId: 'noMatch',
            file,
            position: cni.location.position,
            data: { what: '"mtu": 0 of the calico CNI plugin', from: pattern.from, pattern: pattern.source, hosts: hit.detail },
            related: [...hit.related, ...(pattern.location ? [pattern.location] : [])],
          });
          return;
        }
        // A node's own CNI file is checked in its scope. Each pass reads the hosts anew: nothing of them is kept.
        const hosts = {
          *[Symbol.iterator]() {
            for (const h of clusterHosts(scope)) if (!h.calico.cniMtu) yield h;
          },
        };
        if (hosts[Symbol.iterator]().next().done) return;
        for (const { view } of calicoSets(scope)) {
          const autos: Array<{ what: string; file: string; position: Position }> = [];
          for (const cm of view.configMaps) {
            const v = cm.data.get('veth_mtu');
            if (v && v.value.trim() === '0') autos.push({ what: `veth_mtu "0" in ConfigMap ${cm.name}`, file: v.file, position: v.node.position });
          }
          for (const inst of view.installations) {
            if (inst.mtu && inst.mtu.value !== 0) continue;
            const cni = getScalar(inst.document.body, 'spec', 'cni', 'type')?.value;
            if (cni !== undefined && cni !== null && cni !== 'Calico') continue; // another CNI sets the pod MTU
            const at = inst.mtu?.node ?? getScalar(inst.document.body, 'metadata', 'name');
            autos.push({ what: inst.mtu ? `mtu 0 of Installation ${inst.name}` : `Installation ${inst.name} without calicoNetwork.mtu`, file: inst.file, position: at?.position ?? ORIGIN });
          }
          if (autos.length === 0) continue;
          const manifest = manifestPattern(view);
          const bad: Array<{ detail: string; related: Location[]; pattern: Pattern }> = [];
          for (const h of hosts) {
            const pattern = patternFor(h.calico, manifest);
            const hit = check(h.name, h.calico, pattern);
            if (hit) bad.push({ ...hit, pattern, related: [...hit.related, ...evidenceOf(h.facts.kubernetesNode)] });
          }
          if (bad.length === 0) continue;
          // One finding per pattern in force (nodes can differ by their felix.cfg).
          const byPattern = new Map<string, typeof bad>();
          for (const b of bad) byPattern.set(`${b.pattern.from}\0${b.pattern.source}`, [...(byPattern.get(`${b.pattern.from}\0${b.pattern.source}`) ?? []), b]);
          for (const auto of autos) {
            const file = files.get(auto.file);
            if (!file) continue;
            for (const group of byPattern.values()) {
              const pattern = group[0]!.pattern;
              context.report({
                messageId: 'noMatch',
                file,
                position: auto.position,
                data: { what: auto.what, from: pattern.from, pattern: pattern.source, hosts: group.map((g) => g.detail).join(', ') },
                related: [...group.flatMap((g) => g.related), ...(pattern.location ? [pattern.location] : [])],
              });
            }
          }
        }
      },
    };
  },
});
