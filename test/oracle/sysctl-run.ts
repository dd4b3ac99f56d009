/**
 * Runs generated sysctl trees through the real tools: procps `sysctl --system`
 * and systemd-sysctl, each in a fresh network namespace, inside one private
 * mount namespace per shard (`unshare --mount`, see sysctl-driver.sh).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { oracleTmp } from './oracle-env.js';
import { UNIVERSE, type SysctlCase } from './sysctl-cases.js';

const DRIVER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'sysctl-driver.sh');
export const TOOLS = ['procps', 'systemd'] as const;
export type Tool = (typeof TOOLS)[number];

/** What one tool did with one tree. */
export interface ToolRun {
  rc: number;
  stderr: string;
  /** Dotted key → value read from /proc/sys after the run. */
  values: Record<string, string>;
}

export interface OracleRun {
  procps: ToolRun;
  systemd: ToolRun;
}

export const slash = (k: string) => k.replace(/[./]/g, (c) => (c === '.' ? '/' : '.'));

/** Why the oracle cannot run here, or undefined when it can. */
export function sysctlOracleUnavailable(): string | undefined {
  if (process.platform !== 'linux') return 'not Linux';
  if (process.getuid?.() !== 0) return 'not root (unshare --mount --net needs CAP_SYS_ADMIN)';
  for (const tool of ['/lib/systemd/systemd-sysctl', '/usr/sbin/sysctl', '/usr/bin/unshare', '/usr/sbin/chroot']) {
    const r = spawnSync('sh', ['-c', `command -v ${tool} || test -x ${tool}`]);
    if (r.status !== 0) return `${tool} is missing (Debian packages systemd, procps, util-linux, coreutils)`;
  }
  const probe = spawnSync('unshare', ['--mount', '--net', 'true']);
  if (probe.status !== 0) return `unshare --mount --net fails: ${String(probe.stderr).trim() || `exit ${probe.status}`}`;
  return undefined;
}

/** Write a case's files under `dir` (a snapshot-shaped tree: etc/, run/, usr/, lib/, proc/). */
export function writeCase(dir: string, c: SysctlCase): void {
  mkdirSync(path.join(dir, 'proc'), { recursive: true });
  mkdirSync(path.join(dir, 'etc'), { recursive: true });
  for (const f of c.files) {
    const abs = path.join(dir, f.path);
    mkdirSync(path.dirname(abs), { recursive: true });
    if ('link' in f) symlinkSync(f.link, abs);
    else writeFileSync(abs, f.text);
  }
}

/** Run `cases` through both tools, in `shards` parallel namespaces. */
export async function runSysctlOracle(cases: SysctlCase[], shards = 2): Promise<OracleRun[]> {
  const base = mkdtempSync(path.join(oracleTmp(), 'hostlint-sysctl-oracle-'));
  try {
    const per = Math.ceil(cases.length / shards);
    const jobs: Array<Promise<OracleRun[]>> = [];
    for (let s = 0; s * per < cases.length; s++) {
      jobs.push(runShard(path.join(base, `shard${s}`), cases.slice(s * per, (s + 1) * per)));
    }
    return (await Promise.all(jobs)).flat();
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}

async function runShard(w: string, cases: SysctlCase[]): Promise<OracleRun[]> {
  mkdirSync(w, { recursive: true });
  cases.forEach((c, i) => writeCase(path.join(w, 'cases', String(i)), c));
  writeFileSync(path.join(w, 'keys'), UNIVERSE.map(slash).join(' '));
  const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const child = spawn('unshare', ['--mount', '--propagation', 'private', 'sh', DRIVER, w, String(cases.length)], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (c) => resolve({ code: c, stderr: err }));
  });
  if (code !== 0) throw new Error(`sysctl oracle driver failed (exit ${code}): ${stderr}`);
  const out: OracleRun[] = [];
  for (let i = 0; i < cases.length; i++) {
    const run = {} as OracleRun;
    for (const tool of TOOLS) {
      const p = path.join(w, 'out', `${i}.${tool}`);
      const values: Record<string, string> = {};
      for (const l of readFileSync(`${p}.val`, 'utf8').split('\n')) {
        const m = /^([^:]+):(.*)$/.exec(l);
        if (!m) continue;
        if (!m[1]!.startsWith('net/')) throw new Error(`unexpected output from the oracle: ${l}`);
        values[slash(m[1]!)] = m[2]!;
      }
      for (const k of UNIVERSE) if (!(k in values)) throw new Error(`${k} is not readable in a fresh network namespace: ${readFileSync(`${p}.val`, 'utf8')}`);
      run[tool] = { rc: Number(readFileSync(`${p}.rc`, 'utf8')), stderr: readFileSync(`${p}.err`, 'utf8'), values };
    }
    out.push(run);
  }
  return out;
}
