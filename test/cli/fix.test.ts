/**
 * `--fix` and `--fix-dry-run` from the command line: the incident example is
 * fixed (on a copy) with every byte outside the edited ranges kept and a
 * second run finding nothing fixable; files keep their BOM, line endings,
 * comments, permissions and symlinks; dry runs write nothing and show the
 * fixed text in JSON.
 */
import { chmodSync, cpSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { writeFixedFile } from '../../src/cli/fix-write.js';
import { sourceFile } from '../../src/engine/read.js';
import { runCli } from '../helpers/cli.js';
import { writeTree } from '../helpers/lint.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const KERNEL_310 = 'facts:\n  kernel: 3.10.0-1160.el7.x86_64\n';

function filesUnder(dir: string, base = dir): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const abs = path.join(dir, e.name);
    if (e.isDirectory()) for (const [k, v] of filesUnder(abs, base)) out.set(k, v);
    else out.set(path.relative(base, abs), readFileSync(abs));
  }
  return out;
}

interface JsonOut {
  results: Array<{ ruleId: string; file: string; line: number; fix?: { edits: Array<{ range: [number, number]; text: string }> } }>;
  fixed?: Array<{ file: string; host?: string; output: string }>;
}

describe('--fix on the incident example (a copy)', () => {
  it('fixes the tcp_tw_recycle, ip_forward and MTU lines, keeps every other byte, and a second run finds nothing fixable', async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'hostlint-fix-'));
    cpSync(path.join(repo, 'fixtures/examples/incident'), path.join(cwd, 'incident'), { recursive: true });
    const before = filesUnder(path.join(cwd, 'incident'));

    // What the rules offer, on the original text.
    const planned = JSON.parse((await runCli(['incident', '-f', 'json'], { cwd })).stdout) as JsonOut;
    const edits = new Map<string, { range: [number, number]; text: string }>();
    for (const r of planned.results) if (r.fix) edits.set(r.file.replace(/^incident\//, ''), r.fix.edits[0]!);
    expect([...edits.keys()].sort()).toEqual(['cluster/calico.yaml', 'db01/etc/sysctl.conf', 'node01/etc/sysctl.d/60-cis-hardening.conf']);

    const r = await runCli(['incident', '--fix'], { cwd });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0); // only the resolv.conf warning is left, and it has no fix
    expect(r.stdout).toBe(
      '\nincident/node01/run/systemd/resolve/resolv.conf  (host node01)\n' +
        '  8:8  warning  Pods on this Kubernetes node inherit search domain `corp.example.com` and, with ndots:5, try names against it before resolving them as written  resolv-search-inherited\n' +
        '\n✖ 1 problem (0 errors, 1 warning, 0 notes)\n',
    );

    const after = filesUnder(path.join(cwd, 'incident'));
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    for (const [file, bytes] of before) {
      const fixed = after.get(file)!;
      const e = edits.get(file);
      if (!e) {
        expect(fixed.equals(bytes), `${file} is untouched`).toBe(true);
        continue;
      }
      const [s, t] = e.range;
      const o = bytes.toString('utf8');
      const n = fixed.toString('utf8');
      expect(n.slice(0, s), `${file}: bytes before the edit`).toBe(o.slice(0, s));
      expect(n.slice(s, s + e.text.length)).toBe(e.text);
      expect(n.slice(s + e.text.length), `${file}: bytes after the edit`).toBe(o.slice(t));
    }
    const line = (file: string, n: number) => after.get(file)!.toString('utf8').split('\n')[n - 1];
    expect(line('db01/etc/sysctl.conf', 13)).toBe('net.ipv4.tcp_tw_recycle = 0');
    expect(line('cluster/calico.yaml', 17)).toBe('  veth_mtu: "1480"');
    expect(line('node01/etc/sysctl.d/60-cis-hardening.conf', 5)).toBe('net.ipv4.ip_forward = 1');

    // Re-lint the fixed tree: the fixed problems are gone and nothing is fixable.
    const again = JSON.parse((await runCli(['incident', '--fix-dry-run', '-f', 'json'], { cwd })).stdout) as JsonOut;
    expect(again.fixed).toBeUndefined();
    expect(again.results.map((x) => [x.ruleId, x.file, x.fix ?? null])).toEqual([
      ['resolv-search-inherited', 'incident/node01/run/systemd/resolve/resolv.conf', null],
    ]);
  });
});

