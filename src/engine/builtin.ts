/**
 * Diagnostics the engine itself reports. They have metadata like rules, so
 * every output format can describe them, but no `create`.
 */
import type { RuleMeta } from '../types.js';

export const PARSE_ERROR = 'parse-error';
export const READ_ERROR = 'read-error';
export const UNUSED_DIRECTIVE = 'unused-disable-directive';
export const INTERNAL_ERROR = 'internal-error';
export const IGNORED_FILE = 'ignored-file';
export const TEMPLATE_NOT_LINTED = 'template-not-linted';
export const PATCH_NOT_LINTED = 'patch-not-linted';
export const IGNORED_FILE_MESSAGE = 'File ignored because of a matching ignore pattern. Use "--no-ignore" to override.';

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
  [IGNORED_FILE]: {
    id: IGNORED_FILE,
    type: 'suggestion',
    description: 'Report files named on the command line that an ignore pattern excludes',
    rationale:
      'A file named explicitly but matched by the configuration\'s `ignores` or an `--ignore-pattern` is not linted. Saying so, as ESLint does, tells the user why a file they asked about has no findings; `--no-ignore` lints it.',
    severity: 'warning',
    precision: 'high',
    languages: ['sysctl', 'sysctl-dump', 'resolv', 'kube', 'felix', 'cni', 'fact'],
    messages: { ignored: IGNORED_FILE_MESSAGE },
    sources: [{ title: 'ESLint: Ignore files (explicitly passed ignored files)', url: 'https://eslint.org/docs/latest/use/configure/ignore' }],
    tags: ['input'],
    fixable: false,
    examples: [],
  },
  [TEMPLATE_NOT_LINTED]: {
    id: TEMPLATE_NOT_LINTED,
    type: 'suggestion',
    description: 'Name YAML templates that are not linted until rendered',
    rationale:
      'A Helm chart template, or any YAML with Go template actions (`{{ … }}`) outside quoted scalars, is not Kubernetes YAML until it is rendered: parsed as it is, it gives dozens of parse errors and half-read objects. hostlint does not parse it; one note per file says how to lint the rendered output instead (`helm template CHART | hostlint --stdin --stdin-filename CHART/rendered.yaml`).',
    severity: 'note',
    precision: 'high',
    languages: ['kube'],
    messages: { template: '{{message}}' },
    sources: [
      { title: 'Helm: Charts (the templates/ directory)', url: 'https://helm.sh/docs/topics/charts/' },
      { title: 'Helm: helm template', url: 'https://helm.sh/docs/helm/helm_template/' },
      { title: 'Go text/template: Actions', url: 'https://pkg.go.dev/text/template#hdr-Actions' },
    ],
    tags: ['input'],
    fixable: false,
    examples: [],
  },
  [PATCH_NOT_LINTED]: {
    id: PATCH_NOT_LINTED,
    type: 'suggestion',
    description: 'Name Kustomize patches, which are not complete objects',
    rationale:
      'A Kustomize patch (a file a kustomization.yaml names under `patches`, `patchesStrategicMerge` or `patchesJson6902`, or a document without apiVersion, kind or metadata.name beside a kustomization.yaml) changes an object defined elsewhere; linted as a complete object it would be judged on fields it leaves out. One note per file says how to lint the built output (`kubectl kustomize DIR | hostlint --stdin --stdin-filename DIR/built.yaml`).',
    severity: 'note',
    precision: 'high',
    languages: ['kube'],
    messages: { patch: '{{message}}' },
    sources: [
      { title: 'Kustomize: patches', url: 'https://kubectl.docs.kubernetes.io/references/kustomize/kustomization/patches/' },
      { title: 'Kubernetes: Declarative Management of Kubernetes Objects Using Kustomize', url: 'https://kubernetes.io/docs/tasks/manage-kubernetes-objects/kustomization/' },
    ],
    tags: ['input'],
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
