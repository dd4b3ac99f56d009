/**
 * Bad input, size: a 100 MB file, a 1,000,000-line file, a mapping of 100,000
 * keys, a snapshot with 100,000 sysctl.d files. Time and memory stay bounded;
 * a file over the size limit (8 MiB by default; `--max-file-size`,
 * `maxFileSize`) is named, not read.
 */
import { mkdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_MAX_FILE_BYTES, parseByteSize } from '../../src/engine/read.js';
import { runCli } from '../helpers/cli.js';
import { writeTree } from '../helpers/lint.js';
import { atStart, built, expectNoStackTrace, KERNEL_310, lintJson, scratchDir, spawnCli, TW } from './helpers.js';

const MiB = 1024 * 1024;
const HUNDRED_MB = 100 * 1000 * 1000;
const over = (size: number, limit: number) =>
  `File is ${size} bytes, over the ${limit}-byte limit (raise it with --max-file-size or \`maxFileSize\` in .hostlint.yaml)`;
const TW_MESSAGE = '`net.ipv4.tcp_tw_recycle = 1` with TCP timestamps on makes kernel 3.10.0-1160.el7.x86_64 drop SYNs from clients behind NAT; set it to 0';

const scratch: string[] = [];
afterAll(() => {
  for (const d of scratch) rmSync(d, { recursive: true, force: true });
});

describe('the size limit', () => {
  it('defaults to 8 MiB', () => {
    expect(DEFAULT_MAX_FILE_BYTES).toBe(8 * MiB);
  });

  it('a 100 MB file is named without being read, in a repository and in a snapshot; the rest is linted', async () => {
    const cwd = scratchDir('100mb');
    scratch.push(cwd);
    mkdirSync(path.join(cwd, 'good'));
    writeFileSync(path.join(cwd, '.hostlint.yaml'), KERNEL_310);
    writeFileSync(path.join(cwd, 'good/sysctl.conf'), TW);
    // Sparse files of NUL bytes: were they read, they would be "binary", not "over the limit".
    writeFileSync(path.join(cwd, 'sysctl.conf'), '');
    truncateSync(path.join(cwd, 'sysctl.conf'), HUNDRED_MB);
    for (const d of ['host/etc/sysctl.d', 'host/proc/sys/kernel']) mkdirSync(path.join(cwd, d), { recursive: true });
    writeFileSync(path.join(cwd, 'host/proc/sys/kernel/osrelease'), '3.10.0-1160.el7.x86_64\n');
    writeFileSync(path.join(cwd, 'host/etc/sysctl.d/99-huge.conf'), '');
    truncateSync(path.join(cwd, 'host/etc/sysctl.d/99-huge.conf'), HUNDRED_MB);
    writeFileSync(path.join(cwd, 'host/etc/sysctl.d/10-tw.conf'), TW);
    const started = Date.now();
    const r = await lintJson(cwd);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(r.rows).toEqual([
      { ruleId: 'sysctl-tw-recycle', file: 'good/sysctl.conf', line: 1, column: 27, endLine: 1, endColumn: 28, message: TW_MESSAGE },
      { ruleId: 'sysctl-tw-recycle', file: 'host/etc/sysctl.d/10-tw.conf', line: 1, column: 27, endLine: 1, endColumn: 28, message: TW_MESSAGE },
      atStart('read-error', 'host/etc/sysctl.d/99-huge.conf', over(HUNDRED_MB, 8 * MiB)),
      atStart('read-error', 'sysctl.conf', over(HUNDRED_MB, 8 * MiB)),
    ]);
    expect(r.code).toBe(1);
  });

  it('--max-file-size lowers or raises it; sizes take K, M, G (powers of 1024)', async () => {
    const cwd = writeTree({ '.hostlint.yaml': KERNEL_310, 'sysctl.conf': `# ${'x'.repeat(2000)}\n${TW}` });
    const small = await lintJson(cwd, ['--max-file-size', '1K']);
    expect(small.rows).toEqual([atStart('read-error', 'sysctl.conf', over(2031, 1024))]);
    const big = await lintJson(cwd, ['--max-file-size', '3k']);
    expect(big.rows.map((x) => [x.ruleId, x.line])).toEqual([['sysctl-tw-recycle', 2]]);
    expect(parseByteSize('64M')).toBe(64 * MiB);
    expect(parseByteSize('64MiB')).toBe(64 * MiB);
    expect(parseByteSize('1g')).toBe(1024 * MiB);
    expect(parseByteSize(' 512 KB ')).toBe(512 * 1024);
    expect(parseByteSize('2048')).toBe(2048);
    for (const bad of ['0', '-1', '1.5M', 'M', '10 T', '']) expect(parseByteSize(bad), bad).toBeUndefined();
  });

  it('a bad --max-file-size is a usage error (exit 2)', async () => {
    const r = await runCli(['--max-file-size', '12 parsecs'], { cwd: writeTree({}) });
    expect(r).toEqual({
      code: 2,
      stdout: '',
      stderr: 'hostlint: --max-file-size takes a size of at least one byte: a number of bytes, or e.g. 512K, 64M, 1G\nRun `hostlint --help` for usage.\n',
    });
  });

  it('`maxFileSize` in the configuration sets it; the command line wins', async () => {
    const cwd = writeTree({ '.hostlint.yaml': `${KERNEL_310}maxFileSize: 1K\n`, 'sysctl.conf': `# ${'x'.repeat(2000)}\n${TW}` });
    expect((await lintJson(cwd)).rows).toEqual([atStart('read-error', 'sysctl.conf', over(2031, 1024))]);
    expect((await lintJson(cwd, ['--max-file-size', '4K'])).rows.map((x) => x.ruleId)).toEqual(['sysctl-tw-recycle']);
    const bytes = writeTree({ '.hostlint.yaml': 'maxFileSize: 100\n', 'sysctl.conf': TW.repeat(5) });
    expect((await lintJson(bytes)).rows).toEqual([atStart('read-error', 'sysctl.conf', over(140, 100))]);
  });

  it('an invalid `maxFileSize` is a configuration error naming the key (exit 2)', async () => {
    const r = await runCli([], { cwd: writeTree({ '.hostlint.yaml': 'maxFileSize: lots\n' }) });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^hostlint: configuration error: \.hostlint\.yaml: `maxFileSize` /);
  });

  it('standard input over the limit is named like a file (not read past the limit, so without its size; test/hostile/stdin.test.ts)', async () => {
    const r = await lintJson(writeTree({}), ['--max-file-size', '10', '--stdin', '--stdin-filename', 'etc/sysctl.conf'], { stdin: TW });
    expect(r.rows).toEqual([atStart('read-error', 'etc/sysctl.conf', over(28, 10).replace('is 28 bytes, over', 'is over'))]);
    expect(r.code).toBe(1);
  });
});

