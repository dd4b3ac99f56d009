/**
 * The package as users get it: `npm pack` (of the build `npm test` made),
 * then, in a fresh project in the test's temp root, `npm install <tarball>`
 * with no network (`--offline`: the dependencies come from npm's cache, which
 * the `npm ci` before the tests filled). A script there imports `lint` from
 * 'hostlint' and lints a copy of the incident example; a TypeScript consumer
 * type-checks against the package's declarations (the repository's tsc).
 *
 * Where npm's cache cannot serve the dependencies, the tarball is unpacked
 * into the project by hand with the repository's node_modules linked beside
 * it (the package itself is still the packed one); the test says so.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const built = existsSync(path.join(repo, 'dist/src/api.js')) && existsSync(path.join(repo, 'dist/src/api.d.ts'));

function run(cmd: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  // npm_config_* of the `npm test` that started vitest must not leak into these npm runs.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.toLowerCase().startsWith('npm_config_')));
  return spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' }, timeout: 600_000 });
}

describe.skipIf(!built)('the packed package', () => {
  let project = '';
  beforeAll(() => {
    const work = mkdtempSync(path.join(tmpdir(), 'hostlint-pack-'));
    const pack = run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], repo);
    expect(pack.status, pack.stderr).toBe(0);
    const [{ filename }] = JSON.parse(pack.stdout) as Array<{ filename: string }>;
    const tarball = path.join(work, filename);
    project = path.join(work, 'project');
    mkdirSync(project);
    writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'module' }));
    const install = run('npm', ['install', '--offline', '--ignore-scripts', '--omit=dev', '--no-package-lock', '--no-audit', '--no-fund', tarball], project);
    if (install.status !== 0) {
      console.warn(`npm install --offline failed (${install.stderr.trim().split('\n').pop()}); unpacking the tarball beside the repository's node_modules instead`);
      const modules = path.join(project, 'node_modules');
      mkdirSync(path.join(modules, 'hostlint'), { recursive: true });
      const untar = run('tar', ['-xzf', tarball, '-C', path.join(modules, 'hostlint'), '--strip-components=1'], project);
      expect(untar.status, untar.stderr).toBe(0);
      for (const name of readdirSync(path.join(repo, 'node_modules'))) {
        if (name === 'hostlint' || name.startsWith('.')) continue;
        symlinkSync(path.join(repo, 'node_modules', name), path.join(modules, name));
      }
    }
    cpSync(path.join(repo, 'fixtures/examples/incident'), path.join(project, 'incident'), { recursive: true });
  }, 900_000);

  it("`import { lint } from 'hostlint'` lints the incident example: its four findings", () => {
    // The installed copy, not the repository: resolved from the project.
    writeFileSync(
      path.join(project, 'check.mjs'),
      [
        "import { lint, rules } from 'hostlint';",
        "import { createRequire } from 'node:module';",
        "const where = createRequire(import.meta.url).resolve('hostlint/package.json');",
        "const report = await lint({ cwd: process.cwd(), paths: ['incident'] });",
        'console.log(JSON.stringify({ where, rules: rules.length, summary: report.summary, results: report.results.map((r) => [r.ruleId, r.severity, r.file, r.line, r.column, r.endLine, r.endColumn, r.message]) }));',
      ].join('\n'),
    );
    const r = run(process.execPath, ['check.mjs'], project);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { where: string; rules: number; summary: unknown; results: unknown[] };
    expect(out.where).toBe(path.join(project, 'node_modules/hostlint/package.json'));
    expect(out.rules).toBeGreaterThan(30);
    expect(out.summary).toEqual({ files: 22, errorCount: 2, warningCount: 2, noteCount: 0 });
    expect(out.results).toEqual([
      ['calico-mtu-mismatch', 'warning', 'incident/cluster/calico.yaml', 17, 13, 17, 19, 'Calico MTU 1430 (veth_mtu in ConfigMap calico-config) is below 1480: physical MTU 1500 minus 20 bytes of IP-in-IP; set it to 1480'],
      ['sysctl-tw-recycle', 'error', 'incident/db01/etc/sysctl.conf', 13, 27, 13, 28, '`net.ipv4.tcp_tw_recycle = 1` with TCP timestamps on makes kernel 3.10.0-1160.el7.x86_64 drop SYNs from clients behind NAT; set it to 0'],
      ['k8s-ip-forward', 'error', 'incident/node01/etc/sysctl.d/60-cis-hardening.conf', 5, 23, 5, 24, '`net.ipv4.ip_forward = 0` on a Kubernetes node: pod and Service traffic cannot be routed; set it to 1'],
      ['resolv-search-inherited', 'warning', 'incident/node01/run/systemd/resolve/resolv.conf', 8, 8, 8, 24, 'Pods on this Kubernetes node inherit search domain `corp.example.com` and, with ndots:5, try names against it before resolving them as written'],
    ]);
  });

  it('the installed bin/hostlint runs', () => {
    const r = run(process.execPath, [path.join(project, 'node_modules/hostlint/bin/hostlint'), 'incident', '--format', 'json'], project);
    expect(r.status).toBe(1);
    expect((JSON.parse(r.stdout) as { summary: unknown }).summary).toEqual({ files: 22, errorCount: 2, warningCount: 2, noteCount: 0 });
  });

  it("TypeScript resolves the package's types", () => {
    writeFileSync(
      path.join(project, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: true, types: [] }, files: ['consumer.ts'] }),
    );
    writeFileSync(
      path.join(project, 'consumer.ts'),
      [
        "import { audit, lint, rules, ConfigError, UsageError, type JsonReport, type LintOptions } from 'hostlint';",
        "const options: LintOptions = { cwd: '.', paths: ['incident'], config: { facts: { kernel: '5.15.0' } }, rules: { 'k8s-search-limits': 'warn' } };",
        'const report: JsonReport = await lint(options);',
        'const first: string | undefined = report.results[0]?.ruleId;',
        'const line: number | undefined = report.results[0]?.line;',
        'const ids: string[] = rules.map((r) => r.id);',
        'const hosts: number = (await audit({ paths: ["fleet"], concurrency: 1 })).summary.hosts;',
        '// @ts-expect-error paths are strings',
        'await lint({ paths: [1] });',
        '// @ts-expect-error no such option',
        'await lint({ colour: true });',
        'export { first, line, ids, hosts, ConfigError, UsageError };',
      ].join('\n'),
    );
    const r = run(process.execPath, [path.join(repo, 'node_modules/typescript/bin/tsc'), '-p', project], project);
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
