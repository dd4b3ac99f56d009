/**
 * Which files `hostlint [lint]` looks at under a directory: a walk with globby
 * that honours .gitignore files (nested ones, and the enclosing repository's
 * above the directory, as git does), the configuration's `ignores` and
 * `--ignore-pattern` (repeatable); `--no-ignore` turns all three off. VCS
 * folders and node_modules are never walked. A file named on the command line
 * that an ignore pattern matches gets ESLint's warning instead of silence.
 * `audit` takes what it is given: .gitignore does not hide snapshots there,
 * `--ignore-pattern` does.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { writeTree } from '../helpers/lint.js';

const KERNEL_310 = 'facts:\n  kernel: 3.10.0-1160.el7.x86_64\n';
const TW = 'net.ipv4.tcp_tw_recycle = 1\n';
const TW_MESSAGE = '`net.ipv4.tcp_tw_recycle = 1` with TCP timestamps on makes kernel 3.10.0-1160.el7.x86_64 drop SYNs from clients behind NAT; set it to 0';
const IGNORED = 'File ignored because of a matching ignore pattern. Use "--no-ignore" to override.';

function gitInit(dir: string): void {
  execFileSync('git', ['init', '-q', dir], { env: { ...process.env, GIT_DIR: undefined, GIT_WORK_TREE: undefined } as NodeJS.ProcessEnv });
}

/** [ruleId, file, line, message] of each result, with the exit code. */
async function lint(cwd: string, args: string[]): Promise<{ code: number; rows: Array<[string, string, number, string]>; stderr: string }> {
  const r = await runCli(['-f', 'json', ...args], { cwd });
  const rows = r.stdout ? JSON.parse(r.stdout).results.map((x: { ruleId: string; file: string; line: number; message: string }) => [x.ruleId, x.file, x.line, x.message]) : [];
  return { code: r.code, rows, stderr: r.stderr };
}

describe('.gitignore', () => {
  // A repository whose build/ output (ignored) holds a bad sysctl.conf; a nested
  // .gitignore in hosts/ ignores a local scratch file.
  const repo = writeTree({
    '.hostlint.yaml': KERNEL_310,
    '.gitignore': '# build output\nbuild/\n*.local.conf\n',
    'build/sysctl.conf': TW,
    'hosts/web/sysctl.conf': 'net.ipv4.ip_forward = 1\n',
    'hosts/web/sysctl.d/99-scratch.local.conf': TW,
    'hosts/.gitignore': 'db/scratch/\n',
    'hosts/db/scratch/sysctl.conf': TW,
    'hosts/db/sysctl.conf': 'net.ipv4.tcp_timestamps = 1\n',
  });
  gitInit(repo);

  it('a .gitignored build/ with a bad sysctl.conf reports nothing', async () => {
    expect(await runCli([], { cwd: repo })).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(await lint(repo, ['.'])).toEqual({ code: 0, rows: [], stderr: '' });
  });

  it('--no-ignore reports it, and what the nested .gitignore and the *.local.conf pattern hid', async () => {
    expect(await lint(repo, ['--no-ignore'])).toEqual({
      code: 1,
      rows: [
        ['sysctl-tw-recycle', 'build/sysctl.conf', 1, TW_MESSAGE],
        ['sysctl-tw-recycle', 'hosts/db/scratch/sysctl.conf', 1, TW_MESSAGE],
        ['sysctl-tw-recycle', 'hosts/web/sysctl.d/99-scratch.local.conf', 1, TW_MESSAGE],
      ],
      stderr: '',
    });
  });

  it("a subdirectory is walked with the enclosing repository's .gitignore files", async () => {
    expect(await lint(repo, ['hosts'])).toEqual({ code: 0, rows: [], stderr: '' });
    expect(await lint(path.join(repo, 'hosts'), ['.'])).toEqual({ code: 0, rows: [], stderr: '' });
    // Everything under build/ is ignored: nothing to lint there.
    expect((await runCli(['build'], { cwd: repo })).code).toBe(2);
  });

  it('a file named on the command line is linted even when .gitignore matches it (as `git add -f`)', async () => {
    expect(await lint(repo, ['build/sysctl.conf'])).toEqual({ code: 1, rows: [['sysctl-tw-recycle', 'build/sysctl.conf', 1, TW_MESSAGE]], stderr: '' });
  });

  it('outside a git repository, a .gitignore in the directory still applies', async () => {
    const cwd = writeTree({ '.hostlint.yaml': KERNEL_310, '.gitignore': 'vendor/\n', 'vendor/sysctl.conf': TW, 'sysctl.conf': TW });
    expect(await lint(cwd, [])).toEqual({ code: 1, rows: [['sysctl-tw-recycle', 'sysctl.conf', 1, TW_MESSAGE]], stderr: '' });
  });

  it('a negated pattern re-includes a file', async () => {
    const cwd = writeTree({ '.hostlint.yaml': KERNEL_310, '.gitignore': 'sysctl.d/*\n!sysctl.d/10-keep.conf\n', 'sysctl.d/10-keep.conf': TW, 'sysctl.d/20-drop.conf': TW });
    expect(await lint(cwd, [])).toEqual({ code: 1, rows: [['sysctl-tw-recycle', 'sysctl.d/10-keep.conf', 1, TW_MESSAGE]], stderr: '' });
  });

  it('a .gitignore that is a FIFO is never opened (no hang); one over 1 MiB is named, not applied', async () => {
    const cwd = writeTree({ '.hostlint.yaml': KERNEL_310, 'sysctl.conf': TW });
    if (spawnSync('mkfifo', [path.join(cwd, '.gitignore')]).status === 0) {
      // The search for ignore files lists regular files only.
      expect(await lint(cwd, [])).toEqual({ code: 1, rows: [['sysctl-tw-recycle', 'sysctl.conf', 1, TW_MESSAGE]], stderr: '' });
    }
    const big = writeTree({ '.hostlint.yaml': KERNEL_310, 'sysctl.conf': TW, '.gitignore': `sysctl.conf\n${'#'.repeat(1024 * 1024)}\n` });
    expect(await lint(big, [])).toEqual({
      code: 1,
      rows: [
        ['read-error', '.gitignore', 1, 'Ignore file is over the 1048576-byte limit for ignore files; its patterns are not applied'],
        ['sysctl-tw-recycle', 'sysctl.conf', 1, TW_MESSAGE],
      ],
      stderr: '',
    });
  });
});