describe('large inputs within the limit', () => {
  it.skipIf(!built())(
    'a 1,000,000-line sysctl.conf is linted in bounded time and memory (a child process with a 1 GiB heap)',
    () => {
      const cwd = scratchDir('million');
      scratch.push(cwd);
      const lines: string[] = [];
      for (let i = 1; i < 1_000_000; i++) lines.push(i % 10 === 0 ? `kernel.k${i} = 0` : '#');
      lines.push('net.ipv4.tcp_tw_recycle = 1');
      writeFileSync(path.join(cwd, 'sysctl.conf'), lines.join('\n') + '\n');
      writeFileSync(path.join(cwd, '.hostlint.yaml'), KERNEL_310);
      const started = Date.now();
      // A heap cap the run must stay under: exceeding it kills the process.
      const r = spawnCli(['-f', 'json'], { cwd, nodeArgs: ['--max-old-space-size=1024'], timeout: 120_000 });
      expect(r.signal).toBeNull();
      expectNoStackTrace(r.stderr);
      expect(r.code).toBe(1);
      const results = JSON.parse(r.stdout).results as Array<{ ruleId: string; line: number; column: number }>;
      expect(results.map((x) => [x.ruleId, x.line, x.column])).toEqual([['sysctl-tw-recycle', 1_000_000, 27]]);
      expect(Date.now() - started).toBeLessThan(90_000);
    },
    150_000,
  );

  it('a mapping of 100,000 keys parses in linear time (the duplicate-key check was quadratic: minutes)', async () => {
    const rows = ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: calico-config', 'data:'];
    for (let i = 0; i < 100_000; i++) rows.push(`  key${i}: "v"`);
    rows.push('  key77: "again"');
    const cwd = writeTree({ 'cm.yaml': rows.join('\n') + '\n' });
    const started = Date.now();
    const r = await lintJson(cwd);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(r.rows).toEqual([
      { ruleId: 'parse-error', file: 'cm.yaml', line: 100_006, column: 3, endLine: 100_006, endColumn: 8, message: 'Map keys must be unique' },
    ]);
  }, 60_000);

  it('a snapshot with 100,000 files in sysctl.d is linted in bounded time', async () => {
    const cwd = scratchDir('100k');
    scratch.push(cwd);
    const dir = path.join(cwd, 'node01/etc/sysctl.d');
    mkdirSync(dir, { recursive: true });
    mkdirSync(path.join(cwd, 'node01/proc/sys/kernel'), { recursive: true });
    writeFileSync(path.join(cwd, 'node01/proc/sys/kernel/osrelease'), '3.10.0-1160.el7.x86_64\n');
    for (let i = 0; i < 100_000; i++) writeFileSync(path.join(dir, `${String(i).padStart(6, '0')}.conf`), `vm.k${i} = 1\n`);
    writeFileSync(path.join(dir, '099999.conf'), TW);
    const started = Date.now();
    const r = await lintJson(cwd);
    expect(Date.now() - started).toBeLessThan(120_000);
    expect(r.rows).toEqual([
      { ruleId: 'sysctl-tw-recycle', file: 'node01/etc/sysctl.d/099999.conf', line: 1, column: 27, endLine: 1, endColumn: 28, message: TW_MESSAGE },
    ]);
  }, 240_000);
});
