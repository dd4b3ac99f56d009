/**
 * Inputs for the property-based fuzzing of the parsers and fixes: random
 * text built from each language's own tokens, and mutations (insertions,
 * deletions, duplications, terminator changes) of real files — the shared
 * corpus and the rule fixtures — cut to a window so each case stays fast.
 *
 * `HOSTLINT_FUZZ_RUNS` raises the number of cases (`npm run fuzz`); CI runs
 * the default, bounded number.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { classifyHostPath, classifyRepoPath } from '../../src/engine/classify.js';
import type { FactFileKind, LanguageId } from '../../src/types.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CORPUS = path.resolve(REPO, 'fixtures/corpus');

/** Cases per property: `HOSTLINT_FUZZ_RUNS` times the property's weight (default 1 = the CI budget). */
export function runs(base: number): number {
  const env = Number(process.env.HOSTLINT_FUZZ_RUNS);
  const scale = Number.isFinite(env) && env > 0 ? env / 100 : 1;
  return Math.max(1, Math.round(base * scale));
}

/** Per-test timeout: generous in CI (slow machines), none to speak of in a campaign. */
export function timeout(): number {
  return process.env.HOSTLINT_FUZZ_RUNS ? 24 * 3600 * 1000 : 120_000;
}

/** A seed for reproducible CI runs unless `HOSTLINT_FUZZ_SEED` or a campaign asks for fresh ones. */
export function seed(): number | undefined {
  if (process.env.HOSTLINT_FUZZ_SEED) return Number(process.env.HOSTLINT_FUZZ_SEED);
  return process.env.HOSTLINT_FUZZ_RUNS ? undefined : 20261125;
}

export interface Sample {
  file: string;
  language: LanguageId;
  factKind?: FactFileKind;
  text: string;
}

function walk(dir: string, out: string[] = []): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of names.sort()) {
    const abs = path.join(dir, name);
    let st;
    try {
      st = statSync(abs);
    } catch {
      continue;
    }
    if (st.isDirectory()) walk(abs, out);
    else if (st.isFile() && st.size > 0 && st.size < 2 * 1024 * 1024) out.push(abs);
  }
  return out;
}

let cached: Sample[] | undefined;

/** Every real file of the corpus and the fixtures that hostlint reads, with its language. */
export function samples(): Sample[] {
  if (cached) return cached;
  const out: Sample[] = [];
  const add = (abs: string, rel: string) => {
    const text = readFileSync(abs, 'utf8');
    // The host path inside a snapshot-like tree (`.../etc/sysctl.d/x.conf` → `/etc/sysctl.d/x.conf`).
    const m = /\/((?:etc|proc|sys|run|usr|lib|var|sos_commands)\/.*)$/.exec(rel);
    const host = m ? classifyHostPath(`/${m[1]}`) : undefined;
    const cls = host ?? classifyRepoPath(rel, () => text);
    if (cls) out.push({ file: rel, language: cls.language, factKind: cls.factKind, text });
  };
  for (const abs of walk(CORPUS)) {
    const rel = path.relative(CORPUS, abs).split(path.sep).join('/');
    // Corpus files are named after their origin: give them the name their directory implies.
    if (/^sysctl\/[^/]+\.conf$/.test(rel)) add(abs, `sysctl.d/${path.basename(rel)}`);
    else if (/^resolv\/[^/]+$/.test(rel)) add(abs, `${path.basename(rel)}.resolv.conf`);
    else add(abs, rel);
  }
  for (const abs of walk(path.join(REPO, 'fixtures'))) {
    if (abs.startsWith(CORPUS + path.sep)) continue; // taken above, under the names it implies
    if (/expected\.json$|\.md$|\.hostlint\.ya?ml$/.test(abs)) continue;
    add(abs, path.relative(REPO, abs).split(path.sep).join('/'));
  }
  cached = out;
  return out;
}

export function samplesOf(language: LanguageId): Sample[] {
  return samples().filter((s) => s.language === language);
}

