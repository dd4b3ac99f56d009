import {
  defineRule,
  evidenceOf,
  kernelBefore,
  liveValue,
  sysctlInt,
  type EffectiveSetting,
  type Location,
  type Position,
  type SysctlSet,
} from '../src/rule-api.js';

const RANGE = 'net.ipv4.ip_local_port_range';
const UNPRIVILEGED = 'net.ipv4.ip_unprivileged_port_start';
/** PROT_SOCK: the first unprivileged port when ip_unprivileged_port_start is not set. */
const DEFAULT_UNPRIVILEGED = 1024;

export default defineRule({
  meta: {
    id: 'sysctl-port-range',
    type: 'problem',
    description: 'Require `net.ipv4.ip_local_port_range` to be a low and a high port the kernel accepts',
    rationale: [
      '`net.ipv4.ip_local_port_range` is two numbers, the first and last port the kernel picks for outgoing connections (default `32768 60999`). The kernel rejects a write (`EINVAL`: `sysctl -p` prints `setting key "net.ipv4.ip_local_port_range": Invalid argument`) and keeps the old range when a port is outside 1-65535, when the low port is above the high one, or — since Linux 4.11, commit 4548b683b781 ("Introduce a sysctl that modifies the value of PROT_SOCK") — when the low port is below `net.ipv4.ip_unprivileged_port_start` (default 1024). The check runs in both directions: writing `ip_unprivileged_port_start` above the current low port fails too, so the **order** of the two lines matters.',
      'A rejected range goes unnoticed until the host runs out of ephemeral ports under load. hostlint checks the effective value (the assignment that wins in the files applied together) and, for the unprivileged-port check, the kernel: when it is unknown a low port under 1024 is reported one level lower.',
    ].join('\n\n'),
    severity: 'warning',
    precision: 'high',
    languages: ['sysctl'],
    messages: {
      notTwoPorts: '`net.ipv4.ip_local_port_range = {{value}}` is not two port numbers (low and high)',
      outOfBounds: 'Port {{port}} in `net.ipv4.ip_local_port_range` is outside 1-65535: the kernel rejects the write (EINVAL) and keeps the old range',
      reversed: '`net.ipv4.ip_local_port_range = {{value}}`: the low port {{low}} is above the high port {{high}}; the kernel rejects the write (EINVAL) and keeps the old range',
      belowUnprivileged: 'Low port {{low}} is below `net.ipv4.ip_unprivileged_port_start = {{start}}` ({{where}}): the kernel rejects whichever of the two is written second (EINVAL)',
      appliedBeforeUnprivileged: 'Low port {{low}} is below 1024 and this line is applied before `net.ipv4.ip_unprivileged_port_start = {{start}}` ({{where}}): when it is written the first unprivileged port is still 1024, so the kernel rejects the range; set ip_unprivileged_port_start first',
      belowDefault: 'Low port {{low}} is below the first unprivileged port ({{start}}, `net.ipv4.ip_unprivileged_port_start`): kernel {{kernel}} rejects the write (EINVAL) and keeps the old range',
      belowDefaultUnknown: 'Low port {{low}} is below the first unprivileged port (1024 by default): kernels since 4.11 reject the write (EINVAL) unless `net.ipv4.ip_unprivileged_port_start` is lowered first (kernel unknown: {{hint}})',
    },
    sources: [
      { title: 'Linux ip-sysctl: ip_local_port_range, ip_unprivileged_port_start ("must not overlap with the ip_local_port_range")', url: 'https://docs.kernel.org/networking/ip-sysctl.html' },
      { title: 'Linux net/ipv4/sysctl_net_ipv4.c: ipv4_local_port_range() and ipv4_privileged_ports() return -EINVAL', url: 'https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git/tree/net/ipv4/sysctl_net_ipv4.c' },
      { title: 'Linux commit 4548b683b781 "Introduce a sysctl that modifies the value of PROT_SOCK." (first released in 4.11)', url: 'https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git/commit/?id=4548b683b781' },
    ],
    tags: ['sysctl', 'ports', 'kernel'],
    fixable: false,
    examples: [
      {
        title: 'Low and high swapped',
        filename: 'etc/sysctl.d/90-ports.conf',
        code: 'net.ipv4.ip_local_port_range = 65000 10240\n',
        expect: 1,
      },
      {
        title: 'A wide range that stays above the privileged ports',
        filename: 'etc/sysctl.d/90-ports.conf',
        code: 'net.ipv4.ip_local_port_range = 1024 65535\n',
        facts: { kernel: '5.15.0-91-generic' },
        expect: 'valid',
      },
      {
        title: 'Into the privileged ports on a current kernel',
        filename: 'etc/sysctl.d/90-ports.conf',
        code: 'net.ipv4.ip_local_port_range = 1000 65000\n',
        facts: { kernel: '5.15.0-91-generic' },
        expect: 1,
      },
    ],
  },
  create(context) {
    const scope = context.scope;
    return {
      scope() {
        for (const set of scope.sysctlSets()) {
          const range = set.effective(RANGE);
          if (range && !range.node.key.glob) check(set, range);
        }
      },
    };

    function check(set: SysctlSet, range: EffectiveSetting): void {
      const value = range.node.value;
      const tokens = [...value.value.matchAll(/\S+/g)].map((m) => ({ text: m[0], at: m.index, n: sysctlInt(m[0]) }));
      const file = range.file;
      if (tokens.length !== 2 || tokens.some((t) => t.n === undefined)) {
        context.report({ messageId: 'notTwoPorts', file, node: value, data: { value: value.value } });
        return;
      }
      const tokenPosition = (i: number): Position => onLine(value.position, tokens[i]!.at, tokens[i]!.text.length);
      for (let i = 0; i < 2; i++) {
        const port = tokens[i]!.n!;
        if (port < 1 || port > 65535) {
          context.report({ messageId: 'outOfBounds', file, position: tokenPosition(i), data: { port } });
          return;
        }
      }
      const [low, high] = [tokens[0]!.n!, tokens[1]!.n!];
      if (low > high) {
        context.report({ messageId: 'reversed', file, node: value, data: { value: value.value, low, high } });
        return;
      }
      const facts = scope.facts(set.anchor);
      if (kernelBefore(facts.kernel, '4.11.0') === true) return; // no ip_unprivileged_port_start before 4.11
      const unpriv = set.effective(UNPRIVILEGED);
      const start = sysctlInt(unpriv?.value);
      if (unpriv && start !== undefined) {
        const where = `${unpriv.file.hostPath ?? unpriv.file.path}:${unpriv.node.position.start.line}`;
        const related: Location[] = [{ file: unpriv.file.path, position: unpriv.node.position, message: `First unprivileged port: \`${UNPRIVILEGED} = ${unpriv.value}\`` }];
        if (low < start) {
          context.report({ messageId: 'belowUnprivileged', file, position: tokenPosition(0), data: { low, start, where }, related });
        } else if (low < DEFAULT_UNPRIVILEGED && appliedBefore(set, range, unpriv)) {
          context.report({ messageId: 'appliedBeforeUnprivileged', file, position: tokenPosition(0), data: { low, start, where }, related });
        }
        return;
      }
      const live = sysctlInt(liveValue(scope, UNPRIVILEGED)?.value);
      const current = live ?? DEFAULT_UNPRIVILEGED;
      if (low >= current) return;
      if (facts.kernel.known) {
        context.report({ messageId: 'belowDefault', file, position: tokenPosition(0), data: { low, start: current, kernel: facts.kernel.value.release }, related: evidenceOf(facts.kernel) });
      } else {
        context.report({ messageId: 'belowDefaultUnknown', file, position: tokenPosition(0), data: { low, hint: facts.kernel.hint }, demote: 1 });
      }
    }
  },
});

/** Whether `a` is applied before `b` (file order of the set, then line order). */
function appliedBefore(set: SysctlSet, a: EffectiveSetting, b: EffectiveSetting): boolean {
  const fa = set.files.indexOf(a.file);
  const fb = set.files.indexOf(b.file);
  return fa !== fb ? fa < fb : a.node.position.start.offset! < b.node.position.start.offset!;
}

/** A single-line position `length` characters long, `lead` characters into `p`. */
function onLine(p: Position, lead: number, length: number): Position {
  return {
    start: { line: p.start.line, column: p.start.column + lead, offset: p.start.offset! + lead },
    end: { line: p.start.line, column: p.start.column + lead + length, offset: p.start.offset! + lead + length },
  };
}
