/**
 * hostlint's prediction for a generated sysctl tree, per tool, and the
 * comparison with what the tool did.
 *
 * hostlint's side is the code the rules use: the snapshot loader
 * (`loadSnapshot`), `Scope.hostSysctlSet(tool)` (file order, masking, same-name
 * shadowing, /etc/sysctl.conf), `SysctlSet.effective()` (explicit keys beat
 * globs, `-key` exclusions, last assignment wins), `SysctlSet.lastApplied()`
 * for ip_forward / conf.all.forwarding (one kernel variable, as
 * k8s-ip-forward reads it), and the `sysctl-syntax` rule for lines the tools
 * reject.
 *
 * The kernel's side, which no sysctl file model decides, is modelled here:
 * - an integer key takes the leading number of the value, then blanks and
 *   anything (proc_dointvec: `1 # x` writes 1; `1x`, `yes`, `` are EINVAL and
 *   leave the previous value);
 * - writing net.ipv4.conf.default.X copies X to every interface that never had
 *   X written (devinet_copy_dflt_conf), so `lo` ends with default's value
 *   unless lo.X is written itself;
 * - a change of all.forwarding (= ip_forward) sets default and every
 *   interface to it and every `accept_redirects` to its negation
 *   (inet_forward_change), so only `all` is compared for forwarding, and
 *   IPv4 `accept_redirects` only in trees that do not set forwarding.
 * - systemd-sysctl skips a write of the value a key already has, so such a
 *   write to lo.X does not stop a later default.X write reaching lo.
 * A key whose deciding write the kernel rejects is not compared (the tool's
 * error message is checked instead).
 */
import sysctlSyntax from '../../rules/sysctl-syntax.js';
import { Config } from '../../src/config/load.js';
import { runScopes } from '../../src/engine/linter.js';
import { loadSnapshot } from '../../src/engine/load.js';
import { DirectorySnapshot } from '../../src/engine/snapshot.js';
import { UNIVERSE } from './sysctl-cases.js';
import { slash, type Tool, type ToolRun } from './sysctl-run.js';

/** The kernel's reading of an integer sysctl write; undefined when it rejects it (EINVAL). */
export function kernelInt(value: string): number | undefined {
  const m = /^[ \t\n]*([-+]?\d+)(?:[ \t\n]|$)/.exec(value);
  return m ? Number(m[1]) : undefined;
}

export interface Prediction {
  /** Key → predicted value; undefined = unchanged from the namespace's default. */
  values: Map<string, number | undefined>;
  /** Keys not predicted (the deciding write is rejected by the kernel, or kernel-coupled). */
  skipped: Set<string>;
  /** Keys whose deciding write the kernel rejects (EINVAL): the tool must name them. */
  rejected: Array<{ key: string; ignoreFailure: boolean }>;
  /** `file:line` of lines sysctl-syntax says have no key before `=`. */
  emptyKey: Set<string>;
  /** IPv4 `lo` keys set explicitly while `default` is set too: lo's value and default's. */
  loOverDefault: Map<string, { lo: number; dflt: number }>;
  /** `file:line` of lines procps does not read at all (a 1-character last line without a newline). */
  procpsSkips: Set<string>;
  /** `file:line` of lines sysctl-syntax says the tool rejects, in files the tool reads. */
  syntax: Set<string>;
  /** Files the tool reads, in order (host paths). */
  order: string[];
  /** Link host path → the host path of the file it resolves to. */
  aliases: Map<string, string>;
  /** Line text by `file:line`, for messages. */
  text: Map<string, string>;
}

