/**
 * Bad input on standard input (`--stdin`, a PATH of `-`): the bytes are read
 * as a file's are — in chunks, never past the size limit, then refused when
 * they are not UTF-8 text — and get the same read-error, naming the
 * `--stdin-filename`, with the same exit code.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { writeTree } from '../helpers/lint.js';
import { atStart, BIN, built, expectNoStackTrace, KERNEL_310, lintJson, pick, spawnCli, TW, type Row } from './helpers.js';

const KiB = 1024;
const MiB = 1024 * KiB;
const UTF16 = 'File is UTF-16 encoded; the tools that read it expect UTF-8 (or ASCII) text';
const LIMIT_HINT = '(raise it with --max-file-size or `maxFileSize` in .hostlint.yaml)';
const TW_RESULT = {
  ruleId: 'sysctl-tw-recycle',
  message: '`net.ipv4.tcp_tw_recycle = 1` with TCP timestamps on makes kernel 3.10.0-1160.el7.x86_64 drop SYNs from clients behind NAT; set it to 0',
};

/** The same bytes linted as the file `name` and as standard input named `name`. */
async function asFileAndStdin(name: string, bytes: Buffer, args: string[] = []) {
  const fileDir = writeTree({ '.hostlint.yaml': KERNEL_310 });
  mkdirSync(path.dirname(path.join(fileDir, name)), { recursive: true });
  writeFileSync(path.join(fileDir, name), bytes);
  const asFile = await lintJson(fileDir, [...args, name]);
  const asStdin = await lintJson(writeTree({ '.hostlint.yaml': KERNEL_310 }), [...args, '--stdin', '--stdin-filename', name], { stdin: bytes });
  const asDash = await lintJson(writeTree({ '.hostlint.yaml': KERNEL_310 }), [...args, '--stdin-filename', name, '-'], { stdin: bytes });
  expect(asDash.rows).toEqual(asStdin.rows);
  expect(asDash.code).toBe(asStdin.code);
  return { asFile, asStdin };
}

describe('standard input that is not UTF-8 text: the read-error a file gets', () => {
  const cases: Array<[string, string, Buffer, string]> = [
    // An ELF header: `cat /sbin/sysctl | hostlint --stdin ...`.
    ['NUL bytes (an ELF header)', 'sysctl.conf', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00, 0x00]), 'File is a binary file (NUL byte at offset 7), not text'],
    ['a NUL byte after text', 'etc/sysctl.d/90-net.conf', Buffer.concat([Buffer.from(TW), Buffer.from([0x00])]), 'File is a binary file (NUL byte at offset 28), not text'],
    ['UTF-16 without a BOM', 'sysctl.conf', Buffer.from(TW, 'utf16le'), 'File is a binary file (NUL byte at offset 1), not text'],
    ['Latin-1 "é" in a comment', 'resolv.conf', Buffer.concat([Buffer.from('# caf'), Buffer.from([0xe9]), Buffer.from('\nnameserver 10.0.0.1\n')]), 'File is not valid UTF-8 (first bad byte at offset 5)'],
    ['an overlong "/"', 'felix.cfg', Buffer.concat([Buffer.from('[global]\nLogFilePath = '), Buffer.from([0xc0, 0xaf]), Buffer.from('var\n')]), 'File is not valid UTF-8 (first bad byte at offset 23)'],
    ['a truncated 3-byte sequence at the end', 'sysctl.conf', Buffer.concat([Buffer.from(TW), Buffer.from([0xe2, 0x82])]), 'File is not valid UTF-8 (first bad byte at offset 28)'],
    ['UTF-16LE with a BOM', 'sysctl.conf', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(TW, 'utf16le')]), UTF16],
    ['UTF-16BE with a BOM', 'resolv.conf', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('nameserver 10.0.0.1\n', 'utf16le')]).swap16(), UTF16],
  ];
  for (const [what, name, bytes, message] of cases) {
    it(`${what}: read-error naming ${name}, exit 1, as for the file`, async () => {
      const { asFile, asStdin } = await asFileAndStdin(name, bytes);
      expect(asStdin.rows).toEqual([atStart('read-error', name, message)]);
      expect(asFile.rows).toEqual(asStdin.rows);
      expect(asStdin.code).toBe(1);
      expect(asFile.code).toBe(1);
      expect(asStdin.stderr).toBe('');
    });
  }

  it('a UTF-8 BOM is dropped: columns count from the first character after it, as in a file', async () => {
    const { asFile, asStdin } = await asFileAndStdin('sysctl.conf', Buffer.from(`\uFEFF${TW}`));
    expect(asStdin.rows).toEqual([{ ...TW_RESULT, file: 'sysctl.conf', line: 1, column: 27, endLine: 1, endColumn: 28 }]);
    expect(asFile.rows).toEqual(asStdin.rows);
    expect(asStdin.code).toBe(1);
  });

  it('a name hostlint cannot classify is still a usage error when the text is readable (exit 2)', async () => {
    const r = await lintJson(writeTree({}), ['--stdin', '--stdin-filename', 'notes.txt'], { stdin: TW });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('hostlint: cannot tell what kind of file `notes.txt` is; name it like sysctl.conf, sysctl.d/*.conf, resolv.conf, felix.cfg, *.conflist or *.yaml\nRun `hostlint --help` for usage.\n');
  });
});

