/**
 * Terminal escapes and workflow-command injection (issue 13, classes 4 and 5):
 * file content, file names, host names and configuration text reach stdout
 * and stderr with every C0/C1 control, DEL, U+2028/9 and bidirectional control
 * written as `\xHH` / `\uHHHH`; colours are hostlint's only; outside
 * `--format github` no output line begins with `::`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { escapeText, neutralizeOutput } from '../../src/util/escape.js';
import { runCli } from '../helpers/cli.js';
import { writeTree } from '../helpers/lint.js';
import { built, KERNEL_310, spawnCli, TW } from './helpers.js';

// These tests start the real CLI (child processes, worker threads): on a loaded machine that takes seconds.
vi.setConfig({ testTimeout: 120_000 });

// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
// eslint-disable-next-line no-control-regex
const OUR_COLOURS = /\u001b\[[0-9;]*m/g;

/** Nothing but newlines (and, with colours, SGR sequences) as controls; no line starting with `::`. */
function expectSafe(text: string, colours = false): void {
  const checked = colours ? text.replace(OUR_COLOURS, '') : text;
  expect(checked).not.toMatch(RAW_CONTROL);
  expect(text.split('\n').filter((l) => l.startsWith('::'))).toEqual([]);
}

/** Hostile strings: cursor movement and erase, title, hyperlink, clipboard (OSC 52), 8-bit CSI, DEL, bidi, line separator. */
const PAYLOADS = [
  '\u001b[2K\u001b[1A',
  '\u001b]0;pwned\u0007',
  '\u001b]8;;https://evil.example/\u001b\\link\u001b]8;;\u001b\\',
  '\u001b]52;c;Y3VybCBldmlsfHNo\u0007',
  '\u009b2J',
  'a\u007fb',
  '\u202eevil\u202c',
  'x\u2028::error::fake',
];

describe('escapeText', () => {
  it.each([
    ['\u001b[31m', '\\x1b[31m'],
    ['\u009b2J', '\\u009b2J'],
    ['a\u007fb', 'a\\x7fb'],
    ['line\nnext\r', 'line\\x0anext\\x0d'],
    ['tab\there', 'tab\\x09here'],
    ['\u202eabc', '\\u202eabc'],
    ['plain ünïcödé', 'plain ünïcödé'],
  ])('%j → %s', (input, output) => {
    expect(escapeText(input)).toBe(output);
  });

  it('the last line of defence keeps our colours only and breaks `::` at the start of a line', () => {
    expect(neutralizeOutput('\u001b[31merror\u001b[39m\n::warning::x\n', { keepAnsiColors: true })).toBe('\u001b[31merror\u001b[39m\n\\x3a:warning::x\n');
    expect(neutralizeOutput('\u001b[31m\u001b]0;t\u0007')).toBe('\\x1b[31m\\x1b]0;t\\x07');
  });
});

describe('file content in messages (stylish, with and without colour)', () => {
  it.each(PAYLOADS)('resolv.conf option %j', async (payload) => {
    const dir = writeTree({ 'resolv.conf': `options ${payload.replace(/[ \t\n]/g, '_')}\nnameserver 10.0.0.1\n` });
    for (const color of [false, true]) {
      const r = await runCli([color ? '--color' : '--no-color', '.'], { cwd: dir });
      expectSafe(r.stdout, color);
      expectSafe(r.stderr);
      // The option as far as glibc's parser takes it, its controls escaped.
      expect(r.stdout).toMatch(/Unknown option `[^`]*\\(x[0-9a-f]{2}|u[0-9a-f]{4})/);
    }
  });

  it('json and sarif: C1, DEL and bidi controls are \\u escapes, the value is the same', async () => {
    const payload = 'x\u009b2J\u007f\u202e';
    const dir = writeTree({ 'resolv.conf': `options ${payload}\n` });
    for (const f of ['json', 'sarif']) {
      const r = await runCli(['-f', f, '.'], { cwd: dir });
      expectSafe(r.stdout);
      expect(r.stdout).toContain('x\\u009b2J\\u007f\\u202e');
      expect(JSON.stringify(JSON.parse(r.stdout))).toContain(payload);
    }
  });
});

