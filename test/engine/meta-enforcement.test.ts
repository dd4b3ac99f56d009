/**
 * The engine holds rules to their meta: a fix from a rule whose meta.fixable
 * is false, or a visitor for a language its meta.languages does not declare,
 * is an internal error (the meta-test fails on it).
 */
import { describe, expect, it } from 'vitest';
import { Config } from '../../src/config/load.js';
import { runScopes } from '../../src/engine/linter.js';
import { loadPaths } from '../../src/engine/load.js';
import { defineRule, type Rule } from '../../src/engine/rule.js';
import type { RuleMeta } from '../../src/types.js';
import { allResults, writeTree } from '../helpers/lint.js';

const meta = (id: string, over: Partial<RuleMeta>): RuleMeta<'m'> => ({
  id,
  type: 'problem',
  description: 'Disallow things',
  rationale: '',
  severity: 'warning',
  precision: 'high',
  languages: ['sysctl'],
  messages: { m: 'Found {{key}}' },
  sources: [],
  tags: [],
  fixable: false,
  examples: [],
  ...over,
});

function lint(rule: Rule) {
  const cwd = writeTree({ 'etc/sysctl.conf': 'net.ipv4.ip_forward = 0\n', 'etc/resolv.conf': 'nameserver 10.0.0.1\n' });
  const config = Config.empty(cwd);
  const loaded = loadPaths(['.'], { cwd, config });
  return allResults(runScopes(loaded.scopes, loaded.diagnostics, { config, rules: [rule], cwd, toolVersion: '0' })).map((r) => `${r.file}:${r.position.start.line}:${r.position.start.column} ${r.ruleId} ${r.message}`);
}

describe('meta enforcement', () => {
  it('a rule keeping to its meta reports, with typed visitors', () => {
    const rule = defineRule({
      meta: meta('test-ok', { fixable: true }),
      create: (context) => ({
        'sysctl:assignment'(node) {
          // `node` is a SysctlAssignmentNode: its key is typed.
          context.report({ node: node.key, messageId: 'm', data: { key: node.key.name }, fix: { edits: [{ range: [node.value.position.start.offset!, node.value.position.end.offset!], text: '1' }] } });
        },
      }),
    });
    expect(lint(rule)).toEqual(['etc/sysctl.conf:1:1 test-ok Found net.ipv4.ip_forward']);
  });

  it('a fix from a rule without meta.fixable is an internal error', () => {
    const rule = defineRule({
      meta: meta('test-fix', {}),
      create: (context) => ({
        'sysctl:assignment'(node) {
          context.report({ node, messageId: 'm', data: { key: node.key.name }, fix: { edits: [{ range: [0, 0], text: '' }] } });
        },
      }),
    });
    expect(lint(rule)).toEqual(['etc/sysctl.conf:1:1 internal-error Rule `test-fix` failed: rule test-fix reported a fix but its meta.fixable is false']);
  });

  it('a visitor for a language not in meta.languages is an internal error, and the rule does not run', () => {
    const rule = defineRule({
      meta: meta('test-lang', {}),
      create: (context) => ({
        'sysctl:assignment'(node) {
          context.report({ node, messageId: 'm', data: { key: node.key.name } });
        },
        'resolv:directive'(node) {
          context.report({ node, messageId: 'm', data: { key: node.name } });
        },
      }),
    });
    expect(lint(rule)).toEqual(['etc/resolv.conf:1:1 internal-error Rule `test-lang` failed: rule test-lang visits `resolv:directive` but its meta.languages does not declare that language']);
  });
});
