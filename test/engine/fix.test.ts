/**
 * The fixer: ESLint's SourceCodeFixer for one pass (range order, overlapping
 * and touching fixes deferred, a report's edits merged), and the multipass
 * loop (re-lint after every pass, at most 10 passes, circular fixes stopped).
 */
import { describe, expect, it } from 'vitest';
import { Config } from '../../src/config/load.js';
import { applyFixes, lintAndFix, MAX_FIX_PASSES, mergeFix } from '../../src/engine/fix.js';
import { loadPaths } from '../../src/engine/load.js';
import { defineRule, type Rule } from '../../src/engine/rule.js';
import type { RuleMeta, SysctlAssignmentNode } from '../../src/types.js';
import { writeTree } from '../helpers/lint.js';

const edit = (start: number, end: number, text: string) => ({ edits: [{ range: [start, end] as [number, number], text }] });

describe('one pass (applyFixes)', () => {
  const text = 'abcdefghij';

  it('applies fixes in range order, whatever order they come in', () => {
    const r = applyFixes(text, [edit(8, 9, 'I'), edit(0, 1, 'A'), edit(4, 6, '')]);
    expect(r.output).toBe('AbcdghIj');
    expect(r.applied).toHaveLength(3);
    expect(r.deferred).toEqual([]);
  });

  it('defers a fix that overlaps, or merely touches, one applied before it', () => {
    const overlap = applyFixes(text, [edit(2, 5, 'X'), edit(4, 6, 'Y')]);
    expect(overlap.output).toBe('abXfghij');
    expect(overlap.deferred).toEqual([edit(4, 6, 'Y')]);
    const touching = applyFixes(text, [edit(2, 5, 'X'), edit(5, 6, 'Y')]);
    expect(touching.output).toBe('abXfghij');
    expect(touching.deferred).toEqual([edit(5, 6, 'Y')]);
    // Two insertions at one offset: the second waits.
    const inserts = applyFixes(text, [edit(3, 3, '1'), edit(3, 3, '2')]);
    expect(inserts.output).toBe('abc1defghij');
    expect(inserts.deferred).toHaveLength(1);
  });

  it("merges one fix's edits into one replacement, keeping the text between them", () => {
    const fix = { edits: [{ range: [6, 7] as [number, number], text: 'G' }, { range: [1, 2] as [number, number], text: 'B' }] };
    expect(mergeFix(text, fix)).toEqual({ ok: true, start: 1, end: 7, text: 'BcdefG' });
    // ...and the merged range blocks other fixes inside it.
    const r = applyFixes(text, [fix, edit(3, 4, 'D')]);
    expect(r.output).toBe('aBcdefGhij');
    expect(r.deferred).toEqual([edit(3, 4, 'D')]);
  });

  it('never applies a fix with overlapping edits or a range outside the text', () => {
    const r = applyFixes(text, [{ edits: [{ range: [1, 4], text: 'x' }, { range: [3, 5], text: 'y' }] }, edit(8, 20, 'z'), edit(5, 4, 'w')]);
    expect(r.output).toBe(text);
    expect(r.invalid.map((i) => i.reason)).toEqual([
      'the fix has overlapping edits',
      'edit range [8, 20] is outside the text (length 10)',
      'edit range [5, 4] is outside the text (length 10)',
    ]);
  });
});

// --- the multipass loop, with rules made for it ----------------------------------

const META = {
  type: 'problem',
  description: 'Test rule',
  rationale: 'Test rule.',
  severity: 'error',
  languages: ['sysctl'],
  sources: [],
  tags: [],
  fixable: true,
  examples: [],
} as const;

function rule(id: string, visit: (node: SysctlAssignmentNode, report: (fix: { edits: Array<{ range: [number, number]; text: string }> }) => void) => void): Rule {
  return defineRule({
    meta: { ...META, id, messages: { m: id } } as unknown as RuleMeta<'m'>,
    create: (context) => ({
      'sysctl:assignment': (node: SysctlAssignmentNode) => visit(node, (fix) => context.report({ messageId: 'm', node, fix })),
    }),
  });
}

