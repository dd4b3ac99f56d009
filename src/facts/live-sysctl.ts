/**
 * Live sysctl values of a host: the `sysctl -a` output of an sosreport, else
 * /proc/sys/<key> (read lazily, per key).
 */
import type { LiveValue } from '../engine/sysctl-set.js';
import { sysctlDumpIndexOf, type SysctlDumpIndex } from '../parsers/sysctl.js';
import type { SourceFile, SysctlAssignmentNode, SysctlRoot } from '../types.js';
import type { FactProvider, FactScope } from './provider.js';

export type { LiveValue };

export const liveSysctlProvider: FactProvider = {
  id: 'live-sysctl',
  // /proc/sys/... files are not listed: they are read per key (`readHostPath`).
  paths: ['sos_commands/kernel/sysctl_-a'],
};

/** Live value of a key on a host: `sysctl -a` output, else `/proc/sys/<key>`. Undefined outside host scopes. */
export function liveValue(scope: FactScope, key: string): LiveValue | undefined {
  if (scope.kind !== 'host') return undefined;
  const hit = liveDump(scope)?.get(key);
  if (hit) return hit;
  const procPath = `/proc/sys/${key.replace(/[./]/g, (c) => (c === '.' ? '/' : '.'))}`;
  const file = scope.readHostPath(procPath);
  if (!file) return undefined;
  // The first line without its blanks (no regex: `[ \t]*(.*?)[ \t]*$` is quadratic over a run of blanks).
  const first = firstLineTrimmed(file.text);
  const start = file.text.indexOf(first);
  return {
    key,
    value: first.replace(/\s+/g, ' '),
    file,
    position: {
      start: { line: 1, column: start + 1, offset: start },
      end: { line: 1, column: start + first.length + 1, offset: start + first.length },
    },
  };
}

/**
 * The `sysctl -a` dump of a host, as key → value, if the snapshot has one.
 * The one access to the dump's contents (every live lookup goes through it).
 * A key's value (with its position) is made when it is asked for, from the
 * dump's key index (`SysctlDumpIndex`): a dump has about a thousand keys and
 * rules read a few dozen.
 */
export function liveDump(scope: FactScope): ReadonlyMap<string, LiveValue> | undefined {
  return scope.derive('liveDump', () => {
    const dumps = scope.filesOf('sysctl-dump');
    if (dumps.length === 0) return undefined;
    return new LiveDump(dumps);
  });
}

/** Where a key's value is: the file (index into `parts`) and the slot of its line in that file's index. */
interface Slot {
  part: number;
  slot: number;
}

/**
 * key → LiveValue over the dumps of a host: the key's last assignment, the
 * last file's if several have it, keys in the order they first appear (the
 * map the trees' assignments, read in order, would give).
 */
class LiveDump implements ReadonlyMap<string, LiveValue> {
  private readonly parts: { file: SourceFile; index: SysctlDumpIndex | undefined }[];
  /** key → slot, for one indexed file (the common case): that file's own map. */
  private readonly single: ReadonlyMap<string, number> | undefined;
  /** key → where, for several files or a tree without an index. */
  private readonly merged: Map<string, Slot> | undefined;
  private readonly made = new Map<string, LiveValue>();

  constructor(files: SourceFile[]) {
    this.parts = files.map((file) => ({ file, index: sysctlDumpIndexOf(file.parsed!.tree) }));
    if (this.parts.length === 1 && this.parts[0]!.index) {
      this.single = this.parts[0]!.index.slots;
      return;
    }
    const merged = new Map<string, Slot>();
    this.parts.forEach(({ file, index }, part) => {
      if (index) {
        for (const [key, slot] of index.slots) merged.set(key, { part, slot });
        return;
      }
      // A tree the dump parser did not index: its assignments, in order (slot: the child's index).
      const children = (file.parsed!.tree as SysctlRoot).children;
      children.forEach((node, slot) => {
        if (node.type === 'assignment') merged.set(node.key.name, { part, slot });
      });
    });
    this.merged = merged;
  }

  get size(): number {
    return (this.single ?? this.merged!).size;
  }

  has(key: string): boolean {
    return (this.single ?? this.merged!).has(key);
  }

  get(key: string): LiveValue | undefined {
    const known = this.made.get(key);
    if (known) return known;
    let part = 0;
    let slot: number;
    if (this.single) {
      const s = this.single.get(key);
      if (s === undefined) return undefined;
      slot = s;
    } else {
      const where = this.merged!.get(key);
      if (!where) return undefined;
      ({ part, slot } = where);
    }
    const { file, index } = this.parts[part]!;
    const node = index ? index.node(slot) : ((file.parsed!.tree as SysctlRoot).children[slot] as SysctlAssignmentNode);
    const live: LiveValue = { key: node.key.name, value: node.value.value.replace(/\s+/g, ' '), file, position: node.value.position };
    this.made.set(key, live);
    return live;
  }

  keys(): MapIterator<string> {
    return (this.single ?? this.merged!).keys();
  }

  *values(): MapIterator<LiveValue> {
    for (const key of this.keys()) yield this.get(key)!;
  }

  *entries(): MapIterator<[string, LiveValue]> {
    for (const key of this.keys()) yield [key, this.get(key)!];
  }

  [Symbol.iterator](): MapIterator<[string, LiveValue]> {
    return this.entries();
  }

  forEach(callback: (value: LiveValue, key: string, map: ReadonlyMap<string, LiveValue>) => void, thisArg?: unknown): void {
    for (const [key, value] of this.entries()) callback.call(thisArg, value, key, this);
  }
}

/** The dump file, for messages. */
export function liveDumpFile(scope: FactScope): SourceFile | undefined {
  return scope.filesOf('sysctl-dump')[0];
}

/** The first line of a text, without leading and trailing blanks and tabs. */
function firstLineTrimmed(text: string): string {
  let end = 0;
  while (end < text.length && text[end] !== '\n' && text[end] !== '\r') end++;
  let a = 0;
  let b = end;
  while (a < b && (text[a] === ' ' || text[a] === '\t')) a++;
  while (b > a && (text[b - 1] === ' ' || text[b - 1] === '\t')) b--;
  return text.slice(a, b);
}
