/**
 * Diagnostics the engine itself reports. They have metadata like rules, so
 * every output format can describe them, but no `create`.
 */
import type { RuleMeta } from '../types.js';

export const PARSE_ERROR = 'parse-error';
export const READ_ERROR = 'read-error';
export const UNUSED_DIRECTIVE = 'unused-disable-directive';
export const INTERNAL_ERROR = 'internal-error';

export const builtinMetas: Record<string, RuleMeta> = {
  [PARSE_ERROR]: {
    id: PARSE_ERROR,
    type: 'problem',
    description: 'Report files that do not parse',
    rationale:
      'A file with a syntax error is not applied the way its author expects: YAML that does not parse is rejected by `kubectl apply`, a conflist that is not JSON is skipped by the container runtime. hostlint reports the error at its position and goes on with the other files.',
    severity: 'error',
    precision: 'high',
    languages: ['sysctl', 'sysctl-dump', 'resolv', 'kube', 'felix', 'cni'],
    messages: { syntax: '{{message}}' },
    sources: [{ title: 'YAML 1.2.2 specification', url: 'https://yaml.org/spec/1.2.2/' }, { title: 'RFC 8259: The JSON Data Interchange Format', url: 'https://www.rfc-editor.org/rfc/rfc8259' }],
    tags: ['syntax'],
    fixable: false,
    examples: [],
  },
  [READ_ERROR]: {
    id: READ_ERROR,
    type: 'problem',
    description: 'Report files that cannot be read as text',
    rationale:
      'A file that is binary, not UTF-8, unreadable, a symlink leaving its snapshot, or larger than the size limit cannot be linted. hostlint names it instead of skipping it silently, and lints every other file.',
    severity: 'error',
    precision: 'high',
    languages: ['sysctl', 'sysctl-dump', 'resolv', 'kube', 'felix', 'cni', 'fact'],
    messages: { unreadable: 'File {{reason}}' },
    sources: [],
    tags: ['input'],
    fixable: false,
    examples: [],
  },
  [UNUSED_DIRECTIVE]: {
    id: UNUSED_DIRECTIVE,
    type: 'suggestion',
    description: 'Report inline disable directives that suppress nothing',
    rationale:
      'A `hostlint-disable` comment that no longer suppresses a finding hides future findings for no reason. Reported when `--report-unused-disable-directives` is given.',
    severity: 'warning',
    precision: 'high',
    languages: ['sysctl', 'resolv', 'kube', 'felix'],
    messages: {
      unused: 'Unused hostlint-disable directive (no problems were reported{{from}})',
      unknownRule: 'Unknown rule `{{ruleId}}` in hostlint directive{{suggestion}}',
    },
    sources: [{ title: 'ESLint: --report-unused-disable-directives', url: 'https://eslint.org/docs/latest/use/command-line-interface#--report-unused-disable-directives' }],
    tags: ['directives'],
    fixable: false,
    examples: [],
  },
  [INTERNAL_ERROR]: {
    id: INTERNAL_ERROR,
    type: 'problem',
    description: 'Report a rule that failed on a file',
    rationale: 'A rule threw an exception. The other rules and files were still linted; please report the bug with the file that caused it.',
    severity: 'error',
    precision: 'high',
    languages: ['sysctl', 'sysctl-dump', 'resolv', 'kube', 'felix', 'cni', 'fact'],
    messages: { crashed: 'Rule `{{ruleId}}` failed: {{message}}' },
    sources: [],
    tags: ['internal'],
    fixable: false,
    examples: [],
  },
};
