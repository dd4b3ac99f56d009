// ESLint for hostlint's own code (`npm run lint`, part of `npm test`).
//
// - src/ and rules/ (the tsconfig's files): typescript-eslint's recommended
//   type-checked rules, with the type information of tsconfig.json.
// - test/, src/dev/, bin/ and the other scripts: the recommended rules without
//   type information (they are not in the tsconfig; type-checking them would
//   double the time for little).
// Import cycles are checked apart, by src/dev/cycles.mjs (dpdm), which
// counts type-only imports too.
//
// test/bench/eslint.config.mjs is not this: it is the bench's ESLint peer
// (ESLint with eslint-plugin-yml on a YAML manifest), run with --config.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const typed = ['src/**/*.ts', 'rules/**/*.ts'];

export default tseslint.config(
  {
    ignores: ['dist/', 'coverage/', 'node_modules/', '**/node_modules/', 'fixtures/', 'schemas/', 'docs/', 'examples/', 'src/**/*.d.mts'],
  },
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    languageOptions: { globals: { ...globals.node } },
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // `_name` marks a binding kept for its position (or dropped from a rest spread) on purpose.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    files: typed,
    extends: [tseslint.configs.recommendedTypeCheckedOnly],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // The code writes `!` on indexed access as if noUncheckedIndexedAccess were
      // on (a note to the reader that the index is known to exist): kept.
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
      // `any` comes in from the YAML library's CST and untyped `new Map()`s;
      // the compiler's strict mode is the check the project chose for them.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      // jsonc-parser's SyntaxKind is a const enum compared with its numeric values on purpose.
      '@typescript-eslint/no-unsafe-enum-comparison': 'off',
    },
  },
  {
    // Deliberate `any`, each with its reason: visitors are typed per language
    // by the language registry (issue 11, item 4); the YAML CST's node unions
    // are walked generically.
    files: ['src/engine/rule.ts', 'src/parsers/yaml.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // page.evaluate() callbacks run in the browser.
    files: ['src/dev/fleet-report-screenshot.mjs'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['**/*.cjs', 'bin/hostlint'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
