import { defineRule, evidenceOf, liveValue, sysctlInt, type Location, type Position, type SourceFile } from '../src/rule-api.js';

const RANGE = 'net.ipv4.ip_local_port_range';
const RESERVED = 'net.ipv4.ip_local_reserved_ports';

interface Options {
  nodePortRange: string;
}

/** Where a port range came from: a sysctl file assignment or a live value. */
interface RangeSource {
  low: number;
  high: number;
  text: string;
  file: SourceFile;
  position: Position;
  live: boolean;
}

export default defineRule<'configured' | 'live', Options>({
  meta: {
    id: 'k8s-nodeport-ephemeral-overlap',
    type: 'problem',
    description: 'Disallow an ephemeral port range on Kubernetes nodes that overlaps the NodePort range without reserving the overlap',
    rationale: [
      'kube-apiserver hands out NodePorts from `--service-node-port-range` (default `30000-32767`), and its help text says the range "must not overlap with the ephemeral port range on nodes". The kernel picks the local port of every outgoing connection from `net.ipv4.ip_local_port_range`. Since kube-proxy stopped holding NodePorts open with a listening socket (kubernetes PR #108496, 2022), nothing stops an outgoing connection — a kubelet probe, a pod on the host network, the container runtime — from taking a port that a NodePort Service then cannot receive on, or that steals its traffic: intermittent failures on one node at a time.',
      'The kernel default `32768 60999` does not overlap the default NodePort range; widened ranges such as `1024 65535` or `10240 61000` do. Ports listed in `net.ipv4.ip_local_reserved_ports` are never picked automatically, so an overlap that is reserved there is fine (the fix this rule suggests).',
      'hostlint checks the effective configured range and reserved ports of each Kubernetes node (a snapshot with `/var/lib/kubelet`, `/etc/kubernetes` or `/etc/cni/net.d`, or `facts.kubernetesNode: true`). When no sysctl file sets the range, a snapshot\'s live value (`sysctl -a`, `/proc/sys/net/ipv4/ip_local_port_range`) is checked instead; without a live value hostlint stays silent rather than assume the kernel default, because something it does not read (a container runtime, an init script) may have changed the range. If the cluster uses another NodePort range, set the `nodePortRange` option.',
    ].join('\n\n'),
    severity: 'warning',
    precision: 'medium',
    languages: ['sysctl', 'sysctl-dump'],
    schema: {
      type: 'object',
      additionalProperties: false,
      properties: {
        nodePortRange: { type: 'string', pattern: '^[0-9]{1,5}-[0-9]{1,5}$', description: 'kube-apiserver --service-node-port-range of the cluster' },
      },
    },
    defaultOptions: { nodePortRange: '30000-32767' },
    messages: {
      configured: 'Ephemeral port range `{{range}}` includes {{overlap}}{{unreserved}}: outgoing connections can take ports NodePort Services need; reserve them with `net.ipv4.ip_local_reserved_ports = {{suggest}}` or move the range',
      live: 'Live ephemeral port range `{{range}}` includes {{overlap}}{{unreserved}}, and no sysctl file sets it: outgoing connections can take ports NodePort Services need; reserve them with `net.ipv4.ip_local_reserved_ports = {{suggest}}`',
    },
    sources: [
      { title: 'kube-apiserver --service-node-port-range: "This must not overlap with the ephemeral port range on nodes" (default 30000-32767)', url: 'https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/' },
      { title: 'Linux ip-sysctl: ip_local_port_range and ip_local_reserved_ports', url: 'https://docs.kernel.org/networking/ip-sysctl.html' },
      { title: 'kubernetes/kubernetes PR #108496: kube-proxy no longer holds NodePorts open', url: 'https://github.com/kubernetes/kubernetes/pull/108496' },
      { title: 'awslabs/amazon-eks-ami issue #1307: ephemeral port range overlapping NodePorts', url: 'https://github.com/awslabs/amazon-eks-ami/issues/1307' },
    ],
    tags: ['sysctl', 'kubernetes', 'ports'],
    fixable: false,
    examples: [
      {
        title: 'A widened ephemeral range on a node',
        filename: 'etc/sysctl.d/90-ports.conf',
        code: 'net.ipv4.ip_local_port_range = 10240 65000\n',
        facts: { kubernetesNode: true },
        expect: 1,
      },
      {
        title: 'The same range with the NodePorts reserved',
        filename: 'etc/sysctl.d/90-ports.conf',
        code: 'net.ipv4.ip_local_port_range = 10240 65000\nnet.ipv4.ip_local_reserved_ports = 30000-32767\n',
        facts: { kubernetesNode: true },
        expect: 'valid',
      },
    ],
  },
  create(context) {
    const scope = context.scope;
    const nodePorts = parsePair(context.options.nodePortRange, '-');
    return {
      scope() {
        if (!nodePorts) return;
        const sets = scope.sysctlSets();
        for (const set of sets) {
          const facts = scope.facts(set.anchor);
          if (!(facts.kubernetesNode.known && facts.kubernetesNode.value)) continue;
          const eff = set.effective(RANGE);
          if (!eff) continue;
          const pair = parsePair(eff.value, /\s+/);
          if (!pair) continue;
          const reserved = set.effective(RESERVED);
          const reservedSource = reserved
            ? { value: reserved.value, related: { file: reserved.file.path, position: reserved.node.value.position, message: `Reserved ports: \`${RESERVED} = ${reserved.value}\`` } }
            : liveReserved();
          check({ low: pair[0], high: pair[1], text: eff.value, file: eff.file, position: eff.node.value.position, live: false }, reservedSource, evidenceOf(facts.kubernetesNode));
        }
        // The live range (none in the repository), when no file sets it.
        if (sets.some((s) => s.effective(RANGE))) return;
        const facts = scope.facts();
        if (!(facts.kubernetesNode.known && facts.kubernetesNode.value)) return;
        const live = liveValue(scope, RANGE);
        const pair = live ? parsePair(live.value, /\s+/) : undefined;
        if (!live || !pair) return;
        check({ low: pair[0], high: pair[1], text: live.value, file: live.file, position: live.position, live: true }, liveReserved(), evidenceOf(facts.kubernetesNode));
      },
    };

    function liveReserved(): { value: string; related: Location } | undefined {
      const live = liveValue(scope, RESERVED);
      return live ? { value: live.value, related: { file: live.file.path, position: live.position, message: `Live reserved ports: \`${live.value}\`` } } : undefined;
    }

    function check(range: RangeSource, reserved: { value: string; related: Location } | undefined, nodeEvidence: Location[]): void {
      const [npLow, npHigh] = nodePorts!;
      const low = Math.max(range.low, npLow);
      const high = Math.min(range.high, npHigh);
      if (low > high) return;
      const reservedPorts = reserved ? parsePortList(reserved.value) : [];
      const free = subtract([low, high], reservedPorts);
      if (free.length === 0) return;
      const count = free.reduce((n, [a, b]) => n + b - a + 1, 0);
      const total = high - low + 1;
      const related = [...nodeEvidence, ...(reserved ? [reserved.related] : [])];
      const existing = reserved?.value.trim() ?? '';
      const whole = low === npLow && high === npHigh;
      context.report({
        messageId: range.live ? 'live' : 'configured',
        file: range.file,
        position: range.position,
        data: {
          range: range.text.replace(/\s+/g, ' '),
          overlap: whole ? `the whole NodePort range ${fmt([low, high])}` : `NodePorts ${fmt([low, high])} (of ${npLow}-${npHigh})`,
          unreserved: count === total ? '' : `, ${count} of those ${total} ports not reserved`,
          suggest: suggestion(existing, free),
        },
        related,
      });
    }
  },
});