export function predict(dir: string, tool: Tool): Prediction {
  const diagnostics: never[] = [];
  const config = Config.empty(dir);
  const scope = loadSnapshot(new DirectorySnapshot(dir), { cwd: dir, config, maxBytes: 1 << 20, diagnostics });
  const set = scope.hostSysctlSet(tool)!;
  const values = new Map<string, number | undefined>();
  const skipped = new Set<string>();
  const rejected: Prediction['rejected'] = [];
  const loOverDefault: Prediction['loOverDefault'] = new Map();
  const raw = (key: string) => set.effective(key);
  const forwardingWritten = !!(raw('net.ipv4.ip_forward') ?? raw('net.ipv4.conf.all.forwarding'));
  for (const key of UNIVERSE) {
    const m = /^net\.(ipv4|ipv6)\.conf\.(all|default|lo)\.(.+)$/.exec(key);
    if (m && m[1] === 'ipv4' && ((m[3] === 'forwarding' && m[2] !== 'all') || (m[3] === 'accept_redirects' && forwardingWritten))) {
      skipped.add(key);
      continue;
    }
    let eff = raw(key);
    if (key === 'net.ipv4.ip_forward' || key === 'net.ipv4.conf.all.forwarding') {
      eff = set.lastApplied(raw('net.ipv4.ip_forward'), raw('net.ipv4.conf.all.forwarding'));
    }
    if (eff && m && m[1] === 'ipv4' && m[2] === 'lo') {
      const dflt = raw(`net.ipv4.conf.default.${m[3]}`);
      const [l, d] = [kernelInt(eff.value), dflt && kernelInt(dflt.value)];
      if (l !== undefined && d !== undefined && l !== d) loOverDefault.set(key, { lo: l, dflt: d });
    }
    if (!eff && m && m[1] === 'ipv4' && m[2] === 'lo') {
      // Never written: lo takes default's value when default is written.
      const dflt = raw(`net.ipv4.conf.default.${m[3]}`);
      if (dflt) eff = dflt;
    }
    if (!eff) {
      values.set(key, undefined);
      continue;
    }
    const n = kernelInt(eff.value);
    if (n === undefined) {
      skipped.add(key);
      if (!rejected.some((r) => r.key === eff!.key)) rejected.push({ key: eff.key, ignoreFailure: eff.node.ignoreFailure });
    } else values.set(key, n);
  }
  const order = set.files.map((f) => f.hostPath!);
  const read = new Set(set.files);
  const report = runScopes([scope], diagnostics, { config, rules: [sysctlSyntax], cwd: dir, reportUnusedDisableDirectives: 'off', toolVersion: 'oracle' });
  const syntax = new Set<string>();
  const emptyKey = new Set<string>();
  for (const file of report.files) {
    const source = set.files.find((f) => f.path === file.path);
    if (!source || !read.has(source)) continue;
    for (const r of file.results) {
      if (r.ruleId !== 'sysctl-syntax') continue;
      const at = `${source.hostPath}:${r.position.start.line}`;
      if (/is not an assignment/.test(r.message)) syntax.add(at);
      if (/has no key before/.test(r.message)) emptyKey.add(at);
    }
  }
  const aliases = new Map<string, string>();
  const text = new Map<string, string>();
  const procpsSkips = new Set<string>();
  for (const f of scope.filesOf('sysctl')) {
    for (const l of f.linkedFrom ?? []) aliases.set(l, f.hostPath!);
    const lines = f.text.split(/\r\n|\r|\n/);
    lines.forEach((t, i) => text.set(`${f.hostPath}:${i + 1}`, t));
    // procps' Preload(): `if (rlen < 2) continue;` — rlen counts the newline.
    if (lines[lines.length - 1]!.length === 1) procpsSkips.add(`${f.hostPath}:${lines.length}`);
  }
  return { values, skipped, rejected, loOverDefault, syntax, emptyKey, procpsSkips, order, aliases, text };
}

/** Lines a tool rejected as syntax errors, as `host path:line`. */
export function toolSyntaxErrors(tool: Tool, stderr: string, alias: (p: string) => string = (p) => p): Set<string> {
  const out = new Set<string>();
  for (const l of stderr.split('\n')) {
    const m = tool === 'procps' ? /^sysctl: (\/[^()]+)\((\d+)\): invalid syntax, continuing\.\.\.$/.exec(l) : /^(\/[^:]+):(\d+): Line is not an assignment, ignoring/.exec(l);
    // systemd names a file by its resolved path; the driver's directories are links into /cases/<n>.
    if (m) out.add(`${alias(m[1]!.replace(/^\/cases\/\d+\//, '/'))}:${m[2]}`);
  }
  return out;
}

