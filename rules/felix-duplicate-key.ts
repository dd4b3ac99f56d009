import { defineRule, felixKeys, type FelixRoot, type SourceFile } from '../src/rule-api.js';

export default defineRule({
  meta: {
    id: 'felix-duplicate-key',
    type: 'suggestion',
    description: 'Disallow keys that felix.cfg sets more than once',
    rationale: [
      'Felix reads felix.cfg with go-ini and merges all sections into one set of keys: section names mean nothing, and a key set twice keeps one value — the last one set in the last section that sets it (a section header repeated further down continues the first section of that name, so "last in the file" is not always the winner). Felix only logs "Multiple values defined for key …" at start-up, where nobody looks.',
      'The earlier lines are dead configuration that reads as if it were in force — a typical leftover of a second `[global]` block appended by a configuration tool. The fix removes the shadowed line.',
    ].join('\n\n'),
    severity: 'note',
    precision: 'high',
    languages: ['felix'],
    messages: {
      shadowed: '`{{key}}` is also set on line {{line}}, the value Felix uses: this one ({{value}}) has no effect',
    },
    sources: [
      { title: 'Felix config/file_loader.go: sections merged, "Multiple values defined for key", last value wins', url: 'https://github.com/projectcalico/calico/blob/master/felix/config/file_loader.go' },
      { title: 'go-ini: a repeated section is the same section; a repeated key keeps its last value', url: 'https://github.com/go-ini/ini' },
      { title: 'Felix configuration reference: the configuration file /etc/calico/felix.cfg', url: 'https://docs.tigera.io/calico/latest/reference/felix/configuration' },
    ],
    tags: ['calico', 'felix'],
    fixable: true,
    examples: [
      {
        title: 'LogSeverityScreen set in two sections',
        filename: 'etc/calico/felix.cfg',
        code: '[global]\nMetadataAddr = None\nLogFilePath = None\nLogSeverityScreen = Info\n\n[global]\nLogSeverityScreen = Debug\n',
        expect: 1,
      },
      {
        title: 'Each key once',
        filename: 'etc/calico/felix.cfg',
        code: '[global]\nMetadataAddr = None\nLogFilePath = None\nLogSeverityScreen = Info\n',
        expect: 'valid',
      },
    ],
  },
  create(context) {
    return {
      'felix:root'(tree: FelixRoot, file: SourceFile) {
        for (const key of felixKeys(tree).values()) {
          if (key.properties.length < 2) continue;
          for (const p of key.properties) {
            if (p === key.winner) continue;
            // Remove the whole line, terminator included.
            const lineStart = p.position.start.offset! - (p.position.start.column - 1);
            const nl = file.text.indexOf('\n', p.position.end.offset!);
            const lineEnd = nl < 0 ? file.text.length : nl + 1;
            context.report({
              messageId: 'shadowed',
              node: p.key,
              data: { key: p.key.name, line: key.winner.position.start.line, value: p.value.value === '' ? 'empty' : `\`${p.value.value}\`` },
              related: [{ file: file.path, position: key.winner.position, message: `${key.winner.key.name} = ${key.winner.value.value}: the value Felix uses` }],
              fix: { description: `Remove the shadowed \`${p.key.name}\` line`, edits: [{ range: [lineStart, lineEnd], text: '' }] },
            });
          }
        }
      },
    };
  },
});
