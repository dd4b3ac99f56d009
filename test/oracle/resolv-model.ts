/**
 * hostlint's reading of a resolv.conf compared with glibc's: the full model
 * (`glibcResolvConf` in src/resolv/semantics.ts) and the nameserver list the
 * rules use (`glibcNameservers` over the parsed tree).
 *
 * glibc's public state shows the search list only through the legacy
 * `dnsrch` array: at most MAXDNSRCH (6) domains whose names, each with its
 * terminating NUL, fit the 256-byte `defdname` buffer; the model's full list
 * is cut the same way here before comparing.
 */
import ipaddr from 'ipaddr.js';
import { parseResolv } from '../../src/parsers/resolv.js';
import { glibcNameservers, glibcResolvConf, MAXNS } from '../../src/resolv/semantics.js';
import type { GlibcState } from './resolv-run.js';

const MAXDNSRCH = 6;
const DEFDNAME = 256;

/** The address as glibc's inet_ntop() would print it, normalised for comparison. */
function canon(address: string): string {
  const bare = address.split('%')[0]!;
  try {
    const a = ipaddr.parse(bare);
    return a.kind() === 'ipv6' ? (a as ipaddr.IPv6).toNormalizedString() : a.toString();
  } catch {
    return `unparsable:${address}`;
  }
}

/** Bytes as resolv-oracle.c prints them. */
function escape(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    out += c > 0x20 && c < 0x7f && ch !== '\\' ? ch : `\\x${c.toString(16).padStart(2, '0')}`;
  }
  return out;
}

function legacySearch(search: string[]): string[] {
  const out: string[] = [];
  let used = 0;
  for (const d of search) {
    if (out.length === MAXDNSRCH || used + d.length + 1 > DEFDNAME) break;
    out.push(d);
    used += d.length + 1;
  }
  return out;
}

export function compareResolv(text: string, glibc: GlibcState): string[] {
  const out: string[] = [];
  const m = glibcResolvConf(text);
  if (!!m.hangs !== !!glibc.hang) return [`hang: hostlint ${m.hangs ? `line ${m.hangs}` : 'no'}, glibc ${glibc.hang ? 'hangs' : 'returns'}`];
  if (glibc.hang) return out;
  const want = m.nameservers.slice(0, MAXNS).map((n) => `${n.family} ${canon(n.address)}`);
  if (want.length === 0) want.push('4 127.0.0.1');
  const got = glibc.nameservers.map((n) => `${n.family} ${canon(n.address)}`);
  if (want.join(', ') !== got.join(', ')) out.push(`nameservers: hostlint [${want.join(', ')}], glibc [${got.join(', ')}]`);
  const rules = glibcNameservers(parseResolv(text).tree, text).slice(0, MAXNS).map((n) => `${n.address.family} ${canon(n.word.value)}`);
  if (rules.length === 0) rules.push('4 127.0.0.1');
  if (rules.join(', ') !== got.join(', ')) out.push(`nameservers as the rules see them: [${rules.join(', ')}], glibc [${got.join(', ')}]`);
  const search = legacySearch(m.search).map(escape);
  if (search.join(' ') !== glibc.search.join(' ')) out.push(`search: hostlint [${search.join(' ')}], glibc [${glibc.search.join(' ')}]`);
  for (const k of ['ndots', 'timeout', 'attempts'] as const) if (m[k] !== glibc[k]) out.push(`${k}: hostlint ${m[k]}, glibc ${glibc[k]}`);
  const flags = [...m.flags].filter((f) => f !== 'inet6').sort();
  const gflags = [...glibc.flags].sort();
  if (flags.join(' ') !== gflags.join(' ')) out.push(`flags: hostlint [${flags.join(' ')}], glibc [${gflags.join(' ')}]`);
  return out;
}
