import { Parser } from 'yaml';
const src = `a:
  b:
    description: 'APIVersion defines
    of an object: More info'
    type: string
  - d: "q
  r"
`;
const walk = (t) => { if (!t || typeof t !== 'object') return; if (Array.isArray(t)) return t.forEach(walk); if (/quoted/.test(t.type)) console.log(t.type, t.offset, t.indent, JSON.stringify(t.source)); for (const k of ['start','key','sep','value','items','end']) walk(t[k]); };
for (const tok of new Parser().parse(src)) walk(tok);
