/**
 * The pre-commit hooks of .pre-commit-hooks.yaml, installed the way users get
 * them: Debian's pre-commit clones this repository, builds it with npm
 * (`npm install` with devDependencies, whose `prepare` runs tsc, then
 * `npm pack` and a global install of the tarball, on the system node) and runs
 * the hooks in a throwaway git repository with a bad and a good sysctl file, a
 * host snapshot and a .hostlint.yaml. First `pre-commit try-repo` (which
 * installs into a store of its own every time), then `pre-commit run` with a
 * .pre-commit-config.yaml naming the repository and revision, as users
 * configure it (installed once into a temporary PRE_COMMIT_HOME).
 *
 * The checkout is first copied into a fresh git repository (tracked files and
 * untracked ones that are not ignored, committed), so the hooks tested are
 * exactly the working tree, committed or not. Nothing from an earlier run is
 * reused. npm needs the registry (or a warm npm cache, as after `npm ci`).
 *
 * CI installs pre-commit (.ci/run); elsewhere the test is skipped when it is
 * not installed.
 */
import { execFile, execFileSync } from 'node:child_process';
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const checkout = fileURLToPath(new URL('../..', import.meta.url));
const hasPreCommit = (() => {
  try {
    execFileSync('pre-commit', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

const GIT_IDENTITY = {
  GIT_AUTHOR_NAME: 'hostlint test',
  GIT_AUTHOR_EMAIL: 'test@hostlint.invalid',
  GIT_COMMITTER_NAME: 'hostlint test',
  GIT_COMMITTER_EMAIL: 'test@hostlint.invalid',
};

function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...GIT_IDENTITY, ...extra };
  // Not when the suite itself runs inside a git hook.
  for (const k of ['GIT_DIR', 'GIT_INDEX_FILE', 'GIT_WORK_TREE', 'PRE_COMMIT', 'NO_COLOR', 'FORCE_COLOR']) delete env[k];
  return env;
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: cleanEnv({}), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

/** A git repository holding the checkout's working tree as one commit. */
function hookRepository(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'hostlint-hook-repo-'));
  const files = git(checkout, 'ls-files', '-z', '--cached', '--others', '--exclude-standard').split('\0').filter(Boolean);
  for (const rel of files) {
    const from = path.join(checkout, rel);
    if (!existsSync(from) && !isLink(from)) continue; // deleted in the working tree
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    cpSync(from, path.join(dir, rel), { verbatimSymlinks: true });
  }
  git(dir, 'init', '-q');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '--no-verify', '-m', 'hostlint under test');
  return dir;
}

function isLink(p: string): boolean {
  try {
    return lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

const PROJECT: Record<string, string> = {
  // The fact that makes tcp_tw_recycle an error in repository files.
  '.hostlint.yaml': 'facts:\n  kernel: 3.10.0-1160.el7.x86_64\n',
  'etc/sysctl.d/90-bad.conf': '# database tuning\nnet.ipv4.tcp_tw_recycle = 1\n',
  'etc/sysctl.d/10-good.conf': '# database tuning\nnet.ipv4.tcp_tw_recycle = 0\n',
  // A host snapshot with its own kernel release and a Kubernetes node marker.
  'hosts/node01/etc/sysctl.conf': 'net.ipv4.tcp_tw_recycle = 1\n',
  'hosts/node01/etc/sysctl.d/60-cis.conf': 'net.ipv4.ip_forward = 0\n',
  'hosts/node01/proc/sys/kernel/osrelease': '3.10.0-957.el7.x86_64\n',
  'hosts/node01/var/lib/kubelet/config.yaml': 'kind: KubeletConfiguration\napiVersion: kubelet.config.k8s.io/v1beta1\n',
  'README.md': '# not linted\n',
};

function project(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'hostlint-precommit-project-'));
  for (const [rel, text] of Object.entries(PROJECT)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  git(dir, 'init', '-q');
  git(dir, 'add', '-A');
  return dir;
}

interface Run {
  code: number;
  out: string;
}

let hookRepo = '';
let hookRev = '';
let preCommitHome = '';

function preCommit(cwd: string, args: string[], extraEnv: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile(
      'pre-commit',
      args,
      { cwd, env: cleanEnv({ PRE_COMMIT_HOME: preCommitHome, ...extraEnv }), timeout: 540_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        if (code === -1) reject(new Error(`pre-commit did not run: ${error?.message}\n${stdout}\n${stderr}`));
        else resolve({ code, out: stdout + stderr });
      },
    );
  });
}

