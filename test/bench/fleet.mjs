#!/usr/bin/env node
/**
 * `npm run bench`: fleet audit throughput (not a test; nothing here is timed
 * by vitest). For each N (default 1,000 and 10,000) it generates N realistic
 * snapshots in a temporary directory from the real files in
 * fixtures/corpus/, then measures, in this run:
 *
 *   - the floor: a plain single-threaded loop that reads every file of the
 *     fleet and parses every YAML document with the same library (`yaml`);
 *   - `hostlint audit` with the default concurrency (all cores) and with
 *     `--concurrency 1`, each in a fresh process (JSON output, discarded);
 *
 * and prints hosts per second, the peak RSS of each audit process, and the
 * ratio of audit time to the floor. Targets: parallel faster than the floor;
 * `--concurrency 1` within 1.5x of it; peak RSS at the largest N at most 1.2x
 * that at the smallest.
 *
 *   node test/bench/fleet.mjs [N ...]        (needs `npm run build` first)
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
import { spawn } from 'node:child_process';
import { linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const corpus = path.resolve(repo, 'fixtures/corpus');
const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
const NS = sizes.length ? sizes : [1000, 10000];

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

/** The floor: read every file of the fleet, parse every YAML document. */
function floor(root) {
  const cpu0 = process.cpuUsage();
  const start = process.hrtime.bigint();
  let files = 0;
  let docs = 0;
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.name === '.shared') continue;
      const abs = path.join(dir, e.name);
      if (e.isDirectory()) walk(abs);
      else if (e.isFile()) {
        const text = readFileSync(abs, 'utf8');
        files++;
        if (/\.ya?ml$/.test(e.name)) docs += parseAllDocuments(text).length;
      }
    }
  };
  walk(root);
  const cpu = process.cpuUsage(cpu0);
  return { seconds: Number(process.hrtime.bigint() - start) / 1e9, cpu: (cpu.user + cpu.system) / 1e6, files, docs };
}

/** One audit in a fresh process: wall time and the process's peak RSS (all threads). */
function audit(root, concurrency) {
  const script = `
    const { main } = await import(${JSON.stringify(new URL('../../dist/src/cli/main.js', import.meta.url).href)});
    const args = ['audit', '--format', 'json', ${JSON.stringify(root)}${concurrency ? `, '--concurrency', '${concurrency}'` : ''}];
    const code = await main(args, { stdout: () => {}, stderr: (s) => process.stderr.write(s), stdin: async () => '', cwd: process.cwd(), isTTY: false, env: { CI: 'true' } });
    const u = process.resourceUsage();
    process.stdout.write(JSON.stringify({ code, maxRSS: u.maxRSS, cpu: (u.userCPUTime + u.systemCPUTime) / 1e6 }));
  `;
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const file = path.join(root, '..', `${path.basename(root)}-run.mjs`);
    writeFileSync(file, script);
    const child = spawn(process.execPath, [file], { cwd: repo, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', () => {
      rmSync(file, { force: true });
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      try {
        const { code, maxRSS, cpu } = JSON.parse(out);
        if (code === 2) reject(new Error('hostlint audit failed (exit 2)'));
        else resolve({ seconds, cpu, rssMiB: maxRSS / 1024 });
      } catch {
        reject(new Error(`no result from the audit process: ${out}`));
      }
    });
  });
}

if (process.env.HOSTLINT_BENCH_KEEP) {
  // Generate one fleet and keep it (for profiling): HOSTLINT_BENCH_KEEP=DIR node test/bench/fleet.mjs N
  generate(process.env.HOSTLINT_BENCH_KEEP, NS[0]);
  process.exit(0);
}

try {
  statSync(new URL('../../dist/src/cli/main.js', import.meta.url));
} catch {
  console.error('bench: run `npm run build` first');
  process.exit(2);
}

const rows = [];
console.log(`hostlint fleet bench: ${os.cpus().length} cores, Node ${process.version}, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
console.log('(wall-clock ratios need an otherwise idle machine; the CPU-time ratios are less sensitive to other load)');
for (const n of NS) {
  const root = mkdtempSync(path.join(os.tmpdir(), `hostlint-bench-${n}-`));
  try {
    const g0 = Date.now();
    generate(root, n);
    console.log(`\nN = ${n}: generated in ${((Date.now() - g0) / 1000).toFixed(1)} s`);
    floor(root); // warm the page cache
    const f = floor(root);
    console.log(`  floor (read ${f.files} files, parse ${f.docs} YAML documents): ${f.seconds.toFixed(2)} s (CPU ${f.cpu.toFixed(2)} s)`);
    const par = await audit(root, undefined);
    const one = await audit(root, 1);
    const row = { n, floor: f.seconds, par, one };
    rows.push(row);
    for (const [label, r] of [[`audit, ${os.availableParallelism?.() ?? os.cpus().length} threads`, par], ['audit --concurrency 1', one]]) {
      console.log(`  ${label.padEnd(24)} ${r.seconds.toFixed(2)} s  ${(n / r.seconds).toFixed(0).padStart(6)} hosts/s  peak RSS ${r.rssMiB.toFixed(0)} MiB  ${(r.seconds / f.seconds).toFixed(2)}x floor  (CPU ${r.cpu.toFixed(2)} s, ${(r.cpu / f.cpu).toFixed(2)}x the floor's)`);
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

console.log('\nTargets');
for (const r of rows) {
  console.log(`  N=${r.n}: parallel faster than the floor: ${r.par.seconds < r.floor ? 'yes' : 'NO'} (${(r.par.seconds / r.floor).toFixed(2)}x); --concurrency 1 within 1.5x: ${r.one.seconds <= 1.5 * r.floor ? 'yes' : 'NO'} (${(r.one.seconds / r.floor).toFixed(2)}x)`);
}
if (rows.length >= 2) {
  const small = rows[0];
  const large = rows[rows.length - 1];
  for (const key of ['par', 'one']) {
    const ratio = large[key].rssMiB / small[key].rssMiB;
    console.log(`  peak RSS ${key === 'par' ? 'parallel' : '--concurrency 1'}, N=${large.n} / N=${small.n}: ${ratio.toFixed(2)}x ${ratio <= 1.2 ? '(within 1.2x)' : '(OVER 1.2x)'}`);
  }
}
