import { cpuCount, defineRule, evidenceOf, liveValue, type Location, type Scope } from '../src/rule-api.js';

/**
 * Keys the kubelet writes when it starts with `protectKernelDefaults: false`
 * (the default), with the value it writes (container_manager_linux.go
 * setupKernelTunables; constants in component-helpers/node/util/sysctl).
 */
const KUBELET_SETS = new Map<string, string>([
  ['vm.overcommit_memory', '1'],
  ['vm.panic_on_oom', '0'],
  ['kernel.panic', '10'],
  ['kernel.panic_on_oops', '1'],
  ['kernel.keys.root_maxkeys', '1000000'],
  ['kernel.keys.root_maxbytes', '25000000'],
]);

/**
 * Keys kube-proxy writes when it starts (cmd/kube-proxy/app/conntrack.go,
 * defaults in pkg/proxy/apis/config/v1alpha1/defaults.go): nf_conntrack_max =
 * max(conntrack.maxPerCore 32768 × CPUs, conntrack.min 131072), the
 * established timeout 24h and the close-wait timeout 1h.
 */
const KUBE_PROXY_TIMEOUTS = new Map<string, string>([
  ['net.netfilter.nf_conntrack_tcp_timeout_established', '86400'],
  ['net.netfilter.nf_conntrack_tcp_timeout_close_wait', '3600'],
]);
const CONNTRACK_MAX = new Set(['net.netfilter.nf_conntrack_max', 'net.nf_conntrack_max']);

/** The value kube-proxy gives `key` on this host (with evidence), if kube-proxy owns the key. */
function kubeProxyValue(scope: Scope, key: string): { value: string; why: string; evidence: Location[] } | undefined {
  const timeout = KUBE_PROXY_TIMEOUTS.get(key);
  if (timeout) return { value: timeout, why: `its default conntrack ${key.endsWith('established') ? 'tcpEstablishedTimeout 24h' : 'tcpCloseWaitTimeout 1h'}`, evidence: [] };
  if (!CONNTRACK_MAX.has(key)) return undefined;
  const cpu = cpuCount(scope);
  if (!cpu) return undefined;
  const value = Math.max(32768 * cpu.cpus, 131072);
  return { value: String(value), why: `max(32768 × ${cpu.cpus} CPUs, 131072), its default conntrack maxPerCore and min`, evidence: [cpu.evidence] };
}

/** A value as the kernel prints it back: blanks folded (multi-value keys print tab-separated). */
function normalize(value: string): string {
  return value.trim().replace(/\s+/g, ' ');
}

/**
 * Whether the kernel stores `live` when `configured` is written: equal, or
 * the live value is a list of integers and the configured text is those
 * integers followed by blanks and anything else (an integer sysctl parses
 * its leading numbers and ignores the rest: `2097152 # comment` sets 2097152).
 */
function sameAsWritten(configured: string, live: string): boolean {
  if (configured === live) return true;
  if (!/^-?\d+(?: -?\d+)*$/.test(live)) return false;
  return configured.startsWith(`${live} `) && !/^[-\d]/.test(configured.slice(live.length + 1));
}

