/**
 * The shared vocabulary of hostlint: trees, facts, scopes, rules and results.
 *
 * Positions follow unist: `line` and `column` are 1-based, `offset` is 0-based,
 * and `end` points one past the last character (columns count UTF-16 code
 * units of the text after a leading BOM has been removed).
 */
import type { Point, Position } from 'unist';
import type { VFile } from 'vfile';

export type { Point, Position };

// ---------------------------------------------------------------------------
// Languages and trees
// ---------------------------------------------------------------------------

/** Every file hostlint reads is classified into exactly one language. */
export type LanguageId =
  | 'sysctl' // sysctl.conf, sysctl.d/*.conf
  | 'sysctl-dump' // `sysctl -a` output
  | 'resolv' // resolv.conf
  | 'kube' // Kubernetes YAML (multi-document, List wrappers)
  | 'felix' // felix.cfg (INI)
  | 'cni' // CNI conflist (JSON)
  | 'fact'; // fact files: osrelease, uname -a, mtu, ip link output, ...

/** The fields every node of every hostlint tree has. */
export interface BaseNode {
  type: string;
  position: Position;
}

/** A full-line comment (`#` or `;`), in any comment-bearing language. */
export interface CommentNode extends BaseNode {
  type: 'comment';
  /** The comment marker as written. */
  marker: string;
  /** Text after the marker, not trimmed. */
  value: string;
}

/** A syntax problem the parser found; becomes a `parse-error` result. */
export interface ParseProblem {
  message: string;
  position: Position;
}

// --- sysctl / sysctl-dump ---------------------------------------------------

export interface SysctlKeyNode extends BaseNode {
  type: 'key';
  /** Normalised dotted name (`net/ipv4/ip_forward` → `net.ipv4.ip_forward`, `eth0.100` stays `eth0/100`). */
  name: string;
  /** The key as written, without a leading `-`. */
  raw: string;
  /** The key contains glob characters (`*?[`). */
  glob: boolean;
}

export interface SysctlValueNode extends BaseNode {
  type: 'value';
  /** Trimmed value text (may be empty). */
  value: string;
}

export interface SysctlAssignmentNode extends BaseNode {
  type: 'assignment';
  /** `-key = value`: failure to set is ignored. */
  ignoreFailure: boolean;
  key: SysctlKeyNode;
  value: SysctlValueNode;
  children: [SysctlKeyNode, SysctlValueNode];
}

/** `-key` without `=`: excludes a key from glob assignments. */
export interface SysctlExclusionNode extends BaseNode {
  type: 'exclusion';
  key: SysctlKeyNode;
  children: [SysctlKeyNode];
}

/** A non-comment line without `=` (procps: "invalid syntax, continuing..."). */
export interface SysctlInvalidNode extends BaseNode {
  type: 'invalid';
  text: string;
}

export type SysctlLineNode = CommentNode | SysctlAssignmentNode | SysctlExclusionNode | SysctlInvalidNode;

export interface SysctlRoot extends BaseNode {
  type: 'root';
  language: 'sysctl' | 'sysctl-dump';
  children: SysctlLineNode[];
}

// --- resolv.conf --------------------------------------------------------------

export interface ResolvWordNode extends BaseNode {
  type: 'word';
  value: string;
}

export interface ResolvOptionNode extends BaseNode {
  type: 'option';
  name: string;
  /** Text after `:`; null when there is no `:`. */
  value: string | null;
}

export interface ResolvKeywordNode extends BaseNode {
  type: 'keyword';
  value: string;
}

/**
 * One non-comment line. `active` is false when glibc ignores the line:
 * the keyword is indented, unknown, or not followed by a blank.
 */
export interface ResolvDirectiveNode extends BaseNode {
  type: 'directive';
  /** Keyword as written (`nameserver`, `search`, `domain`, `options`, `sortlist`, or anything else). */
  name: string;
  active: boolean;
  inactiveReason?: 'indented' | 'unknown-keyword' | 'no-separator';
  keyword: ResolvKeywordNode;
  /** Arguments: `option` nodes on `options` lines, `word` nodes elsewhere. */
  args: Array<ResolvWordNode | ResolvOptionNode>;
  children: Array<ResolvKeywordNode | ResolvWordNode | ResolvOptionNode>;
}

