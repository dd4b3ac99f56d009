import {
  CALICO_KINDS,
  calicoAtLeast,
  calicoSets,
  clusterHosts,
  defineRule,
  envValue,
  evidenceOf,
  felixBool,
  hostCalicoFacts,
  type CalicoNode,
  type CalicoView,
  type HostCalicoFacts,
  type Location,
  type SourceFile,
} from '../src/rule-api.js';

/** Felix from v3.12 checks RPF with an iptables rule and no longer reads the sysctl. */
const FIXED_IN = '3.12.0';
const RP_FILTER = 'net.ipv4.conf.all.rp_filter';

interface Loose {
  host: string;
  related: Location[];
}

/** How FELIX_IGNORELOOSERPF is set for the cluster: env > felix.cfg (per node) > FelixConfiguration. */
function clusterIgnore(view: CalicoView, node: CalicoNode): { env?: boolean; datastore?: boolean } {
  const env = envValue(view, node, 'FELIX_IGNORELOOSERPF');
  const out: { env?: boolean; datastore?: boolean } = {};
  if (env) {
    const b = felixBool(env.value);
    if (b !== undefined) out.env = b;
  }
  for (const fc of view.felixConfigurations) {
    const v = fc.spec.get('ignoreLooseRPF');
    const b = v ? felixBool(v.value) : undefined;
    if (b !== undefined) out.datastore = b;
  }
  return out;
}

/** The node's loose RPF setting, unless Felix is told to ignore it there. */
function looseOn(host: string, facts: HostCalicoFacts, ignore: { env?: boolean; datastore?: boolean }): Loose | undefined {
  const loose = facts.rpFilter.filter((r) => /^\d+$/.test(r.value) && Number(r.value) > 1);
  if (loose.length === 0) return undefined;
  const file = facts.felix['ignorelooserpf'];
  const ignored = ignore.env ?? (file ? felixBool(file.value) : undefined) ?? ignore.datastore ?? false;
  if (ignored) return undefined;
  return { host, related: loose.map((r) => r.location) };
}

function names(loose: Loose[]): string {
  const n = loose.map((l) => l.host);
  return n.length <= 3 ? n.join(', ') : `${n.slice(0, 3).join(', ')} and ${n.length - 3} more`;
}

