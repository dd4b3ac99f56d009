/**
 * vitest globalSetup: one temporary root per test run, removed at the end, so
 * that a run leaves the system temp folder (and /dev/shm) as it found them.
 *
 * Every temp directory the tests make goes through `os.tmpdir()`, which reads
 * TMPDIR; setting it here, before the workers start, sends the workers and
 * every process they spawn (the CLI, git, pre-commit and its nodeenv, the
 * SARIF validator) into this root. HOSTLINT_TEST_TMP names the root;
 * HOSTLINT_TEST_SHM names a second one on tmpfs for the big hostile inputs
 * (test/hostile/helpers.ts scratchDir), when /dev/shm is writable.
 */
import { chmodSync, existsSync, lstatSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export default function setup(): () => void {
  const saved = { TMPDIR: process.env.TMPDIR, HOSTLINT_TEST_TMP: process.env.HOSTLINT_TEST_TMP, HOSTLINT_TEST_SHM: process.env.HOSTLINT_TEST_SHM };
  const root = mkdtempSync(path.join(tmpdir(), 'hostlint-test-run-'));
  let shm: string | undefined;
  if (existsSync('/dev/shm')) {
    try {
      shm = mkdtempSync(path.join('/dev/shm', 'hostlint-test-run-'));
    } catch {
      shm = undefined; // not writable: scratchDir falls back to the temp root
    }
  }
  // mkdtemp makes 0700 folders: let other users pass through (not list) them, as they
  // can /tmp, so a test that runs the CLI as `nobody` reaches its own 0755 folder.
  chmodSync(root, 0o711);
  if (shm) chmodSync(shm, 0o711);
  process.env.TMPDIR = root;
  process.env.HOSTLINT_TEST_TMP = root;
  if (shm) process.env.HOSTLINT_TEST_SHM = shm;
  else delete process.env.HOSTLINT_TEST_SHM;

  return () => {
    for (const dir of [root, shm]) {
      if (!dir) continue;
      // Tests make read-only and unreadable trees (test/hostile): rmSync as root
      // removes them; as another user, give every directory its permissions back first.
      try {
        rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
      } catch {
        restoreModes(dir);
        rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
      }
    }
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
}

function restoreModes(dir: string): void {
  try {
    chmodSync(dir, 0o700);
    for (const name of readdirSync(dir)) {
      const p = path.join(dir, name);
      if (lstatSync(p).isDirectory()) restoreModes(p);
    }
  } catch {
    // best effort; the rmSync after this reports what is left
  }
}
