import { CALICO_KINDS, calicoSets, defineRule, encapsulationOn, envValue } from '../src/rule-api.js';

export default defineRule({
  meta: {
    id: 'calico-encap-both',
    type: 'problem',
    description: 'Disallow Calico IP pools that enable both IP-in-IP and VXLAN',
    rationale: [
      'A Calico IP pool uses one encapsulation: `ipipMode` and `vxlanMode` "cannot be set at the same time" (IPPool reference), and Calico\'s validator rejects a pool with both enabled ("IPIPMode and VXLANMode cannot both be enabled on the same IP pool"). An IPPool manifest with both is refused by `calicoctl` and the Calico API server; applied straight to the `crd.projectcalico.org` CRD it bypasses the check and leaves Felix with a pool it does not support.',
      'On a manifest install the same happens through the calico-node environment: with `CALICO_IPV4POOL_IPIP` and `CALICO_IPV4POOL_VXLAN` both set to `Always` or `CrossSubnet`, calico-node tries to create the default pool with both, the creation fails validation and calico-node exits ("Failed to create default IPv4 IP pool"), so no node becomes ready. The environment only matters when no pool exists yet, so it is not checked when the same manifests declare IPPools. Different pools may use different encapsulations.',
    ].join('\n\n'),
    severity: 'error',
    precision: 'high',
    languages: ['kube'],
    kinds: [...CALICO_KINDS],
    messages: {
      pool: 'IPPool {{pool}} enables VXLAN (`vxlanMode: {{vxlan}}`) and IP-in-IP (`ipipMode: {{ipip}}`): a pool can use only one encapsulation, and Calico rejects it',
      env: 'DaemonSet {{node}} asks for a default IP pool with VXLAN (`CALICO_IPV4POOL_VXLAN: {{vxlan}}`) and IP-in-IP (`CALICO_IPV4POOL_IPIP: {{ipip}}`): the pool fails validation and calico-node exits; set one of them to Never',
    },
    sources: [
      { title: 'Calico IPPool reference: ipipMode and vxlanMode cannot be set at the same time', url: 'https://docs.tigera.io/calico/latest/reference/resources/ippool' },
      { title: 'libcalico-go lib/validator/v3/validator.go: "IPIPMode and VXLANMode cannot both be enabled on the same IP pool"', url: 'https://github.com/projectcalico/calico/blob/master/libcalico-go/lib/validator/v3/validator.go' },
      { title: 'Calico: Configure calico/node — CALICO_IPV4POOL_IPIP and CALICO_IPV4POOL_VXLAN (set only one to a value other than Never)', url: 'https://docs.tigera.io/calico/latest/reference/configure-calico-node' },
    ],
    tags: ['calico', 'kubernetes', 'encapsulation'],
    fixable: false,
    examples: [
      {
        title: 'An IPPool with both encapsulations',
        filename: 'cluster/ippool.yaml',
        code: 'apiVersion: crd.projectcalico.org/v1\nkind: IPPool\nmetadata:\n  name: default-ipv4-ippool\nspec:\n  cidr: 192.168.0.0/16\n  ipipMode: Always\n  vxlanMode: CrossSubnet\n  natOutgoing: true\n',
        expect: 1,
      },
      {
        title: 'An IPPool with VXLAN only',
        filename: 'cluster/ippool.yaml',
        code: 'apiVersion: crd.projectcalico.org/v1\nkind: IPPool\nmetadata:\n  name: default-ipv4-ippool\nspec:\n  cidr: 192.168.0.0/16\n  ipipMode: Never\n  vxlanMode: CrossSubnet\n  natOutgoing: true\n',
        expect: 'valid',
      },
    ],
  },
  create(context) {
    const scope = context.scope;
    return {
      scope() {
        const files = new Map(scope.files.map((f) => [f.path, f]));
        for (const { view } of calicoSets(scope)) {
          for (const pool of view.ipPools) {
            if (!pool.ipipMode || !pool.vxlanMode || !encapsulationOn(pool.ipipMode.value) || !encapsulationOn(pool.vxlanMode.value)) continue;
            const file = files.get(pool.vxlanMode.file);
            if (!file) continue;
            context.report({
              messageId: 'pool',
              file,
              node: pool.vxlanMode.node,
              data: { pool: pool.name, vxlan: pool.vxlanMode.value, ipip: pool.ipipMode.value },
              related: [{ file: pool.ipipMode.file, position: pool.ipipMode.node.position, message: `IP-in-IP is enabled: ipipMode ${pool.ipipMode.value}` }],
            });
          }
          if (view.ipPools.length > 0) continue; // the env only shapes the pool created when there is none
          for (const node of view.nodes) {
            const ipip = envValue(view, node, 'CALICO_IPV4POOL_IPIP');
            const vxlan = envValue(view, node, 'CALICO_IPV4POOL_VXLAN');
            if (!ipip || !vxlan || !encapsulationOn(ipip.value) || !encapsulationOn(vxlan.value)) continue;
            const file = files.get(vxlan.file);
            if (!file) continue;
            context.report({
              messageId: 'env',
              file,
              node: vxlan.node,
              data: { node: node.name, vxlan: vxlan.value, ipip: ipip.value },
              related: [{ file: ipip.file, position: ipip.node.position, message: `IP-in-IP is enabled: CALICO_IPV4POOL_IPIP ${ipip.value}` }],
            });
          }
        }
      },
    };
  },
});