function tryRepo(cwd: string, hook: string, ...args: string[]): Promise<Run> {
  return preCommit(cwd, ['try-repo', hookRepo, hook, '--color', 'never', ...args]);
}

/** `pre-commit run HOOK ...` in a project whose .pre-commit-config.yaml uses every hook of the repository. */
function run(cwd: string, hook: string, ...args: string[]): Promise<Run> {
  return runWithEnv({}, cwd, hook, ...args);
}

function runWithEnv(env: Record<string, string>, cwd: string, hook: string, ...args: string[]): Promise<Run> {
  const config = ['repos:', `  - repo: ${hookRepo}`, `    rev: ${hookRev}`, '    hooks:', '      - id: hostlint', '      - id: hostlint-fix', '      - id: hostlint-snapshots', '      - id: hostlint-system', ''].join('\n');
  writeFileSync(path.join(cwd, '.pre-commit-config.yaml'), config);
  git(cwd, 'add', '.pre-commit-config.yaml');
  return preCommit(cwd, ['run', hook, '--color', 'never', ...args], env);
}

const TW_PROJECT = '`net.ipv4.tcp_tw_recycle = 1` with TCP timestamps on makes kernel 3.10.0-1160.el7.x86_64 drop SYNs from clients behind NAT; set it to 0  sysctl-tw-recycle';
const TW_SNAPSHOT = '`net.ipv4.tcp_tw_recycle = 1` with TCP timestamps on makes kernel 3.10.0-957.el7.x86_64 drop SYNs from clients behind NAT; set it to 0  sysctl-tw-recycle';

