/**
 * The recipes for running sharded audits on real engines, exercised here:
 * the Kubernetes Indexed Job and merge Job of examples/kubernetes/ and the
 * GitHub Actions matrix workflow of examples/github/. Each test reads the
 * files with `yaml`, takes the command lines they run and runs them on this
 * machine the way the engine would (N processes with JOB_COMPLETION_INDEX set;
 * one per matrix entry, then the merge), with the volumes (or the checkout)
 * replaced by temporary directories holding the example fleet, and checks the
 * merged report against an unsharded audit of the same fleet.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, parseAllDocuments } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const tmp = mkdtempSync(path.join(tmpdir(), 'hostlint-recipes-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A directory with a `hostlint` on PATH that runs this checkout's build. */
function binDir(): string {
  const bin = path.join(tmp, 'bin');
  if (!existsSync(bin)) {
    mkdirSync(bin);
    writeFileSync(path.join(bin, 'hostlint'), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(path.join(repo, 'bin/hostlint'))} "$@"\n`);
    chmodSync(path.join(bin, 'hostlint'), 0o755);
  }
  return bin;
}

function copyFleet(to: string): void {
  cpSync(path.join(repo, 'fixtures/examples/fleet'), to, { recursive: true, verbatimSymlinks: true });
}

function run(shell: string, script: string, cwd: string, env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(shell, ['-c', script], { cwd, env: { PATH: `${binDir()}:${process.env.PATH}`, CI: 'true', ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

function audit(args: string[], cwd: string): string {
  const r = spawnSync(process.execPath, [path.join(repo, 'bin/hostlint'), 'audit', ...args], { cwd, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
  expect(r.status).toBe(1);
  return r.stdout;
}

describe('examples/kubernetes: Indexed Job and merge Job', () => {
  const dir = path.join(repo, 'examples/kubernetes');
  const [job] = parseAllDocuments(readFileSync(path.join(dir, 'audit-job.yaml'), 'utf8')).map((d) => d.toJS());
  const [merge] = parseAllDocuments(readFileSync(path.join(dir, 'merge-job.yaml'), 'utf8')).map((d) => d.toJS());

  it('is an Indexed Job with completions = parallelism = the shard count, and a merge Job on the same volumes', () => {
    expect([job.apiVersion, job.kind, job.spec.completionMode]).toEqual(['batch/v1', 'Job', 'Indexed']);
    expect(job.spec.parallelism).toBe(job.spec.completions);
    const c = job.spec.template.spec.containers[0];
    expect(c.command.slice(0, 2)).toEqual(['sh', '-c']);
    expect(c.command[2]).toContain(`--shard "$JOB_COMPLETION_INDEX/${job.spec.completions}"`);
    expect(c.command[2]).toContain('/results/shard-$JOB_COMPLETION_INDEX.ndjson');
    const m = merge.spec.template.spec.containers[0];
    expect([merge.kind, m.workingDir]).toEqual(['Job', c.workingDir]);
    expect(m.volumeMounts).toEqual(c.volumeMounts);
    expect(merge.spec.template.spec.volumes).toEqual(job.spec.template.spec.volumes);
  });

  it('runs locally as the cluster would: one process per index, then the merge; the same report as an unsharded audit', { timeout: 180_000 }, async () => {
    const root = path.join(tmp, 'k8s');
    const c = job.spec.template.spec.containers[0];
    // Each volume mount becomes a directory here; the snapshots volume holds the example fleet.
    const mounts = new Map<string, string>();
    for (const vm of c.volumeMounts as Array<{ name: string; mountPath: string }>) {
      const local = path.join(root, vm.name);
      mkdirSync(local, { recursive: true });
      mounts.set(vm.mountPath, local);
    }
    copyFleet(mounts.get('/snapshots')!);
    const local = (text: string) => {
      let out = text;
      for (const [mountPath, dirPath] of mounts) out = out.split(mountPath).join(dirPath);
      return out;
    };
    const env = Object.fromEntries((c.env ?? []).map((e: { name: string; value: string }) => [e.name, e.value]));
    const runs = await Promise.all(
      Array.from({ length: job.spec.completions }, (_, i) => run(c.command[0], local(c.command[2]), local(c.workingDir), { ...env, JOB_COMPLETION_INDEX: String(i) })),
    );
    for (const r of runs) expect(r).toEqual({ code: 0, stderr: '' });
    const results = mounts.get('/results')!;
    expect(readdirSync(results).sort()).toEqual(Array.from({ length: job.spec.completions }, (_, i) => `shard-${i}.ndjson`));
    const m = merge.spec.template.spec.containers[0];
    expect(await run(m.command[0], local(m.command[2]), local(m.workingDir), env)).toEqual({ code: 0, stderr: '' });
    expect(readFileSync(path.join(results, 'fleet.json'), 'utf8')).toBe(audit(['--format', 'json', '.'], mounts.get('/snapshots')!));
    expect(readFileSync(path.join(results, 'fleet.html'), 'utf8')).toContain('<span class="n" id="hosts-scanned">6</span>');
  });
});

describe('examples/github: a matrix workflow', () => {
  const workflow = parse(readFileSync(path.join(repo, 'examples/github/fleet-audit.yml'), 'utf8'));
  const step = (job: string, name: string) => workflow.jobs[job].steps.find((s: { name?: string }) => s.name === name);

  it('has one matrix entry per shard, artifacts, and a merge job that uploads SARIF', () => {
    const shards: number[] = workflow.jobs.audit.strategy.matrix.shard;
    expect(shards).toEqual(Array.from({ length: Number(workflow.env.SHARDS) }, (_, i) => i));
    expect(workflow.jobs.merge.needs).toBe('audit');
    const uses = (job: string) => workflow.jobs[job].steps.map((s: { uses?: string }) => s.uses).filter(Boolean);
    expect(uses('audit')).toContain('actions/upload-artifact@v4');
    expect(uses('merge')).toEqual(expect.arrayContaining(['actions/download-artifact@v4', 'github/codeql-action/upload-sarif@v3']));
    expect(workflow.jobs.merge.permissions['security-events']).toBe('write');
  });

  it('runs locally: every matrix entry, then the merge; the SARIF is the unsharded audit\'s', { timeout: 180_000 }, async () => {
    const checkout = path.join(tmp, 'gh');
    copyFleet(path.join(checkout, 'fleet'));
    const env = { SHARDS: String(workflow.env.SHARDS) };
    const auditRun: string = step('audit', 'Audit shard').run;
    const shards: number[] = workflow.jobs.audit.strategy.matrix.shard;
    // Each matrix entry in its own checkout (as on its own runner); bash -e, as GitHub runs `run:`.
    const runs = await Promise.all(
      shards.map(async (i) => {
        const dir = path.join(tmp, `gh-runner-${i}`);
        copyFleet(path.join(dir, 'fleet'));
        const r = await run('bash', `set -eo pipefail\n${auditRun.split('${{ matrix.shard }}').join(String(i))}`, dir, env);
        return { ...r, dir };
      }),
    );
    // download-artifact with merge-multiple: every shard's file in shards/.
    mkdirSync(path.join(checkout, 'shards'));
    for (const [i, r] of runs.entries()) {
      expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
      cpSync(path.join(r.dir, `shard-${i}.ndjson`), path.join(checkout, 'shards', `shard-${i}.ndjson`));
    }
    const m = await run('bash', `set -eo pipefail\n${step('merge', 'Merge').run}`, checkout, env);
    expect(m).toEqual({ code: 0, stderr: '' });
    const sarif = readFileSync(path.join(checkout, 'fleet.sarif'), 'utf8');
    expect(sarif).toBe(audit(['--format', 'sarif', '--sarif-category', 'fleet', 'fleet'], checkout));
    expect(JSON.parse(sarif).runs[0].results).toHaveLength(7);
    expect(existsSync(path.join(checkout, 'fleet.html'))).toBe(true);
  });
});

/** GNU parallel (Debian's `parallel`), not moreutils' command of the same name. */
const gnuParallel = /GNU parallel/.test(spawnSync('parallel', ['--version'], { encoding: 'utf8' }).stdout ?? '');

describe(gnuParallel ? 'README: GNU parallel over SSH' : 'README: GNU parallel over SSH (skipped: GNU parallel is not installed; apt-get install parallel)', () => {
  const readme = readFileSync(path.join(repo, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('- **GNU parallel over SSH**'));
  const block = /```sh\n([^`]*)```/.exec(section)?.[1] ?? '';

  it('the README gives the command lines: parallel over the machines in machines.txt, then merge', () => {
    expect(block).toContain('parallel --sshloginfile ~/machines.txt --workdir /srv/fleet');
    expect(block).toContain('hostlint audit --shard {}/8');
    expect(block).toContain('hostlint merge');
  });

  // machines.txt holding `:` (GNU parallel's name for this machine) replaces SSH; /srv/fleet is a copy of the example fleet.
  for (const shards of [8, 3]) {
    it.skipIf(!gnuParallel)(`runs locally with ${shards} shards, then the merge: the same report as an unsharded audit`, { timeout: 180_000 }, async () => {
      const home = path.join(tmp, `parallel-home-${shards}`);
      const fleet = path.join(tmp, `parallel-fleet-${shards}`);
      mkdirSync(path.join(home, '.parallel'), { recursive: true });
      writeFileSync(path.join(home, 'machines.txt'), ':\n');
      // What `parallel --citation` leaves: no citation notice.
      writeFileSync(path.join(home, '.parallel', 'will-cite'), '');
      copyFleet(fleet);
      const script = block
        .split('/srv/fleet').join(fleet)
        .split('seq 0 7').join(`seq 0 ${shards - 1}`)
        .split('{}/8').join(`{}/${shards}`);
      const r = await run('sh', script, home, { HOME: home, SHELL: '/bin/sh' });
      // The merge's exit code: the fleet has errors. With only this machine, parallel says --return has nothing to fetch.
      expect(r.code).toBe(1);
      expect(r.stderr.split('\n').filter((l) => l !== '' && !/^parallel: Warning: --return ignored/.test(l))).toEqual([]);
      expect(readdirSync(fleet).filter((f) => f.endsWith('.ndjson')).sort()).toEqual(Array.from({ length: shards }, (_, i) => `shard-${i}.ndjson`).sort());
      const clean = path.join(tmp, `parallel-clean-${shards}`);
      copyFleet(clean);
      expect(readFileSync(path.join(home, 'fleet.html'), 'utf8')).toBe(audit(['--format', 'html', '.'], clean));
      // The same results, fingerprints and counts, as JSON.
      const merged = spawnSync(process.execPath, [path.join(repo, 'bin/hostlint'), 'merge', '--format', 'json', ...Array.from({ length: shards }, (_, i) => `shard-${i}.ndjson`)], { cwd: fleet, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
      expect(merged.status).toBe(1);
      const unsharded = audit(['--format', 'json', '.'], clean);
      expect(merged.stdout).toBe(unsharded);
      const fingerprints = (json: string) => (JSON.parse(json).results as Array<{ fingerprint?: string; fingerprints?: Record<string, string> }>).map((x) => x.fingerprint ?? JSON.stringify(x.fingerprints));
      expect(fingerprints(merged.stdout).length).toBeGreaterThan(0);
      expect(fingerprints(merged.stdout)).toEqual(fingerprints(unsharded));
    });
  }
});
