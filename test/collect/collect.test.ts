/**
 * The collector round trip: `hostlint collect` prints a POSIX sh script; run
 * with sh (and dash and bash when present) against a fake root, with only
 * coreutils, tar and gzip on PATH plus shims standing in for `sysctl`, `ip`,
 * `iptables-save` and `uname`, it writes a .tar.gz of exactly the snapshot
 * layout hostlint reads — and no secret — and `hostlint audit` of that
 * archive finds what is wrong with the fake host.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { SNAPSHOT_MARKERS, SNAPSHOT_PATTERNS } from '../../src/engine/classify.js';
import { collectScript } from '../../src/collect/index.js';
import { runCli } from '../helpers/cli.js';

function which(cmd: string): string | undefined {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  const p = r.stdout.trim();
  return r.status === 0 && p.startsWith('/') ? p : undefined;
}

function put(root: string, rel: string, content: string | { link: string }): void {
  const abs = path.join(root, rel);
  mkdirSync(path.dirname(abs), { recursive: true });
  if (typeof content === 'string') writeFileSync(abs, content);
  else symlinkSync(content.link, abs);
}

/** A node's root directory, with secrets that must never be collected. */
function fakeRoot(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'hostlint-fakeroot-'));
  const files: Record<string, string | { link: string }> = {
    'etc/sysctl.conf': '# node9\nnet.ipv4.ip_forward = 0\nnet.core.somaxconn = 4096\n',
    'etc/sysctl.d/99-sysctl.conf': { link: '../sysctl.conf' },
    'etc/sysctl.d/10-tw.conf': 'net.ipv4.tcp_tw_recycle = 1\n',
    'etc/sysctl.d/50-leak.conf': { link: '/etc/shadow' },
    'etc/sysctl.d/README': 'not a .conf file\n',
    'etc/shadow': 'root:$6$secret$hash:19000:0:99999:7:::\n',
    'etc/ssh/ssh_host_ed25519_key': '-----BEGIN OPENSSH PRIVATE KEY-----\n',
    'etc/resolv.conf': { link: '../run/systemd/resolve/stub-resolv.conf' },
    'run/systemd/resolve/stub-resolv.conf': 'nameserver 127.0.0.53\nsearch corp.example.com\n',
    'run/systemd/resolve/resolv.conf': 'nameserver 10.0.0.2\nsearch corp.example.com\n',
    'etc/cni/net.d/10-calico.conflist': '{"name": "k8s-pod-network", "cniVersion": "0.3.1", "plugins": [{"type": "calico", "mtu": 1440, "kubernetes": {"kubeconfig": "/etc/cni/net.d/calico-kubeconfig"}}]}\n',
    'etc/cni/net.d/calico-kubeconfig': 'users:\n- name: calico\n  user:\n    token: eyJhbGciOiJSUzI1NiJ9.secret\n',
    'etc/calico/felix.cfg': '[global]\nMetadataAddr = None\n',
    'var/lib/kubelet/config.yaml': 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nresolvConf: /run/systemd/resolve/resolv.conf\n',
    'var/lib/kubelet/pki/kubelet.key': '-----BEGIN RSA PRIVATE KEY-----\n',
    'etc/kubernetes/admin.conf': 'client-key-data: c2VjcmV0\n',
    'proc/sys/kernel/osrelease': '3.10.0-1160.el7.x86_64\n',
    'proc/sys/net/core/somaxconn': '128\n',
    'proc/sys/net/ipv4/ip_forward': '0\n',
    'proc/sys/net/ipv4/tcp_tw_recycle': '1\n',
    'sys/devices/virtual/net/eth0/mtu': '1500\n',
    'sys/devices/virtual/net/eth0/operstate': 'up\n',
    'sys/class/net/eth0': { link: '../../devices/virtual/net/eth0' },
    'sys/class/net/lo/mtu': '65536\n',
    'sys/class/net/lo/operstate': 'unknown\n',
    'run/flannel/subnet.env': 'FLANNEL_NETWORK=10.244.0.0/16\nFLANNEL_SUBNET=10.244.1.1/24\nFLANNEL_MTU=1450\nFLANNEL_IPMASQ=true\n',
    'sys/class/net/flannel.1/mtu': '1450\n',
    'sys/class/net/flannel.1/operstate': 'unknown\n',
  };
  for (const [rel, c] of Object.entries(files)) put(root, rel, c);
  return root;
}

