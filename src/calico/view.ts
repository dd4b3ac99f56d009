/**
 * A typed view of the Calico objects found in Kubernetes YAML trees.
 *
 * Every value in the view points back into the tree (`ValueRef.node`), so a
 * rule can report on the narrowest node. The view never throws on odd shapes:
 * anything not where it is expected is simply absent.
 */
import { createScanner } from 'jsonc-parser';
import {
  getItems,
  getPath,
  getScalar,
  getString,
  isMapping,
  isScalar,
  keyName,
  mapScalarSpan,
} from '../parsers/data-tree.js';
import { lineIndexFor, type LineIndex } from '../parsers/line-index.js';
import type { DataNode, DocumentNode, KubeRoot, MappingNode, Position, ScalarNode } from '../types.js';

export interface ValueRef<T> {
  value: T;
  node: ScalarNode;
  file: string;
}

export interface EnvVar {
  name: string;
  nameNode: ScalarNode;
  file: string;
  value?: ValueRef<string>;
  configMapKeyRef?: { name: string; key: string; node: MappingNode };
}

export interface CalicoNode {
  file: string;
  document: DocumentNode;
  name: string;
  namespace?: string;
  image?: ValueRef<string>;
  /** '3.28.0' parsed from the calico/node image tag (v3.28.0, v3.28.0-1, latest → undefined) */
  version?: string;
  env: Map<string, EnvVar>;
  /** env of the init container named install-cni */
  installCniEnv: Map<string, EnvVar>;
}

export interface CalicoConfigMap {
  file: string;
  document: DocumentNode;
  name: string;
  namespace?: string;
  data: Map<string, ValueRef<string>>;
  /** parsed cni_network_config, if any */
  cni?: EmbeddedCni;
}

export interface EmbeddedCni {
  source: ValueRef<string>;
  /** position of the `__CNI_MTU__` placeholder or of the literal mtu value in the FILE, if found */
  mtu?: { raw: string; position: Position; placeholder: boolean };
}

export interface Installation {
  file: string;
  document: DocumentNode;
  name: string;
  mtu?: ValueRef<number>;
  linuxDataplane?: ValueRef<string>;
  ipPools: Array<{
    node: MappingNode;
    cidr?: ValueRef<string>;
    encapsulation?: ValueRef<string>;
    natOutgoing?: ValueRef<string>;
  }>;
}

export interface FelixConfiguration {
  file: string;
  document: DocumentNode;
  name: string;
  /** spec fields, by name (ipipMTU, vxlanMTU, vxlanMTUV6, wireguardMTU, wireguardMTUV6, mtuIfacePattern, ipipEnabled, vxlanEnabled, ...) */
  spec: Map<string, ValueRef<unknown>>;
}

export interface IPPool {
  file: string;
  document: DocumentNode;
  name: string;
  cidr?: ValueRef<string>;
  ipipMode?: ValueRef<string>;
  vxlanMode?: ValueRef<string>;
  natOutgoing?: ValueRef<boolean>;
}

export interface CalicoView {
  nodes: CalicoNode[];
  configMaps: CalicoConfigMap[];
  installations: Installation[];
  felixConfigurations: FelixConfiguration[];
  ipPools: IPPool[];
}

/** Names of DaemonSets taken as calico-node even without a `calico-node` container. */
const NODE_DAEMONSET_NAMES = new Set(['calico-node', 'calico-node-windows']);

