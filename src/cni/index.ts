/**
 * The CNI configurations of a scope (every CNI but Calico, whose view is
 * src/calico/), and what a node shows of its CNI: the configuration files in
 * /etc/cni/net.d in the order the runtime reads them, flannel's subnet.env,
 * and the MTUs of the CNIs' devices. Plain data for the node part, so that a
 * fleet audit can send it along with the host's summary.
 */
import { interfaces } from '../facts/interfaces.js';
import type { FactScope } from '../facts/provider.js';
import { getItems, getScalar, getString } from '../parsers/data-tree.js';
import type { CniRoot, FactRoot, KubeRoot, Location, Position, SourceFile } from '../types.js';
import { readCilium, readCiliumValues } from './cilium.js';
import { readCanal, readFlannel } from './flannel.js';
import { kubeObjects } from './kube.js';
import { CNI_DEVICES, cniOfPluginType, type CniConfig, type CniName } from './model.js';
import { readAntrea, readAwsVpcCni, readWeave } from './others.js';
import { ORIGIN } from '../util/position.js';

export * from './model.js';

/** The kinds of the Kubernetes objects the CNI readers read (a rule that asks for `cniConfigs` lists them in its `meta.kinds`). */
export const CNI_KINDS: readonly string[] = ['ConfigMap', 'DaemonSet'];

/** CNI configurations of one directory (repository) or one host, read from Kubernetes YAML. */
export function readCniConfigs(files: SourceFile[]): CniConfig[] {
  const out: CniConfig[] = [];
  for (const obj of kubeObjects(files)) {
    for (const read of [readFlannel, readCanal, readCilium, readAntrea, readAwsVpcCni, readWeave]) {
      const c = read(obj);
      if (c) out.push(c);
    }
  }
  // Values of the cilium chart: a values*.yaml beside the chart's Chart.yaml (`name: cilium`),
  // or a file the configuration's `languages` calls `helm-values:cilium`.
  const charts = new Map<string, string>();
  for (const file of files) {
    if (!/(^|\/)Chart\.ya?ml$/.test(file.path)) continue;
    const name = getString((file.parsed?.tree as KubeRoot | undefined)?.children[0]?.body, 'name');
    if (name) charts.set(dirOf(file.path), name);
  }
  for (const file of files) {
    const chart = file.chart ?? (/(^|\/)values[^/]*\.ya?ml$/.test(file.path) ? charts.get(dirOf(file.path)) : undefined);
    if (chart !== 'cilium') continue;
    const tree = file.parsed?.tree as KubeRoot | undefined;
    const c = readCiliumValues(file, tree?.children[0]?.body ?? null);
    if (c) out.push(c);
  }
  return out;
}

const dirOf = (p: string) => p.slice(0, p.lastIndexOf('/') + 1);

/** CNI configurations of a scope, with the directory each belongs to (`''` on a host). */
export function cniConfigs(scope: FactScope): Array<{ dir: string; configs: CniConfig[] }> {
  return scope.derive('cniConfigs', () => readScope(scope));
}

function readScope(scope: FactScope): Array<{ dir: string; configs: CniConfig[] }> {
  const groups = new Map<string, SourceFile[]>();
  for (const f of scope.files) {
    if (f.language !== 'kube' || !f.parsed) continue;
    const key = scope.kind === 'host' ? '' : f.path.slice(0, f.path.lastIndexOf('/') + 1);
    const list = groups.get(key) ?? [];
    list.push(f);
    groups.set(key, list);
  }
  return [...groups.entries()].map(([dir, files]) => ({ dir, configs: readCniConfigs(files) })).filter((g) => g.configs.length > 0);
}

/** One CNI configuration file of a node, in the runtime's order. */
export interface NodeCniFile {
  /** The file name in /etc/cni/net.d. */
  name: string;
  /** The plugin type of its first plugin (or of the file, for a .conf). */
  type?: string;
  /** Which CNI it belongs to, when known. */
  cni?: CniName | 'calico';
  /** Its `mtu` (of any plugin), when set. */
  mtu?: number;
  location: Location;
  mtuLocation?: Location;
}