/** Tokens that matter to each language's grammar, plus odd characters. */
const COMMON = ['\n', '\r\n', '\r', ' ', '\t', '\u000b', '\f', '#', ';', '\uFEFF', '\u2028', '\u00e9', '\u{1F600}', '\\', '"', "'", '\u0000', 'x'];
export const TOKENS: Record<LanguageId, string[]> = {
  sysctl: [...COMMON, '=', ' = ', '-', '.', '/', '*', '?', '[', ']', 'net.ipv4.tcp_tw_recycle', 'net.ipv4.ip_forward', 'net/ipv4/ip_forward', 'net.ipv4.conf.all.rp_filter', 'net.ipv4.tcp_timestamps', 'net.ipv4.ip_local_port_range', 'kernel.pid_max', '0', '1', '2', '32768 60999', '# hostlint-disable-next-line', ' sysctl-tw-recycle'],
  'sysctl-dump': [...COMMON, ' = ', 'sysctl: ', 'net.ipv4.ip_forward', 'kernel.osrelease', '0', '1', '\t'],
  resolv: [...COMMON, 'nameserver', 'search', 'domain', 'options', 'sortlist', 'ndots:', 'ndots:5', 'timeout:', 'attempts:2', 'rotate', '10.0.0.1', '127.0.0.53', '::1', 'corp.example.com', 'svc.cluster.local', '.', ':'],
  kube: [...COMMON, ': ', ':', '- ', '-', '---', '...', '{', '}', '[', ']', ',', '&a ', '*a', '<<: ', '!!str ', '!!binary ', '!tag ', '|', '>', '|-', '  ', '    ', 'apiVersion: v1', 'kind: ConfigMap', 'kind: DaemonSet', 'name: calico-config', 'veth_mtu: "1430"', 'mtu: 1500', 'CALICO_IPV4POOL_IPIP', 'value: "Always"', 'data:', 'metadata:', 'spec:', '"', '\\"', '%YAML 1.2', '? '],
  cni: [...COMMON, '{', '}', '[', ']', ',', ':', '"', '"mtu"', '"type"', '"calico"', '"plugins"', '1500', '1430', '-1', '1e3', 'true', 'null', '//', '/*', '*/', '\\u00', '"cniVersion": "0.3.1"'],
  felix: [...COMMON, '[global]', '[', ']', '=', ':', ' = ', 'MTU', 'IpInIpMtu', 'VXLANMTU', 'FelixHostname', '1430', '"quoted"', "'q'", '\\;', '\\#'],
  fact: [...COMMON, '3.10.0-1160.el7.x86_64', '5.15.0', 'Linux', 'mtu', '1500', '9001', 'up', 'down', 'eth0', ': ', '<BROADCAST,UP>', 'link/ether'],
};

/** Random text of a language: its tokens and random code units, up to `maxTokens` of them. */
export function textOf(language: LanguageId, maxTokens = 60): fc.Arbitrary<string> {
  return fc
    .array(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...TOKENS[language]) }, { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 4 }) }), { maxLength: maxTokens })
    .map((parts) => parts.join(''));
}

/** Lines of a language joined with a random terminator style. */
export function linesOf(language: LanguageId): fc.Arbitrary<string> {
  return fc
    .tuple(fc.array(textOf(language, 8), { maxLength: 30 }), fc.constantFrom('\n', '\r\n', '\r'), fc.boolean())
    .map(([lines, eol, final]) => lines.join(eol) + (final ? eol : ''));
}

type Mutation = { kind: 'insert' | 'delete' | 'duplicate' | 'replace' | 'eol' | 'truncate'; at: number; len: number; token: string };

function mutation(language: LanguageId): fc.Arbitrary<Mutation> {
  return fc.record({
    kind: fc.constantFrom('insert', 'delete', 'duplicate', 'replace', 'eol', 'truncate'),
    at: fc.nat(),
    len: fc.nat({ max: 40 }),
    token: fc.oneof(fc.constantFrom(...TOKENS[language]), fc.string({ unit: 'binary', maxLength: 3 })),
  });
}

function mutate(text: string, m: Mutation): string {
  const n = text.length;
  const at = n === 0 ? 0 : m.at % (n + 1);
  const end = Math.min(n, at + m.len);
  switch (m.kind) {
    case 'insert':
      return text.slice(0, at) + m.token + text.slice(at);
    case 'delete':
      return text.slice(0, at) + text.slice(end);
    case 'duplicate':
      return text.slice(0, end) + text.slice(at, end) + text.slice(end);
    case 'replace':
      return text.slice(0, at) + m.token + text.slice(end);
    case 'eol':
      return text.replace(/\r?\n/g, at % 2 === 0 ? '\r\n' : '\r');
    case 'truncate':
      return text.slice(0, at);
  }
}

/**
 * A window of up to `window` characters of a real file of the language (cut
 * at line starts), with a few mutations applied.
 */
export function mutatedSample(language: LanguageId, window = 6000): fc.Arbitrary<{ sample: Sample; text: string }> {
  const pool = samplesOf(language);
  if (pool.length === 0) throw new Error(`no corpus or fixture file of language ${language}`);
  return fc
    .tuple(fc.constantFrom(...pool), fc.nat(), fc.array(mutation(language), { minLength: 0, maxLength: 6 }))
    .map(([sample, start, mutations]) => {
      let text = sample.text;
      if (text.length > window) {
        let s = start % (text.length - window);
        s = text.lastIndexOf('\n', s) + 1;
        const e = text.indexOf('\n', s + window);
        text = text.slice(s, e < 0 ? undefined : e + 1);
      }
      for (const m of mutations) text = mutate(text, m);
      return { sample, text };
    });
}
