/**
 * The summaries of a fleet audit's hosts, kept out of memory: each summary is
 * written, as it arrives, to a private temporary file, and the repository
 * scope's joins stream them back, as often as they need (a `HostList`).
 *
 * The file: under the temporary directory (`TMPDIR`), in a directory of its
 * own (`hostlint-hosts-*`, mode 0700), the file mode 0600; it is unlinked as
 * soon as it is open, so nothing is left on disk whatever ends the run (also a
 * kill); its space is freed when `close()` closes it or the process ends. Where
 * unlinking an open file is refused (Windows) it is removed by `close()`. When
 * no temporary directory is writable, the summaries are kept in memory as
 * bytes.
 *
 * Each summary is stored as JSON in sections (each fact, `calico`, `cni`,
 * `sysctl`): a host handed out by the iterator reads and parses a section only
 * when a join reads that property, so a pass that looks at the Kubernetes-node
 * fact and the kernel of every host does not parse every host's sysctl values.
 * What stays in memory per host: the record's offset and the sections'
 * lengths (44 bytes, in typed arrays).
 *
 * JSON is what the summaries survive already: `hostlint merge` reads them
 * back from NDJSON shards and gets the same results as the unsharded audit.
 */
import type { FactSet, FactSetValues, HostList } from '../facts/provider.js';
import type { HostSummary } from '../facts/summary.js';

/** The facts of a summary, each its own section (in FactSet's order, src/facts/index.ts). */
const FACT_KEYS = ['kernel', 'kubernetesNode', 'nat', 'physicalMtu', 'procps'] as const satisfies ReadonlyArray<keyof FactSetValues>;
/** The other parts of a summary, each its own section (after the facts). */
const PARTS = ['name', 'calico', 'cni', 'sysctl'] as const satisfies ReadonlyArray<keyof HostSummary>;
// Every fact and every part of a summary has its section: adding one without a section fails to compile.
type Exhaustive<T extends never> = T;
export type FactsCovered = Exhaustive<Exclude<keyof FactSetValues, (typeof FACT_KEYS)[number]>>;
export type PartsCovered = Exhaustive<Exclude<keyof HostSummary, 'facts' | (typeof PARTS)[number]>>;

const SECTIONS = FACT_KEYS.length + PARTS.length;

/** A summary's sections as the file keeps them: each fact and part as JSON, '' for a part the summary has not. */
export function summarySections(summary: HostSummary): string[] {
  const texts: string[] = [];
  for (const k of FACT_KEYS) texts.push(JSON.stringify(summary.facts[k]));
  for (const k of PARTS) texts.push(summary[k] === undefined ? '' : JSON.stringify(summary[k]));
  return texts;
}

/** The summary `summarySections` was given, as JSON gives it back (the same JSON text, key for key). */
export function summaryFromSections(texts: readonly string[]): HostSummary {
  const facts = {} as Record<string, unknown>;
  FACT_KEYS.forEach((k, i) => (facts[k] = JSON.parse(texts[i]!)));
  const out = {} as Record<string, unknown>;
  PARTS.forEach((k, i) => {
    const text = texts[FACT_KEYS.length + i]!;
    if (k === 'name') {
      out.name = JSON.parse(text);
      out.facts = facts;
    } else if (text !== '') out[k] = JSON.parse(text);
  });
  return out as unknown as HostSummary;
}

export class SpilledHosts implements HostList<HostSummary> {
  private dir: string | undefined;
  private file: string | undefined;
  private fd: number | undefined;
  /** Records kept in memory (no writable temporary directory). */
  private memory: Buffer[] | undefined;
  private size = 0;
  private count = 0;
  // The index is kept in typed arrays, outside the JavaScript heap: small objects kept
  // one per host among each host's garbage would pin the heap's pages (its size would
  // grow with the fleet although little of it is alive).
  /** Byte offset of each host's record (a file may pass 4 GiB), or its index in `memory`. */
  private offsets = new Float64Array(1024);
  /** Byte length of each section of each host (SECTIONS per host; 0: absent). */
  private lengths = new Uint32Array(1024 * SECTIONS);
  private closed = false;

  get length(): number {
    return this.count;
  }

