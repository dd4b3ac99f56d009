import { defineRule, liveValue, sysctlInt, type Location, type Position, type SourceFile, type SysctlSet } from '../src/rule-api.js';

/** Kernel defaults of gc_thresh1/2/3 (arp_tbl and nd_tbl alike). */
const DEFAULTS = [128, 512, 1024] as const;
const FAMILIES = [
  { id: 'ipv4', name: 'IPv4 (ARP)' },
  { id: 'ipv6', name: 'IPv6 (NDP)' },
] as const;

/** One threshold's value and where it came from. */
interface Threshold {
  key: string;
  value: number;
  /** `file`: an assignment; `live`: the snapshot's live value; `default`: the kernel default. */
  from: 'file' | 'live' | 'default';
  file?: SourceFile;
  position?: Position;
  describe: string;
}

export default defineRule({
  meta: {
    id: 'sysctl-neigh-gc-thresh',
    type: 'problem',
    description: 'Require the neighbour table thresholds to rise: gc_thresh1 ≤ gc_thresh2 ≤ gc_thresh3',
    rationale: [
      'The ARP (`net.ipv4.neigh.default.*`) and NDP (`net.ipv6.neigh.default.*`) tables are sized by three thresholds: below `gc_thresh1` (default 128) the periodic garbage collector leaves entries alone; above `gc_thresh2` (512) it forces a collection toward gc_thresh2; `gc_thresh3` (1024) is the hard maximum — an entry that does not fit is refused and the kernel logs `neighbor table overflow!`. On a Kubernetes node every pod and peer node is a neighbour, so large clusters raise these values.',
      'The usual mistake is raising gc_thresh1 and gc_thresh2 and forgetting gc_thresh3 (or copying a file that sets only two of them): the table is still capped at gc_thresh3, lookups to new neighbours fail, and connections time out once the node talks to enough peers. gc_thresh1 above gc_thresh2 makes the two collectors work against each other.',
      'hostlint takes each threshold from the files applied together, else from the snapshot\'s live values, else the kernel default. In a repository, where another file may set the missing threshold for the same host, a violation that rests on a kernel default is reported one level lower.',
    ].join('\n\n'),
    severity: 'warning',
    precision: 'high',
    languages: ['sysctl', 'sysctl-dump'],
    messages: {
      thresh3BelowThresh2: 'Neighbour table {{family}}: gc_thresh2 = {{a}} ({{aFrom}}) is above gc_thresh3 = {{b}} ({{bFrom}}): the table is capped at gc_thresh3 and overflows ("neighbor table overflow!") at {{b}} entries; raise gc_thresh3 to at least {{a}}',
      thresh1AboveThresh2: 'Neighbour table {{family}}: gc_thresh1 = {{a}} ({{aFrom}}) is above gc_thresh2 = {{b}} ({{bFrom}}): forced garbage collection starts at gc_thresh2 while periodic collection skips tables below gc_thresh1; raise gc_thresh2 to at least {{a}}',
    },
    sources: [
      { title: 'Linux ip-sysctl: neigh/default/gc_thresh1, gc_thresh2, gc_thresh3 (defaults 128, 512, 1024)', url: 'https://docs.kernel.org/networking/ip-sysctl.html' },
      { title: 'Linux net/core/neighbour.c: neigh_alloc() refuses entries at gc_thresh3 ("neighbor table overflow!"), neigh_forced_gc() trims toward gc_thresh2', url: 'https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git/tree/net/core/neighbour.c' },
    ],
    tags: ['sysctl', 'neighbour', 'kubernetes', 'reliability'],
    fixable: false,
    examples: [
      {
        title: 'Two of three thresholds raised',
        filename: 'etc/sysctl.d/90-neigh.conf',
        code: 'net.ipv4.neigh.default.gc_thresh1 = 1024\nnet.ipv4.neigh.default.gc_thresh2 = 4096\n',
        expect: 1,
      },
      {
        title: 'All three raised together',
        filename: 'etc/sysctl.d/90-neigh.conf',
        code: 'net.ipv4.neigh.default.gc_thresh1 = 1024\nnet.ipv4.neigh.default.gc_thresh2 = 4096\nnet.ipv4.neigh.default.gc_thresh3 = 8192\n',
        expect: 'valid',
      },
    ],
  },
  create(context) {
    const scope = context.scope;
    return {
      scope() {
        const sets = scope.sysctlSets();
        for (const set of sets) for (const family of FAMILIES) check(family, set);
        // A host whose files set none of them: its live values alone (none in the repository).
        if (sets.length === 0) for (const family of FAMILIES) check(family, undefined);
      },
    };

    function threshold(set: SysctlSet | undefined, family: string, i: number): Threshold {
      const key = `net.${family}.neigh.default.gc_thresh${i + 1}`;
      const eff = set?.effective(key);
      const n = sysctlInt(eff?.value);
      if (eff && n !== undefined) {
        return { key, value: n, from: 'file', file: eff.file, position: eff.node.value.position, describe: `${eff.file.hostPath ?? eff.file.path}:${eff.node.position.start.line}` };
      }
      const live = liveValue(scope, key);
      const ln = sysctlInt(live?.value);
      if (live && ln !== undefined) return { key, value: ln, from: 'live', file: live.file, position: live.position, describe: 'live value' };
      return { key, value: DEFAULTS[i]!, from: 'default', describe: scope.kind === 'host' ? 'kernel default' : 'kernel default; not set in this file' };
    }

    function check(family: (typeof FAMILIES)[number], set: SysctlSet | undefined): void {
      const t = [0, 1, 2].map((i) => threshold(set, family.id, i));
      const pairs: Array<[Threshold, Threshold, 'thresh1AboveThresh2' | 'thresh3BelowThresh2']> = [
        [t[0]!, t[1]!, 'thresh1AboveThresh2'],
        [t[1]!, t[2]!, 'thresh3BelowThresh2'],
      ];
      for (const [a, b, messageId] of pairs) {
        if (a.value <= b.value) continue;
        // Report at a threshold a file sets (the upper one when both are), else at a live value.
        const at = b.from === 'file' ? b : a.from === 'file' ? a : b.from === 'live' ? b : a.from === 'live' ? a : undefined;
        if (!at || !at.file || !at.position) continue;
        const other = at === a ? b : a;
        const related: Location[] = other.file && other.position ? [{ file: other.file.path, position: other.position, message: `\`${other.key} = ${other.value}\` (${other.describe})` }] : [];
        context.report({
          messageId,
          file: at.file,
          position: at.position,
          data: { family: family.name, a: a.value, aFrom: a.describe, b: b.value, bFrom: b.describe },
          related,
          demote: scope.kind === 'repository' && (a.from === 'default' || b.from === 'default') ? 1 : 0,
        });
      }
    }
  },
});
