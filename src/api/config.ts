/**
 * Which configuration a run uses: a file named by the caller, an object of
 * the file's shape, none, or the nearest `.hostlint.yaml` from the working
 * directory upward (as the CLI finds it); plus the caller's rule overrides.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { rules as allRules } from '../../rules/index.js';
import { Config, configFromData, findConfigFile, loadConfig, parseRuleSettings } from '../config/load.js';

/** A rule's setting: `off`, `warn`, `error` (`note`, `warning`), or `[severity, options]`. */
export type RuleEntry = string | [string, Record<string, unknown>?];

/** The configuration file's shape (schemas/config.schema.json holds the whole schema). */
export interface ConfigData {
  rules?: Record<string, RuleEntry>;
  facts?: { kernel?: string; kubernetesNode?: boolean; nat?: boolean; physicalMtu?: number; procps?: string };
  overrides?: Array<{ files: string[]; rules?: Record<string, RuleEntry>; facts?: ConfigData['facts'] }>;
  ignores?: string[];
  languages?: Record<string, string>;
  maxFileSize?: number | string;
}

/** A file's path (relative to the working directory), an object, or `false` for no configuration. */
export type ConfigInput = string | ConfigData | false | undefined;

/** Rule ids → their options' schema: what a configuration may name. */
export function knownRules(): Map<string, Record<string, unknown> | undefined> {
  return new Map(allRules.map((r) => [r.meta.id, r.meta.schema] as const));
}

export function resolveConfig(options: { cwd: string; config?: ConfigInput; rules?: Record<string, RuleEntry> | undefined; warn?: (message: string) => void }): Config {
  const { cwd, config: input } = options;
  const known = knownRules();
  let config: Config;
  if (typeof input === 'string') config = loadConfig(path.resolve(cwd, input), known, cwd);
  else if (input === false) config = Config.empty(cwd);
  else if (input !== undefined) config = configFromData(input, known, cwd);
  else {
    const found = findConfigFile(cwd);
    if (found && options.warn) warnForeignConfig(found, cwd, options.warn);
    config = found ? loadConfig(found, known, cwd) : Config.empty(cwd);
  }
  if (options.rules && Object.keys(options.rules).length > 0) config = config.withRules(parseRuleSettings(options.rules, known, '(rules option)'));
  return config;
}

/**
 * A `.hostlint.yaml` found above the working directory that another user
 * owns (not root) is used, with a warning (as git's safe.directory warns):
 * on a shared machine it may not be the configuration the user meant.
 */
function warnForeignConfig(file: string, cwd: string, warn: (message: string) => void): void {
  if (path.dirname(file) === path.resolve(cwd)) return;
  const uid = process.getuid?.();
  if (uid === undefined) return;
  try {
    const owner = statSync(file).uid;
    if (owner !== uid && owner !== 0) warn(`warning: using ${file}, found above the working directory and owned by another user (uid ${owner}); pass --config to choose the configuration`);
  } catch {
    // gone: loadConfig names it
  }
}