export type ResolvLineNode = CommentNode | ResolvDirectiveNode;

export interface ResolvRoot extends BaseNode {
  type: 'root';
  language: 'resolv';
  children: ResolvLineNode[];
}

// --- data trees: YAML (kube) and JSON (cni) ----------------------------------

export interface ScalarNode extends BaseNode {
  type: 'scalar';
  /** The parsed value (string, number, boolean or null). */
  value: string | number | boolean | null;
  /** The source text of the scalar, including quotes or block indicators. */
  source: string;
  /** For YAML block/quoted scalars: how the value text maps back to the file. */
  style?: 'plain' | 'single' | 'double' | 'literal' | 'folded' | 'json';
}

export interface PairNode extends BaseNode {
  type: 'pair';
  key: ScalarNode;
  value: DataNode | null;
  children: Array<ScalarNode | DataNode>;
}

export interface MappingNode extends BaseNode {
  type: 'mapping';
  children: PairNode[];
}

export interface SequenceNode extends BaseNode {
  type: 'sequence';
  children: DataNode[];
}

export interface AliasNode extends BaseNode {
  type: 'alias';
  name: string;
}

export type DataNode = ScalarNode | MappingNode | SequenceNode | AliasNode;

/** One YAML document of a stream (or the single JSON document). */
export interface DocumentNode extends BaseNode {
  type: 'document';
  /** Index of the document in the stream, 0-based. */
  index: number;
  /** `kind` of the object, when it is a Kubernetes object (has apiVersion and kind). */
  kind?: string;
  apiVersion?: string;
  /**
   * A document no enabled rule reads, not parsed (Kubernetes YAML, see
   * `KubeParseOptions`): no body; `kind`, `apiVersion` and `name`
   * (`metadata.name`) as read from its text.
   */
  skipped?: true;
  name?: string;
  body: DataNode | null;
  children: DataNode[];
}

export interface KubeRoot extends BaseNode {
  type: 'root';
  language: 'kube';
  children: DocumentNode[];
  comments: CommentNode[];
}

export interface CniRoot extends BaseNode {
  type: 'root';
  language: 'cni';
  children: DocumentNode[];
}

// --- felix.cfg (INI) ----------------------------------------------------------

export interface IniSectionNode extends BaseNode {
  type: 'section';
  name: string;
  /** Position of the `[name]` header; absent for the implicit top section. */
  header?: Position;
  children: Array<IniPropertyNode | CommentNode>;
}

export interface IniKeyNode extends BaseNode {
  type: 'key';
  name: string;
}

export interface IniValueNode extends BaseNode {
  type: 'value';
  value: string;
}

export interface IniPropertyNode extends BaseNode {
  type: 'property';
  key: IniKeyNode;
  value: IniValueNode;
  children: [IniKeyNode, IniValueNode];
}

export interface FelixRoot extends BaseNode {
  type: 'root';
  language: 'felix';
  children: IniSectionNode[];
}

// --- fact files ------------------------------------------------------------------

/** Fact files are kept as lines; facts are extracted by the scope builder. */
export interface FactLineNode extends BaseNode {
  type: 'line';
  value: string;
}

export interface FactRoot extends BaseNode {
  type: 'root';
  language: 'fact';
  /** What the file holds, decided by its path. */
  factKind: FactFileKind;
  children: FactLineNode[];
}

export type FactFileKind =
  | 'osrelease'
  | 'uname'
  | 'mtu'
  | 'operstate'
  | 'ip-link'
  | 'ip-address'
  | 'iptables-save'
  | 'flannel-subnet-env'
  | 'kubelet-config'
  | 'proc-sys'
  | 'modules-load' // modules-load.d(5) files, Debian's /etc/modules, /etc/udev/rules.d: how kernel modules are loaded at boot
  | 'packages' // sosreport `installed-rpms` / `installed-debs`: installed package versions
  | 'cpuinfo' // /proc/cpuinfo: one `processor` line per CPU
  | 'tuned' // tuned's active_profile, tuned-main.conf and profile tuned.conf files (read as a sysctl source by src/engine/tuned.ts)
  | 'lscpu'; // sosreport `sos_commands/processor/lscpu`: `CPU(s):` line

