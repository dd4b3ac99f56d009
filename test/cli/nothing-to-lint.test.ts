/**
 * A run that lints nothing says so (ESLint 9: "No files matching the pattern
 * … were found", exit 2): a directory argument under which hostlint finds
 * nothing it reads exits 2 with one line naming the path and what hostlint
 * reads; `audit` that finds no host snapshot likewise. `--pass-on-no-files`
 * turns both into exit 0. Files named explicitly that hostlint does not read
 * (pre-commit passes every changed *.yaml) are skipped quietly, exit 0. JSON
 * `summary.files` counts the files linted, with or without results.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { writeTree } from '../helpers/lint.js';

const READS = 'hostlint reads sysctl.conf, sysctl.d/*.conf, resolv.conf, felix.cfg, *.conflist, Kubernetes YAML (*.yaml with apiVersion or kind) and host snapshots (--pass-on-no-files exits 0)';
const nothing = (p: string) => `hostlint: nothing to lint under ${p}: ${READS}\n`;
const NO_SNAPSHOT = ': a snapshot is a directory holding etc/ and one of proc/, sys/, sos_commands/, or a .tar.gz, .tgz or .tar.xz of one (--pass-on-no-files exits 0)\n';

describe('nothing to lint', () => {
  const cwd = writeTree({
    'docs/README.md': '# notes\n',
    'docs/values.yaml': 'replicaCount: 1\n',
    'hosts/etc/sysctl.conf': 'net.ipv4.ip_forward = 1\n',
  });
  mkdirSync(path.join(cwd, 'empty'));

  it('an empty folder exits 2 with one line naming it; no report', async () => {
    expect(await runCli(['empty'], { cwd })).toEqual({ code: 2, stdout: '', stderr: nothing('empty') });
    expect(await runCli(['lint', 'empty', '-f', 'json'], { cwd })).toEqual({ code: 2, stdout: '', stderr: nothing('empty') });
  });

  it('so does the working directory when it holds nothing hostlint reads (the default path)', async () => {
    expect(await runCli([], { cwd: path.join(cwd, 'empty') })).toEqual({ code: 2, stdout: '', stderr: nothing('.') });
  });

  it('a folder of other files (YAML without apiVersion or kind, Markdown) too', async () => {
    expect(await runCli(['docs'], { cwd })).toEqual({ code: 2, stdout: '', stderr: nothing('docs') });
  });

  it('every such argument is named, even when another one has files', async () => {
    expect(await runCli(['empty', 'hosts', 'docs'], { cwd })).toEqual({ code: 2, stdout: '', stderr: nothing('empty') + nothing('docs') });
  });

  it('--pass-on-no-files exits 0 with the (empty) report', async () => {
    expect(await runCli(['empty', '--pass-on-no-files'], { cwd })).toEqual({ code: 0, stdout: '', stderr: '' });
    const r = await runCli(['empty', 'docs', '--pass-on-no-files', '-f', 'json'], { cwd });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toMatchObject({ summary: { files: 0, errorCount: 0, warningCount: 0, noteCount: 0 }, results: [] });
  });

  it('files named explicitly that hostlint does not read are skipped quietly, exit 0', async () => {
    expect(await runCli(['docs/values.yaml', 'docs/README.md'], { cwd })).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('a folder with a file hostlint reads is linted as before', async () => {
    expect(await runCli(['hosts'], { cwd })).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('audit without a host snapshot exits 2 with one line; --pass-on-no-files exits 0', async () => {
    expect(await runCli(['audit', '--concurrency', '1', 'docs', 'hosts'], { cwd })).toEqual({ code: 2, stdout: '', stderr: `hostlint audit: no host snapshot under docs, hosts${NO_SNAPSHOT}` });
    expect(await runCli(['audit', '--concurrency', '1', '-f', 'json', 'empty'], { cwd })).toEqual({ code: 2, stdout: '', stderr: `hostlint audit: no host snapshot under empty${NO_SNAPSHOT}` });
    const r = await runCli(['audit', '--concurrency', '1', '--pass-on-no-files', '-f', 'json', 'empty'], { cwd });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout).summary).toEqual({ files: 0, errorCount: 0, warningCount: 0, noteCount: 0, hosts: 0, hostsWithErrors: 0 });
  });

  it('control characters in the path are escaped in the line', async () => {
    const dir = writeTree({});
    mkdirSync(path.join(dir, 'a\u001b[31mb'));
    expect((await runCli(['a\u001b[31mb'], { cwd: dir })).stderr).toBe(nothing('a\\x1b[31mb'));
  });
});

describe('JSON summary.files', () => {
  it('counts every file linted, with or without results', async () => {
    const cwd = writeTree({
      'etc/sysctl.conf': 'net.ipv4.tcp_tw_recycle = 1\n',
      'etc/sysctl.d/10-ok.conf': 'vm.swappiness = 10\n',
      'etc/resolv.conf': 'nameserver 10.0.0.1\n',
      'notes.txt': 'not read\n',
    });
    const r = await runCli(['-f', 'json', '.'], { cwd });
    const doc = JSON.parse(r.stdout);
    expect(doc.results.map((x: { ruleId: string; file: string }) => [x.ruleId, x.file])).toEqual([['sysctl-tw-recycle', 'etc/sysctl.conf']]);
    expect(doc.summary).toEqual({ files: 3, errorCount: 0, warningCount: 1, noteCount: 0 });
  });
});
