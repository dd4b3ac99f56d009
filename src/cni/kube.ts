/**
 * Helpers the CNI readers share: Kubernetes objects of a set of YAML files,
 * container env, ConfigMap data, and documents embedded in a ConfigMap value
 * (flannel's `net-conf.json`, Antrea's `antrea-agent.conf`) with positions
 * mapped back into the file.
 */
import { getItems, getPath, getScalar, getString, isMapping, isScalar, keyName, mapScalarSpan } from '../parsers/data-tree.js';
import { dataTreeFromJson } from '../parsers/json.js';
import { lineIndexFor, LineIndex } from '../parsers/line-index.js';
import { parseKube } from '../parsers/yaml.js';
import type { DataNode, KubeRoot, Location, MappingNode, Position, ScalarNode, SourceFile } from '../types.js';

/** One Kubernetes object of a file. */
export interface KubeObject {
  file: SourceFile;
  kind: string;
  name: string;
  body: MappingNode;
}

/** Every Kubernetes object (List items included) of the files. */
export function kubeObjects(files: SourceFile[]): KubeObject[] {
  const out: KubeObject[] = [];
  const visit = (file: SourceFile, node: DataNode | null | undefined, depth: number) => {
    if (!isMapping(node) || depth > 8) return;
    const kind = getString(node, 'kind');
    if (kind === undefined || getString(node, 'apiVersion') === undefined) return;
    if (kind === 'List' || kind.endsWith('List')) {
      for (const item of getItems(node, 'items')) visit(file, item, depth + 1);
      return;
    }
    out.push({ file, kind, name: getString(node, 'metadata', 'name') ?? '', body: node });
  };
  for (const file of files) {
    const tree = file.parsed?.tree as KubeRoot | undefined;
    for (const doc of tree?.children ?? []) visit(file, doc.body, 0);
  }
  return out;
}

/** A located string value. */
export interface Located {
  value: string;
  node: ScalarNode;
  file: SourceFile;
}

/** `data` of a ConfigMap, by key (scalars only, stringified). */
export function configMapData(obj: KubeObject): Map<string, Located> {
  const out = new Map<string, Located>();
  const data = getPath(obj.body, 'data');
  if (!isMapping(data)) return out;
  for (const pair of data.children) {
    if (isScalar(pair.value)) out.set(keyName(pair), { value: pair.value.value === null ? '' : String(pair.value.value), node: pair.value, file: obj.file });
  }
  return out;
}

/** The containers (and init containers) of a DaemonSet or Deployment. */
export function containers(obj: KubeObject): MappingNode[] {
  const spec = getPath(obj.body, 'spec', 'template', 'spec');
  return [...getItems(spec, 'containers'), ...getItems(spec, 'initContainers')].filter(isMapping);
}

export interface EnvEntry {
  name: string;
  nameNode: ScalarNode;
  /** A literal `value`. */
  value?: Located;
  /** `valueFrom` of any kind (secret, ConfigMap, field). */
  from?: MappingNode;
}

/** A container's env by name; a repeated name: the last entry wins (as in the kubelet). */
export function containerEnv(file: SourceFile, container: MappingNode): Map<string, EnvEntry> {
  const out = new Map<string, EnvEntry>();
  for (const item of getItems(container, 'env')) {
    const nameNode = getScalar(item, 'name');
    if (!nameNode || nameNode.value === null) continue;
    const entry: EnvEntry = { name: String(nameNode.value), nameNode };
    const v = getPath(item, 'value');
    if (isScalar(v)) entry.value = { value: v.value === null ? '' : String(v.value), node: v, file };
    const from = getPath(item, 'valueFrom');
    if (isMapping(from)) entry.from = from;
    out.set(entry.name, entry);
  }
  return out;
}

/** A positive integer MTU from a scalar (`"1450"`, `1450`); undefined for 0 (auto), templates and garbage. */
export function mtuNumber(node: ScalarNode | undefined): number | undefined {
  if (!node) return undefined;
  const v = typeof node.value === 'string' ? node.value.trim() : node.value;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d{1,6}$/.test(v) ? Number(v) : NaN;
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

/** Kubernetes' and Cilium's boolean strings (`"true"`, `"false"`); undefined otherwise. */
export function boolValue(node: ScalarNode | undefined): boolean | undefined {
  if (!node) return undefined;
  if (typeof node.value === 'boolean') return node.value;
  if (typeof node.value !== 'string') return undefined;
  const v = node.value.trim().toLowerCase();
  return v === 'true' ? true : v === 'false' ? false : undefined;
}

export function locationOf(file: SourceFile, position: Position, message: string): Location {
  return { file: file.path, position, message };
}

/**
 * A document embedded in a string value of a YAML file (JSON or YAML text in
 * a block scalar): its tree, with a function mapping an embedded node to its
 * position in the file (undefined when it cannot be mapped exactly).
 */
export interface Embedded {
  body: DataNode | null;
  positionOf(node: ScalarNode): Position | undefined;
}

export function embedded(file: SourceFile, holder: ScalarNode, language: 'json' | 'yaml'): Embedded | undefined {
  if (typeof holder.value !== 'string') return undefined;
  const text = holder.value;
  let body: DataNode | null = null;
  if (language === 'json') {
    const parsed = dataTreeFromJson(text, new LineIndex(text));
    if (parsed.problems.length) return undefined;
    body = parsed.body;
  } else {
    const parsed = parseKube(text);
    if (parsed.problems.length) return undefined;
    body = parsed.tree.children[0]?.body ?? null;
  }
  const fileIndex = lineIndexFor(file.text, file.parsed?.tree);
  return {
    body,
    positionOf(node) {
      const s = node.position.start.offset;
      const e = node.position.end.offset;
      if (s === undefined || e === undefined) return undefined;
      const mapped = mapScalarSpan(holder, s, e);
      if (!mapped || fileIndex.text.slice(mapped[0], mapped[1]) !== text.slice(s, e)) return undefined;
      return fileIndex.position(mapped[0], mapped[1]);
    },
  };
}
