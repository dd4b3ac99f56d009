import { defineRule, evidenceOf, type SourceFile, type SysctlAssignmentNode, type SysctlExclusionNode, type SysctlKeyNode } from '../src/rule-api.js';

/** procps-ng releases that introduced each piece of syntax (procps NEWS). */
const DASH_PREFIX = '3.3.16';
const GLOBS = '4.0.0';
/** Plain `-key` exclusions came with globs (procps-ng commit 6389deca, 4.0.0). */
const EXCLUSIONS = '4.0.0';
/** Globs inside exclusions (`-net.ipv4.conf.*.rp_filter`). */
const GLOB_EXCLUSIONS = '4.0.5';

export default defineRule({
  meta: {
    id: 'sysctl-dash-prefix-compat',
    type: 'problem',
    description: 'Disallow sysctl.conf syntax that the host\'s procps-ng `sysctl` does not understand',
    rationale: [
      'systemd\'s sysctl.d(5) syntax grew three extensions that procps-ng learned later: a leading `-` on an assignment ("ignore failure", procps-ng 3.3.16), glob patterns in keys (`net.ipv4.conf.*.rp_filter`) together with `-key` lines that exclude one key from the globs (`-net.ipv4.conf.all.rp_filter`, both 4.0.0, commit 6389deca), and globs inside exclusions (`-net.ipv4.conf.lo*.rp_filter`, 4.0.5). An older `sysctl --system` takes them literally: `-net.ipv4.ping_group_range` is looked up as `/proc/sys/-net/ipv4/ping_group_range` and `net.ipv4.conf.*.rp_filter` as a directory named `*`, both failing with `cannot stat` and exit status 1 — which fails the Ansible task, the cloud-init step or the boot script that ran it; an exclusion line prints `invalid syntax, continuing...`. Between 4.0.0 and 4.0.4 a glob inside an exclusion is compared literally, so it excludes nothing and the globs still set the keys it names (systemd-sysctl 252 ignores globs inside exclusions too).',
      'This bites when systemd\'s own `/usr/lib/sysctl.d/50-default.conf` or a modern drop-in is copied to an older distribution (RHEL/CentOS 7 ship procps-ng 3.3.10). Debian 12 (procps-ng 4.0.2) and Ubuntu 24.04 (4.0.4) read systemd\'s 50-default.conf, whose exclusions are plain keys, without complaint. The procps-ng version comes from `facts.procps` or, in an sosreport snapshot, from `installed-rpms` / `installed-debs`; when it is unknown the rule stays silent.',
    ].join('\n\n'),
    severity: 'warning',
    precision: 'medium',
    languages: ['sysctl'],
    messages: {
      dashPrefix: '`-{{key}}` is read by procps-ng {{version}} as a key whose name starts with `-`: `sysctl --system` fails with "cannot stat /proc/sys/-{{path}}"; the `-` prefix needs procps-ng 3.3.16',
      glob: '`{{raw}}` is a glob, which procps-ng {{version}} does not expand: `sysctl --system` fails with "cannot stat /proc/sys/{{path}}"; glob keys need procps-ng 4.0.0',
      exclusion: '`-{{raw}}` excludes a key from globs, which procps-ng {{version}} does not understand (added in 4.0.0): `sysctl --system` prints "invalid syntax, continuing..." for this line',
      globExclusion: '`-{{raw}}` is a glob inside an exclusion, which procps-ng {{version}} compares literally (globs in exclusions need 4.0.5): it excludes nothing, and the globs still set the keys it names',
    },
    sources: [
      { title: 'procps-ng NEWS: the `-` prefix (3.3.16), systemd glob patterns (4.0.0), glob excludes (4.0.5)', url: 'https://gitlab.com/procps-ng/procps/-/blob/master/NEWS' },
      { title: 'procps-ng commit 6389deca: sysctl: support systemd glob patterns, with `-key` exclusions (4.0.0)', url: 'https://gitlab.com/procps-ng/procps/-/commit/6389deca' },
      { title: 'procps-ng src/sysctl.c: WriteSetting() "cannot stat %s"', url: 'https://gitlab.com/procps-ng/procps/-/blob/master/src/sysctl.c' },
      { title: 'sysctl.d(5) (systemd): "-" prefix, glob patterns and exclusions', url: 'https://www.freedesktop.org/software/systemd/man/latest/sysctl.d.html' },
    ],
    tags: ['sysctl', 'procps', 'compatibility'],
    fixable: false,
    examples: [
      {
        title: 'systemd\'s 50-default.conf on a RHEL 7 host',
        filename: 'etc/sysctl.d/50-default.conf',
        code: 'net.ipv4.conf.default.rp_filter = 2\nnet.ipv4.conf.*.rp_filter = 2\n-net.ipv4.conf.all.rp_filter\n-net.ipv4.ping_group_range = 0 2147483647\n',
        facts: { procps: '3.3.10' },
        expect: 3,
      },
      {
        title: 'The same file where procps-ng understands it',
        filename: 'etc/sysctl.d/50-default.conf',
        code: 'net.ipv4.conf.default.rp_filter = 2\nnet.ipv4.conf.*.rp_filter = 2\n-net.ipv4.conf.all.rp_filter\n-net.ipv4.ping_group_range = 0 2147483647\n',
        facts: { procps: '4.0.2' },
        expect: 'valid',
      },
      {
        title: 'A glob inside an exclusion on Debian 12',
        filename: 'etc/sysctl.d/60-rp-filter.conf',
        code: 'net.ipv4.conf.*.rp_filter = 1\n-net.ipv4.conf.lxc*.rp_filter\n',
        facts: { procps: '4.0.2' },
        expect: 1,
      },
    ],
  },
  create(context) {
    const scope = context.scope;
    return {
      'sysctl:assignment'(node: SysctlAssignmentNode, file: SourceFile) {
        const procps = version(file);
        if (!procps) return;
        if (node.ignoreFailure && older(procps.version, DASH_PREFIX)) {
          const position = { start: node.position.start, end: node.key.position.end };
          context.report({ messageId: 'dashPrefix', position, data: { version: procps.version, key: node.key.raw, path: procPath(node.key) }, related: procps.related });
        }
        if (node.key.glob && older(procps.version, GLOBS)) {
          context.report({ messageId: 'glob', node: node.key, data: { version: procps.version, raw: node.key.raw, path: procPath(node.key) }, related: procps.related });
        }
      },
      'sysctl:exclusion'(node: SysctlExclusionNode, file: SourceFile) {
        const procps = version(file);
        if (!procps) return;
        if (older(procps.version, EXCLUSIONS)) {
          context.report({ messageId: 'exclusion', node, data: { version: procps.version, raw: node.key.raw }, related: procps.related });
        } else if (node.key.glob && older(procps.version, GLOB_EXCLUSIONS)) {
          context.report({ messageId: 'globExclusion', node, data: { version: procps.version, raw: node.key.raw }, related: procps.related });
        }
      },
    };

    function version(file: SourceFile) {
      const fact = scope.facts(file).procps;
      return fact.known ? { version: fact.value.version, related: evidenceOf(fact) } : undefined;
    }
  },
});

/** `/proc/sys` path procps looks up for a key as written. */
function procPath(key: SysctlKeyNode): string {
  return key.name.replace(/[./]/g, (c) => (c === '.' ? '/' : '.'));
}

/** Whether dotted version `a` is older than `b`. */
function older(a: string, b: string): boolean {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d < 0;
  }
  return false;
}