/** PATH for the script: coreutils, tar and gzip only, plus shims for the commands it may run. */
function toolbox(withSysctl: boolean): string {
  const bin = mkdtempSync(path.join(tmpdir(), 'hostlint-bin-'));
  for (const tool of ['cat', 'mkdir', 'rm', 'ln', 'readlink', 'mktemp', 'tr', 'tar', 'gzip', 'wc', 'grep', 'dd']) {
    const real = which(tool);
    if (!real) throw new Error(`${tool} is needed for this test`);
    symlinkSync(real, path.join(bin, tool));
  }
  const shim = (name: string, body: string) => {
    writeFileSync(path.join(bin, name), `#!/bin/sh\n${body}\n`);
    chmodSync(path.join(bin, name), 0o755);
  };
  shim('uname', 'case "$1" in -n) echo node9 ;; -a) echo "Linux node9 3.10.0-1160.el7.x86_64 #1 SMP Mon Oct 19 16:18:59 UTC 2020 x86_64 x86_64 x86_64 GNU/Linux" ;; *) echo Linux ;; esac');
  if (withSysctl) shim('sysctl', "[ \"$1\" = -a ] || exit 1\nprintf 'net.core.somaxconn = 128\\nnet.ipv4.ip_forward = 0\\nnet.ipv4.tcp_rmem = 4096\\t87380\\t6291456\\nnet.ipv4.tcp_tw_recycle = 1\\n'");
  shim('ip', `case "$*" in
  "-d address") printf '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000\\n2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc fq_codel state UP group default qlen 1000\\n    inet 10.0.0.9/24 brd 10.0.0.255 scope global eth0\\n' ;;
  "-o link") printf '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000\\\\    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\\n' ;;
  *) exit 1 ;;
esac`);
  shim('iptables-save', "[ \"$1 $2\" = '-t nat' ] || exit 1\nprintf '# Generated by iptables-save v1.8.7\\n*nat\\n:PREROUTING ACCEPT [0:0]\\n:POSTROUTING ACCEPT [0:0]\\n-A PREROUTING -d 10.0.0.9/32 -p tcp -m tcp --dport 443 -j DNAT --to-destination 10.244.1.5:8443\\n-A POSTROUTING -s 10.244.0.0/16 ! -o cni0 -j MASQUERADE\\nCOMMIT\\n'");
  return bin;
}

/** Member names of a .tar.gz (ustar headers only: the collector writes short names). */
function members(tgz: Buffer): string[] {
  const tar = gunzipSync(tgz);
  const names: string[] = [];
  for (let off = 0; off + 512 <= tar.length; ) {
    const header = tar.subarray(off, off + 512);
    if (header.every((b) => b === 0)) break;
    const field = (a: number, n: number) => header.subarray(a, a + n).toString('utf8').replace(/\0.*$/s, '');
    const prefix = field(345, 155);
    const name = (prefix ? `${prefix}/` : '') + field(0, 100);
    const size = parseInt(field(124, 12).trim() || '0', 8);
    const type = field(156, 1);
    names.push(type === '2' ? `${name} -> ${field(157, 100)}` : name);
    off += 512 + Math.ceil(size / 512) * 512;
  }
  return names.sort();
}

const shells = [['sh', which('sh')], ['dash', which('dash')], ['bash', which('bash')]].filter((s): s is [string, string] => s[1] !== undefined);