export interface Disagreement {
  tool: Tool;
  what: string;
}

/** Compare hostlint's prediction with one tool's run; `baseline` is the same tool's run of an empty tree. */
export function compare(dir: string, tool: Tool, run: ToolRun, baseline: ToolRun): Disagreement[] {
  const p = predict(dir, tool);
  const out: Disagreement[] = [];
  for (const key of UNIVERSE) {
    if (p.skipped.has(key)) continue;
    const want = p.values.get(key);
    const expected = want === undefined ? baseline.values[key] : String(want);
    // systemd-sysctl does not write a value a key already has, so `lo.X = <its current value>` leaves lo
    // inheriting a later `default.X` write (procps writes, and the kernel then keeps lo's own value).
    const lo = p.loOverDefault.get(key);
    if (tool === 'systemd' && lo && String(lo.lo) === baseline.values[key] && run.values[key] === String(lo.dflt)) continue;
    if (run.values[key] !== expected) out.push({ tool, what: `${key}: hostlint ${expected}, ${tool} ${run.values[key]}` });
  }
  // A link (99-sysctl.conf -> ../sysctl.conf) is the file it points to.
  const seen = toolSyntaxErrors(tool, run.stderr, (f) => p.aliases.get(f) ?? f);
  const expected = new Set([...p.syntax].filter((s) => !(tool === 'procps' && p.procpsSkips.has(s))));
  for (const s of seen) if (!expected.has(s)) out.push({ tool, what: `${tool} rejects ${s} ${JSON.stringify(p.text.get(s))}, sysctl-syntax does not say so` });
  for (const s of expected) if (!seen.has(s)) out.push({ tool, what: `sysctl-syntax says ${s} ${JSON.stringify(p.text.get(s))} is rejected, ${tool} accepts it` });
  // `= 1`: procps fails on the path /proc/sys/, systemd on writing to ''.
  const emptyKeyError = tool === 'procps' ? /^sysctl: Path is not under \/proc\/sys\/: \/proc\/sys\/$/m.test(run.stderr) : /^Couldn't write '.*' to '': Is a directory$/m.test(run.stderr);
  if (emptyKeyError && p.emptyKey.size === 0) out.push({ tool, what: `${tool} fails on an empty key, sysctl-syntax reports none` });
  if (tool === 'procps' && !emptyKeyError && p.emptyKey.size > 0) out.push({ tool, what: `sysctl-syntax reports an empty key at ${[...p.emptyKey].join(', ')}, procps does not fail on it` });
  // Values the kernel rejects: the tool names the key (systemd only when the line has no `-`).
  for (const r of p.rejected) {
    const named = tool === 'procps' ? run.stderr.includes(`setting key "${r.key}"`) : run.stderr.includes(`to '${slash(r.key)}'`);
    if (!named && (tool === 'procps' || !r.ignoreFailure)) out.push({ tool, what: `the kernel rejects the value hostlint says decides ${r.key}, but ${tool} reports no error for it` });
  }
  // Exit codes: systemd-sysctl fails on a line that is not an assignment and on a write error other than a
  // missing key or permissions; procps `--system` on a write error of a line without `-`, and on an empty key.
  const writeError = tool === 'procps' ? /^sysctl: setting key "[^"]*": /m.test(run.stderr) : /^Couldn't write '[^\n]*' to '[^'\n]*': /m.test(run.stderr);
  const fails = tool === 'procps' ? writeError || p.emptyKey.size > 0 : writeError || expected.size > 0;
  if (run.rc !== (fails ? 1 : 0)) out.push({ tool, what: `${tool} exits ${run.rc}, expected ${fails ? 1 : 0}` });
  return out;
}
