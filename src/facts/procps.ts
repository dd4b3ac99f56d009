/**
 * The procps-ng version (whose `sysctl -p` / `sysctl --system` reads the
 * sysctl files outside systemd-sysctl): the package list of an sosreport
 * snapshot, else `facts.procps` in the configuration.
 */
import semver from 'semver';
import type { Evidence, Fact, FactRoot } from '../types.js';
import { shift, unknown, type FactScope, type FactSetProvider } from './provider.js';

export const procps: FactSetProvider<'procps'> = {
  id: 'procps',
  key: 'procps',
  paths: ['installed-rpms', 'installed-debs'],
  host: (scope, c) =>
    fromSnapshot(scope) ??
    (c.procps
      ? versionFact(c.procps.value, c.procps.evidence)
      : unknown(`add sosreport's \`installed-rpms\` or \`installed-debs\` to the snapshot of ${scope.name}, or set \`facts.procps\``)),
  repository: (c) =>
    c.procps ? versionFact(c.procps.value, c.procps.evidence) : unknown('set `facts.procps` in .hostlint.yaml (the procps-ng version of the hosts, as `sysctl --version` prints it)'),
};

/**
 * `installed-rpms` (`procps-ng-3.3.10-28.el7.x86_64   <install date>`) or
 * `installed-debs` (`dpkg -l`: `ii  procps  2:4.0.2-3  amd64  ...`).
 */
function fromSnapshot(scope: FactScope): Fact<{ version: string }> | undefined {
  for (const file of scope.filesOf('fact')) {
    const tree = file.parsed!.tree as FactRoot;
    if (tree.factKind !== 'packages') continue;
    for (const line of tree.children) {
      const m = /^(procps(?:-ng)?-)(\d+\.\d+(?:\.\d+)?)-\S/.exec(line.value) ?? /^(ii\s+procps(?::\S+)?\s+(?:\d+:)?)(\d+\.\d+(?:\.\d+)?)[-+~\s]/.exec(line.value);
      if (!m) continue;
      const fact = versionFact(m[2]!, { file: file.path, position: shift(line.position, m[1]!.length, m[2]!.length), message: `procps-ng ${m[2]} is installed` });
      if (fact.known) return fact;
    }
  }
  return undefined;
}

function versionFact(version: string, evidence: Evidence): Fact<{ version: string }> {
  const v = semver.coerce(version);
  if (!v) return unknown(`procps-ng version \`${version}\` is not a version`);
  return { known: true, value: { version: v.version }, evidence: [evidence] };
}
