/**
 * What a language is to hostlint: how its files are recognised, the unified
 * parser plugin that turns a file into its unist tree, the tree's node types,
 * and the comment syntax inline directives are written in.
 *
 * Every file goes through its language's `unified()` processor, built and
 * frozen once per language: `processor.parse(file.vfile)` runs the parser
 * plugin, which leaves the whole parse (tree, comments, syntax problems) on
 * the file's `data`; `processor.runSync(tree, file.vfile)` runs the rules
 * (the `hostlintRules` transformer).
 */
import { unified, type Processor } from 'unified';
import type { VFile } from 'vfile';
import type { KubeDocumentHeader } from '../parsers/yaml.js';
import type { AnyRoot, FactFileKind, LanguageId, ParseResult } from '../types.js';

declare module 'vfile' {
  interface DataMap {
    /** The parse of the file, as the language's parser plugin made it. */
    hostlintParse: ParseResult;
    /** Fact files: what the file holds (decides how it is read). */
    factKind: FactFileKind;
    /** Kubernetes YAML in a repository: which documents to parse (the engine's `kubeDocumentSelector`); absent: all. */
    kubeDocuments: (header: KubeDocumentHeader) => boolean;
    /** The engine's traversal of this file's tree for the rules of a scope (see `hostlintRules`). */
    hostlintVisit: (tree: AnyRoot) => void;
  }
}

/** Which language a file is (and for fact files, what it holds). */
export interface Classification {
  language: LanguageId;
  factKind?: FactFileKind;
}

export interface Language<Id extends LanguageId = LanguageId, Root extends AnyRoot = AnyRoot, Nodes = unknown> {
  id: Id;
  /** A file of a host snapshot, by its path on the host (`/etc/sysctl.conf`). */
  fromHostPath(hostPath: string): Classification | undefined;
  /**
   * A repository file, by its path (relative, lower-cased, forward slashes)
   * and base name; `sniff` reads the head of the file when the path is not
   * enough. Absent: the language is not found in repositories by path.
   */
  fromRepoPath?(lower: string, base: string, sniff?: () => string): Classification | undefined;
  /** The unified processor of the language, frozen: parse with `processor.parse(vfile)`. */
  processor: Processor<Root>;
  /** Comment markers inline directives may be written after (none: the language has no comments). */
  commentMarkers: readonly string[];
  /** Comments live beside the tree, not among its nodes (YAML): the traversal visits them too. */
  commentsBesideTree: boolean;
  /**
   * A finding's fingerprint takes the next non-blank line too (linter.ts):
   * in YAML and JSON a flagged line is often a bare leaf that repeats.
   */
  fingerprintNeighbour: boolean;
  /** Node types by `type`, for typed visitors (type-level only). */
  readonly nodes?: Nodes;
}

/**
 * A unified parser plugin from one of hostlint's parsers: the tree is the
 * parse's root; comments and syntax problems stay on `file.data.hostlintParse`.
 */
export function parserPlugin<Root extends AnyRoot>(parse: (text: string, file: VFile) => ParseResult<Root>) {
  return function hostlintParser(this: Processor) {
    this.parser = (document: string, file: VFile): Root => {
      const result = parse(document, file);
      file.data.hostlintParse = result as ParseResult;
      return result.tree;
    };
  };
}

/**
 * The rules' transformer: runs the engine's visitor dispatch for the scope
 * being linted (set on `file.data.hostlintVisit` by linter.ts, since a rule's
 * visitors belong to one scope while the processor is built once per
 * language). Rules report onto the file's VFile; the tree is not changed.
 */
export function hostlintRules() {
  return (tree: AnyRoot, file: VFile): undefined => {
    file.data.hostlintVisit?.(tree);
  };
}

/** The frozen processor of a language: its parser, then the rules' transformer. */
export function processorOf<Root extends AnyRoot>(parse: (text: string, file: VFile) => ParseResult<Root>): Processor<Root> {
  return unified().use(parserPlugin(parse)).use(hostlintRules).freeze() as unknown as Processor<Root>;
}
