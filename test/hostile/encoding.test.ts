/**
 * Bad input, bytes: binary files, invalid UTF-8, UTF-16, BOMs, CRLF and lone
 * CR. Every file that is not text gets a read-error naming it; every other
 * file is still linted; exit 1 (an error result), never a crash.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeTree } from '../helpers/lint.js';
import { atStart, KERNEL_310, lintJson, TW } from './helpers.js';

const TW_RESULT = {
  ruleId: 'sysctl-tw-recycle',
  message: '`net.ipv4.tcp_tw_recycle = 1` with TCP timestamps on makes kernel 3.10.0-1160.el7.x86_64 drop SYNs from clients behind NAT; set it to 0',
};

describe('files that are not UTF-8 text', () => {
  it('a binary file with NUL bytes named sysctl.conf: read-error with the offset, the other files linted, exit 1', async () => {
    const cwd = writeTree({ '.hostlint.yaml': KERNEL_310, 'good/sysctl.conf': TW });
    // An ELF header: what `cp /sbin/sysctl sysctl.conf` leaves behind.
    writeFileSync(path.join(cwd, 'sysctl.conf'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00, 0x00]));
    const r = await lintJson(cwd);
    expect(r.rows).toEqual([
      { ...TW_RESULT, file: 'good/sysctl.conf', line: 1, column: 27, endLine: 1, endColumn: 28 },
      atStart('read-error', 'sysctl.conf', 'File is a binary file (NUL byte at offset 7), not text'),
    ]);
    expect(r.code).toBe(1);
  });

  it('invalid UTF-8 names the first bad byte', async () => {
    const cwd = writeTree({ '.hostlint.yaml': KERNEL_310, 'good/sysctl.conf': TW });
    // Latin-1 "é" (0xE9) in a comment, then an overlong encoding of "/" (0xC0 0xAF).
    writeFileSync(path.join(cwd, 'resolv.conf'), Buffer.concat([Buffer.from('# caf'), Buffer.from([0xe9]), Buffer.from('\nnameserver 10.0.0.1\n')]));
    writeFileSync(path.join(cwd, 'felix.cfg'), Buffer.concat([Buffer.from('[global]\nLogFilePath = '), Buffer.from([0xc0, 0xaf]), Buffer.from('var\n')]));
    const r = await lintJson(cwd);
    expect(r.rows).toEqual([
      atStart('read-error', 'felix.cfg', 'File is not valid UTF-8 (first bad byte at offset 23)'),
      { ...TW_RESULT, file: 'good/sysctl.conf', line: 1, column: 27, endLine: 1, endColumn: 28 },
      atStart('read-error', 'resolv.conf', 'File is not valid UTF-8 (first bad byte at offset 5)'),
    ]);
    expect(r.code).toBe(1);
  });

  it('UTF-16 with a BOM (little and big endian) is named, not guessed at', async () => {
    const cwd = writeTree({ '.hostlint.yaml': KERNEL_310, 'good/sysctl.conf': TW });
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(TW, 'utf16le')]);
    const be = Buffer.from(le);
    be.swap16();
    writeFileSync(path.join(cwd, 'sysctl.conf'), le);
    writeFileSync(path.join(cwd, 'resolv.conf'), be);
    const r = await lintJson(cwd);
    const utf16 = 'File is UTF-16 encoded; the tools that read it expect UTF-8 (or ASCII) text';
    expect(r.rows).toEqual([
      { ...TW_RESULT, file: 'good/sysctl.conf', line: 1, column: 27, endLine: 1, endColumn: 28 },
      atStart('read-error', 'resolv.conf', utf16),
      atStart('read-error', 'sysctl.conf', utf16),
    ]);
    expect(r.code).toBe(1);
  });

  it('UTF-16 without a BOM has NUL bytes: a binary file', async () => {
    const cwd = writeTree({});
    writeFileSync(path.join(cwd, 'sysctl.conf'), Buffer.from(TW, 'utf16le'));
    const r = await lintJson(cwd);
    expect(r.rows).toEqual([atStart('read-error', 'sysctl.conf', 'File is a binary file (NUL byte at offset 1), not text')]);
  });

  it('a UTF-8 BOM is dropped: columns count from the first character after it', async () => {
    const cwd = writeTree({ '.hostlint.yaml': KERNEL_310, 'sysctl.conf': `\uFEFF${TW}` });
    const r = await lintJson(cwd);
    expect(r.rows).toEqual([{ ...TW_RESULT, file: 'sysctl.conf', line: 1, column: 27, endLine: 1, endColumn: 28 }]);
  });
});

describe('line terminators', () => {
  const FACTS = `${KERNEL_310}  kubernetesNode: true\n`;
  const IP_FORWARD = '`net.ipv4.ip_forward = 0` on a Kubernetes node: pod and Service traffic cannot be routed; set it to 1';

  for (const [name, eol] of [
    ['CRLF', '\r\n'],
    ['lone CR', '\r'],
    ['mixed LF, CRLF and CR', undefined],
  ] as const) {
    it(`${name}: exact positions, and fixes that touch only the value`, async () => {
      const lines = ['# tuning', 'net.ipv4.tcp_tw_recycle = 1', 'net.ipv4.ip_forward = 0', ''];
      const text = eol ? lines.join(eol) : `${lines[0]}\n${lines[1]}\r\n${lines[2]}\r`;
      const cwd = writeTree({ '.hostlint.yaml': FACTS, 'sysctl.conf': text });
      const r = await runJsonWithFixes(cwd);
      expect(r.rows).toEqual([
        { ...TW_RESULT, file: 'sysctl.conf', line: 2, column: 27, endLine: 2, endColumn: 28 },
        { ruleId: 'k8s-ip-forward', message: IP_FORWARD, file: 'sysctl.conf', line: 3, column: 23, endLine: 3, endColumn: 24 },
      ]);
      // Each fix replaces exactly the flagged value; the terminators are untouched.
      for (const fix of r.fixes) {
        expect(fix.edits).toHaveLength(1);
        const [s, e] = fix.edits[0]!.range;
        expect(text.slice(s, e)).toMatch(/^[01]$/);
      }
      expect(r.code).toBe(1);
      // --fix writes the file with its terminators as they were.
      const { runCli } = await import('../helpers/cli.js');
      await runCli(['--fix'], { cwd });
      const fixed = readFileSync(path.join(cwd, 'sysctl.conf'), 'utf8');
      expect(fixed).toBe(text.replace('tw_recycle = 1', 'tw_recycle = 0').replace('ip_forward = 0', 'ip_forward = 1'));
    });
  }

  it('a resolv.conf with CRLF: the words do not swallow the CR', async () => {
    const cwd = writeTree({ 'resolv.conf': 'nameserver 10.0.0.1\r\nsearch corp.example.com\r\noptions ndots:5 bogus:1\r\n' });
    const r = await lintJson(cwd);
    for (const row of r.rows) expect(row.message).not.toContain('\r');
    expect(r.rows.every((row) => row.endLine === row.line)).toBe(true);
  });
});

async function runJsonWithFixes(cwd: string) {
  const r = await lintJson(cwd);
  const doc = JSON.parse(r.stdout) as { results: Array<{ fix?: { edits: Array<{ range: [number, number]; text: string }> } }> };
  return { ...r, fixes: doc.results.flatMap((x) => (x.fix ? [x.fix] : [])) };
}
