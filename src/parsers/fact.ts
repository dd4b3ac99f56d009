/**
 * Fact files (kernel release, `uname -a`, interface MTU and state, `ip` output,
 * `iptables-save`) are kept as positioned lines; the scope builder reads facts
 * from them.
 */
import type { FactFileKind, FactRoot, ParseResult } from '../types.js';
import { LineIndex, lines } from './line-index.js';

export function parseFactFile(text: string, factKind: FactFileKind): ParseResult<FactRoot> {
  const index = new LineIndex(text);
  const children: FactRoot['children'] = [];
  for (const l of lines(text)) {
    if (l.text.trim() === '') continue;
    children.push({ type: 'line', value: l.text, position: index.position(l.start, l.end) });
  }
  return {
    tree: { type: 'root', language: 'fact', factKind, children, position: index.position(0, text.length) },
    problems: [],
    comments: [],
  };
}
