/**
 * `--format ndjson`, `audit --shard INDEX/COUNT` and `merge`: every NDJSON
 * line validates against schemas/ndjson-v1.schema.json; the shards of a run
 * are disjoint and complete; merging them gives exactly the unsharded audit
 * (same results, fingerprints and counts, in every format) for COUNT 1 to 5
 * on the example fleet; and anything that is not one complete run is exit 2
 * with one line naming the problem.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, describe, expect, it } from 'vitest';
import { parseShard, relativeToRoot, shardOf } from '../../src/audit/shard.js';
import { runCli } from '../helpers/cli.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const E = 'fixtures/examples/fleet';
const out = mkdtempSync(path.join(tmpdir(), 'hostlint-shards-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const schema = JSON.parse(readFileSync(path.join(repo, 'schemas/ndjson-v1.schema.json'), 'utf8'));
const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);

/** Parse NDJSON, validating every line against the schema. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed JSON, checked by the schema
export function records(text: string): Array<Record<string, any>> {
  expect(text.endsWith('\n')).toBe(true);
  return text
    .slice(0, -1)
    .split('\n')
    .map((line, i) => {
      const rec = JSON.parse(line);
      expect(validate(rec), `line ${i + 1}: ${JSON.stringify(validate.errors?.slice(0, 3))}\n${line.slice(0, 300)}`).toBe(true);
      return rec;
    });
}

async function shard(index: number, count: number, extra: string[] = [], paths = [E]): Promise<string> {
  const r = await runCli(['audit', '--concurrency', '1', '--shard', `${index}/${count}`, '--format', 'ndjson', ...extra, ...paths], { cwd: repo });
  expect(r.stderr).toBe('');
  expect([0, 1]).toContain(r.code);
  const file = path.join(out, `run-${count}-${extra.join('_').replace(/[^\w.-]/g, '')}-shard-${index}.ndjson`);
  writeFileSync(file, r.stdout);
  return file;
}

describe('--shard', () => {
  it('a shard whose hosts all hash to other shards (more shards than hosts) is empty: header and trailer, exit 0; a path with no host is still exit 2', async () => {
    // The example fleet's hosts in 64 shards: most shards have none.
    const hostPaths = ['antrea01', 'db01.tgz', 'node01', 'sosreport-antrea02-2024-05-02-mzkqtew', 'sosreport-node02-2024-05-01-qxlvjzb', 'web01'];
    const taken = new Set(hostPaths.map((h) => shardOf(h, 64)));
    const empty = Array.from({ length: 64 }, (_, i) => i).find((i) => !taken.has(i))!;
    const r = await runCli(['audit', '--concurrency', '1', '--shard', `${empty}/64`, '--format', 'ndjson', E], { cwd: repo });
    expect([r.code, r.stderr]).toEqual([0, '']);
    const recs = records(r.stdout);
    expect(recs.map((x) => x.type)).toEqual(['header', 'trailer']);
    expect(recs[0]!.shard).toEqual({ index: empty, count: 64 });
    const none = await runCli(['audit', '--shard', `${empty}/64`, 'fixtures/examples/fleet/cluster'], { cwd: repo });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^hostlint audit: no host snapshot under fixtures\/examples\/fleet\/cluster: /);
  });

  it('parses INDEX/COUNT, 0-based', () => {
    expect(parseShard('0/8')).toEqual({ index: 0, count: 8 });
    expect(parseShard('7/8')).toEqual({ index: 7, count: 8 });
    expect(parseShard('8/8')).toBe('--shard: INDEX must be from 0 to 7 (got 8; INDEX is 0-based, as $JOB_COMPLETION_INDEX is)');
    expect(parseShard('0/0')).toBe('--shard: COUNT must be from 1 to 100000 (got 0)');
    expect(parseShard('/8')).toBe('--shard takes INDEX/COUNT, e.g. 0/8 (INDEX from 0 to COUNT-1), not `/8`');
  });

  it('hashes the path relative to the audited root, stable from run to run', () => {
    // Fixed values: a change here re-shards every fleet.
    expect([0, 1, 2, 3].map(() => shardOf('node01', 8))).toEqual([6, 6, 6, 6]);
    expect(shardOf('db01.tgz', 8)).toBe(shardOf('db01.tgz', 8));
    expect(relativeToRoot('/data/fleet/node01', ['/data/fleet'])).toBe('node01');
    expect(relativeToRoot('/mnt/snapshots/fleet/node01', ['/mnt/snapshots/fleet', '/mnt/snapshots'])).toBe('node01');
    expect(relativeToRoot('/data/x/db01.tgz', ['/data/x/db01.tgz'])).toBe('db01.tgz');
  });

  it('is refused outside audit, with a bad value, and with a baseline', async () => {
    for (const [argv, message] of [
      [['lint', '--shard', '0/2', E], '--shard does not apply to `hostlint lint` (it is an option of `hostlint audit`)'],
      [['audit', '--shard', '2/2', E], '--shard: INDEX must be from 0 to 1 (got 2; INDEX is 0-based, as $JOB_COMPLETION_INDEX is)'],
      [['audit', '--shard', '0/2', '--baseline', 'x.json', E], 'a shard does not take --baseline or --write-baseline: give them to `hostlint merge`'],
    ] as const) {
      const r = await runCli([...argv], { cwd: repo });
      expect(r.code).toBe(2);
      expect(r.stderr.split('\n')[0]).toBe(`hostlint: ${message}`);
    }
  });
});

describe('--format ndjson', () => {
  it('lint: header, results, host records with summaries, trailer — all valid', async () => {
    const r = await runCli(['lint', '--format', 'ndjson', `${E}/node01`, `${E}/web01`], { cwd: repo });
    expect(r.code).toBe(1);
    const recs = records(r.stdout);
    expect(recs[0]).toMatchObject({ type: 'header', command: 'lint', shard: null, configDigest: 'none', tool: { name: 'hostlint' } });
    expect(recs.at(-1)).toMatchObject({ type: 'trailer', errorCount: 1, warningCount: 2, noteCount: 0, hosts: 2, hostsWithErrors: 1 });
    expect(recs.filter((x) => x.type === 'result').map((x) => [x.ruleId, x.host, x.line, x.column])).toEqual([
      ['sysctl-drift', 'node01', 4, 35],
      ['k8s-ip-forward', 'node01', 5, 23],
      ['resolv-search-inherited', 'node01', 8, 8],
    ]);
    const hosts = recs.filter((x) => x.type === 'host');
    expect(hosts.map((h) => [h.host, h.form, h.role, h.kernel, h.errorCount, h.warningCount])).toEqual([
      ['node01', 'directory', 'kubernetes-node', '5.4.0-150-generic', 1, 2],
      ['web01', 'directory', 'host', '5.15.0-91-generic', 0, 0],
    ]);
    expect(hosts[0]!.summary.calico.interfaces.map((i: { name: string; mtu: number }) => [i.name, i.mtu])).toEqual([
      ['eth0', 9000],
      ['lo', 65536],
    ]);
    expect(hosts[0]!.summary.sysctl.find((s: { key: string }) => s.key === 'net.ipv4.ip_forward')).toMatchObject({
      value: '0',
      file: `${E}/node01/etc/sysctl.d/60-cis-hardening.conf`,
      hostPath: '/etc/sysctl.d/60-cis-hardening.conf',
      line: 'net.ipv4.ip_forward = 0',
    });
  });

  it('audit: the results of each host right before its host record, the repository after, then the trailer', async () => {
    const r = await runCli(['audit', '--concurrency', '1', '--format', 'ndjson', E], { cwd: repo });
    expect(r.code).toBe(1);
    const recs = records(r.stdout);
    expect(recs.map((x) => (x.type === 'host' ? `host ${x.host}` : x.type === 'result' ? `result ${x.host ?? '(repository)'}` : x.type))).toEqual([
      'header',
      'host antrea01',
      'result db01',
      'host db01',
      'result node01',
      'result node01',
      'result node01',
      'host node01',
      'host antrea02',
      'host node02',
      'host web01',
      'result (repository)',
      'result (repository)',
      'result (repository)',
      'trailer',
    ]);
    expect(recs[0]!.run).toMatchObject({ hosts: 6, repository: [{ file: `${E}/cluster-antrea/antrea-config.yaml` }, { file: `${E}/cluster/custom-resources.yaml` }] });
    expect(recs.filter((x) => x.type === 'host').map((x) => x.index)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(recs.at(-1)).toMatchObject({ errorCount: 4, warningCount: 3, hosts: 6, hostsWithErrors: 2 });
  });
});

describe('merge', () => {
  const formats = ['json', 'stylish', 'sarif', 'github', 'ndjson'];
  const whole = new Map<string, string>();
  const audit = async (format: string) => {
    if (!whole.has(format)) {
      const r = await runCli(['audit', '--concurrency', '1', '--format', format, E], { cwd: repo });
      expect(r.code).toBe(1);
      whole.set(format, r.stdout);
    }
    return whole.get(format)!;
  };

  for (const count of [1, 2, 3, 4, 5]) {
    it(`the ${count} shard${count === 1 ? '' : 's'} of a run are disjoint and complete, and merge into the unsharded audit`, async () => {
      const files: string[] = [];
      const seen: string[] = [];
      for (let i = 0; i < count; i++) {
        const file = await shard(i, count);
        files.push(file);
        const recs = records(readFileSync(file, 'utf8'));
        expect(recs[0]).toMatchObject({ command: 'audit', shard: { index: i, count } });
        // A shard leaves the repository scope to merge.
        expect(recs.filter((x) => x.type === 'result' && x.host === undefined)).toEqual([]);
        seen.push(...recs.filter((x) => x.type === 'host').map((x) => x.host));
      }
      expect(seen.sort()).toEqual(['antrea01', 'antrea02', 'db01', 'node01', 'node02', 'web01']);
      for (const format of formats) {
        const merged = await runCli(['merge', '--format', format, ...files.reverse()], { cwd: repo });
        expect(merged.stderr).toBe('');
        expect(merged.code).toBe(1);
        if (format === 'ndjson') {
          // The same records, but the header says merge.
          const a = records(merged.stdout);
          const b = records(await audit(format));
          expect(a[0]).toMatchObject({ command: 'merge', shard: null });
          expect(a.slice(1)).toEqual(b.slice(1));
        } else expect(merged.stdout, format).toBe(await audit(format));
      }
      const doc = JSON.parse((await runCli(['merge', '--format', 'json', ...files], { cwd: repo })).stdout);
      const fingerprints = doc.results.map((x: { fingerprint: string }) => x.fingerprint);
      expect(fingerprints).toEqual(JSON.parse(await audit('json')).results.map((x: { fingerprint: string }) => x.fingerprint));
      expect(doc.summary).toEqual({ files: 75, errorCount: 4, warningCount: 3, noteCount: 0, hosts: 6, hostsWithErrors: 2 });
    });
  }

  it('reads a shard from standard input (-)', async () => {
    const a = await shard(0, 2);
    const b = await shard(1, 2);
    const r = await runCli(['merge', '--format', 'json', a, '-'], { cwd: repo, stdin: readFileSync(b, 'utf8') });
    expect(r.stdout).toBe(await audit('json'));
  });

  it('fails with one line when the shards are not one complete run', async () => {
    const a0 = await shard(0, 3);
    const a1 = await shard(1, 3);
    const a2 = await shard(2, 3);
    const other = await shard(1, 2);
    // Another run: the same fleet with another configuration.
    const cfgDir = mkdtempSync(path.join(out, 'cfg-'));
    const cfg = path.join(cfgDir, 'strict.yaml');
    writeFileSync(cfg, 'rules:\n  sysctl-drift: error\n');
    const b1 = await shard(1, 3, ['--config', cfg]);
    // Another run: a fleet with one more host.
    const fleet2 = path.join(out, 'fleet2');
    cpSync(path.join(repo, E), fleet2, { recursive: true, verbatimSymlinks: true });
    cpSync(path.join(repo, E, 'web01'), path.join(fleet2, 'web02'), { recursive: true, verbatimSymlinks: true });
    const c = await runCli(['audit', '--concurrency', '1', '--shard', '1/3', '--format', 'ndjson', path.relative(repo, fleet2)], { cwd: repo });
    const c1 = path.join(out, 'fleet2-1.ndjson');
    writeFileSync(c1, c.stdout);
    const truncated = path.join(out, 'truncated.ndjson');
    writeFileSync(truncated, readFileSync(a1, 'utf8').split('\n').slice(0, -2).join('\n') + '\n');
    const notNdjson = path.join(out, 'report.json');
    writeFileSync(notNdjson, await audit('json'));
    const unsharded = path.join(out, 'unsharded.ndjson');
    writeFileSync(unsharded, await audit('ndjson'));
    const corrupt = path.join(out, 'corrupt.ndjson');
    writeFileSync(corrupt, readFileSync(a1, 'utf8').replace(/"related":\[[^\]]*\],/, '"related":"none",'));
    const name = (f: string) => f;
    const cases: Array<[string[], string]> = [
      [[a0, b1, a2], `shards from different runs: ${name(b1)} used another configuration than ${name(a0)} (configDigest differs)`],
      [[a0, c1, a2], `shards from different runs: ${name(c1)} saw other hosts or cluster files than ${name(a0)} (run.fleet differs)`],
      [[a0, other, a2], `shards from different runs: ${name(other)} is shard 1/2, ${name(a0)} is 0/3`],
      [[a0, a2], 'incomplete run: shard 1 of 3 missing'],
      [[a0, a1, a1, a2], `shard 1/3 is given twice: ${name(a1)} and ${name(a1)}`],
      [[a0, truncated, a2], `${name(truncated)}: incomplete, it has no trailer line (did the shard finish?)`],
      [[a0, corrupt, a2], `${name(corrupt)}:2: not a valid "result" record of hostlint NDJSON (/related must be array)`],
      [[notNdjson], `${name(notNdjson)}:1: not a hostlint NDJSON record (is it the output of \`hostlint audit --shard I/N --format ndjson\`?)`],
      [[unsharded], `${name(unsharded)}: not the output of a sharded audit (\`hostlint audit --shard INDEX/COUNT --format ndjson\`; it is from \`audit\` without --shard)`],
      [[path.join(out, 'nope.ndjson')], `cannot read ${path.join(out, 'nope.ndjson')}: ENOENT`],
    ];
    for (const [files, message] of cases) {
      const r = await runCli(['merge', ...files], { cwd: repo });
      expect(r.code, message).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(`hostlint: merge: ${message}\n`);
    }
    // The merge's own configuration must be the shards'.
    const r = await runCli(['merge', '--config', cfg, a0, a1, a2], { cwd: repo });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^hostlint: merge: the shards ran with another configuration than this merge \(configDigest none, here sha256:[0-9a-f]{64}\): give merge the same --config\n$/);
  });

  it('fails when a repository file changed since the shards ran', async () => {
    const dir = mkdtempSync(path.join(out, 'changed-'));
    cpSync(path.join(repo, E), path.join(dir, 'fleet'), { recursive: true, verbatimSymlinks: true });
    const files: string[] = [];
    for (let i = 0; i < 2; i++) {
      const r = await runCli(['audit', '--concurrency', '1', '--shard', `${i}/2`, '--format', 'ndjson', 'fleet'], { cwd: dir });
      files.push(path.join(dir, `s${i}.ndjson`));
      writeFileSync(files[i]!, r.stdout);
    }
    const ok = await runCli(['merge', '--format', 'json', ...files], { cwd: dir });
    expect(ok.code).toBe(1);
    writeFileSync(path.join(dir, 'fleet/cluster/custom-resources.yaml'), readFileSync(path.join(dir, 'fleet/cluster/custom-resources.yaml'), 'utf8').replace('mtu: 8950', 'mtu: 8900'));
    const r = await runCli(['merge', ...files], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('hostlint: merge: fleet/cluster/custom-resources.yaml changed since the shards ran (its sha256 differs from the one they recorded)\n');
  });
});
