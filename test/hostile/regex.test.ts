/**
 * Regular-expression blow-up from untrusted text (issue 13, class 1): sysctl
 * glob keys, Felix's mtuIfacePattern (an RE2 regexp) and `.hostlint.yaml`
 * globs are matched without backtracking regexes. The bound is shown by
 * counting steps (src/util/glob.ts `globSteps`), and end to end by inputs that
 * took minutes before (each test runs within vitest's default timeout, far
 * below what the old code needed) in `lint` and in `audit` at every
 * concurrency.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { goRegExp } from '../../src/util/go-regexp.js';
import { globSteps, pathGlob, sysctlGlob } from '../../src/util/glob.js';
import { writeTree } from '../helpers/lint.js';
import { built, KERNEL_310, lintJson, spawnCli, TW } from './helpers.js';

// These tests start the real CLI (child processes, worker threads): on a loaded machine that takes seconds.
vi.setConfig({ testTimeout: 120_000 });

/** Steps one match takes. */
function steps(fn: () => void): number {
  const before = globSteps.count;
  fn();
  return globSteps.count - before;
}

describe('sysctl glob keys: fnmatch over `.`-separated names, no regex', () => {
  it('matches as systemd-sysctl and procps do: `*`/`?` stay inside one name, `[...]` classes', () => {
    const m = sysctlGlob('net.ipv4.conf.*.rp_filter');
    expect(m('net.ipv4.conf.eth0.rp_filter')).toBe(true);
    expect(m('net.ipv4.conf.all.rp_filter')).toBe(true);
    expect(m('net.ipv4.conf.eth0.1.rp_filter')).toBe(false);
    expect(m('net.ipv4.conf..rp_filter')).toBe(true);
    expect(sysctlGlob('net.ipv4.conf.eth?.rp_filter')('net.ipv4.conf.eth1.rp_filter')).toBe(true);
    expect(sysctlGlob('net.ipv4.conf.eth?.rp_filter')('net.ipv4.conf.eth10.rp_filter')).toBe(false);
    expect(sysctlGlob('net.ipv4.conf.eth[0-2].rp_filter')('net.ipv4.conf.eth2.rp_filter')).toBe(true);
    expect(sysctlGlob('net.ipv4.conf.eth[!0-2].rp_filter')('net.ipv4.conf.eth2.rp_filter')).toBe(false);
    expect(sysctlGlob('net.ipv4.conf.eth[.rp_filter')('net.ipv4.conf.eth[.rp_filter')).toBe(true);
    expect(sysctlGlob('net.*')('net.core')).toBe(true);
    expect(sysctlGlob('net.*')('net.core.somaxconn')).toBe(false);
  });

  it.each([
    ['the issue\'s 18 stars', `net.ipv4.${'*'.repeat(18)}z`, `net.ipv4.${'a'.repeat(40)}`],
    ['10,000 stars', `net.ipv4.${'*'.repeat(10_000)}z`, `net.ipv4.${'a'.repeat(200)}`],
    ['stars and ? alternating', `net.${'*?'.repeat(500)}z`, `net.${'a'.repeat(300)}`],
    ['a long name against many stars in every part', `${'*a'.repeat(50)}.${'*b'.repeat(50)}`, `${'a'.repeat(99)}.${'b'.repeat(99)}x`],
  ])('%s: at most (pattern + 1) × (name + 1) steps', (_name, pattern, key) => {
    const m = sysctlGlob(pattern);
    const n = steps(() => expect(m(key)).toBe(false));
    expect(n).toBeLessThanOrEqual((pattern.length + 1) * (key.length + 1));
  });
});

