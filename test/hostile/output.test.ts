/**
 * Output integrity: `-o FILE` is complete or absent (or still the previous
 * complete report), also when the process is killed with SIGKILL in the
 * middle of writing it; errors leave no temporary file behind.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { writeAtomically } from '../../src/cli/output.js';
import { runCli } from '../helpers/cli.js';
import { writeTree } from '../helpers/lint.js';
import { BIN, built, KERNEL_310, REPO, scratchDir, TW } from './helpers.js';

const tmpFiles = (dir: string) => readdirSync(dir).filter((n) => n.endsWith('.tmp'));

// Scratch space may be tmpfs (memory): remove what the killed writers left.
const scratch: string[] = [];
afterAll(() => {
  for (const d of scratch) rmSync(d, { recursive: true, force: true });
});

/** Start `node args`, wait until `ready(dir)` (polled every millisecond), SIGKILL it. */
async function killWhen(args: string[], cwd: string, ready: () => boolean, timeoutMs = 60_000): Promise<{ killedEarly: boolean }> {
  const child = spawn(process.execPath, args, { cwd, stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let done = false;
  void exited.then(() => (done = true));
  const started = Date.now();
  while (!done && !ready() && Date.now() - started < timeoutMs) await new Promise((r) => setTimeout(r, 1));
  const killedEarly = !done;
  child.kill('SIGKILL');
  await exited;
  return { killedEarly };
}

describe('writeAtomically killed mid-write (a real child process, SIGKILL)', () => {
  it.skipIf(!built())('the target keeps its previous complete content; only the temporary file is cut short', async () => {
    const dir = scratchDir('kill');
    scratch.push(dir);
    const target = path.join(dir, 'report.json');
    const previous = JSON.stringify({ previous: true }) + '\n';
    writeFileSync(target, previous);
    const size = 512 * 1024 * 1024;
    // The child writes 512 MiB through the real function; it is killed once the temporary file has some of it.
    const script = `import { writeAtomically } from ${JSON.stringify(pathToFileURL(path.join(REPO, 'dist/src/cli/output.js')).href)};
      writeAtomically(${JSON.stringify(target)}, Buffer.alloc(${size}, 0x61));`;
    const { killedEarly } = await killWhen(['--input-type=module', '-e', script], dir, () => {
      const tmp = tmpFiles(dir)[0];
      if (!tmp) return false;
      try {
        return statSync(path.join(dir, tmp)).size > 0;
      } catch {
        return false;
      }
    });
    expect(killedEarly).toBe(true);
    expect(readFileSync(target, 'utf8')).toBe(previous);
    const left = tmpFiles(dir);
    expect(left).toHaveLength(1);
    expect(statSync(path.join(dir, left[0]!)).size).toBeLessThan(size); // it was killed mid-write
  }, 120_000);

  it.skipIf(!built())('`hostlint -o` killed at many points: the report is always absent, the previous one, or complete', async () => {
    const cwd = scratchDir('kill-cli');
    scratch.push(cwd);
    mkdirSync(path.join(cwd, 'etc'));
    writeFileSync(path.join(cwd, '.hostlint.yaml'), KERNEL_310);
    // 20,000 flagged lines: a report of several megabytes.
    writeFileSync(path.join(cwd, 'etc/sysctl.conf'), Array.from({ length: 20_000 }, (_, i) => `net.ipv4.tcp_tw_recycle = 1\nvm.k${i} = 1`).join('\n') + '\n');
    const target = path.join(cwd, 'report.json');
    // The whole report, from a run left alone.
    let started = Date.now();
    await killWhen([BIN, '-f', 'json', '-o', 'report.json', 'etc'], cwd, () => false);
    const fullRunMs = Date.now() - started;
    const complete = readFileSync(target, 'utf8');
    expect(JSON.parse(complete).results).toHaveLength(20_000);
    const outcomes = new Set<string>();
    for (const fraction of [0, 0.1, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 1, 1.2]) {
      rmSync(target, { force: true });
      started = Date.now();
      await killWhen([BIN, '-f', 'json', '-o', 'report.json', 'etc'], cwd, () => Date.now() - started >= fraction * fullRunMs);
      if (!existsSync(target)) outcomes.add('absent');
      else {
        expect(readFileSync(target, 'utf8')).toBe(complete);
        outcomes.add('complete');
      }
    }
    expect(outcomes.has('absent')).toBe(true);
  }, 180_000);
});

describe('error paths leave no temporary file', () => {
  it('the target is a directory: exit 2, a message, nothing left behind', async () => {
    const cwd = writeTree({ '.hostlint.yaml': KERNEL_310, 'sysctl.conf': TW });
    mkdirSync(path.join(cwd, 'report.json'));
    const r = await runCli(['-f', 'json', '-o', 'report.json'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('hostlint: cannot write report.json: EISDIR\n');
    expect(r.stdout).toBe('');
    expect(tmpFiles(cwd)).toEqual([]);
  });

  it('the output directory does not exist: exit 2, no file created', async () => {
    const cwd = writeTree({ 'sysctl.conf': TW });
    const r = await runCli(['-f', 'sarif', '-o', 'out/report.sarif'], { cwd });
    expect(r).toMatchObject({ code: 2, stderr: 'hostlint: cannot write out/report.sarif: ENOENT\n' });
    expect(existsSync(path.join(cwd, 'out'))).toBe(false);
  });

  it('writeAtomically replaces the file whole and leaves only the target', () => {
    const dir = writeTree({ 'report.json': 'old\n' });
    writeAtomically(path.join(dir, 'report.json'), 'new\n');
    expect(readFileSync(path.join(dir, 'report.json'), 'utf8')).toBe('new\n');
    expect(readdirSync(dir)).toEqual(['report.json']);
    expect(() => writeAtomically(path.join(dir, 'missing', 'r.json'), 'x')).toThrow(/ENOENT/);
    expect(readdirSync(dir)).toEqual(['report.json']);
  });
});
