#!/usr/bin/env node
/**
 * `npm run bench`: fleet audit throughput and memory (not a test; nothing here
 * is timed by vitest). Self-contained: the fleets are generated from the real
 * files in fixtures/corpus/ into a temporary directory, which is removed.
 *
 * THE FLOOR (what a fleet audit cannot beat): one fresh Node process
 * (`node test/bench/fleet.mjs --floor DIR`, the same process kind as
 * `node bin/hostlint`) that, single-threaded, walks the fleet, reads every
 * file of every host (and of cluster/) as UTF-8 text, and splits every file
 * into lines (`text.split('\n')`: the `sysctl -a` dumps are most of the
 * bytes). Its wall time includes Node's start-up, as the audit's does; its
 * CPU time is user + system of the whole process.
 *
 * Measured in the same run, interleaved (floor, audit, floor, audit, ...;
 * medians of `--runs` rounds, default 3), each a fresh process:
 *
 *   - at N = 1,000 and 4,000 hosts: `hostlint audit --concurrency 2 --format
 *     json` (output discarded), wall and CPU ÷ the floor's
 *     (targets: wall ≤ 1.2×, CPU ≤ 2×);
 *   - at N = 1,000, 4,000 and 10,000 hosts: `hostlint audit --concurrency 1`
 *     peak RSS (all threads); the ratios 4,000 ÷ 1,000 and 10,000 ÷ 1,000
 *     (target ≤ 1.2×).
 *
 *   node test/bench/fleet.mjs [--runs N] [--sizes 1000,4000] [--rss 1000,4000,10000]   (needs `npm run build`)
 *   HOSTLINT_BENCH_KEEP=DIR node test/bench/fleet.mjs N   generates one fleet in DIR and keeps it (for profiling)
 *
 * The fleet: 70% Kubernetes nodes as sosreport directories (canonical/hotsos
 * Charmed Kubernetes node: sysctl files, `sysctl -a`, `uname -a`,
 * `ip -d address`, `ip -s -d link`, systemd-resolved's resolv.conf, plus a
 * kubelet config.yaml, a Calico conflist and a felix.cfg), 30% other hosts as
 * directory snapshots (sysctl files from the corpus: EKS, GCE, CIS, systemd,
 * procps; a resolv.conf from the corpus; /proc/sys/kernel/osrelease and
 * /sys/class/net). Every host gets its own small files (names, MTUs, a
 * drifted value, now and then tcp_tw_recycle); the large unchanging files
 * (`sysctl -a` dumps) are hard links to one copy per variant, which changes
 * the disk space, not what is read. A `cluster/` folder holds Calico
 * manifests from the corpus, so the cross-host join runs too.
 */
import { linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The floor (see the header): walk, read every file, split it into lines; single-threaded. */
function floor(root) {
  let files = 0;
  let lines = 0;
  let bytes = 0;
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.name === '.shared') continue; // the hard links' originals: each host reads its own link
      const abs = path.join(dir, e.name);
      if (e.isDirectory()) walk(abs);
      else if (e.isFile()) {
        const text = readFileSync(abs, 'utf8');
        files++;
        bytes += text.length;
        lines += text.split('\n').length;
      }
    }
  };
  walk(root);
  return { files, lines, bytes };
}

if (process.argv[2] === '--floor') {
  process.stdout.write(JSON.stringify(floor(process.argv[3])));
  process.exit(0);
}

const { environment, fmtRatio, hostlintBin, median, runOnce } = await import('./harness.mjs');
const repo = fileURLToPath(new URL('../..', import.meta.url));
const corpus = path.resolve(repo, 'fixtures/corpus');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const list = (text) => text.split(',').map(Number).filter((n) => Number.isInteger(n) && n > 0);
const RUNS = Math.max(1, Number(arg('--runs', process.env.HOSTLINT_BENCH_RUNS ?? 3)));
const keepSize = process.argv.slice(2).find((a) => /^\d+$/.test(a));
/** Sizes of the 2-thread wall/CPU figures, and of the --concurrency 1 peak-RSS figures. */
const SIZES = list(arg('--sizes', keepSize ?? '1000,4000'));
const RSS_SIZES = list(arg('--rss', '1000,4000,10000'));

