/**
 * unified inside each file: every file is parsed by its language's unified
 * processor, and its VFile carries its messages — parse errors (fatal) and
 * rule results — as VFileMessages with hostlint's fields.
 */
import { VFile } from 'vfile';
import { VFileMessage } from 'vfile-message';
import { describe, expect, it } from 'vitest';
import { rules } from '../../rules/index.js';
import { Config } from '../../src/config/load.js';
import { runScopes } from '../../src/engine/linter.js';
import { loadPaths } from '../../src/engine/load.js';
import { createMessage } from '../../src/engine/message.js';
import { LANGUAGES, languageOf } from '../../src/languages/index.js';
import { writeTree } from '../helpers/lint.js';

describe('per-file unified pipeline', () => {
  it('each language has one frozen processor whose parser yields the unist tree', () => {
    const resolv = languageOf('resolv');
    const file = new VFile({ path: 'etc/resolv.conf', value: 'nameserver 10.0.0.1\n' });
    const tree = resolv.processor.parse(file);
    expect(tree).toMatchObject({ type: 'root', language: 'resolv', children: [{ type: 'directive', name: 'nameserver' }] });
    expect(resolv.processor.parse(new VFile('search a\n')).children).toHaveLength(1);
    // Frozen: attaching a plugin to the language's processor is refused.
    expect(() => resolv.processor.use(() => undefined)).toThrow(/frozen/);
    expect(LANGUAGES.map((l) => l.id)).toEqual(['sysctl', 'sysctl-dump', 'resolv', 'felix', 'cni', 'kube', 'fact']);
  });

  it('running the processor runs the engine\'s traversal for the file (the rules\' transformer), leaving the tree as it was', () => {
    const sysctl = languageOf('sysctl');
    const file = new VFile({ path: 'etc/sysctl.conf', value: 'a = 1\n' });
    const tree = sysctl.processor.parse(file);
    const seen: string[] = [];
    file.data.hostlintVisit = (t) => seen.push(`${t.type}:${t.children.length}`);
    expect(sysctl.processor.runSync(tree, file)).toBe(tree);
    expect(seen).toEqual(['root:1']);
  });

  it('a file\'s VFile carries its parse errors and rule results, as VFileMessages', () => {
    const cwd = writeTree({
      'etc/sysctl.conf': 'net.ipv4.tcp_tw_recycle = 1\n',
      'cni/net.d/10-calico.conflist': '{ "cniVersion": ',
    });
    const config = Config.empty(cwd);
    const loaded = loadPaths(['.'], { cwd, config });
    const report = runScopes(loaded.scopes, loaded.diagnostics, { config, rules, cwd, toolVersion: '0.0.0-test' });
    const files = new Map(loaded.scopes.flatMap((s) => s.files).map((f) => [f.path, f]));

    const sysctl = files.get('etc/sysctl.conf')!;
    const recycle = sysctl.vfile.messages.find((m) => m.ruleId === 'sysctl-tw-recycle')!;
    expect(recycle).toBeInstanceOf(VFileMessage);
    // Without a known kernel the finding is demoted to a warning: fatal false, as unified-lint-rule has it.
    expect(recycle).toMatchObject({ source: 'hostlint', file: 'etc/sysctl.conf', line: 1, column: 27, severity: 'warning', fatal: false });
    expect(recycle.place).toEqual({ start: { line: 1, column: 27, offset: 26 }, end: { line: 1, column: 28, offset: 27 } });
    expect(recycle.stack).toBe('');

    const cni = files.get('cni/net.d/10-calico.conflist')!;
    const parse = cni.vfile.messages.find((m) => m.ruleId === 'parse-error')!;
    expect(parse).toBeInstanceOf(VFileMessage);
    expect(parse).toMatchObject({ fatal: true, source: 'hostlint', line: 1 });

    // The report is built from the VFiles: the same message objects.
    const reported = report.files.find((f) => f.path === 'etc/sysctl.conf')!.results;
    expect(reported).toContain(recycle);
  });

  it('messages are made without capturing a stack, and keep their fields through structured clone', () => {
    const m = createMessage({ ruleId: 'x', severity: 'warning', message: 'm', file: 'f', position: { start: { line: 2, column: 3, offset: 9 }, end: { line: 2, column: 4, offset: 10 } }, related: [], host: 'h' });
    expect(m).toBeInstanceOf(VFileMessage);
    expect(m).toBeInstanceOf(Error);
    expect(Object.hasOwn(m, 'stack')).toBe(false);
    expect(m).toMatchObject({ reason: 'm', message: 'm', line: 2, column: 3, fatal: false, ruleId: 'x', source: 'hostlint' });
    // Audit workers send results back by structured clone: every field arrives.
    expect(structuredClone(m)).toMatchObject({ ruleId: 'x', severity: 'warning', message: 'm', file: 'f', host: 'h', line: 2 });
  });
});
