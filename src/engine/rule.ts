/**
 * The rule contract: `defineRule({ meta, create })`.
 *
 * A rule's `create(context)` is called once per scope (a host snapshot, or the
 * repository) and returns visitors: `"<language>:<node type>"` keys are called
 * for every node of that type in every file of the scope, in one traversal per
 * file; the `scope` key is called once, after the files, for checks over facts.
 */
import type { BaseNode, Fix, Location, Position, RuleMeta, SourceFile } from '../types.js';
import type { NodeTypes } from '../languages/index.js';
import type { RuleScope } from './scope.js';

export interface ReportDescriptor<M extends string> {
  messageId: M;
  data?: Record<string, string | number>;
  /** The file the problem is in. Defaults to the file being visited. */
  file?: SourceFile;
  /** The narrowest node that shows the problem... */
  node?: BaseNode;
  /** ...or an explicit position in `file`. */
  position?: Position;
  /**
   * ...or a location in a file of another scope, known only from a host's
   * summary (a fleet rule, in the repository scope, reporting at one host's
   * line): the result names that host, and its snippet and fingerprint come
   * from `line`, the text of the line, as they would in the host's own scope
   * (or, without it, from `key`, a stable text that stands for the location).
   */
  at?: { file: string; position: Position; host: string; hostPath?: string; line?: string; key?: string };
  /** Evidence: where the facts the finding rests on came from. */
  related?: Location[];
  fix?: Fix;
  /**
   * Report this many levels below the configured severity (error → warning →
   * note): for a finding that rests on an unknown fact, or a milder form of
   * the problem.
   */
  demote?: number;
}

export interface RuleContext<M extends string = string, O = Record<string, unknown>> {
  readonly id: string;
  /** Options after the schema's defaults were applied (from the configuration's top-level `rules`). */
  readonly options: O;
  /** Options in force for one file: top-level options with matching `overrides` applied. */
  optionsFor(file: SourceFile): O;
  /** The scope the rule runs in: its files and facts. */
  readonly scope: RuleScope;
  report(descriptor: ReportDescriptor<M>): void;
}

/** `"<language>:<node type>"` for every node type of every language in the registry (src/languages/). */
export type NodeSelector = {
  [L in Extract<keyof NodeTypes, string>]: `${L}:${Extract<keyof NodeTypes[L], string>}`;
}[Extract<keyof NodeTypes, string>];

/** The node a selector's visitor gets: `"sysctl:assignment"` → `SysctlAssignmentNode`. */
export type NodeOf<S extends NodeSelector> = S extends `${infer L}:${infer T}`
  ? L extends keyof NodeTypes
    ? T extends keyof NodeTypes[L]
      ? NodeTypes[L][T]
      : never
    : never
  : never;

// eslint-style visitor map: node visitors get (node, file) with the node typed by its selector; `scope` gets no argument.
export type Visitors = {
  scope?: () => void;
} & {
  [S in NodeSelector]?: (node: NodeOf<S>, file: SourceFile) => void;
};

export interface Rule<M extends string = string, O = any> {
  meta: RuleMeta<M>;
  create(context: RuleContext<M, O>): Visitors;
}

/** Identity helper that types `messageId`s from `meta.messages`. */
export function defineRule<M extends string, O = Record<string, unknown>>(rule: {
  meta: RuleMeta<M>;
  create(context: RuleContext<M, O>): Visitors;
}): Rule<M, O> {
  return rule;
}

/** Fill `{{name}}` placeholders of a message template. */
export function fillMessage(template: string, data: Record<string, string | number> | undefined): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) =>
    data && Object.hasOwn(data, name) ? String(data[name]) : whole,
  );
}
