/**
 * Whether clients reach the host through NAT: `facts.nat` in the
 * configuration, else a MASQUERADE rule in the snapshot's `iptables-save`
 * output (Kubernetes nodes masquerade pod traffic; NAT gateways and Docker
 * hosts do too). Only a positive fact from the snapshot: no such rule is not
 * evidence that clients do not arrive through NAT elsewhere.
 */
import type { Fact, FactRoot } from '../types.js';
import { fromConfig, shift, unknown, type FactScope, type FactSetProvider } from './provider.js';

export const nat: FactSetProvider<'nat'> = {
  id: 'nat',
  key: 'nat',
  paths: ['sos_commands/networking/iptables-save', 'sos_commands/firewall_tables/iptables-save', 'iptables-save'],
  // The configuration says how clients reach the host; without it, a MASQUERADE rule shows NAT here.
  host: (scope, c) => (c.nat ? fromConfig(c.nat, '') : (fromSnapshot(scope) ?? unknown(`set \`facts.nat\` for ${scope.name} (or add \`iptables-save\` output to its snapshot)`))),
  repository: (c) => fromConfig(c.nat, 'set `facts.nat` in .hostlint.yaml'),
};

function fromSnapshot(scope: FactScope): Fact<boolean> | undefined {
  for (const file of scope.filesOf('fact')) {
    const tree = file.parsed!.tree as FactRoot;
    if (tree.factKind !== 'iptables-save') continue;
    for (const line of tree.children) {
      if (!isMasqueradeRule(line.value)) continue;
      const text = line.value.trim();
      const position = shift(line.position, line.value.indexOf(text), text.length);
      return { known: true, value: true, evidence: [{ file: file.path, position, message: `NAT on ${scope.name}: iptables MASQUERADE rule \`${text}\`` }] };
    }
  }
  return undefined;
}

/** `-A CHAIN … -j MASQUERADE …` (an iptables-save rule), by tokens: the regex for it was quadratic. */
function isMasqueradeRule(line: string): boolean {
  const tokens = line.trim().split(/\s+/);
  if (tokens[0] !== '-A' || tokens.length < 4) return false;
  for (let i = 2; i + 1 < tokens.length; i++) if (tokens[i] === '-j' && tokens[i + 1] === 'MASQUERADE') return true;
  return false;
}
