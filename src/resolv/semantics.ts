/**
 * What the readers of resolv.conf make of a parsed file: glibc's resolver
 * (`resolv/res_init.c`) and the kubelet (`pkg/kubelet/network/dns/dns.go`),
 * which reads the file it hands to pods with its own, different parser.
 */
import ipaddr from 'ipaddr.js';
import { kubeletConfig, kubeletResolvConf, kubeletValue } from '../facts/kubelet.js';
import type { FactScope, FactSet } from '../facts/provider.js';
import type { Evidence, Fact, Location, ResolvDirectiveNode, ResolvRoot, ResolvWordNode, SourceFile } from '../types.js';
import { ORIGIN } from '../util/position.js';

/** glibc's MAXNS (resolv.h), also musl's and the kubelet's limit. */
export const MAXNS = 3;

export interface NameserverAddress {
  family: 4 | 6;
  /** 127.0.0.0/8, ::1, or an IPv4-mapped loopback address. */
  loopback: boolean;
}

/**
 * A `nameserver` argument as glibc reads it: an IPv4 address in any form
 * inet_aton() accepts (`127.1`, `0x7f.0.0.1`), else an IPv6 address with an
 * optional `%scope`. Undefined when glibc cannot parse it (and ignores the line).
 */
export function parseNameserver(text: string): Readonly<NameserverAddress> | undefined {
  // A fleet's resolv.conf files name the same few servers: each text is parsed once (at most
  // NAMESERVER_MEMO of them are kept; a short text only, so the memory stays small).
  if (text.length > 64) return parseNameserverUncached(text);
  let hit = nameserverMemo.get(text);
  if (hit === undefined) {
    const parsed = parseNameserverUncached(text);
    hit = parsed ? Object.freeze(parsed) : null;
    if (nameserverMemo.size >= NAMESERVER_MEMO) nameserverMemo.clear();
    nameserverMemo.set(text, hit);
  }
  return hit ?? undefined;
}

const NAMESERVER_MEMO = 4096;
const nameserverMemo = new Map<string, Readonly<NameserverAddress> | null>();

function parseNameserverUncached(text: string): NameserverAddress | undefined {
  if (text === '') return undefined;
  if (ipaddr.IPv4.isValid(text)) {
    return { family: 4, loopback: ipaddr.IPv4.parse(text).range() === 'loopback' };
  }
  const pct = text.indexOf('%');
  const bare = pct >= 0 ? text.slice(0, pct) : text;
  if (bare === '' || !ipaddr.IPv6.isValid(bare)) return undefined;
  const v6 = ipaddr.IPv6.parse(bare);
  const loopback = v6.range() === 'loopback' || (v6.isIPv4MappedAddress() && v6.toIPv4Address().range() === 'loopback');
  return { family: 6, loopback };
}

/** glibc's option flags (res_init.c res_setoptions), in its table order: a word matches an entry over the entry's length. */
export const GLIBC_FLAGS = ['inet6', 'rotate', 'edns0', 'single-request-reopen', 'single-request', 'no_tld_query', 'no-tld-query', 'no-reload', 'use-vc', 'trust-ad', 'no-aaaa'];
/** RES_MAXNDOTS, RES_MAXRETRANS, RES_MAXRETRY (resolv.h). */
export const GLIBC_CAPS = { ndots: 15, timeout: 30, attempts: 5 } as const;

/** What glibc's resolver reads from a resolv.conf (before its defaults fill the gaps). */
export interface GlibcResolvConf {
  /** Every nameserver glibc parsed, in order (glibc uses the first MAXNS). */
  nameservers: Array<{ address: string; family: 4 | 6; line: number }>;
  /** The search list of the last `search` or `domain` line with a value (unlimited since glibc 2.26). */
  search: string[];
  /** Defaults 1, 5, 2 when no `options` sets them; the values as glibc stores them (ndots is a 4-bit field). */
  ndots: number;
  timeout: number;
  attempts: number;
  /** Option flags set (names as in GLIBC_FLAGS; `no_tld_query` is reported as `no-tld-query`). */
  flags: Set<string>;
  /**
   * The line of a `sortlist` on which res_init() loops forever: a word that
   * starts with `/`, `&`, a `\r`, `\v`, `\f` or a non-ASCII byte before ten
   * addresses are read (the scanner stops without moving on; glibc 2.36).
   */
  hangs?: number;
}