describe('.hostlint.yaml globs: whole segments, `**` as the star, no regex', () => {
  it('matches as picomatch with dot: true did', () => {
    expect(pathGlob(['vendor/**'])('vendor/a/b.conf')).toBe(true);
    expect(pathGlob(['vendor/**'])('vendor')).toBe(true);
    expect(pathGlob(['vendor/**'])('src/vendor/a')).toBe(false);
    expect(pathGlob(['**/*.conf'])('etc/sysctl.d/.hidden.conf')).toBe(true);
    expect(pathGlob(['**/*.conf'])('a.conf')).toBe(true);
    expect(pathGlob(['hosts/db*/**'])('hosts/db01/etc/sysctl.conf')).toBe(true);
    expect(pathGlob(['hosts/db*/**'])('hosts/web01/etc/sysctl.conf')).toBe(false);
    expect(pathGlob(['ansible/files/*.sysctl'])('ansible/files/x.sysctl')).toBe(true);
    expect(pathGlob(['ansible/files/*.sysctl'])('ansible/files/sub/x.sysctl')).toBe(false);
    expect(pathGlob(['{a,b}/*.conf'])('b/x.conf')).toBe(true);
    expect(pathGlob(['{a,b}/*.conf'])('c/x.conf')).toBe(false);
    expect(pathGlob(['**', '!**/keep.conf'])('x/keep.conf')).toBe(false);
    expect(pathGlob(['./etc/*'])('etc/resolv.conf')).toBe(true);
  });

  it.each([
    ['the issue\'s **/*/**/*/…/b', Array(12).fill('**/*').join('/') + '/b', `${'a/'.repeat(40)}c`],
    ['**/a*a*a*a*a*a*a*a*b', '**/' + 'a*'.repeat(30) + 'b', `${'x/'.repeat(30)}${'a'.repeat(60)}`],
    ['many ** in a row', Array(200).fill('**').join('/') + '/z', `${'d/'.repeat(200)}y`],
  ])('%s: bounded by segments × names × characters', (_name, glob, file) => {
    const m = pathGlob([glob]);
    const n = steps(() => expect(m(file)).toBe(false));
    const p = glob.split('/').length + 1;
    const s = file.split('/').length + 1;
    expect(n).toBeLessThanOrEqual(p * s * (glob.length + 1) * (Math.max(...file.split('/').map((x) => x.length)) + 1));
  });

  it('brace expansion is bounded; extended globs are a configuration error naming the file', () => {
    const dir = writeTree({ '.hostlint.yaml': `ignores: ["${'{a,b}'.repeat(9)}"]\n`, 'x/.hostlint.yaml': 'ignores: ["+(a|b)/**"]\n' });
    expect(() => loadConfig(path.join(dir, '.hostlint.yaml'), new Map(), dir)).toThrow(/\.hostlint\.yaml: glob `\{a,b\}.*` has more than 256 \{…\} alternatives/);
    expect(() => loadConfig(path.join(dir, 'x/.hostlint.yaml'), new Map(), dir)).toThrow(/uses an extended glob/);
  });

  it('a pathological `ignores` over a deep tree: the files are linted, the ignored one is not', async () => {
    const deep = `${'a/'.repeat(30)}etc/sysctl.conf`;
    const dir = writeTree({ '.hostlint.yaml': `${KERNEL_310}ignores: ["${Array(10).fill('**/*').join('/')}/b", "skip/**"]\n`, [deep]: TW, 'skip/etc/sysctl.conf': TW });
    const r = await lintJson(dir);
    expect(r.rows.map((x) => [x.ruleId, x.file, x.line])).toEqual([['sysctl-tw-recycle', deep, 1]]);
  });
});

describe('Felix mtuIfacePattern: an RE2 regexp, run by a linear-time engine (re2js)', () => {
  it('matches as Go\'s MatchString does (unanchored) and refuses what RE2 refuses', () => {
    expect(goRegExp('^((en|wl|ww|sl|ib)[Pcopsvx].*|(eth|wlan|wwan).*)')!.test('eth0')).toBe(true);
    expect(goRegExp('^((en|wl|ww|sl|ib)[Pcopsvx].*|(eth|wlan|wwan).*)')!.test('bond0')).toBe(false);
    expect(goRegExp('bond')!.test('xbond0')).toBe(true);
    expect(goRegExp('(?<=a)b')).toBeUndefined(); // look-behind: not RE2
    expect(goRegExp('(a)\\1')).toBeUndefined(); // back-reference: not RE2
    expect(goRegExp('a'.repeat(5000))).toBeUndefined(); // longer than MAX_GO_PATTERN
  });

  it.each(['^(a+)+$', '^(a|a)*$', '^(a|aa)+$', '(x+x+)+y', '^([a-z]*)*$'])('%s against 10,000 characters answers (V8 would backtrack for ages)', (pattern) => {
    const re = goRegExp(pattern)!;
    expect(re.test(`${'a'.repeat(10_000)}!`)).toBe(false);
  });

  function cluster(pattern: string, iface: string) {
    return writeTree({
      'cluster/calico-config.yaml': 'kind: ConfigMap\napiVersion: v1\nmetadata:\n  name: calico-config\n  namespace: kube-system\ndata:\n  veth_mtu: "0"\n',
      'node01/etc/hostname': 'node01\n',
      'node01/var/lib/kubelet/config.yaml': 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n',
      [`node01/sys/class/net/${iface}/mtu`]: '9000\n',
      [`node01/sys/class/net/${iface}/operstate`]: 'up\n',
      'node01/etc/calico/felix.cfg': `[global]\nMTUIfacePattern = ${pattern}\n`,
    });
  }
  const message = (pattern: string, iface: string) =>
    `Calico auto-detects the MTU (veth_mtu "0" in ConfigMap calico-config) but no interface that is up matches MTUIfacePattern in felix.cfg \`${pattern}\` on node01 (up: ${iface}): Felix falls back to a host MTU of 1460; set mtuIfacePattern to match the uplink or set the MTU`;

  it.each([
    ['^(a+)+$', `${'a'.repeat(40)}b`],
    ['^(a|aa)+$', `${'a'.repeat(60)}!`],
    ['^(\\w+\\s?)*$', `${'word '.repeat(12)}!`],
  ])('lint: %s over an interface named %s gives the finding at once', async (pattern, iface) => {
    const r = await lintJson(cluster(pattern, iface));
    expect(r.rows.map((x) => [x.ruleId, x.file, x.line, x.column, x.message])).toEqual([['calico-mtu-autodetect-pattern', 'cluster/calico-config.yaml', 7, 13, message(pattern, iface)]]);
  });

  it.skipIf(!built())('audit with --concurrency 1 (the main thread, no timeout) and 2: the same finding', () => {
    const iface = `${'a'.repeat(40)}b`;
    for (const c of ['1', '2']) {
      const r = spawnCli(['audit', '--concurrency', c, '-f', 'json', '.'], { cwd: cluster('^(a+)+$', iface), timeout: 60_000 });
      expect(r.code).toBe(0);
      expect((JSON.parse(r.stdout).results as Array<{ ruleId: string; message: string }>).map((x) => [x.ruleId, x.message])).toEqual([['calico-mtu-autodetect-pattern', message('^(a+)+$', iface)]]);
    }
  });
});

