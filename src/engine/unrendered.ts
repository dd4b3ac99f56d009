/**
 * YAML that is not a Kubernetes object until a tool renders it, and is
 * therefore not linted as one: Helm chart templates and other YAML with Go
 * template actions (`{{ … }}`), and Kustomize patches. Such a file gets one
 * note saying how to lint the rendered output; no rule runs on it.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { getString, isMapping } from '../parsers/data-tree.js';
import type { KubeRoot } from '../types.js';
import { PATCH_NOT_LINTED, TEMPLATE_NOT_LINTED } from './builtin.js';
import type { LoadDiagnostic } from './linter.js';
import { readRegularFile } from './read.js';
import { ORIGIN, ORIGIN_POINT } from '../util/position.js';

/**
 * Offset of the first Go template action opener `{{` outside quoted scalars,
 * comments and block scalars, or -1. One linear pass over the text (no regular
 * expressions): a quoted scalar opens only where a scalar can start (line
 * start, after `: `, `- `, `? `, `[`, `{` or `,`) and may span lines; a block
 * scalar (`|`, `>`) holds the lines indented deeper than the line that opens it.
 * Text without `{{` anywhere (most manifests) is answered by one `indexOf`.
 */
export function templateActionOffset(text: string): number {
  if (!text.includes('{{')) return -1;
  const n = text.length;
  let quote = ''; // '"' or "'" while inside a quoted scalar
  let blockIndent = -1; // indentation of the line that opened a block scalar
  let i = 0;
  while (i < n) {
    let end = text.indexOf('\n', i);
    if (end < 0) end = n;
    let indent = 0;
    while (i + indent < end && text[i + indent] === ' ') indent++;
    const blank = i + indent >= end || text[i + indent] === '\r' || text[i + indent] === '\t';
    if (!quote && blockIndent >= 0) {
      if (blank || indent > blockIndent) {
        i = end + 1;
        continue;
      }
      blockIndent = -1;
    }
    let prev = ''; // last non-blank character on the line before j
    let spaced = true; // whether blanks separate prev from j
    for (let j = i + indent; j < end; j++) {
      const c = text[j]!;
      if (quote) {
        if (quote === '"' && c === '\\') j++;
        else if (c === quote) {
          if (quote === "'" && text[j + 1] === "'") j++;
          else {
            quote = '';
            prev = c;
            spaced = false;
          }
        }
        continue;
      }
      if (c === ' ' || c === '\t') {
        spaced = true;
        continue;
      }
      if (c === '{' && text[j + 1] === '{') return j;
      const canStart = prev === '' || ((prev === ':' || prev === '-' || prev === '?') && spaced) || prev === '[' || prev === '{' || prev === ',';
      if (c === '#' && spaced) break; // a comment runs to the end of the line
      if ((c === '"' || c === "'") && canStart) quote = c;
      else if ((c === '|' || c === '>') && canStart && restIsHeader(text, j + 1, end)) {
        blockIndent = indent;
        break;
      }
      prev = c;
      spaced = false;
    }
    i = end + 1;
  }
  return -1;
}

/** After `|` or `>`: indentation/chomping indicators, then blanks and maybe a comment. */
function restIsHeader(text: string, from: number, end: number): boolean {
  let k = from;
  while (k < end && (text[k] === '+' || text[k] === '-' || (text[k]! >= '1' && text[k]! <= '9'))) k++;
  if (k < end && text[k] !== ' ' && text[k] !== '\t' && text[k] !== '\r') return false;
  while (k < end && (text[k] === ' ' || text[k] === '\t' || text[k] === '\r')) k++;
  return k === end || text[k] === '#';
}

