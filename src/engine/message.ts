/**
 * Results are `VFileMessage`s: the engine creates every finding (parse
 * errors, rule results, diagnostics) here and puts it on the `VFile` of the
 * file it belongs to, the one carrier of a file's messages (linter.ts).
 *
 * A message carries vfile's fields (`reason`/`message`, `ruleId`,
 * `source: 'hostlint'`, `place`, `line`, `column`, `file`, `fatal`) and
 * hostlint's (`severity`, `position`, `related`, `fix`, `host`, and the
 * snippet and fingerprint the engine adds later): it is a `Result` too, which
 * is what formatters read.
 *
 * `new VFileMessage()` captures a stack trace (it is an `Error`): 100,000 of
 * them cost about 15 times as much as plain objects. A finding has no use for
 * a stack, so messages are made from `VFileMessage.prototype` with their fields
 * assigned: `instanceof VFileMessage` holds, no stack is captured, and (not
 * being a real `Error`) a message crosses to and from a worker thread with all
 * its fields.
 */
import { VFileMessage } from 'vfile-message';
import type { Result } from '../types.js';

/** A hostlint finding: a `VFileMessage` with hostlint's fields. */
export type LintMessage = VFileMessage & Result;

/** What a message is made from: a result, and for parse errors `fatal`. */
export type MessageInit = Result & { fatal?: boolean };

/**
 * `fatal` in unified-lint-rule's manner: `true` for errors (and parse errors),
 * `false` for warnings, `undefined` for notes.
 */
function fatalOf(init: MessageInit): boolean | undefined {
  if (init.fatal !== undefined) return init.fatal;
  return init.severity === 'error' ? true : init.severity === 'warning' ? false : undefined;
}

export function createMessage(init: MessageInit): LintMessage {
  const m = Object.create(VFileMessage.prototype) as LintMessage;
  m.ruleId = init.ruleId;
  m.source = 'hostlint';
  m.reason = init.message;
  m.message = init.message;
  m.file = init.file;
  m.place = init.position;
  m.line = init.position.start.line;
  m.column = init.position.start.column;
  m.fatal = fatalOf(init);
  m.severity = init.severity;
  m.position = init.position;
  m.related = init.related;
  if (init.fix !== undefined) m.fix = init.fix;
  m.host = init.host;
  return m;
}
