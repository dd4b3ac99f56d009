/**
 * Live sysctl values of a host: the `sysctl -a` output of an sosreport, else
 * /proc/sys/<key> (read lazily, per key).
 */
import type { LiveValue } from '../engine/sysctl-set.js';
import type { SourceFile, SysctlRoot } from '../types.js';
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
 */
export function liveDump(scope: FactScope): Map<string, LiveValue> | undefined {
  return scope.derive('liveDump', () => {
    const dumps = scope.filesOf('sysctl-dump');
    if (dumps.length === 0) return undefined;
    const out = new Map<string, LiveValue>();
    for (const file of dumps) {
      for (const node of (file.parsed!.tree as SysctlRoot).children) {
        if (node.type === 'assignment') out.set(node.key.name, { key: node.key.name, value: node.value.value.replace(/\s+/g, ' '), file, position: node.value.position });
      }
    }
    return out;
  });
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