  add(summary: HostSummary): void {
    this.addSections(summarySections(summary));
  }

  /** Add a summary as `summarySections` gave it (a worker thread makes them: a few strings cross to this thread, not the summary's objects). */
  addSections(texts: readonly string[]): void {
    if (this.closed) throw new Error('the host summaries were already released');
    if (texts.length !== SECTIONS) throw new Error(`a host summary has ${SECTIONS} sections, not ${texts.length}`);
    if (this.fd === undefined && this.memory === undefined) this.open();
    const bytes = Buffer.from(texts.join(''), 'utf8');
    if (this.offsets.length === this.count) {
      const offsets = new Float64Array(this.offsets.length * 2);
      offsets.set(this.offsets);
      this.offsets = offsets;
      const lengths = new Uint32Array(this.lengths.length * 2);
      lengths.set(this.lengths);
      this.lengths = lengths;
    }
    const base = this.count * SECTIONS;
    for (let i = 0; i < SECTIONS; i++) this.lengths[base + i] = Buffer.byteLength(texts[i]!, 'utf8');
    if (this.memory) this.memory.push(bytes);
    else {
      const { writeSync } = process.getBuiltinModule('node:fs');
      let written = 0;
      while (written < bytes.length) written += writeSync(this.fd!, bytes, written, bytes.length - written, this.size + written);
    }
    this.offsets[this.count] = this.memory ? this.memory.length - 1 : this.size;
    this.size += bytes.length;
    this.count++;
  }

  [Symbol.iterator](): Iterator<HostSummary> {
    let i = 0;
    return {
      next: (): IteratorResult<HostSummary> => {
        if (this.closed) throw new Error('the host summaries were already released');
        if (i >= this.count) return { done: true, value: undefined };
        return { done: false, value: this.host(i++) };
      },
    };
  }

  /** Release the file (or the memory); the list is empty afterwards. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    const { closeSync, rmSync } = process.getBuiltinModule('node:fs');
    try {
      if (this.fd !== undefined) closeSync(this.fd);
    } finally {
      this.fd = undefined;
      if (this.dir !== undefined) rmSync(this.dir, { recursive: true, force: true });
      this.dir = undefined;
      this.memory = undefined;
      this.offsets = new Float64Array(0);
      this.lengths = new Uint32Array(0);
      this.window = { start: 0, end: 0, buffer: Buffer.alloc(0) };
      this.count = 0;
    }
  }

  private open(): void {
    const { mkdtempSync, openSync, rmdirSync, rmSync, unlinkSync } = process.getBuiltinModule('node:fs');
    const os = process.getBuiltinModule('node:os');
    const path = process.getBuiltinModule('node:path');
    try {
      this.dir = mkdtempSync(path.join(os.tmpdir(), 'hostlint-hosts-'));
      this.file = path.join(this.dir, 'summaries');
      this.fd = openSync(this.file, 'wx+', 0o600);
    } catch {
      // No writable temporary directory: kept in memory instead.
      if (this.dir !== undefined) rmSync(this.dir, { recursive: true, force: true });
      this.dir = undefined;
      this.memory = [];
      return;
    }
    try {
      // Open, it needs no name: nothing is left behind, however the process ends.
      unlinkSync(this.file);
      rmdirSync(this.dir);
      this.dir = undefined;
    } catch {
      // Refused (Windows): removed by close().
    }
  }

  /** Bytes read ahead by a pass over the hosts (one read for many records). */
  private window = { start: 0, end: 0, buffer: Buffer.alloc(0) };

  /** Read ahead from host `i`'s record, when a pass reaches it outside the bytes read. */
  private readAhead(i: number): void {
    if (this.memory || this.fd === undefined) return;
    const start = this.offsets[i]!;
    const w = this.window;
    if (start >= w.start && start + this.recordLength(i) <= w.end) return;
    const size = Math.min(Math.max(READ_AHEAD, this.recordLength(i)), this.size - start);
    const buffer = w.buffer.length >= size ? w.buffer : Buffer.allocUnsafeSlow(Math.max(size, READ_AHEAD));
    const { readSync } = process.getBuiltinModule('node:fs');
    let read = 0;
    while (read < size) {
      const n = readSync(this.fd, buffer, read, size - read, start + read);
      if (n === 0) throw new Error('the temporary file of the host summaries is shorter than written');
      read += n;
    }
    this.window = { start, end: start + size, buffer };
  }