/** The chart root when `abs` is under a Helm chart's `templates/` folder (`<chart>/Chart.yaml` beside it). */
export function helmChartOf(abs: string): string | undefined {
  let dir = path.dirname(abs);
  for (;;) {
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    if (path.basename(dir) === 'templates' && isFile(path.join(parent, 'Chart.yaml'))) return parent;
    dir = parent;
  }
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

export const KUSTOMIZATION_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/**
 * Kustomize patches: which files the kustomization files reference as
 * patches. One instance per run caches each folder's kustomization.
 */
export class KustomizeIndex {
  private readonly byDir = new Map<string, { file: string; patches: Set<string> } | null>();

  constructor(private readonly maxBytes: number) {}

  /** The kustomization file in `dir`, with the absolute paths it names as patches; null when none. */
  kustomization(dir: string): { file: string; patches: Set<string> } | null {
    const cached = this.byDir.get(dir);
    if (cached !== undefined) return cached;
    let found: { file: string; patches: Set<string> } | null = null;
    for (const name of KUSTOMIZATION_NAMES) {
      const file = path.join(dir, name);
      if (!existsSync(file)) continue;
      found = { file, patches: new Set() };
      const r = readRegularFile(file, this.maxBytes);
      if (r.ok) {
        let doc: unknown;
        try {
          doc = parseYaml(r.bytes.toString('utf8'), { maxAliasCount: 100, uniqueKeys: false });
        } catch {
          doc = undefined; // linted (and its parse error reported) as the file it is
        }
        for (const p of patchPaths(doc)) found.patches.add(path.resolve(dir, p));
      }
      break;
    }
    this.byDir.set(dir, found);
    return found;
  }

  /** The kustomization (in the file's folder or above it, up to `stop`) that references `abs` as a patch. */
  referencedBy(abs: string, stop: string): string | undefined {
    let dir = path.dirname(abs);
    for (;;) {
      const k = this.kustomization(dir);
      if (k?.patches.has(abs)) return k.file;
      const parent = path.dirname(dir);
      if (dir === stop || parent === dir) return undefined;
      dir = parent;
    }
  }
}

/** Paths named in `patchesStrategicMerge`, `patches` and `patchesJson6902` (inline patches have none). */
function patchPaths(doc: unknown): string[] {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return [];
  const out: string[] = [];
  const get = (key: string): unknown => (Object.prototype.hasOwnProperty.call(doc, key) ? (doc as Record<string, unknown>)[key] : undefined);
  for (const key of ['patchesStrategicMerge', 'patches', 'patchesJson6902']) {
    const list = get(key);
    if (!Array.isArray(list)) continue;
    for (const item of list) {
      // patchesStrategicMerge entries may be inline YAML: a path has no newline.
      if (typeof item === 'string' && !item.includes('\n')) out.push(item);
      else if (item && typeof item === 'object' && typeof (item as { path?: unknown }).path === 'string') out.push((item as { path: string }).path);
    }
  }
  return out;
}

/** Whether no document of the tree is a complete object (apiVersion, kind and metadata.name), and some document has content. */
export function onlyFragments(tree: KubeRoot): boolean {
  let content = false;
  for (const doc of tree.children) {
    // A document not parsed (no rule reads its kind) has apiVersion and kind.
    if (doc.skipped) {
      if (doc.name) return false;
      content = true;
      continue;
    }
    if (!doc.body) continue;
    content = true;
    if (isMapping(doc.body) && getString(doc.body, 'apiVersion') && getString(doc.body, 'kind') && getString(doc.body, 'metadata', 'name')) return false;
  }
  return content;
}

const shown = (cwd: string, abs: string): string => {
  const rel = path.relative(cwd, abs).split(path.sep).join('/');
  return rel === '' ? '.' : rel;
};

/** Line and column (1-based, UTF-16) of an offset. */
function pointAt(text: string, offset: number): { line: number; column: number; offset: number } {
  let line = 1;
  let start = 0;
  for (let k = text.indexOf('\n'); k !== -1 && k < offset; k = text.indexOf('\n', k + 1)) {
    line++;
    start = k + 1;
  }
  return { line, column: offset - start + 1, offset };
}

/**
 * The note for a YAML file that is a template or a Kustomize patch (at most
 * one per file), or undefined for YAML that is linted as it is. The file's
 * parse is only looked at for patch fragments; a template is never parsed by
 * the caller's rules.
 */
export function unrenderedNote(file: { abs: string; rel: string; cwd: string; text: string; tree?: KubeRoot; kustomize?: KustomizeIndex }): LoadDiagnostic | undefined {
  const { abs, rel, cwd, text } = file;
  const chart = helmChartOf(abs);
  const at = templateActionOffset(text);
  if (chart !== undefined || at >= 0) {
    const start = at >= 0 ? pointAt(text, at) : ORIGIN_POINT;
    const end = at >= 0 ? { ...start, column: start.column + 2, offset: at + 2 } : start;
    const message =
      chart !== undefined
        ? `Helm chart template: not Kubernetes YAML until rendered, so not linted; lint the rendered chart instead: \`helm template ${shown(cwd, chart)} | hostlint --stdin --stdin-filename ${shown(cwd, chart)}/rendered.yaml\``
        : `Go template action \`{{\` outside a quoted scalar: not Kubernetes YAML until rendered, so not linted; render it and lint the output: \`… | hostlint --stdin --stdin-filename ${rel}\``;
    return { ruleId: TEMPLATE_NOT_LINTED, severity: 'note', file: rel, message, position: { start, end } };
  }
  if (!file.kustomize) return undefined;
  const stop = path.resolve(cwd);
  const by = file.kustomize.referencedBy(abs, abs.startsWith(stop + path.sep) ? stop : path.dirname(abs));
  const dir = path.dirname(abs);
  const beside = by === undefined && file.tree && file.kustomize.kustomization(dir) && onlyFragments(file.tree) ? file.kustomize.kustomization(dir)!.file : undefined;
  const kustomization = by ?? beside;
  if (kustomization === undefined || KUSTOMIZATION_NAMES.includes(path.basename(abs))) return undefined;
  const kdir = shown(cwd, path.dirname(kustomization));
  const why = by !== undefined ? `patch named by ${shown(cwd, kustomization)}` : `patch fragment (no apiVersion, kind or metadata.name) beside ${shown(cwd, kustomization)}`;
  return {
    ruleId: PATCH_NOT_LINTED,
    severity: 'note',
    file: rel,
    message: `Kustomize ${why}: not a complete object, so not linted; lint the built output instead: \`kubectl kustomize ${kdir} | hostlint --stdin --stdin-filename ${kdir}/built.yaml\``,
    position: ORIGIN,
  };
}
