/**
 * Budget and seed of the oracle tests. `npm test` runs a fixed seed and
 * HOSTLINT_ORACLE_RUNS_DEFAULT cases per oracle; `npm run oracle` (the
 * campaign) sets HOSTLINT_ORACLE_RUNS (10,000) and a fresh seed, unless
 * HOSTLINT_ORACLE_SEED names one (to replay a campaign).
 */
import { accessSync, constants, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const ORACLE_RUNS_DEFAULT = 1000;

export function oracleRuns(): number {
  const n = Number(process.env.HOSTLINT_ORACLE_RUNS);
  return Number.isInteger(n) && n > 0 ? n : ORACLE_RUNS_DEFAULT;
}

export function oracleSeed(): number {
  const s = Number(process.env.HOSTLINT_ORACLE_SEED);
  if (Number.isInteger(s)) return s;
  return process.env.HOSTLINT_ORACLE_RUNS ? (Date.now() ^ (process.pid << 8)) >>> 0 : 20261201;
}

/** Where a run saves the cases it disagrees on (with the oracle's output), to be promoted to fixtures. */
export function saveDisagreements(oracle: string, seed: number, items: unknown[]): string | undefined {
  if (items.length === 0) return undefined;
  const dir = process.env.HOSTLINT_ORACLE_OUT ?? path.join(tmpdir(), 'hostlint-oracle-found');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${oracle}-seed${seed}.json`);
  writeFileSync(file, `${JSON.stringify(items, null, 2)}\n`);
  return file;
}

/**
 * Where the oracles keep their generated files: a RAM-backed /dev/shm when
 * there is one (tens of thousands of small files), else the temp folder.
 */
export function oracleTmp(): string {
  try {
    if (statSync('/dev/shm').isDirectory()) {
      accessSync('/dev/shm', constants.W_OK);
      return '/dev/shm';
    }
  } catch {
    // no /dev/shm: the temp folder
  }
  return tmpdir();
}
