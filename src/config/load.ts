/**
 * Configuration: `.hostlint.yaml`, `.hostlint.yml` or `.hostlint.json`, found
 * from the working directory upward, or named with `--config`.
 *
 * The file is data only. It is validated against `config.schema.json`; every
 * problem becomes a `ConfigError` naming the file and the key.
 */
import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Ajv, Options as AjvOptions, ValidateFunction } from 'ajv';
import { readRegularFile } from '../engine/read.js';
import { escapeText } from '../util/escape.js';
import { GlobError, pathGlob } from '../util/glob.js';
import { LineCounter, parseDocument, isMap, isScalar, type Node as YamlNode } from 'yaml';
import schema from './config.schema.json' with { type: 'json' };
import type { Evidence, LanguageId, Position, SeverityOrOff } from '../types.js';
import { parseByteSize } from '../engine/read.js';
import { precompiled } from './precompiled.js';
import { didYouMean } from '../suggest.js';

let ajvClass: typeof Ajv | undefined;
/** Ajv, loaded on first use (the bundled CLI has its validators precompiled and never loads it). */
function newAjv(options: AjvOptions): Ajv {
  ajvClass ??= (createRequire(import.meta.url)('ajv') as { Ajv: typeof Ajv }).Ajv;
  return new ajvClass(options);
}

export const CONFIG_FILE_NAMES = ['.hostlint.yaml', '.hostlint.yml', '.hostlint.json'];

export class ConfigError extends Error {
  constructor(
    message: string,
    readonly file?: string,
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

export type RuleSetting = { severity: SeverityOrOff; options?: Record<string, unknown> };

/** Facts as the config states them, each with the position of its key. */
export interface ConfigFacts {
  kernel?: ConfigFact<string>;
  kubernetesNode?: ConfigFact<boolean>;
  nat?: ConfigFact<boolean>;
  physicalMtu?: ConfigFact<number>;
  /** procps-ng version of the hosts (`sysctl --version`). */
  procps?: ConfigFact<string>;
}
export interface ConfigFact<T> {
  value: T;
  evidence: Evidence;
}

interface Override {
  matches: (relPath: string) => boolean;
  rules: Map<string, RuleSetting>;
  facts: ConfigFacts;
}

/**
 * A value of `languages`: a language, or `helm-values:CHART` for the values
 * file of a Helm chart hostlint reads (config.schema.json lists the charts).
 */
type ConfigLanguage = LanguageId | `helm-values:${string}`;
const HELM_VALUES = 'helm-values:';

/** The loaded configuration, with per-file views. */
export class Config {
  constructor(
    /** Absolute path of the file, or undefined for the built-in defaults. */
    readonly file: string | undefined,
    /** Directory globs are relative to. */
    readonly base: string,
    readonly rules: Map<string, RuleSetting>,
    readonly facts: ConfigFacts,
    private readonly overrides: Override[],
    private readonly ignoreMatchers: Array<(p: string) => boolean>,
    private readonly languageGlobs: Array<{ match: (p: string) => boolean; language: ConfigLanguage }>,
    /** `maxFileSize`, in bytes, when the file sets it. */
    readonly maxFileBytes?: number,
  ) {}

  static empty(base: string): Config {
    return new Config(undefined, base, new Map(), {}, [], [], []);
  }

  /** This configuration with `rules` set over its own (the API's rule overrides; `overrides` still apply per file). */
  withRules(rules: Map<string, RuleSetting>): Config {
    if (rules.size === 0) return this;
    return new Config(this.file, this.base, new Map([...this.rules, ...rules]), this.facts, this.overrides, this.ignoreMatchers, this.languageGlobs, this.maxFileBytes);
  }

  private rel(absPath: string): string {
    return path.relative(this.base, absPath).split(path.sep).join('/');
  }

  /** Rule settings in force for a file: the base settings with matching overrides applied in order. */
  ruleSetting(ruleId: string, absPath: string | undefined): RuleSetting | undefined {
    let setting = this.rules.get(ruleId);
    if (absPath !== undefined) {
      const rel = this.rel(absPath);
      for (const o of this.overrides) {
        const s = o.rules.get(ruleId);
        if (s && o.matches(rel)) setting = s.options || !setting ? s : { ...s, options: setting.options };
      }
    }
    return setting;
  }

  /** Every rule id named anywhere in the config. */
  ruleIds(): Set<string> {
    const ids = new Set(this.rules.keys());
    for (const o of this.overrides) for (const id of o.rules.keys()) ids.add(id);
    return ids;
  }

  /** Facts for a path: base facts with matching overrides applied in order. */
  factsFor(absPath: string | undefined): ConfigFacts {
    if (absPath === undefined || this.overrides.length === 0) return this.facts;
    const rel = this.rel(absPath);
    let facts = this.facts;
    for (const o of this.overrides) if (o.matches(rel)) facts = { ...facts, ...o.facts };
    return facts;
  }

  isIgnored(absPath: string): boolean {
    if (this.ignoreMatchers.length === 0) return false;
    const rel = this.rel(absPath);
    return this.ignoreMatchers.some((m) => m(rel));
  }

  /** The language `languages` forces on a path (the first matching glob); a chart's values are `kube`. */
  languageFor(absPath: string): LanguageId | undefined {
    const language = this.configLanguage(absPath);
    return language?.startsWith(HELM_VALUES) ? 'kube' : (language as LanguageId | undefined);
  }

  /** The Helm chart whose values `languages` says a path is (`helm-values:cilium` → `cilium`). */
  chartFor(absPath: string): string | undefined {
    const language = this.configLanguage(absPath);
    return language?.startsWith(HELM_VALUES) ? language.slice(HELM_VALUES.length) : undefined;
  }

  private configLanguage(absPath: string): ConfigLanguage | undefined {
    if (this.languageGlobs.length === 0) return undefined;
    const rel = this.rel(absPath);
    return this.languageGlobs.find((g) => g.match(rel))?.language;
  }
}

/** Find the config file for `cwd`: the nearest `.hostlint.{yaml,yml,json}` upward. */
export function findConfigFile(cwd: string): string | undefined {
  let dir = path.resolve(cwd);
  for (;;) {
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = path.join(dir, name);
      if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
    }
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

let validateSchema: ValidateFunction | undefined;

/**
 * Load and validate a config file. `knownRules` maps rule ids to their options
 * schema, so unknown rule ids and bad options are reported here too.
 */
/** The largest configuration file read. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

/** `ENOENT` for `cannot be read (ENOENT: no such file)`; other reasons as they are. */
export function shortReason(reason: string): string {
  const m = /^cannot be read \(([A-Z0-9_]+)(?:: [^)]*)?\)$/.exec(reason);
  return m ? m[1]! : reason;
}

export function loadConfig(
  file: string,
  knownRules: Map<string, Record<string, unknown> | undefined>,
  cwd: string,
): Config {
  const display = path.relative(cwd, file) || file;
  // Only a regular file, opened without blocking (a FIFO must not hang the run), of at most 1 MiB.
  const read = readRegularFile(file, MAX_CONFIG_BYTES);
  if (!read.ok) throw new ConfigError(`Cannot read configuration file ${display}: ${shortReason(read.reason)}`, display);
  const text = read.bytes.toString('utf8');
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const p = lineCounter.linePos(e.pos[0]);
    throw new ConfigError(`${display}:${p.line}:${p.col}: invalid ${file.endsWith('.json') ? 'JSON' : 'YAML'}: ${e.message.split('\n')[0]}`, display);
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 10 }) ?? {};
  } catch (error) {
    throw new ConfigError(`${display}: ${(error as Error).message}`, display);
  }
  const positionOf = (keys: Array<string | number>): Position | undefined => {
    const node = doc.getIn(keys, true) as YamlNode | undefined;
    let range = node?.range;
    // Point at the key itself: find the pair in the parent map.
    const parent = doc.getIn(keys.slice(0, -1), true) as YamlNode | undefined;
    if (isMap(parent)) {
      const pair = parent.items.find((it) => isScalar(it.key) && it.key.value === keys[keys.length - 1]);
      if (pair && isScalar(pair.key) && pair.key.range) range = [pair.key.range[0], (pair.value as YamlNode | null)?.range?.[1] ?? pair.key.range[1], 0];
    }
    if (!range) return undefined;
    const s = lineCounter.linePos(range[0]);
    const e = lineCounter.linePos(range[1]);
    return { start: { line: s.line, column: s.col, offset: range[0] }, end: { line: e.line, column: e.col, offset: range[1] } };
  };
  return buildConfig(data, { file, base: path.dirname(file), display, positionOf }, knownRules);
}