describe('sysctl glob keys end to end: lint and audit at every concurrency', () => {
  const file = `net.ipv4.${'*'.repeat(18)}z = 1\n-net.ipv4.${'*'.repeat(40)}a\nnet.${'?*'.repeat(300)}q = 2\n${TW}`;

  it('lint: the other lines are linted; the globs cost nothing', async () => {
    const dir = writeTree({ '.hostlint.yaml': KERNEL_310, 'sysctl.conf': file });
    const r = await lintJson(dir);
    expect(r.rows.map((x) => [x.ruleId, x.file, x.line])).toEqual([['sysctl-tw-recycle', 'sysctl.conf', 4]]);
  });

  it.skipIf(!built())('audit: the repository scope and a host, with --concurrency 1, 2 and 4', () => {
    const dir = writeTree({ '.hostlint.yaml': KERNEL_310, 'repo/sysctl.conf': file, 'fleet/db01/etc/sysctl.conf': file, 'fleet/db01/proc/sys/kernel/osrelease': '3.10.0-1160.el7.x86_64\n' });
    mkdirSync(path.join(dir, 'fleet/db01/etc/sysctl.d'));
    writeFileSync(path.join(dir, 'fleet/db01/etc/sysctl.d/99-glob.conf'), `net.ipv4.conf.${'*'.repeat(30)}x.rp_filter = 2\n`);
    for (const c of ['1', '2', '4']) {
      const r = spawnCli(['audit', '--concurrency', c, '-f', 'json', 'repo', 'fleet'], { cwd: dir, timeout: 60_000 });
      expect(r.code).toBe(1);
      expect((JSON.parse(r.stdout).results as Array<{ ruleId: string; file: string; line: number }>).map((x) => [x.ruleId, x.file, x.line])).toEqual([
        ['sysctl-tw-recycle', 'fleet/db01/etc/sysctl.conf', 4],
        ['sysctl-tw-recycle', 'repo/sysctl.conf', 4],
      ]);
    }
  });
});

describe('polynomial regexes over untrusted lines are gone too', () => {
  const n = 50_000;
  it('iptables-save, uname, a live value, a resolv search list and a YAML alias error with 50,000-character runs lint at once', async () => {
    const dir = writeTree({
      '.hostlint.yaml': 'facts:\n  kubernetesNode: true\n',
      'db01/etc/sysctl.conf': 'net.ipv4.ip_forward = 1\n',
      'db01/etc/resolv.conf': `search a${'.'.repeat(n)}b corp.example.com\nnameserver 10.0.0.1\n`,
      'db01/proc/sys/net/ipv4/ip_forward': `a${' '.repeat(n)}b\n`,
      'db01/sos_commands/networking/iptables-save': `*nat\n-A ${'x'.repeat(n)}\n-A POSTROUTING${' -j'.repeat(n / 3)}\nCOMMIT\n`,
      'db01/sos_commands/kernel/uname_-a': `1.1.1${'1'.repeat(n)} x\n`,
      'cluster/bad.yaml': `kind: ConfigMap\napiVersion: v1\nmetadata:\n  name: x\ndata:\n  a: *${':'.repeat(n)}\n`,
    });
    const r = await lintJson(dir);
    expect(r.rows.filter((x) => x.ruleId === 'internal-error')).toEqual([]);
    expect(r.rows.filter((x) => x.file === 'cluster/bad.yaml').map((x) => x.ruleId)).toEqual(['parse-error']);
  });
});
