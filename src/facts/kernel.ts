/**
 * The kernel release: /proc/sys/kernel/osrelease, else `uname -a` (or
 * `uname -r`) output of the snapshot; `facts.kernel` in the configuration.
 */
import semver from 'semver';
import type { Evidence, Fact, FactRoot } from '../types.js';
import { shift, unknown, type FactScope, type FactSetProvider, type Kernel } from './provider.js';

export const kernel: FactSetProvider<'kernel'> = {
  id: 'kernel',
  key: 'kernel',
  paths: ['proc/sys/kernel/osrelease', 'sos_commands/kernel/uname_-a', 'uname'],
  host: (scope, c) =>
    fromSnapshot(scope) ??
    (c.kernel
      ? kernelFact(c.kernel.value, c.kernel.evidence)
      : unknown(`add \`proc/sys/kernel/osrelease\` or \`sos_commands/kernel/uname_-a\` to the snapshot of ${scope.name}, or set \`facts.kernel\``)),
  repository: (c) =>
    c.kernel ? kernelFact(c.kernel.value, c.kernel.evidence) : unknown('set `facts.kernel` in .hostlint.yaml (the `uname -r` of the hosts these files configure)'),
};

function fromSnapshot(scope: FactScope): Fact<Kernel> | undefined {
  for (const file of scope.filesOf('fact')) {
    const tree = file.parsed!.tree as FactRoot;
    if (tree.factKind === 'osrelease') {
      const line = tree.children[0];
      if (!line) continue;
      const release = line.value.trim();
      const lead = line.value.indexOf(release);
      const position = shift(line.position, lead, release.length);
      const fact = kernelFact(release, { file: file.path, position, message: `Kernel release ${release}` });
      if (fact.known) return fact;
    }
  }
  for (const file of scope.filesOf('fact')) {
    const tree = file.parsed!.tree as FactRoot;
    if (tree.factKind !== 'uname') continue;
    for (const line of tree.children) {
      // `uname -a` (`Linux host 5.4.0-99-generic #112-Ubuntu ...`), or `uname -r` alone.
      const m = /^(Linux\s+\S+\s+)(\d+\.\d+\S*)/.exec(line.value) ?? bareRelease(line.value);
      if (!m) continue;
      const position = shift(line.position, m[1]!.length, m[2]!.length);
      const fact = kernelFact(m[2]!, { file: file.path, position, message: `Kernel release ${m[2]}` });
      if (fact.known) return fact;
    }
  }
  return undefined;
}

function kernelFact(release: string, evidence: Evidence): Fact<Kernel> {
  const v = semver.coerce(release);
  if (!v) return unknown(`kernel release \`${release}\` is not a version`);
  return { known: true, value: { release, version: v.version }, evidence: [evidence] };
}

/** True when the kernel is known and older than `version` (e.g. `4.12.0`). */
export function kernelBefore(k: Fact<Kernel>, version: string): boolean | undefined {
  return k.known ? semver.lt(k.value.version, version) : undefined;
}

/** A line that is only a kernel release (`uname -r`): [leading blanks, release], like `^(\s*)(\d+\.\d+\.\d+\S*)\s*$` without its quadratic backtracking. */
function bareRelease(line: string): [string, string, string] | null {
  const body = line.trim();
  if (body === '' || /\s/.test(body) || !/^\d+\.\d+\.\d+/.test(body)) return null;
  const lead = line.slice(0, line.indexOf(body));
  return [lead + body, lead, body];
}
