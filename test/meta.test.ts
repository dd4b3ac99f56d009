/**
 * House rules every rule is held to: id equals file name and registry entry,
 * description and message style, sources, tags, valid and invalid fixtures and
 * examples, option schemas that compile, docs that render, and every message
 * exercised by a fixture or an example.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import AjvModule from 'ajv';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { rules } from '../rules/index.js';
import { ruleMarkdown } from '../src/docs/render.js';
import type { Result } from '../src/types.js';
import { allResults, lintDir, writeTree } from './helpers/lint.js';

const Ajv = AjvModule.default ?? AjvModule;
const rulesDir = fileURLToPath(new URL('../rules/', import.meta.url));
const fixturesDir = fileURLToPath(new URL('../fixtures/rules/', import.meta.url));

/** Every result of linting a rule's fixtures and examples (every rule runs). */
function fixtureResults(id: string): Result[] {
  const messages: Result[] = [];
  const dir = path.join(fixturesDir, id);
  if (existsSync(dir)) {
    for (const kase of readdirSync(dir)) {
      messages.push(...allResults(lintDir(path.join(dir, kase))));
    }
  }
  const rule = rules.find((r) => r.meta.id === id)!;
  for (const ex of rule.meta.examples) {
    const config: Record<string, unknown> = {};
    if (ex.facts) config.facts = ex.facts;
    if (ex.options) config.rules = { [id]: [rule.meta.severity, ex.options] };
    const cwd = writeTree({ ...(ex.files ?? {}), [ex.filename]: ex.code, '.hostlint.yaml': stringify(config) });
    messages.push(...allResults(lintDir(cwd)));
  }
  return messages;
}

/** Every message a rule produced over its fixtures and examples. */
function producedMessages(results: Result[], id: string): string[] {
  return results.filter((r) => r.ruleId === id).map((r) => r.message);
}

function templateRegExp(template: string): RegExp {
  const parts = template.split(/\{\{\s*\w+\s*\}\}/);
  return new RegExp(`^${parts.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[\\s\\S]*?')}$`);
}

describe('rule files and registry', () => {
  it('every file in rules/ is registered, under its own id', () => {
    const files = readdirSync(rulesDir)
      .filter((f) => f.endsWith('.ts') && f !== 'index.ts')
      .map((f) => f.replace(/\.ts$/, ''))
      .sort();
    expect(rules.map((r) => r.meta.id).sort()).toEqual(files);
  });
});

describe.each(rules.map((r) => [r.meta.id, r] as const))('%s', (id, rule) => {
  const meta = rule.meta;

  it('is named in kebab-case with a family prefix', () => {
    expect(id).toMatch(/^(sysctl|resolv|calico|cni|k8s|felix|fleet)-[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  it('has a description in the house style', () => {
    expect(meta.description).toMatch(/^(Disallow|Require|Enforce) /);
    expect(meta.description).not.toMatch(/\.$/);
    expect(meta.description.length).toBeLessThanOrEqual(200);
  });

  it('has a rationale, tags, sources and a severity', () => {
    expect(meta.rationale.length).toBeGreaterThan(100);
    expect(meta.tags.length).toBeGreaterThan(0);
    expect(meta.sources.length).toBeGreaterThan(0);
    for (const s of meta.sources) {
      expect(s.title.length).toBeGreaterThan(10);
      expect(s.url).toMatch(/^https:\/\//);
    }
    expect(['error', 'warning', 'note']).toContain(meta.severity);
    // SARIF precision: high where the files alone prove a finding, medium where it rests on inferred facts.
    expect(['high', 'medium']).toContain(meta.precision);
    if (meta.tags.includes('security')) expect(meta.securitySeverity).toMatch(/^\d+(\.\d)?$/);
  });

  it('has messages that start with a capital letter or a quoted value', () => {
    for (const m of Object.values(meta.messages) as string[]) expect(m).toMatch(/^[A-Z`]/);
  });

  it('has an options schema that compiles and accepts its defaults', () => {
    if (!meta.schema) {
      expect(meta.defaultOptions).toBeUndefined();
      return;
    }
    const validate = new Ajv({ strict: true }).compile(meta.schema);
    expect(validate(meta.defaultOptions ?? {})).toBe(true);
  });

  it('has valid and invalid examples and fixtures', () => {
    expect(meta.examples.some((e) => e.expect === 'valid')).toBe(true);
    expect(meta.examples.some((e) => e.expect !== 'valid')).toBe(true);
    const cases = existsSync(path.join(fixturesDir, id)) ? readdirSync(path.join(fixturesDir, id)) : [];
    expect(cases.some((c) => c.startsWith('valid'))).toBe(true);
    expect(cases.some((c) => c.startsWith('invalid'))).toBe(true);
  });

  it('renders its documentation', () => {
    const md = ruleMarkdown(meta);
    expect(md.startsWith(`# ${id}\n`)).toBe(true);
    for (const s of meta.sources) expect(md).toContain(s.url);
  });

  let results: Result[] | undefined;
  const resultsOf = () => (results ??= fixtureResults(id));

  it('has every message exercised by a fixture or an example', () => {
    const produced = producedMessages(resultsOf(), id);
    for (const [messageId, template] of Object.entries(meta.messages) as Array<[string, string]>) {
      const re = templateRegExp(template);
      expect(produced.some((m) => re.test(m)), `message \`${messageId}\` is never produced`).toBe(true);
    }
  });

  it('keeps to its meta over its fixtures and examples: no fix unless meta.fixable, no visitor for a language meta.languages does not declare', () => {
    // The engine turns either breach into an internal-error result (linter.ts, MetaError); every rule runs over every case here.
    const breaches = resultsOf().filter((r) => r.ruleId === 'internal-error' && /meta\.(fixable|languages)/.test(r.message));
    expect(breaches.map((r) => r.message)).toEqual([]);
  });
});
