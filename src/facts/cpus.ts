/**
 * The host's CPU count (kube-proxy sizes nf_conntrack_max by it): lscpu's
 * `CPU(s):` line of an sosreport, or the `processor` lines of /proc/cpuinfo.
 */
import type { FactRoot, Location } from '../types.js';
import type { FactProvider, FactScope } from './provider.js';

export const cpusProvider: FactProvider = {
  id: 'cpus',
  paths: ['proc/cpuinfo', 'sos_commands/processor/lscpu'],
};

/** The host's CPU count with where it was read. */
export function cpuCount(scope: FactScope): { cpus: number; evidence: Location } | undefined {
  return scope.derive('cpus', () => {
    for (const file of scope.filesOf('fact')) {
      const tree = file.parsed!.tree as FactRoot;
      if (tree.factKind === 'lscpu') {
        for (const line of tree.children) {
          const m = /^CPU\(s\):\s+(\d+)\s*$/.exec(line.value);
          if (m) return { cpus: Number(m[1]), evidence: { file: file.path, position: line.position, message: `${m[1]} CPUs (lscpu)` } };
        }
      }
      if (tree.factKind === 'cpuinfo') {
        const lines = tree.children.filter((l) => /^processor\s*:/.test(l.value));
        if (lines.length) return { cpus: lines.length, evidence: { file: file.path, position: lines[lines.length - 1]!.position, message: `${lines.length} CPUs (processor lines of /proc/cpuinfo)` } };
      }
    }
    return undefined;
  });
}