/** What a node shows of its CNI (plain data). */
export interface HostCniFacts {
  /** The configuration files of /etc/cni/net.d the runtime considers, sorted as it sorts them; the first is used. */
  files: NodeCniFile[];
  /** `FLANNEL_MTU` of /run/flannel/subnet.env. */
  flannelMtu?: { value: number; location: Location };
  /** MTUs of the CNI devices (flannel.1, cilium_vxlan, antrea-gw0, vxlan.calico, tunl0, ...). */
  devices: Array<{ name: string; cni: CniName | 'calico'; mtu: number; location: Location }>;
}


/** Extensions the container runtimes read in /etc/cni/net.d (containerd go-cni, kubelet's dockershim, CRI-O's ocicni). */
export const CNI_CONF_EXTENSIONS = ['.conf', '.conflist', '.json'];

/** Go's sort.Strings: byte order of the UTF-8 names (not locale, not UTF-16 order). */
export function goStringCompare(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

export function hostCniFacts(scope: FactScope): HostCniFacts {
  return scope.derive('hostCniFacts', () => readHostCni(scope));
}

function readHostCni(scope: FactScope): HostCniFacts {
  const out: HostCniFacts = { files: [], devices: [] };
  const confs = scope
    .filesOf('cni')
    .filter((f) => /^\/etc\/cni\/net\.d\/[^/]+$/.test(f.hostPath ?? '') && CNI_CONF_EXTENSIONS.some((e) => (f.hostPath ?? '').endsWith(e)))
    .map((f) => ({ f, name: f.hostPath!.slice('/etc/cni/net.d/'.length) }))
    .sort((a, b) => goStringCompare(a.name, b.name));
  for (const { f, name } of confs) {
    const body = (f.parsed!.tree as CniRoot).children[0]?.body ?? null;
    const plugins = getItems(body, 'plugins');
    const first = plugins.length ? plugins[0] : body;
    const typeNode = getScalar(first, 'type');
    const type = typeNode && typeof typeNode.value === 'string' ? typeNode.value : undefined;
    const entry: NodeCniFile = { name, location: { file: f.path, position: typeNode?.position ?? body?.position ?? ORIGIN, message: `${f.hostPath}${type ? ` (plugin type ${type})` : ''} on ${scope.name}` } };
    if (type) {
      entry.type = type;
      const cni = cniOfPluginType(type, name);
      if (cni) entry.cni = cni;
    }
    for (const p of plugins.length ? plugins : [body]) {
      const m = getScalar(p, 'mtu');
      if (m && typeof m.value === 'number' && Number.isInteger(m.value) && m.value > 0) {
        entry.mtu = m.value;
        entry.mtuLocation = { file: f.path, position: m.position, message: `mtu ${m.value} in ${f.hostPath} on ${scope.name}` };
        break;
      }
    }
    out.files.push(entry);
  }
  for (const f of scope.filesOf('fact')) {
    const tree = f.parsed!.tree as FactRoot;
    if (tree.factKind !== 'flannel-subnet-env') continue;
    for (const line of tree.children) {
      const m = /^(\s*FLANNEL_MTU=)(\d{1,6})\s*$/.exec(line.value);
      if (!m) continue;
      const start = (line.position.start.offset ?? 0) + m[1]!.length;
      const position: Position = {
        start: { line: line.position.start.line, column: line.position.start.column + m[1]!.length, offset: start },
        end: { line: line.position.start.line, column: line.position.start.column + m[1]!.length + m[2]!.length, offset: start + m[2]!.length },
      };
      out.flannelMtu = { value: Number(m[2]), location: { file: f.path, position, message: `FLANNEL_MTU=${m[2]} in /run/flannel/subnet.env on ${scope.name}` } };
    }
  }
  for (const i of interfaces(scope)) {
    const dev = CNI_DEVICES.find((d) => d.pattern.test(i.name));
    if (!dev) continue;
    out.devices.push({ name: i.name, cni: dev.cni, mtu: i.mtu, location: { file: i.evidence.file, position: i.evidence.position ?? ORIGIN, message: `${i.evidence.message} on ${scope.name}` } });
  }
  return out;
}

/** The CNI a node runs: the one of the configuration file its runtime uses (the first by name). */
export function nodeCni(facts: HostCniFacts | undefined): CniName | 'calico' | undefined {
  return facts?.files[0]?.cni;
}
