/**
 * The fleet audit's host summaries kept in a temporary file
 * (src/audit/spilled-hosts.ts): read back as they were written, as often as
 * a join asks, each part parsed only when read, and nothing left on disk.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SpilledHosts, summaryFromSections, summarySections } from '../../src/audit/spilled-hosts.js';
import { Config } from '../../src/config/load.js';
import { loadPaths } from '../../src/engine/load.js';
import { summarizeHost, type HostSummary } from '../../src/engine/scope.js';

const fleet = fileURLToPath(new URL('../../fixtures/examples/fleet/', import.meta.url));

/** The summaries of the example fleet's directory snapshots, as the audit computes them. */
function summaries(): HostSummary[] {
  const loaded = loadPaths(['node01', 'sosreport-node02-2024-05-01-qxlvjzb', 'web01', 'antrea01'], { cwd: fleet, config: Config.empty(fleet) });
  return loaded.scopes.filter((s) => s.kind === 'host').map((s) => summarizeHost(s));
}

/** What a summary is as data (the spilled hosts read their parts through getters). */
const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

describe('summary sections (what a worker thread sends for a host)', () => {
  it('give back the summary as the same JSON text, key for key, parts it has not left out', () => {
    const given = summaries();
    const sparse: HostSummary = { name: 'bare', facts: given[0]!.facts };
    for (const s of [...given, sparse]) {
      const sections = summarySections(s);
      expect(sections).toHaveLength(9);
      expect(JSON.stringify(summaryFromSections(sections))).toBe(JSON.stringify(s));
    }
    expect(Object.keys(summaryFromSections(summarySections(sparse)))).toEqual(['name', 'facts']);
  });

  it('are spilled as a summary is', () => {
    const given = summaries();
    const a = new SpilledHosts();
    const b = new SpilledHosts();
    for (const s of given) {
      a.add(s);
      b.addSections(summarySections(s));
    }
    expect(plain([...b])).toEqual(plain([...a]));
    expect(() => b.addSections(['{}'])).toThrow('a host summary has 9 sections, not 1');
    a.close();
    b.close();
  });
});

describe('SpilledHosts', () => {
  const saved = process.env.TMPDIR;
  let dir: string | undefined;
  afterEach(() => {
    process.env.TMPDIR = saved;
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
    vi.restoreAllMocks();
  });

  it('gives back every summary, in order, on every pass, and leaves nothing in the temporary directory', () => {
    dir = mkdtempSync(path.join(tmpdir(), 'spill-'));
    process.env.TMPDIR = dir;
    const given = summaries();
    expect(given.map((s) => s.name)).toEqual(['antrea01', 'node01', 'node02', 'web01']);
    const hosts = new SpilledHosts();
    for (const s of given) hosts.add(s);
    // The file was unlinked as soon as it was opened.
    expect(readdirSync(dir)).toEqual([]);
    expect(hosts.length).toBe(4);
    for (let pass = 0; pass < 2; pass++) expect(plain([...hosts])).toEqual(plain(given));
    // Parts a host does not have stay absent.
    const sparse: HostSummary = { name: 'bare', facts: given[0]!.facts };
    hosts.add(sparse);
    const last = [...hosts][4]!;
    expect([last.name, last.calico, last.cni, last.sysctl]).toEqual(['bare', undefined, undefined, undefined]);
    expect(plain(last.facts)).toEqual(plain(given[0]!.facts));
    hosts.close();
    expect(hosts.length).toBe(0);
    expect(() => [...hosts]).toThrow('already released');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('parses only the parts a pass reads', () => {
    dir = mkdtempSync(path.join(tmpdir(), 'spill-'));
    process.env.TMPDIR = dir;
    const hosts = new SpilledHosts();
    for (const s of summaries()) hosts.add(s);
    const parse = vi.spyOn(JSON, 'parse');
    const nodes = [...hosts].filter((h) => h.facts.kubernetesNode.known && h.facts.kubernetesNode.value).map((h) => h.name);
    expect(nodes).toEqual(['antrea01', 'node01', 'node02']);
    // One fact of each of the four hosts and the names of three: no sysctl values, interfaces or other facts.
    expect(parse).toHaveBeenCalledTimes(7);
    hosts.close();
  });

  it('keeps the summaries in memory when no temporary directory is writable', () => {
    dir = mkdtempSync(path.join(tmpdir(), 'spill-'));
    process.env.TMPDIR = path.join(dir, 'missing');
    const given = summaries();
    const hosts = new SpilledHosts();
    for (const s of given) hosts.add(s);
    expect(plain([...hosts])).toEqual(plain(given));
    hosts.close();
    expect(readdirSync(dir)).toEqual([]);
  });
});
