/**
 * Timing helpers shared by the pre-commit and large-manifest benches
 * (test/bench/precommit.mjs, test/bench/manifest.mjs).
 *
 * Every figure is the median of several runs of a fresh process, and the
 * commands of one comparison are interleaved (run 1 of each, then run 2 of
 * each, ...), starting each round with a different command, so that load that
 * comes and goes on the machine falls on all of them alike and their ratios
 * stay meaningful even when the absolute times do not.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repo = fileURLToPath(new URL('../..', import.meta.url));
export const corpus = path.resolve(repo, 'fixtures/corpus');
/** The hostlint executable measured; HOSTLINT_BENCH_BIN measures another build (e.g. an older checkout's bin/hostlint). */
export const hostlintBin = process.env.HOSTLINT_BENCH_BIN ? path.resolve(process.env.HOSTLINT_BENCH_BIN) : path.join(repo, 'bin/hostlint');
const rusagePreload = new URL('./rusage.mjs', import.meta.url).href;

export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Run one command once. `command.rusage`: load test/bench/rusage.mjs first
 * (`--import`) to get the process's CPU time and peak RSS (all threads);
 * left off the short runs, where loading it would weigh on the figure.
 */
export function runOnce(command) {
  const dir = command.rusage ? mkdtempSync(path.join(os.tmpdir(), 'hostlint-bench-rusage-')) : undefined;
  const usageFile = dir ? path.join(dir, 'usage.json') : undefined;
  const args = command.rusage ? ['--import', rusagePreload, ...command.args] : command.args;
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, {
    cwd: command.cwd,
    env: { ...process.env, ...(command.env ?? {}), ...(usageFile ? { HOSTLINT_BENCH_RUSAGE: usageFile } : {}), NO_COLOR: '1' },
    stdio: ['ignore', command.capture ? 'pipe' : 'ignore', 'pipe'],
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const expected = command.exitCodes ?? [0];
  if (r.error || !expected.includes(r.status)) {
    if (dir) rmSync(dir, { recursive: true, force: true });
    throw new Error(`${command.label}: exit ${r.status ?? r.signal ?? r.error} (expected ${expected.join(' or ')})\n${r.stderr ?? ''}`);
  }
  let usage;
  if (usageFile) {
    try {
      usage = JSON.parse(readFileSync(usageFile, 'utf8'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return { ms, status: r.status, stdout: r.stdout, stderr: r.stderr, usage };
}

/**
 * Run each command `warmup` times (not counted: the page cache, npm's and
 * Node's own caches), then `runs` rounds, interleaved. Returns per command
 * the wall-clock times and, with `rusage`, CPU ms and peak RSS (KiB).
 */
export function measure(commands, { runs, warmup = 1, progress }) {
  for (let w = 0; w < warmup; w++) for (const c of commands) runOnce(c);
  const out = commands.map((c) => ({ command: c, ms: [], cpu: [], rss: [] }));
  for (let i = 0; i < runs; i++) {
    for (let j = 0; j < commands.length; j++) {
      const k = (i + j) % commands.length;
      const r = runOnce(commands[k]);
      out[k].ms.push(r.ms);
      if (r.usage) {
        out[k].cpu.push(r.usage.cpuMs);
        out[k].rss.push(r.usage.maxRssKiB);
      }
    }
    progress?.(i + 1, runs);
  }
  return out.map((o) => ({
    ...o,
    median: median(o.ms),
    cpuMedian: o.cpu.length ? median(o.cpu) : undefined,
    rssMedian: o.rss.length ? median(o.rss) : undefined,
  }));
}

/** Print rows of cells as an aligned Markdown table. */
export function printTable(header, rows) {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => String(r[i]).length)));
  const line = (r) => `| ${r.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join(' | ')} |`;
  console.log(line(header));
  console.log(`| ${widths.map((w, i) => (i === 0 ? '-'.repeat(w) : '-'.repeat(w - 1) + ':')).join(' | ')} |`);
  for (const r of rows) console.log(line(r));
}

export function environment() {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  return `Node ${process.version}, ${os.availableParallelism?.() ?? os.cpus().length} cores (${cpu.trim()}), load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`;
}

export const fmtMs = (ms) => (ms >= 10000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
export const fmtRatio = (r) => `${r.toFixed(2)}×`;
export const fmtMiB = (kib) => (kib === undefined ? '' : `${(kib / 1024).toFixed(0)} MiB`);

/** `--runs N` from the command line, else HOSTLINT_BENCH_RUNS, else `fallback` (at least 5). */
export function runsFromArgs(fallback) {
  const i = process.argv.indexOf('--runs');
  const v = i >= 0 ? Number(process.argv[i + 1]) : Number(process.env.HOSTLINT_BENCH_RUNS ?? fallback);
  if (!Number.isInteger(v) || v < 1) throw new Error('--runs takes a whole number');
  return Math.max(5, v);
}