export default defineRule({
  meta: {
    id: 'sysctl-drift',
    type: 'problem',
    description: 'Require the live value of every configured sysctl key to equal the value the sysctl files give it',
    rationale: [
      'The sysctl files are applied at boot (`systemd-sysctl.service`, or `sysctl --system`) and whenever someone runs `sysctl -p`. A file edited since the last boot has not been applied; a value changed at runtime (`sysctl -w`, `echo > /proc/sys/...`, a daemon, a container runtime) is lost at the next boot. Either way, the host does not run with the configuration you read: the next reboot changes its behaviour, or the change you made never took effect.',
      'In a snapshot with a live dump (`sos_commands/kernel/sysctl_-a`, or `proc/sys` files), hostlint compares the effective configured value of every key (after the real precedence of the sysctl directories) with the live one, blanks folded (multi-value keys such as `net.ipv4.tcp_rmem` print tab-separated). An integer key takes the leading numbers of what is written and ignores the rest, so `2097152 # comment` (a trailing comment, which sysctl passes on: see `sysctl-syntax`) matches a live `2097152`. It reports at the configured line, with the live line as evidence. Keys without a live value (hidden from `sysctl -a`, or a module not loaded: see `sysctl-removed-key`) and glob assignments are not compared.',
      'On a Kubernetes node the kubelet itself rewrites six keys at start unless `protectKernelDefaults` is true (`vm.overcommit_memory = 1`, `vm.panic_on_oom = 0`, `kernel.panic = 10`, `kernel.panic_on_oops = 1`, `kernel.keys.root_maxkeys`, `kernel.keys.root_maxbytes`); a file that sets them differently is overridden at every kubelet start, and the message says so. kube-proxy likewise owns the conntrack table size and two TCP timeouts: at start it sets `nf_conntrack_max` to max(32768 × CPUs, 131072) (its `conntrack.maxPerCore` and `conntrack.min`; the CPU count from `proc/cpuinfo` or sosreport\'s `lscpu`), `nf_conntrack_tcp_timeout_established` to 86400 and `nf_conntrack_tcp_timeout_close_wait` to 3600; a live value equal to that is not drift but kube-proxy\'s, reported as a note.',
    ].join('\n\n'),
    severity: 'warning',
    precision: 'high',
    languages: ['sysctl', 'sysctl-dump', 'fact'],
    messages: {
      drift: '`{{key}}` is configured as `{{configured}}` but is `{{live}}` on the running host: the file was changed and not applied since, or the value was changed at runtime',
      kubeProxy: '`{{key}}` is configured as `{{configured}}` but kube-proxy sets it to `{{live}}` when it starts ({{why}}); set it in kube-proxy\'s conntrack configuration, or stop setting it here',
      kubelet: '`{{key}}` is configured as `{{configured}}` but the kubelet sets it to `{{live}}` when it starts (protectKernelDefaults is not on); configure `{{live}}` or stop setting it',
    },
    sources: [
      { title: 'sysctl.d(5): configure kernel parameters at boot, directories and precedence', url: 'https://man7.org/linux/man-pages/man5/sysctl.d.5.html' },
      { title: 'systemd-sysctl.service(8): applies the sysctl.d files at boot', url: 'https://www.freedesktop.org/software/systemd/man/latest/systemd-sysctl.service.html' },
      { title: 'sysctl(8): -p and --system load the files; -a prints the live values', url: 'https://man7.org/linux/man-pages/man8/sysctl.8.html' },
      { title: 'Kubernetes cmd/kube-proxy/app/conntrack.go: kube-proxy sets nf_conntrack_max and the conntrack TCP timeouts', url: 'https://github.com/kubernetes/kubernetes/blob/master/cmd/kube-proxy/app/conntrack.go' },
      { title: 'Kubernetes pkg/proxy/apis/config/v1alpha1/defaults.go: conntrack maxPerCore 32768, min 131072, tcpEstablishedTimeout 24h, tcpCloseWaitTimeout 1h', url: 'https://github.com/kubernetes/kubernetes/blob/master/pkg/proxy/apis/config/v1alpha1/defaults.go' },
      { title: 'Kubernetes pkg/kubelet/cm/container_manager_linux.go: setupKernelTunables() writes the kubelet\'s kernel settings unless protectKernelDefaults', url: 'https://github.com/kubernetes/kubernetes/blob/master/pkg/kubelet/cm/container_manager_linux.go' },
    ],
    tags: ['sysctl', 'drift', 'snapshot'],
    fixable: false,
    examples: [
      {
        title: 'A drop-in edited after the last boot',
        filename: 'web01/etc/sysctl.d/90-net.conf',
        code: 'net.core.somaxconn = 4096\n',
        files: { 'web01/sos_commands/kernel/sysctl_-a': 'net.core.somaxconn = 128\nnet.ipv4.ip_forward = 0\n' },
        expect: 1,
      },
      {
        title: 'Applied: the live value matches (tabs in the dump are blanks)',
        filename: 'web01/etc/sysctl.d/90-net.conf',
        code: 'net.ipv4.tcp_rmem = 4096 87380 6291456\n',
        files: { 'web01/sos_commands/kernel/sysctl_-a': 'net.ipv4.tcp_rmem = 4096\t87380\t6291456\n' },
        expect: 'valid',
      },
    ],
  },
  create(context) {
    const scope = context.scope;
    return {
      scope() {
        // Live values exist only in a host snapshot (liveValue is undefined in the repository).
        const sets = scope.sysctlSets();
        if (sets.length === 0) return;
        const facts = scope.facts();
        const node = facts.kubernetesNode.known && facts.kubernetesNode.value;
        for (const set of sets) {
          for (const setting of set.settings()) {
            const live = liveValue(scope, setting.key);
            if (!live) continue;
            const configured = normalize(setting.value);
            const now = normalize(live.value);
            if (sameAsWritten(configured, now)) continue;
            const related: Location[] = [{ file: live.file.path, position: live.position, message: `Live value on ${scope.name}: \`${setting.key} = ${now}\`` }];
            const data = { key: setting.key, configured, live: now };
            const proxy = node ? kubeProxyValue(scope, setting.key) : undefined;
            if (proxy && proxy.value === now) {
              // kube-proxy owns the key: not drift, a note at most.
              context.report({ messageId: 'kubeProxy', file: setting.file, node: setting.node.value, data: { ...data, why: proxy.why }, related: [...related, ...proxy.evidence, ...evidenceOf(facts.kubernetesNode)], demote: 1 });
            } else if (node && KUBELET_SETS.get(setting.key) === now) {
              context.report({ messageId: 'kubelet', file: setting.file, node: setting.node.value, data, related: [...related, ...evidenceOf(facts.kubernetesNode)] });
            } else {
              context.report({ messageId: 'drift', file: setting.file, node: setting.node.value, data, related });
            }
          }
        }
      },
    };
  },
});