describe.skipIf(!hasPreCommit && !process.env.CI)('pre-commit hooks (pre-commit try-repo)', () => {
  beforeAll(() => {
    hookRepo = hookRepository();
    hookRev = git(hookRepo, 'rev-parse', 'HEAD').trim();
    preCommitHome = mkdtempSync(path.join(tmpdir(), 'hostlint-pre-commit-home-'));
  });

  it('try-repo hostlint: the bad file fails with its finding printed; the good file is not reported', { timeout: 600_000 }, async () => {
    const cwd = project();
    // try-repo installs the hook environment (npm install, tsc, npm pack, npm install -g) into a store of its own.
    const both = await tryRepo(cwd, 'hostlint', '--files', 'etc/sysctl.d/90-bad.conf', 'etc/sysctl.d/10-good.conf');
    expect(both.code, both.out).toBe(1);
    expect(both.out).toMatch(/^hostlint\.+Failed$/m);
    expect(both.out).toContain(`etc/sysctl.d/90-bad.conf\n  2:27  error  ${TW_PROJECT}\n\n✖ 1 problem (1 error, 0 warnings, 0 notes)\n`);
    expect(both.out).not.toContain('10-good.conf');
  });

  it('hostlint: the good file passes; the bad one fails', { timeout: 600_000 }, async () => {
    const cwd = project();
    // The first `run` installs the environment into PRE_COMMIT_HOME; later runs reuse it.
    const good = await run(cwd, 'hostlint', '--files', 'etc/sysctl.d/10-good.conf');
    expect(good.code, good.out).toBe(0);
    expect(good.out).toMatch(/^hostlint\.+Passed$/m);
    const bad = await run(cwd, 'hostlint', '--files', 'etc/sysctl.d/90-bad.conf');
    expect(bad.code, bad.out).toBe(1);
    expect(bad.out).toContain(`etc/sysctl.d/90-bad.conf\n  2:27  error  ${TW_PROJECT}\n`);
  });

  it("hostlint: a file inside a snapshot is linted with the snapshot's facts, and only it is reported", { timeout: 600_000 }, async () => {
    const cwd = project();
    const r = await run(cwd, 'hostlint', '--files', 'hosts/node01/etc/sysctl.conf', 'README.md');
    expect(r.code, r.out).toBe(1);
    expect(r.out).toContain(`hosts/node01/etc/sysctl.conf  (host node01)\n  1:27  error  ${TW_SNAPSHOT}\n\n✖ 1 problem (1 error, 0 warnings, 0 notes)\n`);
    expect(r.out).not.toContain('k8s-ip-forward');
  });

  it('hostlint-snapshots: lints the whole repository once, snapshots with all their files', { timeout: 600_000 }, async () => {
    const cwd = project();
    const r = await run(cwd, 'hostlint-snapshots', '--all-files');
    expect(r.code, r.out).toBe(1);
    expect(r.out).toMatch(/^hostlint \(snapshots and directories\)\.+Failed$/m);
    expect(r.out).toContain(`etc/sysctl.d/90-bad.conf\n  2:27  error  ${TW_PROJECT}\n`);
    expect(r.out).toContain(`hosts/node01/etc/sysctl.conf  (host node01)\n  1:27  error  ${TW_SNAPSHOT}\n`);
    expect(r.out).toContain('hosts/node01/etc/sysctl.d/60-cis.conf  (host node01)\n  1:23  error  `net.ipv4.ip_forward = 0` on a Kubernetes node');
    expect(r.out).toContain('✖ 3 problems (3 errors, 0 warnings, 0 notes)');
  });

  it('hostlint-system: runs the hostlint found on PATH (language: system), nothing installed', { timeout: 600_000 }, async () => {
    const cwd = project();
    // "Installed on the machine": this checkout's built bin/hostlint, first on PATH.
    const bin = mkdtempSync(path.join(tmpdir(), 'hostlint-system-bin-'));
    symlinkSync(path.join(checkout, 'bin', 'hostlint'), path.join(bin, 'hostlint'));
    const env = { PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}` };
    const good = await runWithEnv(env, cwd, 'hostlint-system', '--files', 'etc/sysctl.d/10-good.conf');
    expect(good.code, good.out).toBe(0);
    expect(good.out).toMatch(/^hostlint \(system\)\.+Passed$/m);
    const bad = await runWithEnv(env, cwd, 'hostlint-system', '--files', 'etc/sysctl.d/90-bad.conf', 'README.md');
    expect(bad.code, bad.out).toBe(1);
    expect(bad.out).toMatch(/^hostlint \(system\)\.+Failed$/m);
    expect(bad.out).toContain(`etc/sysctl.d/90-bad.conf\n  2:27  error  ${TW_PROJECT}\n\n✖ 1 problem (1 error, 0 warnings, 0 notes)\n`);
    // Without a hostlint on PATH the hook fails, naming the missing executable.
    const none = await runWithEnv({ PATH: '/usr/bin:/bin' }, cwd, 'hostlint-system', '--files', 'etc/sysctl.d/10-good.conf');
    expect(none.code, none.out).toBe(1);
    expect(none.out).toContain('Executable `hostlint` not found');
  });

  it('hostlint-fix: fixes the bad file, and pre-commit fails because the hook changed it', { timeout: 600_000 }, async () => {
    const cwd = project();
    const r = await run(cwd, 'hostlint-fix', '--files', 'etc/sysctl.d/90-bad.conf', 'etc/sysctl.d/10-good.conf');
    expect(r.code, r.out).toBe(1);
    expect(r.out).toMatch(/^hostlint \(fix\)\.+Failed$/m);
    expect(r.out).toContain('- files were modified by this hook');
    expect(readFileSync(path.join(cwd, 'etc/sysctl.d/90-bad.conf'), 'utf8')).toBe('# database tuning\nnet.ipv4.tcp_tw_recycle = 0\n');
    expect(readFileSync(path.join(cwd, 'etc/sysctl.d/10-good.conf'), 'utf8')).toBe(PROJECT['etc/sysctl.d/10-good.conf']);
  });
});