/** C's atoi() as glibc has it, of `text` from `from`: strtol() (clamped to 64 bits), then truncated to int. */
export function atoi(text: string, from = 0): number {
  const re = /[ \t\n\v\f\r]*([+-]?)(\d*)/y;
  re.lastIndex = from;
  const m = re.exec(text)!;
  if (m[2] === '') return 0;
  let v = BigInt(m[2]!);
  if (m[1] === '-') v = -v;
  const max = (1n << 63n) - 1n;
  if (v > max) v = max;
  if (v < -max - 1n) v = -max - 1n;
  return Number(BigInt.asIntN(32, v));
}

/**
 * glibc's reading of a resolv.conf (resolv/res_init.c, glibc 2.26 and later),
 * from the raw text: lines end at `\n` only (a `\r` stays part of the line, so
 * `nameserver 10.0.0.2\r` is not an address and `search a.example\r` searches
 * `a.example\r`); a keyword starts the line and is followed by a space or
 * tab; `#` or `;` in column 1 make a comment; the nameserver address ends at a
 * blank (what follows is ignored); `domain` takes its first word; each
 * `search`/`domain` line with a value replaces the list; `options` accumulate,
 * values read with atoi() and capped, flags matched by prefix.
 */
export function glibcResolvConf(text: string): GlibcResolvConf {
  const out: GlibcResolvConf = { nameservers: [], search: [], ndots: 1, timeout: 5, attempts: 2, flags: new Set() };
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    let line = lines[n]!;
    const nul = line.indexOf('\0');
    if (nul >= 0) line = line.slice(0, nul);
    if (line.startsWith('#') || line.startsWith(';')) continue;
    const match = (kw: string) => line.startsWith(kw) && (line[kw.length] === ' ' || line[kw.length] === '\t');
    const rest = (kw: string) => line.slice(kw.length).replace(/^[ \t]+/, '');
    if (match('domain')) {
      const cp = rest('domain');
      if (cp !== '') out.search = [cp.split(/[ \t]/, 1)[0]!];
    } else if (match('search')) {
      const cp = rest('search');
      if (cp !== '') out.search = cp.split(/[ \t]+/).filter((w) => w !== '');
    } else if (match('nameserver')) {
      const cp = rest('nameserver').split(/[ \t]/, 1)[0]!;
      const a = parseNameserver(cp);
      if (a) out.nameservers.push({ address: cp, family: a.family, line: n + 1 });
    } else if (match('sortlist')) {
      if (sortlistHangs(line.slice('sortlist'.length))) {
        out.hangs ??= n + 1;
        break; // glibc never reads further
      }
    } else if (match('options')) {
      // res_setoptions(): a value is atoi() of the rest of the line after the colon (so `ndots: 3` is 3),
      // then the scan moves on at the next blank.
      const cp = line.slice('options'.length);
      let i = 0;
      while (i < cp.length) {
        while (cp[i] === ' ' || cp[i] === '\t') i++;
        // Index-based (no copy of the rest of the line per option): linear in the line.
        if (cp.startsWith('ndots:', i)) out.ndots = Math.min(atoi(cp, i + 6), GLIBC_CAPS.ndots) & 15;
        else if (cp.startsWith('timeout:', i)) out.timeout = Math.min(atoi(cp, i + 8), GLIBC_CAPS.timeout);
        else if (cp.startsWith('attempts:', i)) out.attempts = Math.min(atoi(cp, i + 9), GLIBC_CAPS.attempts);
        else if (!cp.startsWith('debug', i)) {
          const flag = GLIBC_FLAGS.find((f) => cp.startsWith(f, i));
          if (flag) out.flags.add(flag === 'no_tld_query' ? 'no-tld-query' : flag);
        }
        while (i < cp.length && cp[i] !== ' ' && cp[i] !== '\t') i++;
      }
    }
  }
  return out;
}

/** glibc's `sortlist` scanner (res_init.c): true when it stops without moving on. */
function sortlistHangs(rest: string): boolean {
  const isMask = (c: string) => c === '/' || c === '&';
  const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\n' || c === '\v' || c === '\f' || c === '\r';
  const stop = (c: string | undefined) => c === undefined || isMask(c) || c === ';' || c.charCodeAt(0) > 0x7f || isSpace(c);
  let i = 0;
  let sorted = 0;
  while (sorted < 10) {
    while (rest[i] === ' ' || rest[i] === '\t') i++;
    const c = rest[i];
    if (c === undefined || c === '\n' || c === ';') return false;
    const start = i;
    while (!stop(rest[i])) i++;
    if (i === start) return true;
    if (!parseIPv4(rest.slice(start, i))) continue;
    if (isMask(rest[i] ?? '')) {
      i++;
      while (rest[i] !== undefined && rest[i] !== ';' && rest.charCodeAt(i) <= 0x7f && !isSpace(rest[i]!)) i++;
    }
    sorted++;
  }
  return false;
}