describe('--ignore-pattern, configuration ignores, --no-ignore', () => {
  const cwd = writeTree({
    '.hostlint.yaml': `${KERNEL_310}ignores: ["vendor/**"]\n`,
    'vendor/sysctl.conf': TW,
    'old/sysctl.conf': TW,
    'tmp/sysctl.d/10-tw.conf': TW,
    'etc/sysctl.conf': TW,
  });
  const ETC: [string, string, number, string] = ['sysctl-tw-recycle', 'etc/sysctl.conf', 1, TW_MESSAGE];
  const OLD: [string, string, number, string] = ['sysctl-tw-recycle', 'old/sysctl.conf', 1, TW_MESSAGE];
  const TMP: [string, string, number, string] = ['sysctl-tw-recycle', 'tmp/sysctl.d/10-tw.conf', 1, TW_MESSAGE];
  const VENDOR: [string, string, number, string] = ['sysctl-tw-recycle', 'vendor/sysctl.conf', 1, TW_MESSAGE];

  it('the configuration ignores vendor/; --ignore-pattern (repeatable, relative to the working directory) adds to it', async () => {
    expect((await lint(cwd, [])).rows).toEqual([ETC, OLD, TMP]);
    expect((await lint(cwd, ['--ignore-pattern', 'old'])).rows).toEqual([ETC, TMP]);
    expect((await lint(cwd, ['--ignore-pattern', 'old/', '--ignore-pattern', '**/10-*.conf'])).rows).toEqual([ETC]);
  });

  it('--no-ignore lints everything, --ignore-pattern included', async () => {
    expect((await lint(cwd, ['--no-ignore', '--ignore-pattern', 'old'])).rows).toEqual([ETC, OLD, TMP, VENDOR]);
  });

  it('a file named on the command line that an ignore pattern matches gets a warning, not silence', async () => {
    const r = await runCli(['vendor/sysctl.conf', 'old/sysctl.conf', 'etc/sysctl.conf', '--ignore-pattern', 'old/**'], { cwd });
    expect(r.stdout).toBe(
      [
        '',
        'etc/sysctl.conf',
        `  1:27  error  ${TW_MESSAGE}  sysctl-tw-recycle`,
        '',
        'old/sysctl.conf',
        '  1:1  warning  File ignored because of a matching ignore pattern. Use "--no-ignore" to override  ignored-file',
        '',
        'vendor/sysctl.conf',
        '  1:1  warning  File ignored because of a matching ignore pattern. Use "--no-ignore" to override  ignored-file',
        '',
        '✖ 3 problems (1 error, 2 warnings, 0 notes)',
        '',
      ].join('\n'),
    );
    expect(r.code).toBe(1);
    expect(await lint(cwd, ['vendor/sysctl.conf'])).toEqual({ code: 0, rows: [['ignored-file', 'vendor/sysctl.conf', 1, IGNORED]], stderr: '' });
    expect(await lint(cwd, ['vendor/sysctl.conf', '--no-ignore'])).toEqual({ code: 1, rows: [VENDOR], stderr: '' });
  });

  it('a negated or empty --ignore-pattern is a usage error', async () => {
    expect(await runCli(['--ignore-pattern', '!old'], { cwd })).toEqual({
      code: 2,
      stdout: '',
      stderr: 'hostlint: --ignore-pattern takes a glob of files to leave out (not empty, not negated with !): "!old"\nRun `hostlint --help` for usage.\n',
    });
  });
});

