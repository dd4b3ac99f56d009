#!/usr/bin/env node
/**
 * `npm run bench`: every benchmark of hostlint, each against a baseline
 * measured in the same run, as medians of fresh processes:
 *
 *   1. pre-commit latency (precommit.mjs): five changed files against
 *      `node -e 0` and against ESLint with eslint-plugin-yml;
 *   2. a 20 MiB manifest (manifest.mjs) against `parseAllDocuments`;
 *   3. fleet audits (fleet.mjs, run as its own process, as it runs alone).
 *
 *   node test/bench/index.mjs [--runs N] [--mib N] [--fleet N,N] [--only precommit,manifest,fleet]
 *   (`npm run bench` builds first)
 *
 * `--only` runs the named parts only (default: all three).
 * `--fleet` passes the fleet sizes of the 2-thread figures to fleet.mjs (`--sizes`; its default: 1,000 and 4,000).
 *
 * The ratios need an otherwise idle machine to mean much; the runs are
 * interleaved so that load that comes and goes weighs on both sides alike.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { environment, hostlintBin, repo } from './harness.mjs';
import { manifestBench } from './manifest.mjs';
import { precommitBench } from './precommit.mjs';

if (!existsSync(new URL('../../dist/src/cli/main.js', import.meta.url))) {
  console.error('bench: run `npm run build` first');
  process.exit(2);
}
const build = process.env.HOSTLINT_BENCH_BIN ? '(HOSTLINT_BENCH_BIN)' : existsSync(new URL('../../dist/hostlint.cjs', import.meta.url)) ? '(bundled)' : '(unbundled: esbuild did not run)';
console.log(`# hostlint benchmarks\n\n${environment()}; hostlint: ${hostlintBin.startsWith(repo) ? hostlintBin.slice(repo.length) : hostlintBin} ${build}`);
const PARTS = ['precommit', 'manifest', 'fleet'];
const onlyArg = process.argv.indexOf('--only');
const only = onlyArg >= 0 ? (process.argv[onlyArg + 1] ?? '').split(',').filter(Boolean) : PARTS;
const unknown = only.filter((p) => !PARTS.includes(p));
if (unknown.length || only.length === 0) {
  console.error(`bench: --only takes parts from ${PARTS.join(', ')} (got ${unknown.join(', ') || 'none'})`);
  process.exit(2);
}
if (only.includes('precommit')) precommitBench();
if (only.includes('manifest')) manifestBench();
if (only.includes('fleet')) {
  console.log('\n## Fleet audits (test/bench/fleet.mjs)\n');
  const fleetArg = process.argv.indexOf('--fleet');
  const sizes = fleetArg >= 0 ? ['--sizes', process.argv[fleetArg + 1] ?? ''] : [];
  const fleet = spawnSync(process.execPath, [fileURLToPath(new URL('./fleet.mjs', import.meta.url)), ...sizes], { stdio: 'inherit' });
  process.exitCode = fleet.status ?? 1;
}