/**
 * The reserved-ports value to write (writing replaces the whole list): the
 * existing list and the unreserved ports, merged and sorted when the existing
 * list parses, else appended.
 */
function suggestion(existing: string, free: Array<[number, number]>): string {
  const parsed = parsePortList(existing);
  const tokens = existing.split(',').map((t) => t.trim()).filter(Boolean);
  if (parsed.length !== tokens.length) return [existing, ...free.map(fmt)].filter(Boolean).join(',');
  const all = [...parsed, ...free].sort((x, y) => x[0] - y[0]);
  const merged: Array<[number, number]> = [];
  for (const [a, b] of all) {
    const last = merged[merged.length - 1];
    if (last && a <= last[1] + 1) last[1] = Math.max(last[1], b);
    else merged.push([a, b]);
  }
  return merged.map(fmt).join(',');
}

function fmt([a, b]: [number, number]): string {
  return a === b ? String(a) : `${a}-${b}`;
}

function parsePair(text: string, sep: string | RegExp): [number, number] | undefined {
  const parts = text.trim().split(sep);
  if (parts.length !== 2) return undefined;
  const a = sysctlInt(parts[0]);
  const b = sysctlInt(parts[1]);
  if (a === undefined || b === undefined || a > b) return undefined;
  return [a, b];
}

/** `ip_local_reserved_ports` syntax: comma-separated ports and `low-high` ranges. */
function parsePortList(text: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const part of text.split(',')) {
    const t = part.trim();
    if (t === '') continue;
    const range = /^(\d+)-(\d+)$/.exec(t);
    if (range) out.push([Number(range[1]), Number(range[2])]);
    else if (/^\d+$/.test(t)) out.push([Number(t), Number(t)]);
  }
  return out;
}

/** The parts of `[low, high]` not covered by `holes`. */
function subtract([low, high]: [number, number], holes: Array<[number, number]>): Array<[number, number]> {
  let parts: Array<[number, number]> = [[low, high]];
  for (const [a, b] of holes) {
    parts = parts.flatMap(([x, y]): Array<[number, number]> => {
      if (b < x || a > y) return [[x, y]];
      const out: Array<[number, number]> = [];
      if (a > x) out.push([x, a - 1]);
      if (b < y) out.push([b + 1, y]);
      return out;
    });
  }
  return parts;
}