describe('folders never walked', () => {
  it('.git, .hg, .svn and node_modules, even with --no-ignore', async () => {
    const cwd = writeTree({
      '.hostlint.yaml': KERNEL_310,
      '.git/sysctl.conf': TW,
      '.hg/sysctl.conf': TW,
      '.svn/sysctl.conf': TW,
      'node_modules/pkg/sysctl.conf': TW,
      'a/node_modules/sysctl.conf': TW,
      '.config/sysctl.conf': TW,
    });
    const only: [string, string, number, string] = ['sysctl-tw-recycle', '.config/sysctl.conf', 1, TW_MESSAGE];
    expect((await lint(cwd, [])).rows).toEqual([only]);
    expect((await lint(cwd, ['--no-ignore'])).rows).toEqual([only]);
  });
});

describe('snapshots', () => {
  const SNAP = { 'etc/sysctl.conf': TW, 'proc/sys/kernel/osrelease': '3.10.0-1160.el7.x86_64\n' };
  const files: Record<string, string> = { '.gitignore': 'fleet/\n' };
  for (const [k, v] of Object.entries(SNAP)) {
    files[`fleet/db01/${k}`] = v;
    files[`fleet/db02/${k}`] = v;
  }
  const cwd = writeTree(files);
  mkdirSync(path.join(cwd, 'cluster'));
  writeFileSync(path.join(cwd, 'cluster/resolv.conf'), 'nameserver 10.0.0.10\n');

  it('lint: a .gitignored snapshot is not linted', async () => {
    expect(await lint(cwd, [])).toEqual({ code: 0, rows: [], stderr: '' });
  });

  it('audit takes what it is given: .gitignore does not hide snapshots; --ignore-pattern does', async () => {
    const hosts = async (args: string[]) => {
      const r = await runCli(['audit', '--concurrency', '1', '-f', 'json', ...args], { cwd });
      return [r.code, JSON.parse(r.stdout).hosts.map((h: { host: string }) => h.host)];
    };
    expect(await hosts(['.'])).toEqual([1, ['db01', 'db02']]);
    expect(await hosts(['--ignore-pattern', 'fleet/db02', '.'])).toEqual([1, ['db01']]);
    expect(await hosts(['--ignore-pattern', 'fleet/db02', '--no-ignore', '.'])).toEqual([1, ['db01', 'db02']]);
    expect(await runCli(['audit', '--concurrency', '1', '--ignore-pattern', 'fleet', '.'], { cwd })).toEqual({
      code: 2,
      stdout: '',
      stderr: 'hostlint audit: no host snapshot under .: a snapshot is a directory holding etc/ and one of proc/, sys/, sos_commands/, or a .tar.gz, .tgz or .tar.xz of one (--pass-on-no-files exits 0)\n',
    });
  });
});
