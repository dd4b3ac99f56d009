/**
 * Rule documentation, rendered from rule metadata: the catalog (`hostlint
 * rules`) and one rule's page (`hostlint explain RULE`). SARIF rule
 * descriptors use the same text.
 */
import { escapeText } from '../util/escape.js';
import type { RuleMeta } from '../types.js';

/** One rule's documentation as Markdown. */
export function ruleMarkdown(meta: RuleMeta): string {
  const out: string[] = [];
  out.push(`# ${meta.id}`, '', `${meta.description}.`, '');
  out.push(
    `- Default severity: \`${meta.severity}\``,
    `- Type: ${meta.type}`,
    `- Reads: ${meta.languages.map((l) => `\`${l}\``).join(', ')}`,
    `- Tags: ${meta.tags.map((t) => `\`${t}\``).join(', ')}`,
    `- Fixable: ${meta.fixable ? 'yes' : 'no'}`,
    '',
  );
  out.push('## Why', '', meta.rationale, '');
  if (meta.schema) {
    out.push('## Options', '', '```json', JSON.stringify(meta.schema, null, 2), '```', '');
    if (meta.defaultOptions) out.push(`Defaults: \`${JSON.stringify(meta.defaultOptions)}\``, '');
  }
  if (meta.examples.length) {
    out.push('## Examples', '');
    for (const ex of meta.examples) {
      const verdict = ex.expect === 'valid' ? 'valid' : `invalid (${ex.expect} finding${ex.expect === 1 ? '' : 's'})`;
      out.push(`### ${ex.title} — ${verdict}`, '');
      const facts = ex.facts ? ` with facts ${JSON.stringify(ex.facts)}` : '';
      out.push(`\`${ex.filename}\`${facts}:`, '', '```', ex.code.replace(/\n$/, ''), '```', '');
      for (const [name, text] of Object.entries(ex.files ?? {})) out.push(`linted together with \`${name}\`:`, '', '```', text.replace(/\n$/, ''), '```', '');
    }
  }
  out.push('## Sources', '');
  for (const s of meta.sources) out.push(`- [${s.title}](${s.url})`);
  out.push('');
  return out.join('\n');
}

/** One rule's documentation as plain text for the terminal. */
export function ruleText(meta: RuleMeta): string {
  // Heading markers and links are Markdown outside code blocks only: inside
  // an example, `# comment` is the file's own text and must stay as written.
  let inCode = false;
  return ruleMarkdown(meta)
    .split('\n')
    .map((line) => {
      if (line.startsWith('```')) {
        inCode = !inCode;
        return line;
      }
      if (inCode) return line;
      return line.replace(/^#+ /, '').replace(/\[([^\]]+)\]\(([^)]+)\)/g, '$1\n    $2');
    })
    .join('\n');
}

/** The catalog as a Markdown table. */
export function catalogMarkdown(metas: RuleMeta[]): string {
  const rows = metas.map((m) => `| \`${m.id}\` | ${m.description} | ${m.severity} | ${m.fixable ? 'yes' : ''} | ${m.tags.join(', ')} |`);
  return ['| Rule | Description | Severity | Fixable | Tags |', '| --- | --- | --- | --- | --- |', ...rows, ''].join('\n');
}

/** The catalog as aligned text. */
export function catalogText(metas: RuleMeta[]): string {
  const width = Math.max(...metas.map((m) => m.id.length));
  return metas.map((m) => `${m.id.padEnd(width)}  ${m.severity.padEnd(7)}  ${m.description}`).join('\n') + '\n';
}

/** The catalog as JSON. */
export function catalogJson(metas: RuleMeta[]): string {
  const rules = metas.map((m) => ({
    id: m.id,
    type: m.type,
    description: m.description,
    severity: m.severity,
    languages: m.languages,
    tags: m.tags,
    fixable: m.fixable,
    sources: m.sources,
    ...(m.schema ? { schema: m.schema, defaultOptions: m.defaultOptions } : {}),
  }));
  return JSON.stringify({ rules }, null, 2) + '\n';
}

/** Text for HTML: `&`, `<`, `>`, `"` and `'` escaped. */
export function escapeHtml(text: string): string {
  // Control characters (untrusted file and host names, file content) are shown escaped (`\x1b`), never written raw.
  return escapeText(text).replace(/[&<>"']/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;'));
}

/** Markdown of rule metadata to HTML, enough for it: paragraphs, code spans, bold, links. Everything is escaped first. */
function inlineHtml(markdown: string): string {
  return escapeHtml(markdown)
    .replace(/`([^`]*)`/g, '<code>$1</code>')
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
    .replace(/\[([^\]]*)\]\((https:\/\/[^)\s]*)\)/g, '<a href="$2">$1</a>');
}

/** One rule's documentation as an HTML fragment (the HTML report's rule section), from the same metadata as `ruleMarkdown`. */
export function ruleHtml(meta: RuleMeta, id: string): string {
  const out: string[] = [];
  out.push(`<section class="rule" id="${escapeHtml(id)}"><h3><code>${escapeHtml(meta.id)}</code></h3>`);
  out.push(`<p>${inlineHtml(meta.description)}.</p>`);
  out.push(`<p class="meta">Default severity <b>${escapeHtml(meta.severity)}</b> · ${escapeHtml(meta.type)} · reads ${meta.languages.map((l) => `<code>${escapeHtml(l)}</code>`).join(', ')} · fixable: ${meta.fixable ? 'yes' : 'no'}</p>`);
  for (const para of meta.rationale.split(/\n\s*\n/)) if (para.trim()) out.push(`<p>${inlineHtml(para.trim())}</p>`);
  if (meta.sources.length) {
    out.push('<p class="meta">Sources:</p><ul>');
    for (const s of meta.sources) out.push(`<li><a href="${escapeHtml(s.url)}">${escapeHtml(s.title)}</a></li>`);
    out.push('</ul>');
  }
  out.push('</section>');
  return out.join('\n');
}
