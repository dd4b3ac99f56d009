/**
 * The peer of the pre-commit bench (test/bench/precommit.mjs): ESLint with
 * eslint-plugin-yml running one YAML rule on the Calico manifest.
 * `yml/require-string-key` visits every mapping key, the counterpart of
 * hostlint's check that keys are scalars (Kubernetes' JSON has string keys
 * only). Used by the bench only (devDependencies).
 */
import yml from 'eslint-plugin-yml';

export default [
  ...yml.configs['flat/base'],
  { files: ['**/*.yaml', '**/*.yml'], rules: { 'yml/require-string-key': 'error' } },
];