describe('--fix keeps what it does not fix', () => {
  it('keeps a BOM, CRLF line endings, comments and the permissions', async () => {
    const text = '\uFEFF# keep this comment\r\nnet.core.somaxconn = 1024\r\n; and this one\r\nnet.ipv4.tcp_tw_recycle = 1\r\nvm.swappiness = 10\r\n';
    const cwd = writeTree({ 'etc/sysctl.conf': text, '.hostlint.yaml': KERNEL_310 });
    const file = path.join(cwd, 'etc/sysctl.conf');
    chmodSync(file, 0o640);
    const r = await runCli(['--fix'], { cwd });
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(readFileSync(file).subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(readFileSync(file, 'utf8')).toBe(text.replace('tcp_tw_recycle = 1', 'tcp_tw_recycle = 0'));
    expect(statSync(file).mode & 0o7777).toBe(0o640);
    expect(readdirSync(path.join(cwd, 'etc'))).toEqual(['sysctl.conf']); // no temporary file left behind
  });

  it('writes through a symlink named on the command line, which stays a symlink', async () => {
    const cwd = writeTree({ 'real/sysctl.conf': 'net.ipv4.tcp_tw_recycle = 1\n', '.hostlint.yaml': KERNEL_310 });
    mkdirSync(path.join(cwd, 'etc'));
    symlinkSync('../real/sysctl.conf', path.join(cwd, 'etc/sysctl.conf'));
    const r = await runCli(['etc/sysctl.conf', '--fix'], { cwd });
    expect(r.code).toBe(0);
    expect(lstatSync(path.join(cwd, 'etc/sysctl.conf')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(path.join(cwd, 'etc/sysctl.conf'))).toBe('../real/sysctl.conf');
    expect(readFileSync(path.join(cwd, 'real/sysctl.conf'), 'utf8')).toBe('net.ipv4.tcp_tw_recycle = 0\n');
  });

  it('refuses to overwrite a file that changed since it was read', () => {
    const cwd = writeTree({ 'sysctl.conf': 'net.ipv4.tcp_tw_recycle = 1\n' });
    const abs = path.join(cwd, 'sysctl.conf');
    const file = sourceFile({ path: 'sysctl.conf', absolutePath: abs, language: 'sysctl', text: 'net.ipv4.tcp_tw_recycle = 1\n' });
    writeFileSync(abs, 'net.ipv4.tcp_tw_recycle = 1\nvm.swappiness = 1\n');
    expect(() => writeFixedFile({ file, original: file.text, output: 'net.ipv4.tcp_tw_recycle = 0\n' })).toThrow(/changed on disk/);
    expect(readFileSync(abs, 'utf8')).toBe('net.ipv4.tcp_tw_recycle = 1\nvm.swappiness = 1\n');
  });
});

describe('--fix-dry-run', () => {
  it('writes nothing, reports what is left, and shows each fixed file in JSON', async () => {
    const text = '# tuning\nnet.ipv4.tcp_tw_recycle = 1\n';
    const cwd = writeTree({ 'sysctl.conf': text, '.hostlint.yaml': KERNEL_310 });
    const r = await runCli(['--fix-dry-run', '-f', 'json'], { cwd });
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as JsonOut & { summary: unknown };
    expect(doc.results).toEqual([]);
    expect(doc.fixed).toEqual([{ file: 'sysctl.conf', output: '# tuning\nnet.ipv4.tcp_tw_recycle = 0\n' }]);
    expect(readFileSync(path.join(cwd, 'sysctl.conf'), 'utf8')).toBe(text);
    // stylish: the problems that would be left (none).
    expect(await runCli(['--fix-dry-run'], { cwd })).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('works on standard input; --fix does not', async () => {
    const cwd = writeTree({ '.hostlint.yaml': KERNEL_310 });
    const stdin = 'net.ipv4.tcp_tw_recycle = 1\n';
    const dry = await runCli(['--stdin', '--stdin-filename', 'etc/sysctl.conf', '--fix-dry-run', '-f', 'json'], { cwd, stdin });
    expect(JSON.parse(dry.stdout).fixed).toEqual([{ file: 'etc/sysctl.conf', output: 'net.ipv4.tcp_tw_recycle = 0\n' }]);
    const fix = await runCli(['--stdin', '--stdin-filename', 'etc/sysctl.conf', '--fix'], { cwd, stdin });
    expect(fix.code).toBe(2);
    expect(fix.stderr).toContain('--fix cannot write to standard input');
  });
});