/**
 * A configuration given as data (the API's `config` object), validated as a
 * file is; globs are relative to `cwd`, and `name` stands for the file in
 * messages and in the evidence of `facts`.
 */
export function configFromData(
  data: unknown,
  knownRules: Map<string, Record<string, unknown> | undefined>,
  cwd: string,
  name = '(config object)',
): Config {
  return buildConfig(data ?? {}, { file: undefined, base: path.resolve(cwd), display: name, positionOf: () => undefined }, knownRules);
}

/** Rule settings (`{ id: 'warn' | ['error', options] }`) validated as a config's `rules` are. */
export function parseRuleSettings(rulesObj: Record<string, unknown>, knownRules: Map<string, Record<string, unknown> | undefined>, display: string): Map<string, RuleSetting> {
  return buildConfig({ rules: rulesObj }, { file: undefined, base: '/', display, positionOf: () => undefined }, knownRules).rules;
}

function buildConfig(
  data: unknown,
  where: { file: string | undefined; base: string; display: string; positionOf: (keys: Array<string | number>) => Position | undefined },
  knownRules: Map<string, Record<string, unknown> | undefined>,
): Config {
  const { file, base, display, positionOf } = where;
  const validate = (validateSchema ??= precompiled?.config ?? newAjv({ allErrors: false, strict: false }).compile(schema));
  if (!validate(data)) {
    const err = validate.errors![0]!;
    const where = err.instancePath
      ? err.instancePath.slice(1).split('/').map((s: string) => s.replace(/~1/g, '/').replace(/~0/g, '~')).join('.')
      : '(top level)';
    let detail = err.message ?? 'is invalid';
    if (err.keyword === 'additionalProperties') detail = `has unknown key \`${(err.params as { additionalProperty: string }).additionalProperty}\``;
    if (err.keyword === 'enum') detail = `must be one of ${(err.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
    throw new ConfigError(`${display}: \`${where}\` ${detail}`, display);
  }
  const obj = data as {
    rules?: Record<string, unknown>;
    facts?: Record<string, unknown>;
    ignores?: string[];
    languages?: Record<string, ConfigLanguage>;
    overrides?: Array<{ files: string[]; rules?: Record<string, unknown>; facts?: Record<string, unknown> }>;
    maxFileSize?: number | string;
  };
  const maxFileBytes = obj.maxFileSize === undefined ? undefined : parseByteSize(obj.maxFileSize);
  if (obj.maxFileSize !== undefined && maxFileBytes === undefined) {
    throw new ConfigError(`${display}: \`maxFileSize\` must be a size of at least one byte (e.g. 16777216 or "16M")`, display);
  }
  const rules = (rulesObj: Record<string, unknown> | undefined, at: Array<string | number>) =>
    parseRules(rulesObj, knownRules, display, at.join('.'));
  const facts = (factsObj: Record<string, unknown> | undefined, at: Array<string | number>): ConfigFacts => {
    const out: ConfigFacts = Object.create(null) as ConfigFacts;
    for (const [k, v] of Object.entries(factsObj ?? {})) {
      const keys = [...at, k];
      (out as Record<string, ConfigFact<unknown>>)[k] = {
        value: v,
        evidence: { file: display.split(path.sep).join('/'), position: positionOf(keys), message: `Configuration: \`${keys.join('.')}: ${JSON.stringify(v)}\`` },
      };
    }
    return out;
  };
  // Matched segment by segment without regular expressions (src/util/glob.ts): bounded time for any glob.
  const glob = (patterns: string[]) => {
    try {
      return pathGlob(patterns);
    } catch (error) {
      if (error instanceof GlobError) throw new ConfigError(`${display}: glob \`${escapeText(patterns[0] ?? '')}\` ${error.message}`, display);
      throw error;
    }
  };
  const overrides: Override[] = (obj.overrides ?? []).map((o, i) => ({
    matches: glob(o.files.flatMap((f) => [f, `${f.replace(/\/$/, '')}/**`])),
    rules: rules(o.rules, ['overrides', i, 'rules']),
    facts: facts(o.facts, ['overrides', i, 'facts']),
  }));
  return new Config(
    file,
    base,
    rules(obj.rules, ['rules']),
    facts(obj.facts, ['facts']),
    overrides,
    (obj.ignores ?? []).map((g) => glob([g, `${g.replace(/\/$/, '')}/**`])),
    Object.entries(obj.languages ?? {}).map(([g, language]) => ({ match: glob([g]), language })),
    maxFileBytes,
  );
}

