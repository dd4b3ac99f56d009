import { KUBELET_KINDS, defineRule, kubeletValue, liveValue, sysctlInt, type Location } from '../src/rule-api.js';

/** What the kubelet requires (pkg/kubelet/cm/container_manager_linux.go setupKernelTunables). */
const REQUIRED: ReadonlyArray<[string, number]> = [
  ['vm.overcommit_memory', 1],
  ['vm.panic_on_oom', 0],
  ['kernel.panic', 10],
  ['kernel.panic_on_oops', 1],
  ['kernel.keys.root_maxkeys', 1000000],
  ['kernel.keys.root_maxbytes', 25000000],
];

export default defineRule({
  meta: {
    id: 'k8s-protect-kernel-defaults',
    type: 'problem',
    description: 'Require the kernel settings the kubelet checks when `protectKernelDefaults` is on',
    rationale: [
      'The kubelet needs six kernel settings: `vm.overcommit_memory = 1`, `vm.panic_on_oom = 0`, `kernel.panic = 10`, `kernel.panic_on_oops = 1`, `kernel.keys.root_maxkeys = 1000000` and `kernel.keys.root_maxbytes = 25000000`. By default it writes them itself at start. With `protectKernelDefaults: true` in its KubeletConfiguration (`--protect-kernel-defaults`, a CIS benchmark recommendation) it only checks them, and when one differs it fails node setup with `invalid kernel flag: vm/overcommit_memory, expected value: 1, actual value: 0`: the node never becomes Ready.',
      'Hardening baselines that turn `protectKernelDefaults` on often ship a sysctl file that contradicts it (`vm.panic_on_oom = 1`, `kernel.panic = 60`). hostlint reads the KubeletConfiguration of a host snapshot (`var/lib/kubelet/config.yaml`) and checks the effective sysctl value of each key, else the live value of the snapshot. When neither is known it reports once, one level lower, at the kubelet setting: the kernel defaults (`vm.overcommit_memory = 0`, `kernel.panic = 0` on most kernels) would not pass, but some distributions build other defaults.',
    ].join('\n\n'),
    severity: 'error',
    precision: 'medium',
    languages: ['sysctl', 'sysctl-dump', 'kube'],
    kinds: [...KUBELET_KINDS],
    messages: {
      configured: '`{{key}} = {{value}}` but the kubelet runs with protectKernelDefaults and requires {{required}}: it fails with "invalid kernel flag: {{path}}, expected value: {{required}}" and the node never becomes Ready; set it to {{required}}',
      live: 'Live `{{key}} = {{value}}` but the kubelet runs with protectKernelDefaults and requires {{required}}, and no sysctl file sets it: the kubelet fails with "invalid kernel flag: {{path}}"; add `{{key}} = {{required}}` to /etc/sysctl.d/90-kubelet.conf',
      unknown: '`protectKernelDefaults: true` requires {{keys}}, but no sysctl file of this host sets them and the snapshot has no live values: unless the kernel defaults match, the kubelet refuses to start; add them to /etc/sysctl.d/90-kubelet.conf',
    },
    sources: [
      { title: 'kubernetes pkg/kubelet/cm/container_manager_linux.go: setupKernelTunables(), "invalid kernel flag"', url: 'https://github.com/kubernetes/kubernetes/blob/master/pkg/kubelet/cm/container_manager_linux.go' },
      { title: 'kubernetes component-helpers node/util/sysctl/sysctl.go: VMOvercommitMemoryAlways, KernelPanicRebootTimeout, RootMaxKeys, RootMaxBytes', url: 'https://github.com/kubernetes/kubernetes/blob/master/staging/src/k8s.io/component-helpers/node/util/sysctl/sysctl.go' },
      { title: 'Kubelet configuration (v1beta1): protectKernelDefaults', url: 'https://kubernetes.io/docs/reference/config-api/kubelet-config.v1beta1/' },
    ],
    tags: ['sysctl', 'kubernetes', 'kubelet'],
    fixable: true,
    examples: [
      {
        title: 'A hardening file that makes the node panic on OOM',
        filename: 'node01/etc/sysctl.d/90-kubelet.conf',
        code: 'vm.overcommit_memory = 1\nvm.panic_on_oom = 1\nkernel.panic = 10\nkernel.panic_on_oops = 1\nkernel.keys.root_maxkeys = 1000000\nkernel.keys.root_maxbytes = 25000000\n',
        files: {
          'node01/var/lib/kubelet/config.yaml': 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nprotectKernelDefaults: true\n',
          'node01/proc/sys/kernel/osrelease': '5.15.0-91-generic\n',
        },
        expect: 1,
      },
      {
        title: 'The values the kubelet requires',
        filename: 'node01/etc/sysctl.d/90-kubelet.conf',
        code: 'vm.overcommit_memory = 1\nvm.panic_on_oom = 0\nkernel.panic = 10\nkernel.panic_on_oops = 1\nkernel.keys.root_maxkeys = 1000000\nkernel.keys.root_maxbytes = 25000000\n',
        files: {
          'node01/var/lib/kubelet/config.yaml': 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nprotectKernelDefaults: true\n',
          'node01/proc/sys/kernel/osrelease': '5.15.0-91-generic\n',
        },
        expect: 'valid',
      },
    ],
  },
  create(context) {
    const scope = context.scope;
    return {
      scope() {
        const cfg = kubeletValue(scope, 'protectKernelDefaults');
        const protect = cfg?.node;
        if (!cfg || !protect || !(protect.value === true || protect.value === 'true')) return;
        const kubelet: Location = { file: cfg.file.path, position: protect.position, message: 'The kubelet checks these settings: `protectKernelDefaults: true`' };
        const set = scope.sysctlSets()[0];
        const missing: string[] = [];
        for (const [key, required] of REQUIRED) {
          const path = key.replace(/\./g, '/');
          const eff = set?.effective(key);
          if (eff) {
            if (sysctlInt(eff.value) === required) continue;
            context.report({
              messageId: 'configured',
              file: eff.file,
              node: eff.node.value,
              data: { key, value: eff.value, required, path },
              related: [kubelet],
              fix: { description: `Set ${key} to ${required}`, edits: [{ range: [eff.node.value.position.start.offset!, eff.node.value.position.end.offset!], text: String(required) }] },
            });
            continue;
          }
          const live = liveValue(scope, key);
          if (live) {
            if (sysctlInt(live.value) !== required) {
              context.report({ messageId: 'live', file: live.file, position: live.position, data: { key, value: live.value, required, path }, related: [kubelet] });
            }
            continue;
          }
          missing.push(`\`${key} = ${required}\``);
        }
        if (missing.length > 0) {
          context.report({ messageId: 'unknown', file: cfg.file, position: protect.position, data: { keys: missing.join(', ') }, demote: 1 });
        }
      },
    };
  },
});
