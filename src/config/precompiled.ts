/**
 * Validators of the configuration schema (`config`) and of each rule's
 * options schema (`rule:<id>`), compiled at build time. The bundled CLI
 * (dist/hostlint.mjs, made by src/dev/bundle.mjs) replaces this module with
 * Ajv's standalone code for them, so a run with a .hostlint.yaml neither loads
 * Ajv nor compiles a schema; elsewhere (the TypeScript build, the tests) there
 * are none and src/config/load.ts compiles the schemas with Ajv on first use.
 */
import type { ValidateFunction } from 'ajv';

export const precompiled: Record<string, ValidateFunction> | undefined = undefined;