export default defineRule({
  meta: {
    id: 'calico-loose-rpf',
    type: 'problem',
    description: 'Disallow loose reverse-path filtering on nodes that run Calico before 3.12',
    rationale: [
      'Felix up to Calico v3.11 checks `net.ipv4.conf.all.rp_filter` when it starts and exits if it is 2 (loose): "Kernel\'s RPF check is set to \'loose\'. This would allow endpoints to spoof their IP address. Calico requires net.ipv4.conf.all.rp_filter to be set to 0 or 1." calico-node then crash-loops and the node never gets pod networking. Loose mode is the default of systemd ≥ 240 (`50-default.conf`) and of Ubuntu 20.04 (`10-network-security.conf`), so an OS upgrade under an old Calico is enough to break every node.',
      'Calico v3.12 replaced the sysctl check with an iptables rule and removed the `IgnoreLooseRPF` setting. Before that, the fix is `net.ipv4.conf.all.rp_filter = 1` on the nodes, `FELIX_IGNORELOOSERPF=true` (accepting that workloads can spoof addresses), or an upgrade.',
      'The rule joins the calico-node DaemonSet (its version from the image tag; an image without a version tag is not checked) with the `rp_filter` of the run\'s Kubernetes node snapshots — the value the sysctl files set and, when the snapshot has one, the live value — or with sysctl files in the repository known to configure Kubernetes nodes (`facts.kubernetesNode`).',
    ].join('\n\n'),
    severity: 'error',
    precision: 'medium',
    languages: ['kube', 'sysctl', 'sysctl-dump', 'felix'],
    kinds: [...CALICO_KINDS],
    messages: {
      loose: 'Calico {{version}} (Felix before 3.12) exits at start-up where `net.ipv4.conf.all.rp_filter` is 2 (loose), as on {{hosts}}: calico-node crash-loops; set it to 1 on the nodes, set FELIX_IGNORELOOSERPF=true, or upgrade Calico',
    },
    sources: [
      { title: 'Felix PR #1322 "Implement loose RPF startup check" (fatal unless IgnoreLooseRPF)', url: 'https://github.com/projectcalico/felix/pull/1322' },
      { title: 'Calico v3.12.0 release notes: "Use iptables for IPv4 RPF check instead of sysctls"', url: 'https://github.com/projectcalico/calico/blob/master/release-notes/v3.12.0-release-notes.md' },
      { title: 'systemd PR #10971: default net.ipv4.conf.all.rp_filter = 2 (systemd 240)', url: 'https://github.com/systemd/systemd/pull/10971' },
      { title: 'sealos issue #559: Ubuntu 20.04 rp_filter 2 makes calico-node crash ("Kernel\'s RPF check is set to \'loose\'")', url: 'https://github.com/labring/sealos/issues/559' },
    ],
    tags: ['calico', 'kubernetes', 'sysctl'],
    fixable: false,
    examples: [
      {
        title: 'Calico 3.9 on nodes with Ubuntu 20.04\'s loose rp_filter',
        filename: 'cluster/calico-node.yaml',
        code: [
          'kind: DaemonSet',
          'apiVersion: apps/v1',
          'metadata:',
          '  name: calico-node',
          '  namespace: kube-system',
          'spec:',
          '  template:',
          '    spec:',
          '      containers:',
          '        - name: calico-node',
          '          image: calico/node:v3.9.0',
          '',
        ].join('\n'),
        files: { 'nodes/sysctl.d/10-network-security.conf': 'net.ipv4.conf.default.rp_filter=2\nnet.ipv4.conf.all.rp_filter=2\n' },
        facts: { kubernetesNode: true },
        expect: 1,
      },
      {
        title: 'Calico 3.12, which no longer reads rp_filter',
        filename: 'cluster/calico-node.yaml',
        code: [
          'kind: DaemonSet',
          'apiVersion: apps/v1',
          'metadata:',
          '  name: calico-node',
          '  namespace: kube-system',
          'spec:',
          '  template:',
          '    spec:',
          '      containers:',
          '        - name: calico-node',
          '          image: calico/node:v3.12.0',
          '',
        ].join('\n'),
        files: { 'nodes/sysctl.d/10-network-security.conf': 'net.ipv4.conf.default.rp_filter=2\nnet.ipv4.conf.all.rp_filter=2\n' },
        facts: { kubernetesNode: true },
        expect: 'valid',
      },
    ],
  },
  create(context) {
    const scope = context.scope;
    const files = new Map(scope.files.map((f) => [f.path, f]));
    return {
      scope() {
        for (const { view } of calicoSets(scope)) {
          const node = view.nodes.find((n) => calicoAtLeast(n.version, FIXED_IN) === false);
          if (!node?.image) continue;
          const file: SourceFile | undefined = files.get(node.image.file);
          if (!file) continue;
          const ignore = clusterIgnore(view, node);
          const loose: Loose[] = [];
          if (scope.kind === 'host') {
            const l = looseOn(scope.name, hostCalicoFacts(scope), ignore);
            if (l) loose.push(l);
          } else {
            for (const h of clusterHosts(scope)) {
              const l = looseOn(h.name, h.calico, ignore);
              if (l) loose.push({ host: l.host, related: [...l.related, ...evidenceOf(h.facts.kubernetesNode)] });
            }
            // Sysctl files of this repository that configure Kubernetes nodes.
            if (ignore.env !== true && !(ignore.env === undefined && ignore.datastore === true)) {
              for (const set of scope.sysctlSets()) {
                const k = scope.facts(set.anchor).kubernetesNode;
                const eff = set.effective(RP_FILTER);
                if (!(k.known && k.value) || !eff || !/^\d+$/.test(eff.value.trim()) || Number(eff.value.trim()) < 2) continue;
                loose.push({ host: eff.file.path, related: [{ file: eff.file.path, position: eff.node.value.position, message: `${RP_FILTER} = ${eff.value.trim()} on the Kubernetes nodes this file configures` }] });
              }
            }
          }
          if (loose.length === 0) continue;
          context.report({
            messageId: 'loose',
            file,
            node: node.image.node,
            data: { version: node.version!, hosts: names(loose) },
            related: loose.flatMap((l) => l.related),
          });
        }
      },
    };
  },
});
