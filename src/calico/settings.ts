/**
 * How calico-node and Felix read the settings found in a CalicoView: env
 * values that come from the `calico-config` ConfigMap, Felix's booleans,
 * encapsulation modes, and the felix.cfg of a host.
 */
import semver from 'semver';
import type { FelixRoot, IniPropertyNode, SourceFile } from '../types.js';
import type { CalicoNode, CalicoView, ValueRef } from './view.js';

/**
 * The value of a calico-node env var: a literal `value`, or the ConfigMap key
 * its `configMapKeyRef` names (when that ConfigMap is in the view).
 */
export function envValue(view: CalicoView, node: CalicoNode, name: string): ValueRef<string> | undefined {
  const env = node.env.get(name);
  if (!env) return undefined;
  if (env.value) return env.value;
  const ref = env.configMapKeyRef;
  return ref ? view.configMaps.find((c) => c.name === ref.name)?.data.get(ref.key) : undefined;
}

/** Felix's boolean syntax (config_params.go BoolParam); undefined when it is not a boolean. */
export function felixBool(raw: unknown): boolean | undefined {
  if (typeof raw === 'boolean') return raw;
  if (typeof raw !== 'string') return undefined;
  const v = raw.trim().toLowerCase();
  if (['true', '1', 'yes', 'y', 't'].includes(v)) return true;
  if (['false', '0', 'no', 'n', 'f'].includes(v)) return false;
  return undefined;
}

/**
 * Whether an IPIP or VXLAN mode enables encapsulation: `Always` or
 * `CrossSubnet` (calico-node also accepts `cross-subnet`); `Never`, `Off`
 * and empty do not.
 */
export function encapsulationOn(mode: string): boolean {
  return /^(always|crosssubnet|cross-subnet)$/i.test(mode.trim());
}

/** One key of a felix.cfg: every property that sets it, in file order, and the one Felix uses. */
export interface FelixKey {
  name: string;
  properties: IniPropertyNode[];
  winner: IniPropertyNode;
}

/**
 * The keys of a felix.cfg as Felix reads them (felix/config/file_loader.go
 * with go-ini): sections are taken in the order they first appear (keys before
 * any header belong to `DEFAULT`, which comes first), a section repeated later
 * in the file is the same section, a key repeated within a section keeps its
 * last value, and the sections' keys are merged in that order, so the last
 * section that sets a key decides it.
 */
export function felixKeys(tree: FelixRoot): ReadonlyMap<string, FelixKey> {
  // Asked for once per key looked up: made once per tree (a hidden property, not a WeakMap).
  const known = (tree as { [FELIX_KEYS]?: ReadonlyMap<string, FelixKey> })[FELIX_KEYS];
  if (known) return known;
  const keys = felixKeysOf(tree);
  Object.defineProperty(tree, FELIX_KEYS, { value: keys });
  return keys;
}

const FELIX_KEYS = Symbol('felixKeys');

function felixKeysOf(tree: FelixRoot): Map<string, FelixKey> {
  const sections = new Map<string, Map<string, IniPropertyNode>>();
  const all = new Map<string, IniPropertyNode[]>();
  for (const section of tree.children) {
    const name = section.name === '' ? 'DEFAULT' : section.name;
    let keys = sections.get(name);
    if (!keys) sections.set(name, (keys = new Map()));
    for (const child of section.children) {
      if (child.type !== 'property') continue;
      keys.set(child.key.name, child);
      const list = all.get(child.key.name) ?? [];
      list.push(child);
      all.set(child.key.name, list);
    }
  }
  const winners = new Map<string, IniPropertyNode>();
  for (const keys of sections.values()) for (const [k, p] of keys) winners.set(k, p);
  const out = new Map<string, FelixKey>();
  for (const [name, properties] of all) out.set(name, { name, properties, winner: winners.get(name)! });
  return out;
}

/** The property Felix uses for `key` (names compared without case) in a host's felix.cfg files. */
export function felixFileSetting(files: SourceFile[], key: string): { file: SourceFile; property: IniPropertyNode } | undefined {
  let hit: { file: SourceFile; property: IniPropertyNode } | undefined;
  for (const file of files) {
    const tree = file.parsed?.tree as FelixRoot | undefined;
    if (!tree) continue;
    for (const k of felixKeys(tree).values()) if (k.name.toLowerCase() === key.toLowerCase()) hit = { file, property: k.winner };
  }
  return hit;
}

/** True when a Calico version (`3.28.0`, from `CalicoNode.version`) is at least `min`. */
export function calicoAtLeast(version: string | undefined, min: string): boolean | undefined {
  return version === undefined ? undefined : semver.gte(version, min);
}
