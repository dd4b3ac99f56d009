/**
 * tuned (RHEL/CentOS/Fedora) as a sysctl source. The active profile
 * (/etc/tuned/active_profile, several names are merged in order) is read from
 * /etc/tuned/<p>/tuned.conf, else /usr/lib/tuned/<p>/tuned.conf (also the
 * newer `profiles/` subdirectories); `include=` in `[main]` merges parent
 * profiles first, the child's keys win. The `[sysctl]` section's `key = value`
 * lines are written to /proc/sys when tuned starts, after systemd-sysctl; with
 * `reapply_sysctl = 1` in /etc/tuned/tuned-main.conf (the default) tuned then
 * re-applies the sysctl.d files and /etc/sysctl.conf, so they win over the
 * profile for the keys they set (tuned/plugins/plugin_sysctl.py
 * `_apply_system_sysctl`, "Overriding sysctl parameter ...").
 *
 * A profile becomes a synthetic sysctl file with the profile file's path and
 * text and only its effective `[sysctl]` assignments, so rules report at the
 * profile line.
 */
import { parseSysctl } from '../parsers/sysctl.js';
import type { SourceFile, SysctlAssignmentNode, SysctlRoot } from '../types.js';

const PROFILE_DIRS = ['/etc/tuned/', '/etc/tuned/profiles/', '/usr/lib/tuned/', '/usr/lib/tuned/profiles/'];
const MAX_DEPTH = 10;

export interface TunedSysctl {
  /** Synthetic sysctl files, in the order tuned applies them. */
  files: SourceFile[];
  /** tuned re-applies the sysctl files after its profile (reapply_sysctl, default 1). */
  reapply: boolean;
}

/** tuned's sysctl settings on a host, if the snapshot shows an active profile. */
export function tunedSysctl(hostFile: (hostPath: string) => SourceFile | undefined): TunedSysctl | undefined {
  const active = hostFile('/etc/tuned/active_profile');
  if (!active) return undefined;
  const names = active.text.split(/\s+/).filter((n) => n !== '' && !n.includes('/') && n !== '.' && n !== '..');
  if (names.length === 0) return undefined;
  // Profiles in merge order: parents before children, each once.
  const order: SourceFile[] = [];
  const visiting = new Set<string>();
  const visit = (name: string, depth: number) => {
    if (depth > MAX_DEPTH || visiting.has(name) || name.includes('/') || name === '' || name === '.' || name === '..') return;
    visiting.add(name);
    const file = PROFILE_DIRS.map((d) => hostFile(`${d}${name}/tuned.conf`)).find(Boolean);
    if (file) {
      for (const parent of includes(file.text)) visit(parent, depth + 1);
      if (!order.includes(file)) order.push(file);
    }
  };
  for (const name of names) visit(name, 0);
  if (order.length === 0) return undefined;
  // The merged profile: a key set by a later profile replaces the earlier one.
  const perFile = order.map((f) => ({ file: f, nodes: sysctlSection(f.text) }));
  const winner = new Map<string, SysctlAssignmentNode>();
  for (const { nodes } of perFile) for (const n of nodes) winner.set(n.key.name, n);
  const kept = new Set(winner.values());
  const files = perFile
    .map(({ file, nodes }) => {
      const tree = parseSysctl(file.text, 'sysctl').tree as SysctlRoot;
      const children = nodes.filter((n) => kept.has(n));
      const synthetic: SourceFile = { ...file, language: 'sysctl', parsed: { tree: { ...tree, children }, problems: [], comments: [] } };
      return synthetic;
    })
    .filter((f) => (f.parsed!.tree as SysctlRoot).children.length > 0);
  const main = hostFile('/etc/tuned/tuned-main.conf');
  const m = main ? /^[ \t]*reapply_sysctl[ \t]*=[ \t]*(\S+)/m.exec(main.text) : null;
  const reapply = m ? !/^(0|false|no|off|n|f)$/i.test(m[1]!) : true;
  return { files, reapply };
}

/** The profiles named by `include=` in `[main]` (comma or blank separated). */
function includes(text: string): string[] {
  let section = '';
  for (const line of text.split(/\r?\n/)) {
    const h = /^[ \t]*\[([^\]]*)\][ \t]*$/.exec(line);
    if (h) {
      section = h[1]!.trim();
      continue;
    }
    if (section !== 'main') continue;
    const m = /^[ \t]*include[ \t]*=(.*)$/.exec(line);
    if (m) return m[1]!.split(/[,\s]+/).filter((n) => n !== '' && !n.includes('$'));
  }
  return [];
}

/** The `[sysctl]` section's plain assignments (no `${...}` variables, no `>`/`<` modifiers). */
function sysctlSection(text: string): SysctlAssignmentNode[] {
  const tree = parseSysctl(text, 'sysctl').tree as SysctlRoot;
  const lines = text.split('\n');
  const sectionOfLine: string[] = [];
  let section = '';
  for (let i = 0; i < lines.length; i++) {
    const h = /^[ \t]*\[([^\]]*)\][ \t]*\r?$/.exec(lines[i]!);
    if (h) section = h[1]!.trim();
    sectionOfLine[i + 1] = section;
  }
  return tree.children.filter(
    (n): n is SysctlAssignmentNode =>
      n.type === 'assignment' && sectionOfLine[n.position.start.line] === 'sysctl' && !n.key.glob && !n.value.value.includes('${') && !/^[<>]/.test(n.value.value),
  );
}
