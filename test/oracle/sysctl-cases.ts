/**
 * Generated sysctl.d trees for the sysctl oracle (fast-check), and the key
 * universe they touch. Every key and every glob expands only to keys under
 * net.ipv4.conf, net.ipv6.conf or per-network-namespace net.ipv4.* keys, so
 * the tools (run in a private network namespace) never touch this machine.
 */
import fc from 'fast-check';

export const SYSCTL_DIRS = ['etc/sysctl.d', 'run/sysctl.d', 'usr/local/lib/sysctl.d', 'usr/lib/sysctl.d', 'lib/sysctl.d'] as const;

const V4_CONF = ['rp_filter', 'accept_redirects', 'send_redirects', 'log_martians', 'arp_ignore', 'accept_source_route', 'forwarding'];
const V6_CONF = ['accept_ra', 'accept_redirects'];
const IFACES = ['all', 'default', 'lo'];
const V4_GLOBAL = ['ip_forward', 'tcp_syncookies', 'tcp_timestamps', 'icmp_echo_ignore_broadcasts'];

/** Every key the oracle reads back from /proc/sys, dotted. */
export const UNIVERSE: string[] = [
  ...V4_GLOBAL.map((k) => `net.ipv4.${k}`),
  ...IFACES.flatMap((i) => V4_CONF.map((k) => `net.ipv4.conf.${i}.${k}`)),
  ...IFACES.flatMap((i) => V6_CONF.map((k) => `net.ipv6.conf.${i}.${k}`)),
];

/** Globs and exclusions: each expands only inside net.ipv4.conf / net.ipv6.conf. */
const GLOBS = [
  'net.ipv4.conf.*.rp_filter',
  'net.ipv4.conf.*.log_martians',
  'net.ipv4.conf.*.arp_ignore',
  'net.ipv4.conf.?ll.accept_redirects',
  'net.ipv4.conf.[ad]*.send_redirects',
  'net.ipv4.conf.*.forwarding',
  'net.ipv6.conf.*.accept_ra',
  'net/ipv4/conf/*/rp_filter',
];
const EXCLUSIONS = [
  'net.ipv4.conf.lo.rp_filter',
  'net.ipv4.conf.all.log_martians',
  'net.ipv4.conf.default.arp_ignore',
  'net/ipv4/conf/lo/arp_ignore',
  'net.ipv4.conf.d*.rp_filter',
  'net.ipv4.conf.*.forwarding',
];

const FILE_NAMES = ['10-a.conf', '20-b.conf', '50-c.conf', '99-z.conf', 'k8s.conf', '20-b.conf.bak'];

/** A file of a generated tree: text, or a symlink (to /dev/null: masked; to ../sysctl.conf). */
export type CaseFile = { path: string; text: string } | { path: string; link: string };

export interface SysctlCase {
  files: CaseFile[];
}

const ws = fc.constantFrom('', '', '', ' ', '  ', '\t', ' \t');
const slashForm = (k: string) => k.split('.').join('/');

/** Keys (and globs) whose values may be 0..2; the others are booleans (the kernel rejects 2 for some). */
const WIDE = /(rp_filter|arp_ignore|tcp_syncookies|tcp_timestamps|accept_ra)$/;

const value = (wide: boolean) =>
  fc.oneof(
    { weight: 10, arbitrary: fc.constantFrom('0', '1', ...(wide ? ['2', '2'] : [])) },
    { weight: 1, arbitrary: fc.constantFrom('01', ' 1') },
    { weight: 2, arbitrary: fc.constantFrom('1 # on', '0 ; off', '1\t# x', '1 #', '0 1') },
    { weight: 1, arbitrary: fc.constantFrom('yes', '', '1x', '#1') },
  );

const keyed = fc
  .oneof(
    { weight: 6, arbitrary: fc.constantFrom(...UNIVERSE) },
    { weight: 2, arbitrary: fc.constantFrom(...UNIVERSE).map(slashForm) },
    { weight: 3, arbitrary: fc.constantFrom(...GLOBS) },
  )
  .chain((k) => value(WIDE.test(k)).map((v) => ({ k, v })));

const line = fc.oneof(
  {
    weight: 10,
    arbitrary: fc.record({ a: ws, dash: fc.constantFrom('', '', '', '-', '- '), kv: keyed, b: ws, c: ws, d: ws }).map(({ a, dash, kv, b, c, d }) => `${a}${dash}${kv.k}${b}=${c}${kv.v}${d}`),
  },
  { weight: 2, arbitrary: fc.record({ a: ws, k: fc.constantFrom(...EXCLUSIONS) }).map(({ a, k }) => `${a}-${k}`) },
  { weight: 2, arbitrary: fc.record({ a: ws, m: fc.constantFrom('#', ';'), t: fc.constantFrom('', ' comment', ' net.ipv4.ip_forward = 1') }).map(({ a, m, t }) => `${a}${m}${t}`) },
  { weight: 1, arbitrary: fc.constantFrom('', '', '  ', 'bogus line', 'x', '= 1', '-', 'net.ipv4.ip_forward') },
);

const fileText = fc.record({ lines: fc.array(line, { minLength: 0, maxLength: 6 }), eol: fc.constantFrom('\n', '\n', '\r\n'), last: fc.boolean() }).map(({ lines, eol, last }) => lines.join(eol) + (last && lines.length ? eol : ''));

const sysctlDFile: fc.Arbitrary<CaseFile> = fc
  .record({ dir: fc.constantFrom(...SYSCTL_DIRS), name: fc.constantFrom(...FILE_NAMES), text: fileText, masked: fc.integer({ min: 0, max: 9 }) })
  .map(({ dir, name, text, masked }) => (masked === 0 ? { path: `${dir}/${name}`, link: '/dev/null' } : { path: `${dir}/${name}`, text }));

export const sysctlCase: fc.Arbitrary<SysctlCase> = fc
  .record({
    files: fc.array(sysctlDFile, { minLength: 0, maxLength: 6 }),
    main: fc.option(fileText, { freq: 2 }),
    link: fc.integer({ min: 0, max: 3 }),
  })
  .map(({ files, main, link }) => {
    const byPath = new Map<string, CaseFile>();
    for (const f of files) byPath.set(f.path, f);
    if (main !== null) {
      byPath.set('etc/sysctl.conf', { path: 'etc/sysctl.conf', text: main });
      // Debian's link, sometimes: systemd-sysctl then reads /etc/sysctl.conf too.
      if (link === 0) byPath.set('etc/sysctl.d/99-sysctl.conf', { path: 'etc/sysctl.d/99-sysctl.conf', link: '../sysctl.conf' });
    }
    return { files: [...byPath.values()] };
  });
