/**
 * `hostlint merge FILE ...`: the reduce step of a sharded fleet audit. Reads
 * the shards' `--format ndjson` outputs (files, or `-` for standard input),
 * checks that they are the complete output of one run, and then does what the
 * shards could not: evaluates the repository scope (the cluster's manifests,
 * re-read from the paths the headers record, relative to the working
 * directory, and checked against their recorded sha256) and the fleet rules
 * against every host's summary, applies --baseline, and writes any format, as
 * `hostlint audit` would have for the whole fleet.
 *
 * Anything that does not fit (another version, configuration or run, a shard
 * missing, given twice or cut short) is exit 2 with one line saying which
 * file and why.
 */
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { rules as allRules } from '../../rules/index.js';
import type { HostOutcome } from '../audit/host.js';
import type { Config } from '../config/load.js';
import { runScopes } from '../engine/linter.js';
import { loadPaths } from '../engine/load.js';
import { Scope, type HostSummary } from '../engine/scope.js';
import { fromNdjsonResult, NDJSON_FORMAT, NDJSON_FORMAT_VERSION, type NdjsonHeader, type NdjsonHost, type NdjsonRecord, type NdjsonResult, type NdjsonTrailer } from '../formatters/ndjson.js';
import type { FileReport, Result, Severity } from '../types.js';
import { configDigest, FleetOutput, FleetUsageError, type FleetValues } from './audit.js';
import type { Io } from './io.js';
import { version } from '../version.js';

export interface MergeCommand {
  files: string[];
  config: Config;
  formatName: string;
  maxWarnings: number;
  /** Given on the command line; else the shards' setting. */
  unusedSeverity: Severity | 'off' | undefined;
  values: FleetValues;
  io: Io;
}

class MergeError extends Error {}

type Validate = ((data: unknown) => boolean) & { errors?: Array<{ instancePath: string; message?: string }> | null };
let validators: Map<string, Validate> | undefined;

/**
 * Validators of the NDJSON record types, from the schema that ships with the
 * package (schemas/ndjson-v1.schema.json), compiled once: every line of a
 * shard is checked against the definition of its `type`.
 */
function recordValidator(type: string): Validate | undefined {
  if (!validators) {
    // Beside the package's root: ../../ from src/cli (sources), ../../../ from dist/src/cli (the build, the bundle).
    const file = [new URL('../../../schemas/ndjson-v1.schema.json', import.meta.url), new URL('../../schemas/ndjson-v1.schema.json', import.meta.url)].find((u) => existsSync(u))!;
    const schema = JSON.parse(readFileSync(file, 'utf8')) as { $id: string };
    const { Ajv2020 } = createRequire(import.meta.url)('ajv/dist/2020') as { Ajv2020: new (o: object) => { addSchema(s: unknown): void; getSchema(ref: string): Validate | undefined } };
    const ajv = new Ajv2020({ allErrors: false, strict: false });
    ajv.addSchema(schema);
    validators = new Map();
    for (const t of ['header', 'result', 'host', 'trailer']) validators.set(t, ajv.getSchema(`${schema.$id}#/$defs/${t}`)!);
  }
  return validators.get(type);
}

interface ShardInput {
  name: string;
  header: NdjsonHeader;
  hosts: Array<{ record: NdjsonHost; results: NdjsonResult[] }>;
  /** Results outside the hosts (shard 0: load diagnostics of the fleet's tree). */
  repository: NdjsonResult[];
  trailer: NdjsonTrailer;
}