const read = (rel) => readFileSync(path.join(corpus, rel), 'utf8');
const sos = 'snapshots/hotsos-fake_data_root-kubernetes';
const sosSysctlD = readdirSync(path.join(corpus, sos, 'etc/sysctl.d')).sort();
const T = {
  sysctlConf: read(`${sos}/etc/sysctl.conf`),
  sysctlD: sosSysctlD.map((name) => [name, read(`${sos}/etc/sysctl.d/${name}`)]),
  dump: read(`${sos}/sos_commands/kernel/sysctl_-a`),
  uname: read(`${sos}/sos_commands/kernel/uname_-a`),
  ipAddr: read(`${sos}/sos_commands/networking/ip_-d_address`),
  ipLink: read(`${sos}/sos_commands/networking/ip_-s_-d_link`),
  stub: read(`${sos}/run/systemd/resolve/stub-resolv.conf`),
  hostSysctl: [
    'sysctl/amazon-eks-ami_al2-99-net.conf',
    'sysctl/gcp-compute-image-packages_11-gce-network-security.conf',
    'sysctl/azure-agentbaker_sysctl-d-60-CIS.conf',
    'sysctl/systemd_50-default.conf',
    'sysctl/kind_10-network-security.conf',
    'sysctl/procps-ng_v4.0.6-sysctl.conf',
  ].map((f) => [path.basename(f).replace(/^.*?_/, ''), read(f)]),
  resolv: ['resolv/golang-go_resolv.conf', 'resolv/grapheneos-infra_resolv.conf', 'resolv/insights-core_test_resolv_conf_RESOLVCONF.conf'].map(read),
  manifests: ['calico/projectcalico-calico_v3.28.0-calico.yaml', 'calico/projectcalico-calico_v3.32.1-custom-resources.yaml'].map((f) => [path.basename(f), read(f)]),
};
const KUBELET = (i) => `apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\ncgroupDriver: systemd\nclusterDNS:\n- 10.96.0.10\nclusterDomain: cluster.local\nresolvConf: /run/systemd/resolve/resolv.conf\nprotectKernelDefaults: ${i % 5 === 0}\nrotateCertificates: true\n`;
const CONFLIST = (mtu) => JSON.stringify({ name: 'k8s-pod-network', cniVersion: '0.3.1', plugins: [{ type: 'calico', log_level: 'info', datastore_type: 'kubernetes', mtu, ipam: { type: 'calico-ipam' }, policy: { type: 'k8s' }, kubernetes: { kubeconfig: '/etc/cni/net.d/calico-kubeconfig' } }, { type: 'portmap', snat: true, capabilities: { portMappings: true } }] }, null, 2) + '\n';