function parseIPv4(text: string): boolean {
  return text !== '' && ipaddr.IPv4.isValid(text);
}

/** The active `nameserver` lines glibc uses or counts, with their parsed address (pass the file's text for glibc's view of `\r`). */
export function glibcNameservers(tree: ResolvRoot, text?: string): Array<{ directive: ResolvDirectiveNode; word: ResolvWordNode; address: NameserverAddress }> {
  const out = [];
  for (const line of tree.children) {
    if (line.type !== 'directive' || !line.active || line.name !== 'nameserver') continue;
    const word = line.args[0];
    if (!word || word.type !== 'word') continue;
    const seen = text === undefined ? word.value : glibcWord(text, line, word);
    if (seen === undefined) continue;
    const address = parseNameserver(seen);
    if (address) out.push({ directive: line, word, address });
  }
  return out;
}

/**
 * The address word as glibc reads it, from the file's text: glibc splits
 * lines at `\n` only, so a line that follows a lone `\r` is not a line to it
 * (undefined), and the word runs to the next space, tab or `\n`, so in a CRLF
 * file it ends with the `\r` (an IPv4 address then does not parse; an IPv6
 * one with a `%scope` does, the scope being cut off).
 */
function glibcWord(text: string, line: ResolvDirectiveNode, word: ResolvWordNode): string | undefined {
  const start = line.position.start.offset ?? 0;
  if (start > 0 && text[start - 1] !== '\n') return undefined;
  const from = word.position.start.offset ?? 0;
  let end = from;
  while (end < text.length && text[end] !== ' ' && text[end] !== '\t' && text[end] !== '\n') end++;
  return text.slice(from, end);
}

/**
 * The `search` line the kubelet uses: the last line whose first field is
 * `search`, indented or not (it trims blanks); an empty one clears the list.
 */
export function kubeletSearchLine(tree: ResolvRoot): ResolvDirectiveNode | undefined {
  let last: ResolvDirectiveNode | undefined;
  for (const line of tree.children) if (line.type === 'directive' && line.name === 'search') last = line;
  return last;
}

/** A resolv.conf that pods on a Kubernetes node get from the kubelet. */
export interface PodResolvFile {
  file: SourceFile;
  /** Evidence that the host is a Kubernetes node. */
  node: Location[];
  /**
   * True in a host snapshot with the kubelet's configuration, where its
   * `resolvConf` is known (or defaults to /etc/resolv.conf); false in the
   * repository, or a snapshot without that configuration, where the file is
   * only known to configure a Kubernetes node, not to be the kubelet's `resolvConf`.
   */
  certain: boolean;
  /** Where the kubelet's `resolvConf` is set, when it is set. */
  resolvConf?: Evidence;
}

/**
 * The resolv.conf files pods inherit, on hosts known to be Kubernetes nodes:
 * in a host snapshot the kubelet's `resolvConf` (default /etc/resolv.conf,
 * following a symlink such as /etc/resolv.conf → stub-resolv.conf); in the
 * repository every resolv.conf whose facts say it configures a Kubernetes node.
 */
export function podResolvFiles(scope: FactScope & { facts(file?: SourceFile): FactSet }): PodResolvFile[] {
  const files = scope.filesOf('resolv');
  const out: PodResolvFile[] = [];
  const evidence = (f: Fact<boolean>) => (f.known ? f.evidence.map((e) => ({ file: e.file, position: e.position ?? ORIGIN, message: e.message })) : []);
  if (scope.kind === 'repository') {
    for (const file of files) {
      const k = scope.facts(file).kubernetesNode;
      if (k.known && k.value) out.push({ file, node: evidence(k), certain: false });
    }
    return out;
  }
  const k = scope.facts().kubernetesNode;
  if (!(k.known && k.value)) return out;
  // `resolvConf: ""`: the kubelet reads no file (Default pods get 127.0.0.1).
  if (kubeletValue(scope, 'resolvConf')?.node.value === '') return out;
  const target = kubeletResolvConf(scope)!;
  const file = files.find((f) => f.hostPath === target.value || (f.linkedFrom ?? []).includes(target.value));
  // Without the kubelet's configuration, which file it reads is unknown (a
  // `--resolv-conf` flag, kubeadm's /run/systemd/resolve/resolv.conf): the
  // default is only a candidate, as in the repository.
  const certain = kubeletConfig(scope) !== undefined;
  if (file) out.push({ file, node: evidence(k), certain, ...(target.evidence ? { resolvConf: target.evidence } : {}) });
  return out;
}