export type AnyRoot = SysctlRoot | ResolvRoot | KubeRoot | CniRoot | FelixRoot | FactRoot;

export interface ParseResult<R extends AnyRoot = AnyRoot> {
  tree: R;
  problems: ParseProblem[];
  /** Every comment in the file, in order (for inline directives). */
  comments: CommentNode[];
}

// ---------------------------------------------------------------------------
// Source files and scopes
// ---------------------------------------------------------------------------

/** A file as the engine holds it. */
export interface SourceFile {
  /** Path relative to the working directory, with forward slashes (what users see). */
  path: string;
  /** Absolute path on disk (for reading); for a snapshot member, the path inside it. */
  absolutePath: string;
  /** For files in a host snapshot: the path as it is on the host (`/etc/sysctl.conf`). */
  hostPath?: string;
  language: LanguageId;
  /**
   * A Helm chart's values file: the chart's name (`cilium`, `tigera-operator`),
   * from the `Chart.yaml` beside it or from the configuration's `languages`
   * (`helm-values:cilium`). Read as `kube` YAML.
   */
  chart?: string;
  /** Fact files: what the file holds. */
  factKind?: FactFileKind;
  /** Other host paths that are symlinks to this file (`/etc/sysctl.d/99-sysctl.conf`). */
  linkedFrom?: string[];
  /**
   * The file as unified sees it: parsed by its language's processor
   * (src/engine/parse.ts), and the one carrier of the file's messages (every
   * finding is a `VFileMessage` on it, src/engine/message.ts).
   */
  vfile: VFile;
  /** The text after BOM removal. */
  text: string;
  parsed?: ParseResult;
}

export type Tri = true | false | undefined;

/** Where a fact came from: a position in a file, or a key of the configuration. */
export interface Evidence {
  file: string;
  position?: Position;
  /** What the evidence shows, e.g. "kernel release 3.10.0-1160.el7.x86_64". */
  message: string;
}

/** A fact is known with evidence, or unknown (with a hint on how to supply it). */
export type Fact<T> =
  | { known: true; value: T; evidence: Evidence[] }
  | { known: false; hint: string };

// ---------------------------------------------------------------------------
// Results
// ---------------------------------------------------------------------------

export type Severity = 'error' | 'warning' | 'note';
export type SeverityOrOff = Severity | 'off';

export interface Location {
  file: string;
  position: Position;
  message?: string;
}

export interface TextEdit {
  /** Offsets into the text as read (BOM removed). */
  range: [number, number];
  text: string;
  /** The range as lines and columns; filled in by the engine (for SARIF `fixes`). */
  position?: Position;
}

export interface Fix {
  description?: string;
  edits: TextEdit[];
}

export interface Suppression {
  kind: 'inSource' | 'external';
  justification?: string;
  location?: Location;
}

/**
 * A finding as formatters read it. The engine makes each one a `VFileMessage`
 * (src/engine/message.ts) on its file's `VFile`; results from a worker or a
 * baseline are plain objects of this shape.
 */
export interface Result {
  ruleId: string;
  severity: Severity;
  message: string;
  /** Primary location: the narrowest node. */
  file: string;
  position: Position;
  related: Location[];
  fix?: Fix;
  suppressions?: Suppression[];
  /** Host the result belongs to (snapshot name), when in a host scope. */
  host?: string;
  /**
   * The flagged line's text (SARIF context snippets). A line longer than
   * SNIPPET_MAX characters gives only a window of it around the result,
   * starting at `snippetColumn`.
   */
  snippet?: string;
  /** 1-based column of the line where a windowed `snippet` starts (absent: the whole line). */
  snippetColumn?: number;
  /**
   * Stable identity of the finding, filled by the engine: a hash of rule id,
   * file and the normalised text of the flagged line and its neighbours
   * (SARIF `partialFingerprints["hostlint/v1"]`).
   */
  fingerprint?: string;
  /**
   * Set on every result when a baseline is in use (`--baseline`): `unchanged`
   * when its fingerprint is in the baseline (it is then also suppressed, kind
   * `external`), `new` otherwise (SARIF `baselineState`).
   */
  baselineState?: 'new' | 'unchanged';
}

// ---------------------------------------------------------------------------
// Rules
// ---------------------------------------------------------------------------

