/**
 * Runs resolv.conf files through glibc's res_ninit(): resolv-oracle.c, built
 * with gcc at test time, inside one `unshare --mount --uts` per shard with the
 * shard's own file bind-mounted over /etc/resolv.conf (and a host name without
 * a dot, so glibc derives no search domain from it).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { oracleTmp } from './oracle-env.js';

const SOURCE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'resolv-oracle.c');

/** What glibc made of one file. */
export interface GlibcState {
  nameservers: Array<{ family: 4 | 6; address: string }>;
  /** The legacy `dnsrch` view (at most MAXDNSRCH domains), bytes outside printable ASCII as \xHH. */
  search: string[];
  ndots: number;
  timeout: number;
  attempts: number;
  flags: string[];
  /** res_ninit() did not return (killed after 0.5 s). */
  hang?: boolean;
}

export function resolvOracleUnavailable(): string | undefined {
  if (process.platform !== 'linux') return 'not Linux';
  if (process.getuid?.() !== 0) return 'not root (unshare --mount needs CAP_SYS_ADMIN)';
  if (spawnSync('sh', ['-c', 'command -v gcc']).status !== 0) return 'gcc is missing (Debian packages gcc, libc6-dev)';
  const probe = spawnSync('unshare', ['--mount', '--uts', 'true']);
  if (probe.status !== 0) return `unshare --mount --uts fails: ${String(probe.stderr).trim() || `exit ${probe.status}`}`;
  return undefined;
}

export async function runResolvOracle(files: string[], shards = 2): Promise<GlibcState[]> {
  const base = mkdtempSync(path.join(oracleTmp(), 'hostlint-resolv-oracle-'));
  try {
    const bin = path.join(base, 'resolv-oracle');
    const cc = spawnSync('gcc', ['-O1', '-Wall', '-Werror', '-o', bin, SOURCE], { encoding: 'utf8' });
    if (cc.status !== 0) throw new Error(`cannot build the resolver oracle: ${cc.stderr}`);
    const per = Math.ceil(files.length / shards);
    const jobs: Array<Promise<GlibcState[]>> = [];
    for (let s = 0; s * per < files.length; s++) jobs.push(runShard(bin, path.join(base, `shard${s}`), files.slice(s * per, (s + 1) * per)));
    return (await Promise.all(jobs)).flat();
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}

async function runShard(bin: string, w: string, files: string[]): Promise<GlibcState[]> {
  mkdirSync(path.join(w, 'cases'), { recursive: true });
  files.forEach((text, i) => writeFileSync(path.join(w, 'cases', String(i)), text, 'latin1'));
  const conf = path.join(w, 'resolv.conf');
  writeFileSync(conf, '');
  const env = { ...process.env };
  delete env.RES_OPTIONS;
  delete env.LOCALDOMAIN;
  delete env.HOSTALIASES;
  const script = 'set -e; hostname hostlint-oracle; mount --bind "$1" /etc/resolv.conf; exec "$2" "$3" "$4" "$1"';
  const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn('unshare', ['--mount', '--uts', '--propagation', 'private', 'sh', '-c', script, 'sh', conf, bin, path.join(w, 'cases'), String(files.length)], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (c) => resolve({ code: c, stdout: out, stderr: err }));
  });
  if (code !== 0) throw new Error(`resolver oracle failed (exit ${code}): ${stderr}`);
  const out: GlibcState[] = [];
  let cur: GlibcState | undefined;
  for (const l of stdout.split('\n')) {
    const [word, ...rest] = l.split(' ');
    if (word === 'case') cur = { nameservers: [], search: [], ndots: -1, timeout: -1, attempts: -1, flags: [] };
    else if (word === 'end') out.push(cur!);
    else if (word === 'ns') cur!.nameservers.push({ family: Number(rest[0]) as 4 | 6, address: rest[1]! });
    else if (word === 'search') cur!.search.push(rest.join(' '));
    else if (word === 'ndots' || word === 'timeout' || word === 'attempts') cur![word] = Number(rest[0]);
    else if (word === 'flags') cur!.flags = rest.filter((f) => f !== '');
    else if (word === 'hang') cur!.hang = true;
    else if (word === 'init-failed') throw new Error('res_ninit failed');
  }
  if (out.length !== files.length) throw new Error(`resolver oracle: ${out.length} results for ${files.length} files`);
  return out;
}
