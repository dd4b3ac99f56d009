/**
 * tuned as a sysctl source (src/engine/tuned.ts): the active profile's
 * `[sysctl]` section, `include=` parents merged first (the child wins), and
 * the precedence against the sysctl files set by `reapply_sysctl`.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Config } from '../../src/config/load.js';
import { loadPaths } from '../../src/engine/load.js';
import { writeTree } from '../helpers/lint.js';

const base = {
  'h1/proc/sys/kernel/osrelease': '3.10.0-1160.el7.x86_64\n',
  'h1/etc/tuned/active_profile': 'site\n',
  'h1/usr/lib/tuned/parent/tuned.conf': '[main]\nsummary=parent\n\n[sysctl]\nvm.swappiness = 10\nvm.dirty_ratio = 40\n',
  'h1/etc/tuned/site/tuned.conf': '[main]\ninclude=parent\n\n[vm]\ntransparent_hugepages=never\n\n[sysctl]\nvm.swappiness = 1\nnet.core.somaxconn = ${f:exec:echo:4096}\n',
  'h1/etc/sysctl.d/90-local.conf': 'vm.dirty_ratio = 20\n',
};

function effective(files: Record<string, string>, key: string): { value: string; file: string; line: number } | undefined {
  const cwd = writeTree(files);
  const scope = loadPaths(['.'], { cwd, config: Config.empty(cwd) }).scopes.find((s) => s.kind === 'host')!;
  const e = scope.sysctlSets()[0]?.effective(key);
  return e ? { value: e.value, file: path.basename(path.dirname(e.file.path)) + '/' + path.basename(e.file.path), line: e.node.position.start.line } : undefined;
}

describe('tuned', () => {
  it('merges include= parents first; the child profile wins, at its own line', () => {
    expect(effective(base, 'vm.swappiness')).toEqual({ value: '1', file: 'site/tuned.conf', line: 8 });
  });

  it('skips values with tuned variables and sections other than [sysctl]', () => {
    expect(effective(base, 'net.core.somaxconn')).toBeUndefined();
    expect(effective(base, 'transparent_hugepages')).toBeUndefined();
  });

  it('reapply_sysctl (default 1): the sysctl files win over the profile', () => {
    expect(effective(base, 'vm.dirty_ratio')).toEqual({ value: '20', file: 'sysctl.d/90-local.conf', line: 1 });
  });

  it('reapply_sysctl = 0: the profile wins over the sysctl files', () => {
    const files = { ...base, 'h1/etc/tuned/tuned-main.conf': 'daemon = 1\nreapply_sysctl = 0\n' };
    expect(effective(files, 'vm.dirty_ratio')).toEqual({ value: '40', file: 'parent/tuned.conf', line: 6 });
  });

  it('no active_profile: tuned contributes nothing', () => {
    const { ['h1/etc/tuned/active_profile']: _drop, ...files } = base;
    expect(effective(files, 'vm.swappiness')).toBeUndefined();
  });
});