export function buildCalicoView(
  /** `chart`: the Helm chart whose values the file is, when the loader knows it (SourceFile.chart). */
  files: Array<{ path: string; tree: KubeRoot; chart?: string }>,
  text: (path: string) => string,
): CalicoView {
  const view: CalicoView = { nodes: [], configMaps: [], installations: [], felixConfigurations: [], ipPools: [] };
  const indexes = new Map<string, LineIndex | null>();
  const trees = new Map(files.map((f) => [f.path, f.tree] as const));
  const indexOf = (file: string): LineIndex | null => {
    let idx = indexes.get(file);
    if (idx === undefined) {
      try {
        const t = text(file);
        idx = typeof t === 'string' ? lineIndexFor(t, trees.get(file)) : null;
      } catch {
        idx = null;
      }
      indexes.set(file, idx);
    }
    return idx;
  };

  for (const { path, tree } of files) {
    for (const document of tree?.children ?? []) {
      const ctx: Ctx = { file: path, document, view, indexOf };
      visitObject(ctx, document.body, 0);
    }
  }
  // Values of the tigera-operator Helm chart (a values*.yaml beside its Chart.yaml, or a
  // file the configuration's `languages` calls `helm-values:tigera-operator`):
  // `installation` is the spec of the Installation the chart renders.
  const dirOf = (p: string) => p.slice(0, p.lastIndexOf('/') + 1);
  const charts = new Map<string, string>();
  for (const { path, tree } of files) {
    const name = /(^|\/)Chart\.ya?ml$/.test(path) ? getString(tree?.children[0]?.body, 'name') : undefined;
    if (name) charts.set(dirOf(path), name);
  }
  for (const { path, tree, chart: known } of files) {
    const chart = known ?? (/(^|\/)values[^/]*\.ya?ml$/.test(path) ? charts.get(dirOf(path)) : undefined);
    if (chart !== 'tigera-operator') continue;
    const document = tree?.children[0];
    const spec = getPath(document?.body, 'installation');
    if (!document || !isMapping(spec)) continue;
    try {
      installationSpec({ file: path, document, view, indexOf }, 'default (tigera-operator chart values)', spec);
    } catch {
      // Defensive, as for objects.
    }
  }
  return view;
}

interface Ctx {
  file: string;
  document: DocumentNode;
  view: CalicoView;
  indexOf: (file: string) => LineIndex | null;
}

/**
 * The kinds of the Kubernetes objects the view reads (and `List`s of them;
 * Helm values files, which have no kind, are always read): a rule that asks
 * for the view lists them in its `meta.kinds`.
 */
export const CALICO_KINDS: readonly string[] = ['DaemonSet', 'ConfigMap', 'Installation', 'FelixConfiguration', 'IPPool'];

function visitObject(ctx: Ctx, obj: DataNode | null | undefined, depth: number): void {
  if (!isMapping(obj) || depth > 8) return;
  const kind = getString(obj, 'kind');
  const apiVersion = getString(obj, 'apiVersion');
  if (kind === undefined || apiVersion === undefined) return; // not a Kubernetes object
  if (kind === 'List' || kind.endsWith('List')) {
    for (const item of getItems(obj, 'items')) visitObject(ctx, item, depth + 1);
    return;
  }
  try {
    switch (kind) {
      case 'DaemonSet':
        daemonSet(ctx, obj);
        break;
      case 'ConfigMap':
        configMap(ctx, obj);
        break;
      case 'Installation':
        installation(ctx, obj);
        break;
      case 'FelixConfiguration':
        felixConfiguration(ctx, obj);
        break;
      case 'IPPool':
        ipPool(ctx, obj);
        break;
    }
  } catch {
    // Defensive: an unexpected shape must never take the whole run down.
  }
}

// ---------------------------------------------------------------------------

function ref<T>(ctx: Ctx, node: ScalarNode, value: T): ValueRef<T> {
  return { value, node, file: ctx.file };
}

/** A scalar as a string (numbers and booleans stringified, null → ''). */
function stringRef(ctx: Ctx, node: DataNode | undefined): ValueRef<string> | undefined {
  if (!isScalar(node)) return undefined;
  return ref(ctx, node, node.value === null ? '' : String(node.value));
}

function meta(obj: MappingNode): { name: string; namespace?: string } {
  const name = getString(obj, 'metadata', 'name') ?? '';
  const namespace = getString(obj, 'metadata', 'namespace');
  return namespace === undefined ? { name } : { name, namespace };
}

function containerName(c: DataNode): string | undefined {
  return getString(c, 'name');
}

