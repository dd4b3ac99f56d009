/**
 * The bundled CLI (src/dev/bundle.mjs → dist/hostlint.cjs with its V8 code
 * cache, loaded by bin/load-bundle.cjs): what a user runs must be the same
 * program as the TypeScript build it is made from, start from its code cache,
 * and fail as a crash (exit 2), never as a lint result, when it cannot start.
 *
 * Needs the build (`npm test` builds first); the bundle needs esbuild, a
 * devDependency: without it the build leaves the bundle out on purpose
 * (bin/hostlint then runs dist/src), and these tests are skipped.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, copyFileSync, existsSync, mkdirSync, openSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeTree } from '../helpers/lint.js';
import { built, REPO } from '../hostile/helpers.js';

const BUNDLE = path.join(REPO, 'dist', 'hostlint.cjs');
const require = createRequire(import.meta.url);
const esbuildInstalled = (() => {
  try {
    require.resolve('esbuild');
    return true;
  } catch {
    return false;
  }
})();

type Main = (argv: string[], io: object) => Promise<number>;

async function run(main: Main, argv: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (s: string) => (stdout += s), stderr: (s: string) => (stderr += s), stdin: async () => '', cwd, isTTY: false, env: {} });
  return { code, stdout, stderr };
}

describe.skipIf(!built() || !esbuildInstalled)('the bundled CLI', () => {
  it('is built, with a code cache stamped with its id, which V8 takes', () => {
    expect(existsSync(BUNDLE)).toBe(true);
    const text = readFileSync(BUNDLE, 'utf8');
    const id = /^\/\/ hostlint-bundle ([0-9a-f]{64})\n\(function \(exports, require, module, __filename, __dirname, __hostlintImport\) \{/.exec(text)?.[1];
    expect(id).toBeDefined();
    // All ASCII: bin/load-bundle.cjs reads it as Latin-1.
    expect(Buffer.byteLength(text, 'utf8')).toBe(text.length);
    expect(readFileSync(`${BUNDLE}.cache`).subarray(0, 64).toString('latin1')).toBe(id);
    // In a plain `node`, as bin/hostlint runs it.
    const script = `process.stdout.write(String(require(${JSON.stringify(path.join(REPO, 'bin', 'load-bundle.cjs'))}).loadBundle(${JSON.stringify(BUNDLE)}).cached))`;
    expect(spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' }).stdout).toBe('true');
  });

  it('lints like the TypeScript build: same report, same configuration errors (its validators are precompiled)', async () => {
    const { loadBundle } = require(path.join(REPO, 'bin', 'load-bundle.cjs'));
    const bundled: Main = loadBundle(BUNDLE).main;
    const { main: unbundled } = (await import(path.join(REPO, 'dist', 'src', 'cli', 'main.js'))) as { main: Main };
    const incident = path.join(REPO, 'fixtures', 'examples', 'incident');
    for (const format of ['json', 'sarif', 'stylish']) {
      const a = await run(bundled, ['--format', format, incident], REPO);
      expect(a.code).toBe(1);
      expect(a).toEqual(await run(unbundled, ['--format', format, incident], REPO));
    }
    const configs = [
      'facts:\n  kernel: 3.10.0-1160.el7.x86_64\n  physicalMtu: 1500\n',
      'facts:\n  physicalMtu: 12\n',
      'rules:\n  k8s-search-limits: [warn, { bogus: 1 }]\n',
      'rules:\n  sysctl-tw-recycle: sometimes\n',
      'unknown: 1\n',
    ];
    for (const config of configs) {
      const dir = writeTree({ '.hostlint.yaml': config, 'sysctl.conf': 'net.ipv4.tcp_tw_recycle = 1\n' });
      const a = await run(bundled, ['--format', 'json', 'sysctl.conf'], dir);
      expect(a).toEqual(await run(unbundled, ['--format', 'json', 'sysctl.conf'], dir));
    }
  });

  it('runs the TypeScript build where the build made no bundle', () => {
    const dir = writeTree({ 'sysctl.conf': 'net.ipv4.tcp_tw_recycle = 1\n', '.hostlint.yaml': 'facts:\n  kernel: 3.10.0-1160.el7.x86_64\n' });
    mkdirSync(path.join(dir, 'bin'));
    mkdirSync(path.join(dir, 'dist'));
    for (const f of ['hostlint', 'load-bundle.cjs', 'package.json']) copyFileSync(path.join(REPO, 'bin', f), path.join(dir, 'bin', f));
    symlinkSync(path.join(REPO, 'dist', 'src'), path.join(dir, 'dist', 'src'));
    symlinkSync(path.join(REPO, 'dist', 'rules'), path.join(dir, 'dist', 'rules'));
    const args = ['--format', 'json', 'sysctl.conf'];
    const r = spawnSync(process.execPath, [path.join(dir, 'bin', 'hostlint'), ...args], { cwd: dir, encoding: 'utf8' });
    const b = spawnSync(process.execPath, [path.join(REPO, 'bin', 'hostlint'), ...args], { cwd: dir, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout).results.map((x: { ruleId: string }) => x.ruleId)).toEqual(['sysctl-tw-recycle']);
    expect([r.status, r.stdout, r.stderr]).toEqual([b.status, b.stdout, b.stderr]);
  });

  it('loads no Node module a lint of named files does not use (crypto, child_process, readline, worker_threads, fs/promises, os)', () => {
    const dir = writeTree({
      '.hostlint.yaml': 'facts:\n  kernel: 5.15.0-91-generic\n  kubernetesNode: true\n',
      'sysctl.conf': 'net.ipv4.tcp_tw_recycle = 1\nnet.ipv4.ip_forward = 0\n',
      'resolv.conf': 'nameserver 127.0.0.53\nsearch a b c d e f g\n',
      'calico.yaml': 'apiVersion: operator.tigera.io/v1\nkind: Installation\nmetadata:\n  name: default\nspec:\n  calicoNetwork:\n    mtu: 9000\n',
    });
    /** Node's own modules the bundled CLI loads for `args`, with its exit code and report. */
    const loads = (args: string[]) => {
      const script = `
        const before = new Set(process.moduleLoadList);
        const { main } = require(${JSON.stringify(path.join(REPO, 'bin', 'load-bundle.cjs'))}).loadBundle(${JSON.stringify(BUNDLE)});
        let out = '';
        main(${JSON.stringify(args)}, { stdout: (s) => (out += s), stderr: () => {}, stdin: async () => '', cwd: process.cwd(), isTTY: false, env: {} }).then((code) => {
          const added = process.moduleLoadList.filter((m) => !before.has(m) && m.startsWith('NativeModule ')).map((m) => m.slice('NativeModule '.length));
          process.stdout.write(JSON.stringify({ code, added, out }));
        });`;
      const r = spawnSync(process.execPath, ['-e', script], { cwd: dir, encoding: 'utf8' });
      expect(r.stderr).toBe('');
      return JSON.parse(r.stdout) as { code: number; added: string[]; out: string };
    };
    const heavy = ['crypto', 'child_process', 'readline', 'worker_threads', 'fs/promises', 'os'];
    const named = loads(['--format', 'json', 'sysctl.conf', 'resolv.conf', 'calico.yaml']);
    expect(named.code).toBe(1);
    const results = (JSON.parse(named.out) as { results: Array<{ ruleId: string; fingerprint: string }> }).results;
    expect(results.length).toBeGreaterThan(0);
    for (const r of results) expect(r.fingerprint).toMatch(/^[0-9a-f]{32}$/);
    expect(named.added.filter((m) => heavy.includes(m))).toEqual([]);
    // The probe sees them: walking a directory loads globby, and with it child_process.
    expect(loads(['--format', 'json', '.']).added).toContain('child_process');
  });

  it('writes a report that is not for a terminal (pipe, file, /dev/null) without making Node\'s stdout stream', () => {
    const dir = writeTree({
      '.hostlint.yaml': 'facts:\n  kernel: 5.15.0-91-generic\n  kubernetesNode: true\n',
      'sysctl.conf': 'net.ipv4.tcp_tw_recycle = 1\nnet.ipv4.ip_forward = 0\n',
      'resolv.conf': 'nameserver 127.0.0.53\nsearch a b c d e f g\n',
    });
    // Preloaded into bin/hostlint: at exit, the Node modules loaded after it, into HOSTLINT_TEST_LOADS.
    writeFileSync(
      path.join(dir, 'probe.cjs'),
      `const before = new Set(process.moduleLoadList);
      process.on('exit', () => require('node:fs').writeFileSync(process.env.HOSTLINT_TEST_LOADS, JSON.stringify(process.moduleLoadList.filter((m) => !before.has(m)))));`,
    );
    const loadsFile = path.join(dir, 'loads.json');
    const env = { ...process.env, HOSTLINT_TEST_LOADS: loadsFile };
    delete env.NO_COLOR;
    delete env.FORCE_COLOR;
    const run = (args: string[], stdout: 'pipe' | number) => {
      const r = spawnSync(process.execPath, ['--require', path.join(dir, 'probe.cjs'), path.join(REPO, 'bin', 'hostlint'), ...args], { cwd: dir, encoding: 'utf8', env, stdio: ['ignore', stdout, 'pipe'] });
      return { status: r.status, stdout: r.stdout, stderr: r.stderr, loads: JSON.parse(readFileSync(loadsFile, 'utf8')) as string[] };
    };
    const streams = (loads: string[]) => loads.filter((m) => /^NativeModule (stream|internal\/streams\/|internal\/fs\/sync_write_stream|net$|tty$)/.test(m));
    const args = ['sysctl.conf', 'resolv.conf'];
    // The report, as the unbundled build writes it (stylish, no colour: not a terminal).
    const expected = spawnSync(process.execPath, ['-e', `import(${JSON.stringify(path.join(REPO, 'dist', 'src', 'cli', 'main.js'))}).then(({ main }) => { let out = ''; return main(${JSON.stringify(args)}, { stdout: (s) => (out += s), stderr: () => {}, stdin: async () => '', cwd: process.cwd(), isTTY: false, env: {} }).then((code) => process.stdout.write(JSON.stringify({ code, out }))); })`], { cwd: dir, encoding: 'utf8' });
    const { code, out } = JSON.parse(expected.stdout) as { code: number; out: string };
    expect(code).toBe(1);
    expect(out).toContain('sysctl-removed-key');
    const piped = run(args, 'pipe');
    expect([piped.status, piped.stdout, piped.stderr]).toEqual([1, out, '']);
    expect(streams(piped.loads)).toEqual([]);
    const file = path.join(dir, 'report.txt');
    const fd = openSync(file, 'w');
    try {
      const toFile = run(args, fd);
      expect([toFile.status, toFile.stderr]).toEqual([1, '']);
      expect(streams(toFile.loads)).toEqual([]);
    } finally {
      closeSync(fd);
    }
    expect(readFileSync(file, 'utf8')).toBe(out);
    const devNull = openSync('/dev/null', 'w');
    try {
      const r = run(args, devNull);
      expect([r.status, r.stderr]).toEqual([1, '']);
      expect(streams(r.loads)).toEqual([]);
    } finally {
      closeSync(devNull);
    }
    // The probe sees them: a run that writes to standard error makes its stream.
    expect(streams(run(['--format', 'bogus', 'sysctl.conf'], 'pipe').loads)).not.toEqual([]);
  });

  it('exits 2, not 0 or 1, when it cannot start', () => {
    const dir = writeTree({ 'sysctl.conf': 'net.ipv4.ip_forward = 1\n' });
    mkdirSync(path.join(dir, 'bin'));
    mkdirSync(path.join(dir, 'dist'));
    for (const f of ['hostlint', 'load-bundle.cjs', 'package.json']) copyFileSync(path.join(REPO, 'bin', f), path.join(dir, 'bin', f));
    writeFileSync(path.join(dir, 'dist', 'hostlint.cjs'), 'throw new Error("broken installation");\n');
    const r = spawnSync(process.execPath, [path.join(dir, 'bin', 'hostlint'), 'sysctl.conf'], { cwd: dir, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('hostlint: internal error: broken installation\n');
  });
});