/** `key=value` → `key = value`: a fix over the whole assignment. */
const spacing = rule('spacing', (node, report) => {
  const [start, end] = [node.position.start.offset!, node.position.end.offset!];
  const canonical = `${node.key.raw} = ${node.value.value}`;
  if (node.value.position.start.offset! - node.key.position.end.offset! !== 3) report({ edits: [{ range: [start, end], text: canonical }] });
});
/** Any value other than 0 → 0: a fix over the value, inside the spacing fix's range. */
const zero = rule('zero', (node, report) => {
  if (node.value.value !== '0') report({ edits: [{ range: [node.value.position.start.offset!, node.value.position.end.offset!], text: '0' }] });
});

function run(text: string, rules: Rule[], maxPasses?: number) {
  const cwd = writeTree({ 'sysctl.conf': text });
  const config = Config.empty(cwd);
  const loaded = loadPaths(['.'], { cwd, config });
  return lintAndFix(loaded.scopes, loaded.diagnostics, { config, rules, cwd, toolVersion: '0.0.0-test' }, maxPasses ? { maxPasses } : {});
}

describe('multipass (lintAndFix)', () => {
  it('applies overlapping fixes in later passes, re-linting in between, and reports the final text', () => {
    const r = run('# keep me\nnet.a=1\nnet.b = 1\n', [spacing, zero]);
    // Pass 1: `spacing` on line 2 wins over the `zero` inside it; `zero` on line 3 applies.
    // Pass 2: `zero` on line 2. Pass 3 finds nothing to fix.
    expect(r.passes).toBe(2);
    expect(r.fixed.get('sysctl.conf')?.output).toBe('# keep me\nnet.a = 0\nnet.b = 0\n');
    expect(r.fixed.get('sysctl.conf')?.original).toBe('# keep me\nnet.a=1\nnet.b = 1\n');
    expect(r.report.files).toEqual([{ path: 'sysctl.conf', results: [], output: '# keep me\nnet.a = 0\nnet.b = 0\n' }]);
    expect(r.report.errorCount).toBe(0);
    expect(r.warnings).toEqual([]);
  });

  it('does not fix suppressed results', () => {
    const r = run('# hostlint-disable-next-line zero\nnet.a = 1\nnet.b = 1\n', [zero]);
    expect(r.fixed.get('sysctl.conf')?.output).toBe('# hostlint-disable-next-line zero\nnet.a = 1\nnet.b = 0\n');
  });

  it('stops a file whose fixes undo each other (circular), with a warning', () => {
    const flip = rule('flip', (node, report) => {
      if (node.value.value === '0') report({ edits: [{ range: [node.value.position.start.offset!, node.value.position.end.offset!], text: '1' }] });
    });
    const r = run('net.a = 1\n', [zero, flip]);
    expect(r.warnings).toEqual(['sysctl.conf: circular fixes detected (a later fix undoes an earlier one); fixing stopped for this file']);
    expect(r.passes).toBe(1);
    expect(r.fixed.get('sysctl.conf')?.output).toBe('net.a = 0\n');
    expect(r.report.files[0]!.results.map((x) => x.ruleId)).toEqual(['flip']);
  });

  it(`stops after ${MAX_FIX_PASSES} passes`, () => {
    const grow = rule('grow', (node, report) => {
      report({ edits: [{ range: [node.value.position.end.offset!, node.value.position.end.offset!], text: '9' }] });
    });
    const r = run('net.a = 1\n', [grow]);
    expect(r.passes).toBe(10);
    expect(r.fixed.get('sysctl.conf')?.output).toBe('net.a = 19999999999\n');
    expect(run('net.a = 1\n', [grow], 3).fixed.get('sysctl.conf')?.output).toBe('net.a = 1999\n');
  });

  it('fixes only the files it may change', () => {
    const cwd = writeTree({ 'a/sysctl.conf': 'net.a = 1\n', 'b/sysctl.conf': 'net.a = 1\n' });
    const config = Config.empty(cwd);
    const loaded = loadPaths(['.'], { cwd, config });
    const r = lintAndFix(loaded.scopes, loaded.diagnostics, { config, rules: [zero], cwd, toolVersion: '0' }, { canFix: (p) => p.startsWith('a/') });
    expect([...r.fixed.keys()]).toEqual(['a/sysctl.conf']);
    expect(r.report.files.map((f) => [f.path, f.results.length, f.output])).toEqual([
      ['a/sysctl.conf', 0, 'net.a = 0\n'],
      ['b/sysctl.conf', 1, undefined],
    ]);
  });
});