function daemonSet(ctx: Ctx, obj: MappingNode): void {
  const { name, namespace } = meta(obj);
  const podSpec = getPath(obj, 'spec', 'template', 'spec');
  const containers = getItems(podSpec, 'containers').filter(isMapping);
  const initContainers = getItems(podSpec, 'initContainers').filter(isMapping);
  let main = containers.find((c) => containerName(c) === 'calico-node');
  const env = new Map<string, EnvVar>();
  if (main) {
    readEnv(ctx, main, env);
  } else if (NODE_DAEMONSET_NAMES.has(name)) {
    // e.g. calico-node-windows: `node` and `felix` containers; merge their env.
    main = containers.find((c) => /calico\/(node|windows)/.test(getString(c, 'image') ?? '')) ?? containers[0];
    for (const c of containers) if (containerName(c) !== 'install-cni') readEnv(ctx, c, env);
  } else {
    return;
  }
  const installCni =
    initContainers.find((c) => containerName(c) === 'install-cni') ??
    containers.find((c) => containerName(c) === 'install-cni');
  const installCniEnv = new Map<string, EnvVar>();
  if (installCni) readEnv(ctx, installCni, installCniEnv);
  const image = main ? stringRef(ctx, getScalar(main, 'image')) : undefined;
  const node: CalicoNode = { file: ctx.file, document: ctx.document, name, env, installCniEnv };
  if (namespace !== undefined) node.namespace = namespace;
  if (image) {
    node.image = image;
    const version = versionFromImage(image.value);
    if (version) node.version = version;
  }
  ctx.view.nodes.push(node);
}

/** Read a container's `env` list; a repeated name: the last entry wins (as in the kubelet). */
function readEnv(ctx: Ctx, container: MappingNode, out: Map<string, EnvVar>): void {
  for (const item of getItems(container, 'env')) {
    const nameNode = getScalar(item, 'name');
    if (!nameNode || nameNode.value === null) continue;
    const name = String(nameNode.value);
    const envVar: EnvVar = { name, nameNode, file: ctx.file };
    const valueNode = getPath(item, 'value');
    const value = stringRef(ctx, valueNode);
    if (value) envVar.value = value;
    const cmRef = getPath(item, 'valueFrom', 'configMapKeyRef');
    if (isMapping(cmRef)) {
      envVar.configMapKeyRef = {
        name: scalarText(getScalar(cmRef, 'name')),
        key: scalarText(getScalar(cmRef, 'key')),
        node: cmRef,
      };
    }
    out.set(name, envVar);
  }
}

function scalarText(node: ScalarNode | undefined): string {
  return node && node.value !== null ? String(node.value) : '';
}

/**
 * The Calico version from an image reference: `calico/node:v3.28.0` → `3.28.0`,
 * `v3.28.0-1` → `3.28.0`, `v3.28` → `3.28.0`; `latest`, digests only or templates → undefined.
 */
export function versionFromImage(image: string): string | undefined {
  const at = image.indexOf('@');
  const ref = at >= 0 ? image.slice(0, at) : image;
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  if (colon <= slash) return undefined;
  const tag = ref.slice(colon + 1);
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?(?:$|[-+_.])/.exec(tag);
  if (!m) return undefined;
  return `${Number(m[1])}.${Number(m[2])}.${Number(m[3] ?? 0)}`;
}

// ---------------------------------------------------------------------------

function configMap(ctx: Ctx, obj: MappingNode): void {
  const { name, namespace } = meta(obj);
  if (name !== 'calico-config') return;
  const data = new Map<string, ValueRef<string>>();
  const dataNode = getPath(obj, 'data');
  if (isMapping(dataNode)) {
    for (const pair of dataNode.children) {
      const value = stringRef(ctx, pair.value ?? undefined);
      if (value) data.set(keyName(pair), value);
    }
  }
  const cm: CalicoConfigMap = { file: ctx.file, document: ctx.document, name, data };
  if (namespace !== undefined) cm.namespace = namespace;
  const source = data.get('cni_network_config');
  if (source) cm.cni = embeddedCni(ctx, source);
  ctx.view.configMaps.push(cm);
}

// jsonc-parser SyntaxKind values (a const enum in its typings).
const TK_COLON = 6;
const TK_NULL = 7;
const TK_TRUE = 8;
const TK_FALSE = 9;
const TK_STRING = 10;
const TK_NUMBER = 11;
const TK_UNKNOWN = 16;
const TK_EOF = 17;