describe('file names and directory names', () => {
  const names = ['evil\u001b[2K\u001b[1A', 'a\n::error file=README.md,line=1::Fake\n::stop-commands::pwn\nz', '::warning::start', 'bidi\u202eexe.', 'c1\u009b31m'];

  it.each(names)('a directory named %j holding a flagged sysctl.conf', async (name) => {
    const dir = writeTree({ '.hostlint.yaml': KERNEL_310 });
    mkdirSync(path.join(dir, name));
    writeFileSync(path.join(dir, name, 'sysctl.conf'), TW);
    for (const args of [['--color'], ['--no-color'], ['-f', 'json'], ['-f', 'sarif']]) {
      const r = await runCli([...args, '.'], { cwd: dir });
      expect(r.code).toBe(1);
      expectSafe(r.stdout, args[0] === '--color');
      expectSafe(r.stderr);
    }
    const plain = await runCli(['--no-color', '.'], { cwd: dir });
    const shown = escapeText(`${name}/sysctl.conf`);
    expect(plain.stdout.split('\n')[1]).toBe(shown.startsWith('::') ? `./${shown}` : shown);
  });

  it('--format github still writes its own workflow commands, with the name escaped as a property', async () => {
    const dir = writeTree({ '.hostlint.yaml': KERNEL_310 });
    mkdirSync(path.join(dir, 'a\n::stop-commands::x'));
    writeFileSync(path.join(dir, 'a\n::stop-commands::x', 'sysctl.conf'), TW);
    const r = await runCli(['-f', 'github', '.'], { cwd: dir });
    const lines = r.stdout.split('\n').filter((l) => l !== '');
    expect(lines.length).toBe(1);
    expect(lines[0]).toMatch(/^::error file=a%0A%3A%3Astop-commands%3A%3Ax\/sysctl\.conf,/);
  });
});

describe('stderr: configuration, baseline and path errors quote untrusted text escaped', () => {
  it.each([
    ['an unknown key with a newline and a workflow command', 'rules:\n  "x\\n::error::pwn\\u001b[2J": error\n'],
    ['an unknown top-level key', '"\\u009b31m\\n::add-mask::x": 1\n'],
    ['a bad glob', 'ignores: ["+(a|b)\\n::warning::x"]\n'],
  ])('%s', async (_name, yaml) => {
    const dir = writeTree({ '.hostlint.yaml': yaml, 'sysctl.conf': TW });
    const r = await runCli(['.'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^hostlint: configuration error: \.hostlint\.yaml: /);
    expect(r.stderr.split('\n').length).toBe(2);
    expectSafe(r.stderr);
  });

  it('a baseline that is not JSON: no byte of it is echoed; a missing path with controls is escaped', async () => {
    const dir = writeTree({ 'base.json': '\u001b]0;pwned\u0007root:x:0:0:root:/root:/bin/bash\n', 'sysctl.conf': TW });
    const r = await runCli(['--baseline', 'base.json', '.'], { cwd: dir });
    expect(r.stderr).toBe('hostlint: baseline base.json is not JSON\nRun `hostlint --help` for usage.\n');
    const m = await runCli(['-f', 'json', 'no\u001b[2Jsuch\n::error::x'], { cwd: dir });
    expect(m.code).toBe(2);
    expect(m.stderr).toContain('no\\x1b[2Jsuch\\x0a::error::x');
    expectSafe(m.stderr);
  });
});

describe.skipIf(!built())('host names in audit (stylish, json)', () => {
  it.each(['db\u001b[31mEVIL\u001b[0m', 'db\u009b2J', '::error::db', 'db\n::warning::x'])('a snapshot named %j', (hostname) => {
    const dir = writeTree({ '.hostlint.yaml': KERNEL_310, [`fleet/${hostname}/etc/sysctl.conf`]: TW, [`fleet/${hostname}/proc/sys/kernel/osrelease`]: '3.10.0-1160.el7.x86_64\n' });
    for (const args of [['--color'], ['--no-color'], ['-f', 'json']]) {
      const r = spawnCli(['audit', '--concurrency', '1', ...args, 'fleet'], { cwd: dir });
      expect(r.code).toBe(1);
      expectSafe(r.stdout, args[0] === '--color');
      expectSafe(r.stderr);
      if (args[0] === '--no-color') expect(r.stdout).toContain(`host ${escapeText(hostname)}`);
    }
  });
});