async function* lines(file: string, io: Io): AsyncGenerator<string> {
  if (file === '-') {
    const text = await io.stdin();
    for (const l of text.split('\n')) yield l;
    return;
  }
  const stream = createReadStream(path.resolve(io.cwd, file), { encoding: 'utf8' });
  const rl = process.getBuiltinModule('node:readline').createInterface({ input: stream, crlfDelay: Infinity });
  try {
    for await (const l of rl) yield l;
  } finally {
    rl.close();
    stream.destroy();
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

async function readShard(file: string, io: Io): Promise<ShardInput> {
  const name = file === '-' ? '(standard input)' : file;
  let header: NdjsonHeader | undefined;
  let trailer: NdjsonTrailer | undefined;
  const hosts: ShardInput['hosts'] = [];
  const repository: NdjsonResult[] = [];
  let pending: NdjsonResult[] = [];
  let n = 0;
  try {
    for await (const text of lines(file, io)) {
      n++;
      if (text.trim() === '') continue;
      let rec: NdjsonRecord;
      try {
        const parsed: unknown = JSON.parse(text);
        if (!isObject(parsed) || typeof parsed.type !== 'string') throw new Error('not a record');
        rec = parsed as unknown as NdjsonRecord;
      } catch {
        throw new MergeError(`${name}:${n}: not a hostlint NDJSON record${n === 1 ? ' (is it the output of `hostlint audit --shard I/N --format ndjson`?)' : ''}`);
      }
      const validate = recordValidator(rec.type);
      if (validate && !validate(rec) && (header || rec.type === 'header')) {
        const e = validate.errors?.[0];
        throw new MergeError(`${name}:${n}: not a valid "${rec.type}" record of hostlint NDJSON${e ? ` (${e.instancePath || 'the record'} ${e.message ?? ''})` : ''}`);
      }
      if (!header) {
        if (rec.type !== 'header' || rec.format !== NDJSON_FORMAT) throw new MergeError(`${name}: not hostlint NDJSON: the first line is not its header (write the shards with \`--format ndjson\`)`);
        if (rec.formatVersion !== NDJSON_FORMAT_VERSION) throw new MergeError(`${name}: NDJSON format version ${String(rec.formatVersion)}; this hostlint reads version ${String(NDJSON_FORMAT_VERSION)}`);
        header = rec;
        continue;
      }
      if (trailer) throw new MergeError(`${name}:${n}: a record after the trailer`);
      if (rec.type === 'result') {
        if (rec.host !== undefined) pending.push(rec);
        else repository.push(rec);
      } else if (rec.type === 'host') {
        hosts.push({ record: rec, results: pending });
        pending = [];
      } else if (rec.type === 'trailer') trailer = rec;
      else throw new MergeError(`${name}:${n}: unexpected ${rec.type} record`);
    }
  } catch (error) {
    if (error instanceof MergeError) throw error;
    throw new MergeError(`cannot read ${name}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  if (!header) throw new MergeError(`${name}: empty, not hostlint NDJSON`);
  if (!trailer) throw new MergeError(`${name}: incomplete, it has no trailer line (did the shard finish?)`);
  if (pending.length > 0) throw new MergeError(`${name}: results of host ${pending[0]!.host} without its host record`);
  if (trailer.hosts !== hosts.length) throw new MergeError(`${name}: the trailer counts ${trailer.hosts} hosts but the file has ${hosts.length}`);
  return { name, header, hosts, repository, trailer };
}

/** The shards, checked to be the complete output of one run (throws a MergeError saying what is wrong). */
function checkRun(shards: ShardInput[], config: Config): void {
  const first = shards[0]!;
  const own = version();
  for (const s of shards) {
    const h = s.header;
    if (h.command !== 'audit' || !h.shard) throw new MergeError(`${s.name}: not the output of a sharded audit (\`hostlint audit --shard INDEX/COUNT --format ndjson\`; it is from \`${h.command}\`${h.shard ? '' : ' without --shard'})`);
    if (h.tool.version !== own) throw new MergeError(`${s.name}: written by hostlint ${h.tool.version}, this is ${own}: run the shards and the merge with the same version`);
    if (h.configDigest !== first.header.configDigest) throw new MergeError(`shards from different runs: ${s.name} used another configuration than ${first.name} (configDigest differs)`);
    if (h.shard.count !== first.header.shard!.count) throw new MergeError(`shards from different runs: ${s.name} is shard ${h.shard.index}/${h.shard.count}, ${first.name} is ${first.header.shard!.index}/${first.header.shard!.count}`);
    if (h.run?.fleet !== first.header.run?.fleet) throw new MergeError(`shards from different runs: ${s.name} saw other hosts or cluster files than ${first.name} (run.fleet differs)`);
    if (h.options.reportUnusedDisableDirectives !== first.header.options.reportUnusedDisableDirectives) throw new MergeError(`shards from different runs: ${s.name} and ${first.name} differ in --report-unused-disable-directives`);
  }
  const count = first.header.shard!.count;
  const byIndex = new Map<number, string>();
  for (const s of shards) {
    const i = s.header.shard!.index;
    const seen = byIndex.get(i);
    if (seen !== undefined) throw new MergeError(`shard ${i}/${count} is given twice: ${seen} and ${s.name}`);
    byIndex.set(i, s.name);
  }
  const missing: number[] = [];
  for (let i = 0; i < count; i++) if (!byIndex.has(i)) missing.push(i);
  if (missing.length > 0) throw new MergeError(`incomplete run: shard${missing.length === 1 ? '' : 's'} ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ', …' : ''} of ${count} missing`);
  const digest = configDigest(config);
  if (digest !== first.header.configDigest) throw new MergeError(`the shards ran with another configuration than this merge (configDigest ${first.header.configDigest}, here ${digest}): give merge the same --config`);
}

/** A host's results, grouped by file in the order they came. */
function filesOf(results: Result[], host: string | undefined): FileReport[] {
  const byFile = new Map<string, FileReport>();
  for (const r of results) {
    let f = byFile.get(r.file);
    if (!f) {
      f = { path: r.file, ...(host !== undefined ? { host } : {}), results: [] };
      byFile.set(r.file, f);
    }
    f.results.push(r);
  }
  return [...byFile.values()];
}

export async function mergeCommand(cmd: MergeCommand): Promise<number> {
  const { io, config } = cmd;
  const fail = (message: string) => {
    io.stderr(`hostlint: merge: ${message.replace(/[\r\n]+/g, ' ')}\n`);
    return 2;
  };
  if (cmd.files.filter((f) => f === '-').length > 1) return fail('standard input (-) can be given once');
  const shards: ShardInput[] = [];
  try {
    for (const file of cmd.files) shards.push(await readShard(file, io));
    checkRun(shards, config);
  } catch (error) {
    if (error instanceof MergeError) return fail(error.message);
    throw error;
  }
  const first = shards[0]!.header;
  const unused = cmd.unusedSeverity ?? first.options.reportUnusedDisableDirectives;

  // The cluster's manifests, as the shards saw them.
  const repositoryFiles = first.run?.repository ?? [];
  for (const f of repositoryFiles) {
    let bytes: string;
    try {
      bytes = readFileSync(path.resolve(io.cwd, f.file), 'utf8').replace(/^\uFEFF/, '');
    } catch (error) {
      return fail(`cannot read ${f.file}, a repository file of the run (merge reads it relative to the working directory, as the shards did): ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    if (process.getBuiltinModule('node:crypto').createHash('sha256').update(bytes).digest('hex') !== f.sha256) return fail(`${f.file} changed since the shards ran (its sha256 differs from the one they recorded)`);
  }

  let out: FleetOutput;
  try {
    out = new FleetOutput(io, cmd.values, cmd.formatName, cmd.maxWarnings);
  } catch (error) {
    if (error instanceof FleetUsageError) return fail(error.message);
    throw error;
  }
  try {
    out.formatOptions.ndjson = { command: 'merge', configDigest: first.configDigest, shard: null, reportUnusedDisableDirectives: unused, ...(first.run ? { run: first.run } : {}) };
    const hosts = shards.flatMap((s) => s.hosts).sort((a, b) => (a.record.index ?? 0) - (b.record.index ?? 0));
    const cluster: HostSummary[] = [];
    const ruleIds = new Set<string>();
    for (const s of shards) for (const id of s.trailer.rules) ruleIds.add(id);
    for (const { record, results } of hosts) {
      const files = filesOf(results.map(fromNdjsonResult), record.host);
      const outcome: HostOutcome = {
        isHost: true,
        host: record.host,
        path: record.path,
        form: record.form,
        files,
        fileCount: record.files ?? files.length,
        ruleIds: [],
        errorCount: record.errorCount,
        warningCount: record.warningCount,
        noteCount: record.noteCount,
        kubernetesNode: record.kubernetesNode,
        kernel: record.kernel,
        ...(record.index !== undefined ? { index: record.index } : {}),
        ...(record.summary ? { summary: record.summary } : {}),
      };
      out.host(outcome);
      if (record.summary) cluster.push(record.summary);
    }
    // The repository scope, joined with every host.
    const loaded = repositoryFiles.length ? loadPaths(repositoryFiles.map((f) => f.file), { cwd: io.cwd, config }) : undefined;
    const repoScopes = loaded ? loaded.scopes.filter((s) => s.kind === 'repository') : [new Scope({ kind: 'repository', name: '(repository)', files: [], config })];
    const report = runScopes(repoScopes, loaded?.diagnostics ?? [], {
      config,
      rules: allRules,
      cwd: io.cwd,
      reportUnusedDisableDirectives: unused,
      toolVersion: version(),
      cluster,
    });
    const diagnostics = filesOf(shards.flatMap((s) => s.repository).map(fromNdjsonResult), undefined);
    const files = [...report.files, ...diagnostics].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    out.repository(files, [...ruleIds, ...report.rules.map((r) => r.id)]);
    return out.end(false);
  } finally {
    out.close();
  }
}