function embeddedCni(ctx: Ctx, source: ValueRef<string>): EmbeddedCni {
  const cni: EmbeddedCni = { source };
  const json = source.value;
  const scanner = createScanner(json, true);
  let found: { start: number; end: number } | undefined;
  let prevString: string | undefined;
  let afterMtuColon = false;
  for (let tok = scanner.scan(); tok !== TK_EOF; tok = scanner.scan()) {
    if (afterMtuColon) {
      if (tok === TK_NUMBER || tok === TK_UNKNOWN || tok === TK_STRING || tok === TK_NULL || tok === TK_TRUE || tok === TK_FALSE) {
        found = { start: scanner.getTokenOffset(), end: scanner.getTokenOffset() + scanner.getTokenLength() };
      }
      break;
    }
    if (tok === TK_COLON && prevString === 'mtu') {
      afterMtuColon = true;
      continue;
    }
    prevString = tok === TK_STRING ? scanner.getTokenValue() : undefined;
  }
  if (!found) return cni;
  const raw = json.slice(found.start, found.end);
  const mapped = mapScalarSpan(source.node, found.start, found.end);
  const index = ctx.indexOf(ctx.file);
  if (!mapped || !index || index.text.slice(mapped[0], mapped[1]) !== raw) return cni;
  cni.mtu = { raw, position: index.position(mapped[0], mapped[1]), placeholder: /^__[A-Z0-9_]+__$/.test(raw) };
  return cni;
}

// ---------------------------------------------------------------------------

function installation(ctx: Ctx, obj: MappingNode): void {
  const { name } = meta(obj);
  const spec = getPath(obj, 'spec');
  if (isMapping(spec)) installationSpec(ctx, name, spec);
  else ctx.view.installations.push({ file: ctx.file, document: ctx.document, name, ipPools: [] });
}

/** An Installation from its spec (an object's `spec`, or the tigera-operator chart's `installation` values). */
function installationSpec(ctx: Ctx, name: string, spec: MappingNode): void {
  const net = getPath(spec, 'calicoNetwork');
  const inst: Installation = { file: ctx.file, document: ctx.document, name, ipPools: [] };
  const mtuNode = getScalar(net, 'mtu');
  if (mtuNode) {
    const n = toNumber(mtuNode.value);
    if (n !== undefined) inst.mtu = ref(ctx, mtuNode, n);
  }
  const dataplane = stringRef(ctx, getScalar(net, 'linuxDataplane'));
  if (dataplane) inst.linuxDataplane = dataplane;
  for (const pool of getItems(net, 'ipPools')) {
    if (!isMapping(pool)) continue;
    const entry: Installation['ipPools'][number] = { node: pool };
    const cidr = stringRef(ctx, getScalar(pool, 'cidr'));
    if (cidr) entry.cidr = cidr;
    const encapsulation = stringRef(ctx, getScalar(pool, 'encapsulation'));
    if (encapsulation) entry.encapsulation = encapsulation;
    const natOutgoing = stringRef(ctx, getScalar(pool, 'natOutgoing'));
    if (natOutgoing) entry.natOutgoing = natOutgoing;
    inst.ipPools.push(entry);
  }
  ctx.view.installations.push(inst);
}

function toNumber(v: ScalarNode['value']): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(v)) return Number(v);
  return undefined;
}

function felixConfiguration(ctx: Ctx, obj: MappingNode): void {
  const { name } = meta(obj);
  const spec = new Map<string, ValueRef<unknown>>();
  const specNode = getPath(obj, 'spec');
  if (isMapping(specNode)) {
    for (const pair of specNode.children) {
      if (isScalar(pair.value)) spec.set(keyName(pair), ref<unknown>(ctx, pair.value, pair.value.value));
    }
  }
  ctx.view.felixConfigurations.push({ file: ctx.file, document: ctx.document, name, spec });
}

function ipPool(ctx: Ctx, obj: MappingNode): void {
  const { name } = meta(obj);
  const spec = getPath(obj, 'spec');
  const pool: IPPool = { file: ctx.file, document: ctx.document, name };
  const cidr = stringRef(ctx, getScalar(spec, 'cidr'));
  if (cidr) pool.cidr = cidr;
  const ipipMode = stringRef(ctx, getScalar(spec, 'ipipMode'));
  if (ipipMode) pool.ipipMode = ipipMode;
  const vxlanMode = stringRef(ctx, getScalar(spec, 'vxlanMode'));
  if (vxlanMode) pool.vxlanMode = vxlanMode;
  const nat = getScalar(spec, 'natOutgoing');
  if (nat) {
    const v = nat.value;
    const b = typeof v === 'boolean' ? v : v === 'true' ? true : v === 'false' ? false : undefined;
    if (b !== undefined) pool.natOutgoing = ref(ctx, nat, b);
  }
  ctx.view.ipPools.push(pool);
}