const optionValidators = new Map<string, (data: unknown) => boolean>();

function parseRules(
  rulesObj: Record<string, unknown> | undefined,
  knownRules: Map<string, Record<string, unknown> | undefined>,
  display: string,
  at: string,
): Map<string, RuleSetting> {
  const out = new Map<string, RuleSetting>();
  for (const [id, raw] of Object.entries(rulesObj ?? {})) {
    if (!knownRules.has(id)) {
      throw new ConfigError(`${display}: \`${at}.${id}\`: unknown rule \`${id}\`${didYouMean(id, knownRules.keys())} (\`hostlint rules\` lists them)`, display);
    }
    const [sev, options] = Array.isArray(raw) ? (raw as [string, Record<string, unknown>?]) : [raw as string, undefined];
    const severity = (sev === 'warn' ? 'warning' : sev) as SeverityOrOff;
    if (options !== undefined) {
      const schemaOf = knownRules.get(id);
      if (!schemaOf) throw new ConfigError(`${display}: \`${at}.${id}\`: rule \`${id}\` takes no options`, display);
      let validate = optionValidators.get(id);
      if (!validate) {
        const compiled = precompiled?.[`rule:${id}`] ?? newAjv({ allErrors: false, strict: false, useDefaults: false }).compile(schemaOf);
        validate = (d: unknown) => {
          const ok = compiled(d);
          if (!ok) lastOptionError = compiled.errors?.[0];
          return ok;
        };
        optionValidators.set(id, validate);
      }
      if (!validate(options)) {
        const e = lastOptionError;
        const where = e?.instancePath ? e.instancePath.slice(1).replace(/\//g, '.') : '';
        throw new ConfigError(
          `${display}: \`${at}.${id}\` options${where ? ` \`${where}\`` : ''} ${e?.keyword === 'additionalProperties' ? `has unknown key \`${(e.params as { additionalProperty: string }).additionalProperty}\`` : (e?.message ?? 'are invalid')}`,
          display,
        );
      }
    }
    out.set(id, options === undefined ? { severity } : { severity, options });
  }
  return out;
}

let lastOptionError: { instancePath: string; keyword: string; message?: string; params: unknown } | null | undefined;
