/**
 * The host's sysctl files (the scope combines them into sysctl sets by the
 * real precedence), and their summary: the effective configured values of the
 * networking keys (`net.*`), which fleet rules compare across hosts.
 */
import type { Position } from '../types.js';
import type { FactProvider, FactScope } from './provider.js';

/** One effective configured sysctl value of a host, where it is set. */
export interface SysctlSummary {
  key: string;
  /** The value, blanks folded. */
  value: string;
  /** The display path of the file that sets it, and the value's position there. */
  file: string;
  position: Position;
  /** The file's path on the host (`/etc/sysctl.d/90-net.conf`). */
  hostPath?: string;
  /** The text of the assignment's line (for the result's snippet and fingerprint). */
  line: string;
}

/** The directories the host's sysctl files are read from, in precedence order. */
export const SYSCTL_DIRS = ['/etc/sysctl.d/', '/run/sysctl.d/', '/usr/local/lib/sysctl.d/', '/usr/lib/sysctl.d/', '/lib/sysctl.d/'];

export const sysctlProvider: FactProvider = {
  id: 'sysctl',
  paths: ['etc/sysctl.conf', ...SYSCTL_DIRS.map((d) => `${d.slice(1)}*`)],
};

/** The effective configured `net.*` values of a host, sorted by key. */
export function sysctlSummary(scope: FactScope): SysctlSummary[] {
  const sysctl: SysctlSummary[] = [];
  for (const set of scope.sysctlSets()) {
    for (const s of set.settings()) {
      if (!s.key.startsWith('net.')) continue;
      const start = s.node.position.start.offset ?? 0;
      const lineStart = s.file.text.lastIndexOf('\n', start - 1) + 1;
      const nl = s.file.text.indexOf('\n', start);
      const line = s.file.text.slice(lineStart, nl < 0 ? undefined : nl).replace(/\r$/, '');
      sysctl.push({ key: s.key, value: s.value.trim().replace(/\s+/g, ' '), file: s.file.path, position: s.node.value.position, ...(s.file.hostPath !== undefined ? { hostPath: s.file.hostPath } : {}), line });
    }
  }
  sysctl.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return sysctl;
}
