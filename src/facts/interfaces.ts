/**
 * The host's network interfaces with their MTUs: /sys/class/net/<if>/mtu (and
 * operstate), else `ip link` / `ip address` output of an sosreport.
 */
import type { Evidence, FactRoot, Position } from '../types.js';
import { shift, type FactProvider, type FactScope } from './provider.js';

export interface NetInterface {
  name: string;
  mtu: number;
  /** Operational state when known (`up`, `down`, `unknown`, ...). */
  state?: string;
  evidence: Evidence;
}

export const interfacesProvider: FactProvider = {
  id: 'interfaces',
  paths: [
    'sys/class/net/*/mtu',
    'sys/class/net/*/operstate',
    'sos_commands/networking/ip_-o_link',
    'sos_commands/networking/ip_-s_-d_link',
    'sos_commands/networking/ip_-d_link',
    'sos_commands/networking/ip_-d_address',
    'sos_commands/networking/ip_address',
  ],
};

/** Network interfaces of the host, from `/sys/class/net`, else `ip link` / `ip address` output. */
export function interfaces(scope: FactScope): NetInterface[] {
  return scope.derive('interfaces', () => fromSnapshot(scope));
}

function fromSnapshot(scope: FactScope): NetInterface[] {
  const byName = new Map<string, NetInterface>();
  for (const file of scope.filesOf('fact')) {
    const tree = file.parsed!.tree as FactRoot;
    const m = /^\/sys\/class\/net\/([^/]+)\/(mtu|operstate)$/.exec(file.hostPath ?? '');
    if (m && tree.factKind === 'mtu') {
      const line = tree.children[0];
      const mtu = line ? Number.parseInt(line.value.trim(), 10) : NaN;
      if (!Number.isFinite(mtu)) continue;
      const prev = byName.get(m[1]!);
      byName.set(m[1]!, { name: m[1]!, mtu, state: prev?.state, evidence: { file: file.path, position: shift(line!.position, line!.value.indexOf(line!.value.trim()), line!.value.trim().length), message: `MTU of ${m[1]} is ${mtu}` } });
    }
  }
  for (const file of scope.filesOf('fact')) {
    const tree = file.parsed!.tree as FactRoot;
    const m = /^\/sys\/class\/net\/([^/]+)\/operstate$/.exec(file.hostPath ?? '');
    if (m && tree.factKind === 'operstate') {
      const iface = byName.get(m[1]!);
      if (iface && tree.children[0]) iface.state = tree.children[0].value.trim();
    }
    if (tree.factKind === 'ip-link' || tree.factKind === 'ip-address') {
      for (const line of tree.children) {
        const l = /^\d+:\s+([^:@\s]+)(?:@\S+)?:\s+<[^>]*>\s+mtu\s+(\d+)(?:.*?\sstate\s+(\S+))?/.exec(line.value);
        if (!l || byName.has(l[1]!)) continue;
        const at = line.value.indexOf(`mtu ${l[2]}`);
        byName.set(l[1]!, { name: l[1]!, mtu: Number(l[2]), state: l[3]?.toLowerCase(), evidence: { file: file.path, position: shift(line.position, at, 4 + l[2]!.length), message: `MTU of ${l[1]} is ${l[2]}` } });
      }
    }
  }
  return [...byName.values()];
}

/** An interface with a global IPv6 address the kernel configured from a router advertisement. */
export interface RaUplink {
  iface: string;
  address: string;
  evidence: { file: string; position: Position; message: string };
}

/** Interfaces with a `scope global dynamic` inet6 address in the snapshot's `ip address` output (none in the repository). */
export function raUplinks(scope: FactScope): RaUplink[] {
  if (scope.kind !== 'host') return [];
  return scope.derive('raUplinks', () => {
    const out: RaUplink[] = [];
    const seen = new Set<string>();
    for (const file of scope.filesOf('fact')) {
      const tree = file.parsed!.tree as FactRoot;
      if (tree.factKind !== 'ip-address') continue;
      let iface: string | undefined;
      for (const line of tree.children) {
        const head = /^\d+:\s+([^:@\s]+)/.exec(line.value);
        if (head) {
          iface = head[1];
          continue;
        }
        const m = /^(\s+inet6\s+)(\S+)\s+scope\s+global\s+(.*)$/.exec(line.value);
        if (!m || !iface || seen.has(iface) || !/(^|\s)dynamic(\s|$)/.test(m[3]!)) continue;
        seen.add(iface);
        const address = m[2]!;
        out.push({ iface, address, evidence: { file: file.path, position: shift(line.position, m[1]!.length, address.length), message: `${iface} has the router-advertised address ${address} (scope global dynamic)` } });
      }
    }
    return out;
  });
}
