/**
 * The worker of a parallel fleet audit (a `tinypool` thread): lints one host
 * per task and returns its outcome. Configuration and rules are loaded once
 * per thread.
 */
import { rules as allRules } from '../../rules/index.js';
import { Config, loadConfig } from '../config/load.js';
import type { HostRef } from '../engine/load.js';
import type { Severity } from '../types.js';
import { lintHost, type HostOutcome } from './host.js';

export interface HostTask {
  ref: HostRef;
  cwd: string;
  /** Absolute path of the configuration file, if the run has one. */
  configFile?: string;
  reportUnusedDisableDirectives: Severity | 'off';
  toolVersion: string;
  summarize: boolean;
}

const configs = new Map<string, Config>();

function configFor(task: HostTask): Config {
  const key = `${task.configFile ?? ''}\0${task.cwd}`;
  let config = configs.get(key);
  if (!config) {
    const known = new Map(allRules.map((r) => [r.meta.id, r.meta.schema] as const));
    config = task.configFile ? loadConfig(task.configFile, known, task.cwd) : Config.empty(task.cwd);
    configs.set(key, config);
  }
  return config;
}

export default async function lintHostTask(task: HostTask): Promise<HostOutcome> {
  return lintHost(task.ref, {
    cwd: task.cwd,
    config: configFor(task),
    rules: allRules,
    reportUnusedDisableDirectives: task.reportUnusedDisableDirectives,
    toolVersion: task.toolVersion,
    summarize: task.summarize,
  });
}
