#!/usr/bin/env node
/**
 * This build against another one, in one run: every workload below is run
 * by both executables, interleaved (harness.mjs), and the table gives each
 * median and this build's ratio to the other. The way to check that a change
 * costs no speed (issue 11: "no figure more than 5% worse"):
 *
 *   git worktree add --detach /tmp/hostlint-before <commit> && (cd /tmp/hostlint-before && npm ci)
 *   npm run build && node test/bench/compare.mjs --against /tmp/hostlint-before/bin/hostlint [--runs N] [--only TEXT]
 *
 * `--only TEXT` runs the workloads whose name contains TEXT (to measure one again).
 *
 * Workloads (all from fixtures/, generated into a temporary directory where
 * they need one; both builds read the same bytes):
 *   - the two pre-commit commits of precommit.mjs (5 files; custom-resources.yaml or calico.yaml v3.28);
 *   - the incident example (lint);
 *   - every corpus file (lint fixtures/corpus);
 *   - the example fleet (audit, --concurrency 1 and the default);
 *   - a 5 MiB multi-document manifest (manifest.mjs's generator).
 * CPU time and peak RSS come from rusage.mjs; a ratio above 1.05 is marked.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { environment, fmtMiB, fmtMs, fmtRatio, measure, printTable, repo, runsFromArgs } from './harness.mjs';
import { generateManifest } from './manifest.mjs';
import { CASES, COMMON, CONFIG } from './precommit.mjs';

const againstArg = process.argv.indexOf('--against');
const against = againstArg >= 0 ? process.argv[againstArg + 1] : undefined;
if (!against) {
  console.error('usage: node test/bench/compare.mjs --against PATH/TO/OTHER/bin/hostlint [--runs N]');
  process.exit(2);
}
const RUNS = runsFromArgs(9);
const onlyArg = process.argv.indexOf('--only');
const only = onlyArg >= 0 ? (process.argv[onlyArg + 1] ?? '') : '';
const mine = path.join(repo, 'bin/hostlint');
const other = path.resolve(against);

const root = mkdtempSync(path.join(os.tmpdir(), 'hostlint-bench-compare-'));
try {
  const workloads = [];
  for (const { name: manifestName, manifest } of CASES) {
    const name = `pre-commit, ${manifestName}`;
    const dir = path.join(root, name.replace(/\W+/g, '-'));
    const files = [...COMMON, manifest];
    for (const [rel, from] of files) {
      mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      copyFileSync(from, path.join(dir, rel));
    }
    writeFileSync(path.join(dir, '.hostlint.yaml'), CONFIG);
    workloads.push({ name, cwd: dir, args: files.map(([rel]) => rel) });
  }
  workloads.push({ name: 'incident example', cwd: path.join(repo, 'fixtures/examples'), args: ['incident'] });
  workloads.push({ name: 'corpus (lint)', cwd: path.join(repo, 'fixtures'), args: ['corpus', '--format', 'json'] });
  workloads.push({ name: 'example fleet, --concurrency 1', cwd: path.join(repo, 'fixtures/examples'), args: ['audit', 'fleet', '--concurrency', '1', '--format', 'json'] });
  workloads.push({ name: 'example fleet, default', cwd: path.join(repo, 'fixtures/examples'), args: ['audit', 'fleet', '--format', 'json'] });
  const big = path.join(root, 'manifest.yaml');
  writeFileSync(big, generateManifest(5).text);
  workloads.push({ name: '5 MiB manifest', cwd: root, args: ['manifest.yaml', '--format', 'json'] });

  console.log(`# hostlint: this build against ${other}\n\n${environment()}; median of ${RUNS} runs each, fresh processes, interleaved\n`);
  const rows = [];
  for (const w of workloads.filter((x) => x.name.includes(only))) {
    const command = (bin, label) => ({ label, args: [bin, ...w.args], cwd: w.cwd, exitCodes: [0, 1], rusage: true });
    const [a, b] = measure([command(mine, 'this build'), command(other, 'other build')], { runs: RUNS });
    const ratio = a.median / b.median;
    const cpuRatio = a.cpuMedian / b.cpuMedian;
    rows.push([w.name, fmtMs(b.median), fmtMs(a.median), `${fmtRatio(ratio)}${ratio > 1.05 ? ' (worse)' : ''}`, `${fmtRatio(cpuRatio)}${cpuRatio > 1.05 ? ' (worse)' : ''}`, fmtMiB(b.rssMedian), fmtMiB(a.rssMedian)]);
  }
  printTable(['workload', 'other', 'this', 'wall this/other', 'CPU this/other', 'RSS other', 'RSS this'], rows);
} finally {
  rmSync(root, { recursive: true, force: true });
}