export interface RuleSource {
  /** What the source is: "Linux commit 4396e46187ca (tcp: remove tcp_tw_recycle)". */
  title: string;
  url: string;
}

export interface RuleExample {
  title: string;
  /** Path the example is linted as (decides the language), e.g. `etc/sysctl.d/90-net.conf`. */
  filename: string;
  code: string;
  /** `valid`: no findings from this rule; otherwise the exact number of findings. */
  expect: 'valid' | number;
  /** Facts the example is linted with (repository scope). */
  facts?: Record<string, unknown>;
  options?: Record<string, unknown>;
  /** Other files linted in the same run (path → text), for rules that join files. */
  files?: Record<string, string>;
}

export interface RuleMeta<M extends string = string> {
  /** Stable id, equal to the rule's file name. */
  id: string;
  type: 'problem' | 'suggestion';
  /** One line, starting with a verb ("Disallow …", "Require …", "Enforce …"), no final period. */
  description: string;
  /** Why it matters, in Markdown. */
  rationale: string;
  /** Default severity. */
  severity: Severity;
  /**
   * How sure a finding is (SARIF `precision`, which code scanning sorts
   * alerts by): `high` when the files read prove it (syntax, values,
   * duplicates, what glibc or procps do with the text); `medium` when it
   * rests on inferred facts or heuristics (whether a host is a Kubernetes
   * node, which Calico or procps version runs, upstream kernel version
   * tables that vendor kernels may differ from, a value that may be
   * deliberate).
   */
  precision: 'high' | 'medium';
  /** Languages whose files the rule reads. */
  languages: LanguageId[];
  /**
   * For a rule that reads `kube`: the Kubernetes kinds of the YAML documents
   * it reads, itself or through the facts it asks for (rule-api's
   * CALICO_KINDS, CNI_KINDS). Documents of a kind no enabled rule reads are
   * not parsed (see "Performance" in the README). Absent: every document.
   */
  kinds?: string[];
  /** Message templates by id; `{{name}}` placeholders are filled from `data`. */
  messages: Record<M, string>;
  /** JSON schema of the options object. */
  schema?: Record<string, unknown>;
  defaultOptions?: Record<string, unknown>;
  sources: RuleSource[];
  tags: string[];
  fixable: boolean;
  /** SARIF `security-severity` (a number as a string), for rules tagged `security`. */
  securitySeverity?: string;
  examples: RuleExample[];
}

// ---------------------------------------------------------------------------
// A finished run, as formatters see it
// ---------------------------------------------------------------------------

export interface FileReport {
  /** Path relative to the working directory, forward slashes. */
  path: string;
  host?: string;
  /** The file's language, when it was read (JUnit lists the rules that read it). */
  language?: LanguageId;
  results: Result[];
  /** The file's text after `--fix` / `--fix-dry-run` applied fixes to it (absent when unchanged). */
  output?: string;
}

/**
 * One host of a fleet run (`audit`, `merge`; `lint` of snapshots): what the
 * fleet summary, the NDJSON `host` records and the HTML report show of it.
 */
export interface FleetHost {
  host: string;
  /** The snapshot directory or archive, relative to the working directory. */
  path: string;
  form: 'directory' | 'sosreport' | 'archive';
  /** `kubernetes-node` when the snapshot shows a Kubernetes node, else `host`. */
  role: 'kubernetes-node' | 'host';
  kubernetesNode: boolean | null;
  kernel: string | null;
  errorCount: number;
  warningCount: number;
  noteCount: number;
  /** The host's facts (NDJSON `host` records carry them for `merge`). */
  summary?: import('./facts/summary.js').HostSummary;
}

export interface LintReport {
  /** Absolute working directory. */
  cwd: string;
  files: FileReport[];
  /**
   * Display paths of every file read and linted, with or without results
   * (`files` holds only those with results). Absent in reports made elsewhere.
   */
  linted?: string[];
  /** Every rule that was enabled in the run (SARIF describes them all). */
  rules: RuleMeta[];
  toolVersion: string;
  /** Counts over all results, after suppression. */
  errorCount: number;
  warningCount: number;
  noteCount: number;
  /** The hosts of a fleet run (audit, merge), in host order; formatters that show hosts read them. */
  hosts?: FleetHost[];
}
