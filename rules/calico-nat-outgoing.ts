import { CALICO_KINDS, calicoSets, defineRule, encapsulationOn, envValue, type Location } from '../src/rule-api.js';

/** Go's strconv.ParseBool, which calico-node's evaluateENVBool uses. */
function goBool(v: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) return false;
  return undefined;
}

export default defineRule({
  meta: {
    id: 'calico-nat-outgoing',
    type: 'suggestion',
    description: 'Require outgoing NAT on Calico IP pools that use IP-in-IP or VXLAN',
    rationale: [
      'Encapsulation is used when the network between the nodes cannot route pod addresses. Traffic from a pod to anything outside the cluster (a database, a package mirror, the internet) leaves the tunnel at the node with the pod\'s IP as its source unless the pool has `natOutgoing`; the destination then answers an address the network does not know, and the reply is dropped or sent the wrong way (and asymmetric paths trip reverse-path filters). Calico\'s cloud guides therefore pair IP-in-IP or VXLAN with outgoing NAT ("To allow Calico networked containers to reach resources outside of GCE, you must configure outgoing NAT on your Calico IP pool").',
      'An IPPool\'s `natOutgoing` defaults to false; the pool calico-node creates at start-up defaults to `CALICO_IPV4POOL_NAT_OUTGOING=true`, and operator `Installation` pools default to `natOutgoing: Enabled`. Leave NAT off only when the pod range is routed outside the cluster (BGP peering with the network), which this rule cannot see — hence a note.',
    ].join('\n\n'),
    severity: 'note',
    precision: 'medium',
    languages: ['kube'],
    kinds: [...CALICO_KINDS],
    messages: {
      pool: 'IPPool {{pool}} encapsulates with {{encap}} but natOutgoing is {{nat}}: pod traffic to destinations outside the cluster leaves with the pod IP as source, which the network cannot route back; set natOutgoing: true unless the pod range is routed outside the cluster',
      installation: 'Installation {{name}} pool {{cidr}} encapsulates with {{encap}} but natOutgoing is Disabled: pod traffic to destinations outside the cluster leaves with the pod IP as source; enable it unless the pod range is routed outside the cluster',
      env: '`CALICO_IPV4POOL_NAT_OUTGOING: {{nat}}` with {{encap}} on the default pool: pod traffic to destinations outside the cluster leaves with the pod IP as source; leave it true unless the pod range is routed outside the cluster',
    },
    sources: [
      { title: 'Calico IPPool reference: natOutgoing (default false), ipipMode, vxlanMode', url: 'https://docs.tigera.io/calico/latest/reference/resources/ippool' },
      { title: 'Calico on Google Compute Engine: IP-in-IP with NAT outgoing; outgoing NAT is required to reach resources outside GCE', url: 'https://docs.tigera.io/calico/latest/reference/public-cloud/gce' },
      { title: 'Calico: Configure calico/node — CALICO_IPV4POOL_NAT_OUTGOING (default true)', url: 'https://docs.tigera.io/calico/latest/reference/configure-calico-node' },
    ],
    tags: ['calico', 'kubernetes', 'nat'],
    fixable: false,
    examples: [
      {
        title: 'IP-in-IP without outgoing NAT',
        filename: 'cluster/ippool.yaml',
        code: 'apiVersion: crd.projectcalico.org/v1\nkind: IPPool\nmetadata:\n  name: pods\nspec:\n  cidr: 10.244.0.0/16\n  ipipMode: Always\n  natOutgoing: false\n',
        expect: 1,
      },
      {
        title: 'IP-in-IP with outgoing NAT',
        filename: 'cluster/ippool.yaml',
        code: 'apiVersion: crd.projectcalico.org/v1\nkind: IPPool\nmetadata:\n  name: pods\nspec:\n  cidr: 10.244.0.0/16\n  ipipMode: Always\n  natOutgoing: true\n',
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
          for (const pool of view.ipPools) {
            const modes = [
              pool.ipipMode && encapsulationOn(pool.ipipMode.value) ? { encap: 'IP-in-IP', ref: pool.ipipMode, what: 'ipipMode' } : undefined,
              pool.vxlanMode && encapsulationOn(pool.vxlanMode.value) ? { encap: 'VXLAN', ref: pool.vxlanMode, what: 'vxlanMode' } : undefined,
            ].filter((m) => m !== undefined);
            if (modes.length === 0 || pool.natOutgoing?.value === true) continue;
            const mode = modes[0]!;
            const related: Location[] = [{ file: mode.ref.file, position: mode.ref.node.position, message: `${mode.encap} is enabled: ${mode.what} ${mode.ref.value}` }];
            const at = pool.natOutgoing ?? mode.ref;
            const file = files.get(at.file);
            if (!file) continue;
            context.report({
              messageId: 'pool',
              file,
              node: at.node,
              data: { pool: pool.name, encap: mode.encap, nat: pool.natOutgoing ? 'false' : 'not set (default false)' },
              related: pool.natOutgoing ? related : [],
            });
          }
          for (const inst of view.installations) {
            for (const p of inst.ipPools) {
              const enc = p.encapsulation?.value ?? '';
              const encap = /^IPIP/i.test(enc) ? 'IP-in-IP' : /^VXLAN/i.test(enc) ? 'VXLAN' : undefined;
              if (!encap || !p.natOutgoing || !/^disabled$/i.test(p.natOutgoing.value)) continue;
              const file = files.get(p.natOutgoing.file);
              if (!file) continue;
              context.report({
                messageId: 'installation',
                file,
                node: p.natOutgoing.node,
                data: { name: inst.name, cidr: p.cidr?.value ?? '(no cidr)', encap },
                related: [{ file: p.encapsulation!.file, position: p.encapsulation!.node.position, message: `${encap} is enabled: encapsulation ${enc}` }],
              });
            }
          }
          if (view.ipPools.length > 0) continue; // the env only shapes the pool created when there is none
          for (const node of view.nodes) {
            const nat = envValue(view, node, 'CALICO_IPV4POOL_NAT_OUTGOING');
            if (!nat || goBool(nat.value.trim()) !== false) continue;
            const ipip = envValue(view, node, 'CALICO_IPV4POOL_IPIP');
            const vxlan = envValue(view, node, 'CALICO_IPV4POOL_VXLAN');
            const on = ipip && encapsulationOn(ipip.value) ? { encap: 'IP-in-IP', ref: ipip, name: 'CALICO_IPV4POOL_IPIP' } : vxlan && encapsulationOn(vxlan.value) ? { encap: 'VXLAN', ref: vxlan, name: 'CALICO_IPV4POOL_VXLAN' } : undefined;
            if (!on) continue;
            const file = files.get(nat.file);
            if (!file) continue;
            context.report({
              messageId: 'env',
              file,
              node: nat.node,
              data: { nat: nat.value, encap: on.encap },
              related: [{ file: on.ref.file, position: on.ref.node.position, message: `${on.encap} is enabled: ${on.name} ${on.ref.value}` }],
            });
          }
        }
      },
    };
  },
});