describe('standard input over the size limit', () => {
  it('64 KiB with --max-file-size 1K: the read-error a 64 KiB file gets, without the size (stdin is not read past the limit)', async () => {
    const bytes = Buffer.from(`# ${'x'.repeat(64 * KiB - 2 - TW.length - 1)}\n${TW}`);
    expect(bytes.length).toBe(64 * KiB);
    const { asFile, asStdin } = await asFileAndStdin('sysctl.conf', bytes, ['--max-file-size', '1K']);
    expect(asFile.rows).toEqual([atStart('read-error', 'sysctl.conf', `File is 65536 bytes, over the 1024-byte limit ${LIMIT_HINT}`)]);
    expect(asStdin.rows).toEqual([atStart('read-error', 'sysctl.conf', `File is over the 1024-byte limit ${LIMIT_HINT}`)]);
    expect(asStdin.code).toBe(asFile.code);
    expect(asStdin.code).toBe(1);
  });

  it('exactly at the limit is read and linted; one byte over is not', async () => {
    const cwd = writeTree({ '.hostlint.yaml': KERNEL_310 });
    const at = await lintJson(cwd, ['--max-file-size', String(TW.length), '--stdin', '--stdin-filename', 'sysctl.conf'], { stdin: TW });
    expect(at.rows).toEqual([{ ...TW_RESULT, file: 'sysctl.conf', line: 1, column: 27, endLine: 1, endColumn: 28 }]);
    const over = await lintJson(cwd, ['--max-file-size', String(TW.length - 1), '--stdin', '--stdin-filename', 'sysctl.conf'], { stdin: TW });
    expect(over.rows).toEqual([atStart('read-error', 'sysctl.conf', `File is over the ${TW.length - 1}-byte limit ${LIMIT_HINT}`)]);
  });

  /** An endless stream of 64 KiB chunks of valid text, counting the chunks taken from it. */
  function endless() {
    const chunk = Buffer.from('#'.repeat(64 * KiB - 1) + '\n');
    const taken = { chunks: 0 };
    const stream = async function* () {
      for (;;) {
        taken.chunks++;
        yield chunk;
      }
    };
    return { stream, taken };
  }

  it('an endless stream: reading stops at the first chunk past the limit (1K: one chunk; 8 MiB default: 129 chunks)', async () => {
    const small = endless();
    const r1 = await lintJson(writeTree({}), ['--max-file-size', '1K', '--stdin', '--stdin-filename', 'sysctl.conf'], { stdin: small.stream });
    expect(r1.rows).toEqual([atStart('read-error', 'sysctl.conf', `File is over the 1024-byte limit ${LIMIT_HINT}`)]);
    expect(r1.code).toBe(1);
    expect(small.taken.chunks).toBe(1);
    const big = endless();
    const r2 = await lintJson(writeTree({}), ['--stdin', '--stdin-filename', 'etc/resolv.conf'], { stdin: big.stream });
    expect(r2.rows).toEqual([atStart('read-error', 'etc/resolv.conf', `File is over the 8388608-byte limit ${LIMIT_HINT}`)]);
    expect(r2.code).toBe(1);
    // 128 chunks are exactly 8 MiB (within the limit); the 129th is past it.
    expect(big.taken.chunks).toBe(8 * MiB / (64 * KiB) + 1);
  });
});

describe.skipIf(!built())('the built CLI reads a real pipe the same way', () => {
  it('NUL bytes and invalid UTF-8 piped in: read-error naming the --stdin-filename, exit 1', () => {
    const cwd = writeTree({});
    const nul = spawnCli(['-f', 'json', '--stdin', '--stdin-filename', 'sysctl.conf'], { cwd, input: Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x00]) });
    expectNoStackTrace(nul.stderr);
    expect((JSON.parse(nul.stdout).results as Row[]).map(pick)).toEqual([atStart('read-error', 'sysctl.conf', 'File is a binary file (NUL byte at offset 5), not text')]);
    expect(nul.code).toBe(1);
    const bad = spawnCli(['-f', 'json', '--stdin-filename', 'resolv.conf', '-'], { cwd, input: Buffer.from([0x6e, 0xff, 0x0a]) });
    expect((JSON.parse(bad.stdout).results as Row[]).map(pick)).toEqual([atStart('read-error', 'resolv.conf', 'File is not valid UTF-8 (first bad byte at offset 1)')]);
    expect(bad.code).toBe(1);
  });

  it('an endless stream piped from a generator: the run ends at the 8 MiB limit with a read-error, exit 1', async () => {
    const cwd = writeTree({});
    const chunk = Buffer.from(TW.repeat(2048));
    let written = 0;
    const source = Readable.from(
      (function* () {
        for (;;) {
          written += chunk.length;
          yield chunk;
        }
      })(),
    );
    const child = spawn(process.execPath, [BIN, '-f', 'json', '--stdin', '--stdin-filename', 'sysctl.conf'], { cwd, env: { ...process.env, NO_COLOR: '1' } });
    child.stdin.on('error', () => {}); // EPIPE once hostlint has stopped reading: expected
    source.pipe(child.stdin);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    source.unpipe();
    source.destroy();
    expectNoStackTrace(stderr);
    expect(stderr).toBe('');
    expect((JSON.parse(stdout).results as Row[]).map(pick)).toEqual([atStart('read-error', 'sysctl.conf', `File is over the 8388608-byte limit ${LIMIT_HINT}`)]);
    expect(code).toBe(1);
    // It read up to the limit, and the stream stopped there (the pipe's and streams' buffers aside).
    expect(written).toBeGreaterThan(8 * MiB);
    expect(written).toBeLessThan(64 * MiB);
  }, 60_000);
});
