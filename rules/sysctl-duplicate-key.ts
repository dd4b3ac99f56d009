import { defineRule, type EffectiveSetting, type Location, type SourceFile } from '../src/rule-api.js';

/** Directories whose files are meant to be overridden by /etc (sysctl.d(5)): shadowing them is the mechanism working. */
const VENDOR_DIRS = ['/run/sysctl.d/', '/usr/local/lib/sysctl.d/', '/usr/lib/sysctl.d/', '/lib/sysctl.d/'];

type Entry = EffectiveSetting['shadowed'][number];

/**
 * Keys that are one kernel variable under two names: `net.nf_conntrack_max`
 * is registered in the init namespace's `net.core` table with the same data
 * as `net.netfilter.nf_conntrack_max` (net/netfilter/nf_conntrack_standalone.c).
 * Keyed by each name, giving the group's canonical name.
 */
const ALIASES = new Map<string, string>([
  ['net.nf_conntrack_max', 'net.netfilter.nf_conntrack_max'],
  ['net.netfilter.nf_conntrack_max', 'net.netfilter.nf_conntrack_max'],
]);

export default defineRule({
  meta: {
    id: 'sysctl-duplicate-key',
    type: 'problem',
    description: 'Disallow sysctl keys that are assigned more than once in the files applied together',
    rationale: [
      'procps (`sysctl -p`, `sysctl --system`) writes every assignment in order and systemd-sysctl keeps the last one ("Overwriting earlier assignment"), so when a key is set twice the later line wins and the earlier one is dead text. Within one file that is almost always a mistake: two people tuned the same knob, and whoever reads the first line is misled. Across the files of a host the order is the real precedence: `*.conf` from `/etc/sysctl.d`, `/run/sysctl.d`, `/usr/local/lib/sysctl.d`, `/usr/lib/sysctl.d`, `/lib/sysctl.d` sorted by file name (a name in an earlier directory masks the same name in a later one), then `/etc/sysctl.conf` (procps; systemd reads it only through the `99-sysctl.conf` link). A hardening baseline in `60-cis.conf` silently loses to `99-k8s.conf`, or the other way round.',
      'Two names for one variable count as one key: `net.nf_conntrack_max` and `net.netfilter.nf_conntrack_max` are the same kernel value (nf_conntrack_standalone.c registers both over `nf_conntrack_max`), so a later file setting either silently replaces the other.',
      'hostlint reports each **shadowed** assignment, with the one that wins as related location. In a host snapshot all sysctl files of the host are one set; in a repository each file stands on its own. An assignment repeated with the same value, and a vendor default (`/usr/lib/sysctl.d`, `/run/sysctl.d`, ...) overridden from `/etc` — the override mechanism sysctl.d(5) describes — are reported one level lower.',
    ].join('\n\n'),
    severity: 'warning',
    precision: 'high',
    languages: ['sysctl'],
    messages: {
      overridden: '`{{key}} = {{value}}` is overridden by `{{winning}}` at {{where}}: this line has no effect',
      repeated: '`{{key}} = {{value}}` is set again with the same value at {{where}}; keep one of them',
    },
    sources: [
      { title: 'sysctl.d(5) (systemd): file precedence, "the file with the latest name wins"', url: 'https://www.freedesktop.org/software/systemd/man/latest/sysctl.d.html' },
      { title: 'sysctl(8) (procps-ng): --system load order, /etc/sysctl.conf last', url: 'https://man7.org/linux/man-pages/man8/sysctl.8.html' },
      { title: 'systemd src/sysctl/sysctl.c: "Overwriting earlier assignment of %s"', url: 'https://github.com/systemd/systemd/blob/main/src/sysctl/sysctl.c' },
      { title: 'Linux net/netfilter/nf_conntrack_standalone.c: net.nf_conntrack_max and net.netfilter.nf_conntrack_max share nf_conntrack_max', url: 'https://github.com/torvalds/linux/blob/master/net/netfilter/nf_conntrack_standalone.c' },
    ],
    tags: ['sysctl', 'maintainability'],
    fixable: false,
    examples: [
      {
        title: 'Two names of one variable: the later one wins',
        filename: 'etc/sysctl.d/90-conntrack.conf',
        code: 'net.netfilter.nf_conntrack_max = 262144\nnet.nf_conntrack_max = 65536\n',
        expect: 1,
      },
      {
        title: 'The same knob tuned twice in one file',
        filename: 'etc/sysctl.d/90-tuning.conf',
        code: 'net.core.somaxconn = 1024\nnet.ipv4.tcp_fin_timeout = 15\nnet.core.somaxconn = 4096\n',
        expect: 1,
      },
      {
        title: 'Every key once',
        filename: 'etc/sysctl.d/90-tuning.conf',
        code: 'net.core.somaxconn = 4096\nnet.ipv4.tcp_fin_timeout = 15\n',
        expect: 'valid',
      },
    ],
  },
  create(context) {
    const scope = context.scope;
    return {
      scope() {
        for (const set of scope.sysctlSets()) {
          const groups = new Map<string, EffectiveSetting[]>();
          for (const winner of set.settings()) {
            const canonical = ALIASES.get(winner.key);
            if (canonical) {
              const list = groups.get(canonical) ?? [];
              list.push(winner);
              groups.set(canonical, list);
              continue;
            }
            for (const shadowed of winner.shadowed) {
              // The same line applied again through a second link to its file is not a second assignment.
              if (shadowed.node !== winner.node) report(shadowed, winner);
            }
          }
          // Aliases: the name written last decides the one variable; every other assignment is shadowed.
          for (const members of groups.values()) {
            const winner = set.lastApplied(...members)!;
            for (const m of members) {
              for (const shadowed of m.shadowed) if (shadowed.node !== winner.node) report(shadowed, winner);
              if (m !== winner && m.node !== winner.node) report(m, winner);
            }
          }
        }
      },
    };

    function report(shadowed: Entry, winner: EffectiveSetting): void {
      const sameValue = fold(shadowed.node.value.value) === fold(winner.value);
      const vendor = shadowed.file !== winner.file && VENDOR_DIRS.some((d) => (shadowed.file.hostPath ?? '').startsWith(d));
      const where = shadowed.file === winner.file ? `line ${winner.node.position.start.line}` : `${display(winner.file)}:${winner.node.position.start.line}`;
      const related: Location[] = [
        { file: winner.file.path, position: winner.node.position, message: `The assignment that wins: \`${winner.node.key.raw} = ${winner.value}\`` },
      ];
      context.report({
        messageId: sameValue ? 'repeated' : 'overridden',
        file: shadowed.file,
        node: shadowed.node.key,
        data: { key: shadowed.node.key.raw, value: shadowed.node.value.value, winning: `${winner.node.key.raw} = ${winner.value}`, where },
        related,
        demote: sameValue || vendor ? 1 : 0,
      });
    }
  },
});

function fold(value: string): string {
  return value.replace(/\s+/g, ' ');
}

/** The path users recognise: the host path in a snapshot, the repository path otherwise. */
function display(file: SourceFile): string {
  return file.hostPath ?? file.path;
}