  private recordLength(i: number): number {
    let length = 0;
    for (let k = 0; k < SECTIONS; k++) length += this.lengths[i * SECTIONS + k]!;
    return length;
  }

  /** The text of one section of host `i`. */
  private section(i: number, s: number): string | undefined {
    if (this.closed) throw new Error('the host summaries were already released');
    const base = i * SECTIONS;
    const length = this.lengths[base + s]!;
    if (length === 0) return undefined;
    let start = 0;
    for (let k = 0; k < s; k++) start += this.lengths[base + k]!;
    if (this.memory) return this.memory[this.offsets[i]!]!.toString('utf8', start, start + length);
    const at = this.offsets[i]! + start;
    const w = this.window;
    if (at >= w.start && at + length <= w.end) return w.buffer.toString('utf8', at - w.start, at - w.start + length);
    // A host read after its pass moved on: read the section alone.
    const buffer = Buffer.allocUnsafe(length);
    const { readSync } = process.getBuiltinModule('node:fs');
    let read = 0;
    while (read < length) {
      const n = readSync(this.fd!, buffer, read, length - read, at + read);
      if (n === 0) throw new Error('the temporary file of the host summaries is shorter than written');
      read += n;
    }
    return buffer.toString('utf8');
  }

  /** Section `s` of host `i`, parsed. */
  parse(i: number, s: number): unknown {
    const text = this.section(i, s);
    return text === undefined ? undefined : JSON.parse(text);
  }

  /** Host `i` as a summary whose sections are read when first used. */
  private host(i: number): HostSummary {
    this.readAhead(i);
    return new SpilledHost(this, i);
  }
}

const READ_AHEAD = 1 << 20;
const UNREAD = Symbol('unread');

/** The facts of a spilled host: each read when first used. */
class SpilledFacts {
  private readonly values: unknown[] = FACT_KEYS.map(() => UNREAD);
  constructor(
    private readonly store: SpilledHosts,
    private readonly i: number,
  ) {}

  private get(s: number): never {
    if (this.values[s] === UNREAD) this.values[s] = this.store.parse(this.i, s);
    return this.values[s] as never;
  }

  get kernel(): FactSet['kernel'] {
    return this.get(0);
  }
  get kubernetesNode(): FactSet['kubernetesNode'] {
    return this.get(1);
  }
  get nat(): FactSet['nat'] {
    return this.get(2);
  }
  get physicalMtu(): FactSet['physicalMtu'] {
    return this.get(3);
  }
  get procps(): FactSet['procps'] {
    return this.get(4);
  }

  toJSON(): FactSet {
    return { kernel: this.kernel, kubernetesNode: this.kubernetesNode, nat: this.nat, physicalMtu: this.physicalMtu, procps: this.procps };
  }
}

/** A spilled host: a HostSummary whose parts are read when first used. */
class SpilledHost implements HostSummary {
  readonly facts: FactSet;
  private readonly values: unknown[] = PARTS.map(() => UNREAD);
  constructor(
    private readonly store: SpilledHosts,
    private readonly i: number,
  ) {
    this.facts = new SpilledFacts(store, i);
  }

  private get(p: number): never {
    if (this.values[p] === UNREAD) this.values[p] = this.store.parse(this.i, FACT_KEYS.length + p);
    return this.values[p] as never;
  }

  get name(): string {
    return this.get(0);
  }
  get calico(): HostSummary['calico'] {
    return this.get(1);
  }
  get cni(): HostSummary['cni'] {
    return this.get(2);
  }
  get sysctl(): HostSummary['sysctl'] {
    return this.get(3);
  }

  toJSON(): HostSummary {
    const out: HostSummary = { name: this.name, facts: (this.facts as SpilledFacts).toJSON() };
    if (this.calico !== undefined) out.calico = this.calico;
    if (this.cni !== undefined) out.cni = this.cni;
    if (this.sysctl !== undefined) out.sysctl = this.sysctl;
    return out;
  }
}