function put(file, text) {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

function generate(root, n) {
  const shared = path.join(root, '.shared');
  const dumps = [0, 1, 2].map((v) => {
    const f = path.join(shared, `sysctl_-a.${v}`);
    put(f, v === 0 ? T.dump : T.dump.replace(/^net\.core\.somaxconn = \d+$/m, `net.core.somaxconn = ${v === 1 ? 128 : 1024}`));
    return f;
  });
  for (const [name, text] of T.manifests) put(path.join(root, 'cluster', name), text);
  for (let i = 0; i < n; i++) {
    const id = String(i).padStart(5, '0');
    if (i % 10 < 7) {
      const h = path.join(root, `sosreport-node${id}-2024-05-01-abcdefg`);
      put(path.join(h, 'etc/sysctl.conf'), T.sysctlConf);
      for (const [name, text] of T.sysctlD) put(path.join(h, 'etc/sysctl.d', name), i % 13 === 0 && name.startsWith('50-') ? text.replace('gc_thresh3=32768', 'gc_thresh3=65536') : text);
      mkdirSync(path.join(h, 'sos_commands/kernel'), { recursive: true });
      linkSync(dumps[i % 3], path.join(h, 'sos_commands/kernel/sysctl_-a'));
      put(path.join(h, 'sos_commands/kernel/uname_-a'), T.uname.replace('juju-110cc2-k8stest-4', `node${id}`));
      const mtu = i % 17 === 0 ? 1500 : 8958;
      put(path.join(h, 'sos_commands/networking/ip_-d_address'), T.ipAddr.replace('mtu 8958', `mtu ${mtu}`));
      put(path.join(h, 'sos_commands/networking/ip_-s_-d_link'), T.ipLink.replace('mtu 8958', `mtu ${mtu}`));
      put(path.join(h, 'sos_commands/host/hostname'), `node${id}\n`);
      put(path.join(h, 'run/systemd/resolve/stub-resolv.conf'), T.stub);
      put(path.join(h, 'run/systemd/resolve/resolv.conf'), T.stub.replace('nameserver 127.0.0.53', 'nameserver 10.6.0.2'));
      put(path.join(h, 'var/lib/kubelet/config.yaml'), KUBELET(i));
      put(path.join(h, 'etc/cni/net.d/10-calico.conflist'), CONFLIST(i % 11 === 0 ? 1440 : 8908));
      put(path.join(h, 'etc/calico/felix.cfg'), `[global]\nMetadataAddr = None\nLogSeverityScreen = Info\nIpInIpMtu = ${mtu - 20}\n`);
    } else {
      const h = path.join(root, `host${id}`);
      const [name, text] = T.hostSysctl[i % T.hostSysctl.length];
      put(path.join(h, 'etc/sysctl.d', name), text);
      put(path.join(h, 'etc/sysctl.conf'), `# host${id}\nnet.core.somaxconn = 1024\n${i % 7 === 0 ? 'net.ipv4.tcp_tw_recycle = 1\n' : ''}`);
      put(path.join(h, 'etc/resolv.conf'), T.resolv[i % T.resolv.length]);
      put(path.join(h, 'proc/sys/kernel/osrelease'), i % 7 === 0 ? '3.10.0-1160.el7.x86_64\n' : '5.15.0-91-generic\n');
      put(path.join(h, 'proc/sys/net/core/somaxconn'), i % 3 === 0 ? '128\n' : '1024\n');
      put(path.join(h, 'sys/class/net/eth0/mtu'), '9001\n');
      put(path.join(h, 'sys/class/net/eth0/operstate'), 'up\n');
      put(path.join(h, 'sys/class/net/lo/mtu'), '65536\n');
    }
  }
}

/** One process, measured: wall ms, CPU ms (all threads), peak RSS KiB, and its stdout. */
function run(label, args) {
  const r = runOnce({ label, args, cwd: repo, rusage: true, capture: true, exitCodes: [0, 1] });
  return { ms: r.ms, cpuMs: r.usage.cpuMs, rssKiB: r.usage.maxRssKiB, stdout: r.stdout };
}
const floorRun = (root) => run('floor', [fileURLToPath(import.meta.url), '--floor', root]);
const auditRun = (root, concurrency) => run(`audit --concurrency ${concurrency}`, [hostlintBin, 'audit', root, '--concurrency', String(concurrency), '--format', 'json', '-o', '/dev/null']);

if (process.env.HOSTLINT_BENCH_KEEP) {
  generate(process.env.HOSTLINT_BENCH_KEEP, SIZES[0]);
  process.exit(0);
}

console.log(`${environment()}; ${RUNS} runs per figure (medians), interleaved with the floor`);
console.log('(the machine should be otherwise idle; `uptime` before and after says how loaded it was)');
const all = [...new Set([...SIZES, ...RSS_SIZES])].sort((a, b) => a - b);
const fig = new Map();
for (const n of all) {
  const root = mkdtempSync(path.join(os.tmpdir(), `hostlint-bench-${n}-`));
  try {
    const g0 = Date.now();
    generate(root, n);
    const info = JSON.parse(floorRun(root).stdout); // also warms the page cache
    console.log(`\nN = ${n}: generated in ${((Date.now() - g0) / 1000).toFixed(1)} s; the floor reads ${info.files} files, ${(info.bytes / 2 ** 20).toFixed(0)} MiB, ${info.lines} lines`);
    const f = { ms: [], cpu: [] };
    const par = { ms: [], cpu: [], rss: [] };
    const one = { rss: [], ms: [] };
    for (let i = 0; i < RUNS; i++) {
      const steps = [
        () => {
          const r = floorRun(root);
          f.ms.push(r.ms);
          f.cpu.push(r.cpuMs);
        },
        ...(SIZES.includes(n)
          ? [
              () => {
                const r = auditRun(root, 2);
                par.ms.push(r.ms);
                par.cpu.push(r.cpuMs);
                par.rss.push(r.rssKiB);
              },
            ]
          : []),
        ...(RSS_SIZES.includes(n)
          ? [
              () => {
                const r = auditRun(root, 1);
                one.rss.push(r.rssKiB);
                one.ms.push(r.ms);
              },
            ]
          : []),
      ];
      for (let j = 0; j < steps.length; j++) steps[(i + j) % steps.length]();
    }
    const m = { floorMs: median(f.ms), floorCpu: median(f.cpu) };
    console.log(`  floor                      wall ${(m.floorMs / 1000).toFixed(2)} s  CPU ${(m.floorCpu / 1000).toFixed(2)} s`);
    if (par.ms.length) {
      Object.assign(m, { parMs: median(par.ms), parCpu: median(par.cpu) });
      console.log(`  audit --concurrency 2      wall ${(m.parMs / 1000).toFixed(2)} s  CPU ${(m.parCpu / 1000).toFixed(2)} s (${(m.parCpu / n).toFixed(2)} ms/host)  peak RSS ${(median(par.rss) / 1024).toFixed(0)} MiB  → wall ${fmtRatio(m.parMs / m.floorMs)}, CPU ${fmtRatio(m.parCpu / m.floorCpu)} the floor`);
    }
    if (one.rss.length) {
      m.oneRss = median(one.rss);
      console.log(`  audit --concurrency 1      wall ${(median(one.ms) / 1000).toFixed(2)} s  peak RSS ${(m.oneRss / 1024).toFixed(0)} MiB`);
    }
    fig.set(n, m);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

console.log('\n| figure | measured | target |\n|---|---|---|');
for (const n of SIZES) {
  const m = fig.get(n);
  console.log(`| fleet audit, ${n.toLocaleString('en')} hosts, 2 threads, wall ÷ single-thread floor | ${fmtRatio(m.parMs / m.floorMs)} | ≤ 1.2× |`);
  console.log(`| fleet audit, ${n.toLocaleString('en')} hosts, 2 threads, CPU ÷ floor CPU | ${fmtRatio(m.parCpu / m.floorCpu)} | ≤ 2× |`);
}
const base = RSS_SIZES[0];
for (const n of RSS_SIZES.slice(1)) {
  console.log(`| \`--concurrency 1\` peak RSS, ${n.toLocaleString('en')} ÷ ${base.toLocaleString('en')} hosts | ${fmtRatio(fig.get(n).oneRss / fig.get(base).oneRss)} | ≤ 1.2× |`);
}
console.log(`\nload average at the end: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