describe('hostlint collect', () => {
  it('prints the script, which covers every path hostlint reads', async () => {
    const r = await runCli(['collect'], { cwd: tmpdir() });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(collectScript());
    expect(r.stdout.startsWith('#!/bin/sh\n')).toBe(true);
    // A path added to SNAPSHOT_PATTERNS or SNAPSHOT_MARKERS needs a line in src/collect/collect.sh.
    const covered = (p: string) => {
      const dir = p.replace(/^\//, '').replace(/\/\*$/, '').replace(/\/\*\/(mtu|operstate)$/, '');
      return r.stdout.includes(`/${dir}`) || r.stdout.includes(` ${dir} `);
    };
    const sosOnly = ['sos_commands/networking/ip_-s_-d_link', 'sos_commands/networking/ip_-d_link', 'sos_commands/networking/ip_address', 'sos_commands/firewall_tables/iptables-save', 'iptables-save', 'uname', '/sos_commands/systemd', 'sos_commands/processor/lscpu'];
    expect([...SNAPSHOT_PATTERNS, ...SNAPSHOT_MARKERS].filter((p) => !sosOnly.includes(p) && !covered(p))).toEqual([]);
  });

  for (const [shell, shellPath] of shells) {
    it(`runs with ${shell} against a fake root, writes the snapshot without secrets, and the audit reads it`, async () => {
      const root = fakeRoot();
      const out = mkdtempSync(path.join(tmpdir(), 'hostlint-collected-'));
      const r = spawnSync(shellPath, ['-s'], {
        input: collectScript(),
        env: { PATH: toolbox(true), HOSTLINT_ROOT: root, TMPDIR: out },
        maxBuffer: 64 << 20,
      });
      expect(r.stderr.toString()).toBe('');
      expect(r.status).toBe(0);
      writeFileSync(path.join(out, 'node9.tgz'), r.stdout);
      expect(members(r.stdout)).toEqual([
        'node9/',
        'node9/etc/',
        'node9/etc/calico/',
        'node9/etc/calico/felix.cfg',
        'node9/etc/cni/',
        'node9/etc/cni/net.d/',
        'node9/etc/cni/net.d/10-calico.conflist',
        'node9/etc/kubernetes/',
        'node9/etc/resolv.conf -> ../run/systemd/resolve/stub-resolv.conf',
        'node9/etc/sysctl.conf',
        'node9/etc/sysctl.d/',
        'node9/etc/sysctl.d/10-tw.conf',
        'node9/etc/sysctl.d/50-leak.conf -> /etc/shadow',
        'node9/etc/sysctl.d/99-sysctl.conf -> ../sysctl.conf',
        'node9/proc/',
        'node9/proc/sys/',
        'node9/proc/sys/kernel/',
        'node9/proc/sys/kernel/osrelease',
        'node9/run/',
        'node9/run/flannel/',
        'node9/run/flannel/subnet.env',
        'node9/run/systemd/',
        'node9/run/systemd/resolve/',
        'node9/run/systemd/resolve/resolv.conf',
        'node9/run/systemd/resolve/stub-resolv.conf',
        'node9/sos_commands/',
        'node9/sos_commands/kernel/',
        'node9/sos_commands/kernel/sysctl_-a',
        'node9/sos_commands/kernel/uname_-a',
        'node9/sos_commands/networking/',
        'node9/sos_commands/networking/ip_-d_address',
        'node9/sos_commands/networking/ip_-o_link',
        'node9/sos_commands/networking/iptables-save',
        'node9/sys/',
        'node9/sys/class/',
        'node9/sys/class/net/',
        'node9/sys/class/net/eth0/',
        'node9/sys/class/net/eth0/mtu',
        'node9/sys/class/net/eth0/operstate',
        'node9/sys/class/net/flannel.1/',
        'node9/sys/class/net/flannel.1/mtu',
        'node9/sys/class/net/flannel.1/operstate',
        'node9/sys/class/net/lo/',
        'node9/sys/class/net/lo/mtu',
        'node9/sys/class/net/lo/operstate',
        'node9/var/',
        'node9/var/lib/',
        'node9/var/lib/kubelet/',
        'node9/var/lib/kubelet/config.yaml',
      ]);
      const text = gunzipSync(r.stdout).toString('latin1');
      for (const secret of ['$6$secret', 'PRIVATE KEY', 'eyJhbGciOiJSUzI1NiJ9', 'client-key-data']) expect(text).not.toContain(secret);
      expect(text).toContain('-A POSTROUTING -s 10.244.0.0/16 ! -o cni0 -j MASQUERADE');
      expect(text).not.toContain('DNAT');

      const audit = await runCli(['audit', '--concurrency', '1', '--format', 'json', 'node9.tgz'], { cwd: out });
      expect(audit.stderr).toBe('');
      const doc = JSON.parse(audit.stdout);
      const mine = doc.results.filter((x: { ruleId: string }) => ['sysctl-tw-recycle', 'k8s-ip-forward', 'sysctl-drift', 'read-error', 'parse-error'].includes(x.ruleId));
      expect(mine.map((x: Record<string, unknown>) => [x.ruleId, x.severity, x.host, x.file, x.line, x.column])).toEqual([
        ['sysctl-drift', 'warning', 'node9', 'node9.tgz!/node9/etc/sysctl.conf', 3, 22],
        ['k8s-ip-forward', 'error', 'node9', 'node9.tgz!/node9/etc/sysctl.conf', 2, 23],
        ['sysctl-tw-recycle', 'error', 'node9', 'node9.tgz!/node9/etc/sysctl.d/10-tw.conf', 1, 27],
      ].sort((a, b) => (String(a[3]) < String(b[3]) ? -1 : String(a[3]) > String(b[3]) ? 1 : Number(a[4]) - Number(b[4]))));
      // The facts came from the collected files: kernel, Kubernetes node, NAT from the MASQUERADE rule.
      expect(doc.hosts).toEqual([
        { host: 'node9', path: 'node9.tgz', form: 'archive', role: 'kubernetes-node', kubernetesNode: true, kernel: '3.10.0-1160.el7.x86_64', errorCount: expect.any(Number), warningCount: expect.any(Number), noteCount: expect.any(Number) },
      ]);
      const tw = doc.results.find((x: { ruleId: string }) => x.ruleId === 'sysctl-tw-recycle');
      expect(tw.related.map((l: { file: string }) => l.file)).toContain('node9.tgz!/node9/proc/sys/kernel/osrelease');
    });
  }

  it('without sysctl, copies the live values of the configured keys from /proc/sys', () => {
    const root = fakeRoot();
    const out = mkdtempSync(path.join(tmpdir(), 'hostlint-collected-'));
    const r = spawnSync(shells[0]![1], ['-s'], { input: collectScript(), env: { PATH: toolbox(false), HOSTLINT_ROOT: root, HOSTLINT_HOST: 'db 01/x', TMPDIR: out } });
    expect(r.status).toBe(0);
    const names = members(r.stdout);
    expect(names.filter((n) => n.includes('/proc/sys/') && !n.endsWith('/'))).toEqual([
      'db_01_x/proc/sys/kernel/osrelease',
      'db_01_x/proc/sys/net/core/somaxconn',
      'db_01_x/proc/sys/net/ipv4/ip_forward',
      'db_01_x/proc/sys/net/ipv4/tcp_tw_recycle',
    ]);
    expect(names).not.toContain('db_01_x/sos_commands/kernel/sysctl_-a');
  });
});
