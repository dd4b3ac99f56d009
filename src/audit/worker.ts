/**
 * The worker of a parallel fleet audit (a `tinypool` thread): lints one host
 * per task and returns its outcome. Configuration and rules are loaded once
 * per thread.
 */
import path from 'node:path';
import { rules as allRules } from '../../rules/index.js';
import { Config, loadConfig } from '../config/load.js';
import type { HostRef } from '../engine/load.js';
import type { Rule } from '../engine/rule.js';
import type { Severity } from '../types.js';
import { lintHost, type HostOutcome } from './host.js';
import { summarySections } from './spilled-hosts.js';

export interface HostTask {
  ref: HostRef;
  cwd: string;
  /** Absolute path of the configuration file, if the run has one. */
  configFile?: string;
  reportUnusedDisableDirectives: Severity | 'off';
  toolVersion: string;
  summarize: boolean;
  /** Ids of the rules the run uses (the worker loads every rule once and keeps these); all when absent. */
  ruleIds?: string[];
}

/**
 * `process.exit` in a worker thread ends the thread without an error event,
 * and tinypool (thread runtime) then never settles the task: the audit would
 * wait for it until the per-host timeout. Here it throws instead, so the call
 * fails the task (synchronously) or kills the thread with an uncaught
 * exception (from a callback), and either way the host gets an internal-error.
 * Installed by the thread's first task (this module is also part of the
 * bundled CLI, where the main thread must keep its `process.exit`).
 */
let guarded = false;
function guardExit(): void {
  // node:worker_threads is loaded here, not with the bundled CLI (it costs a lint run's start-up).
  if (guarded || process.getBuiltinModule('node:worker_threads').isMainThread) return;
  guarded = true;
  const realExit = process.exit.bind(process);
  process.exit = ((code?: number | string | null) => {
    // Node itself ends a thread this way after an uncaught exception (already reported
    // to the pool as an error): let that one through.
    if ((process as { _exiting?: boolean })._exiting) return realExit(code);
    throw new Error(`process.exit(${code ?? ''}) was called in the worker`);
  }) as typeof process.exit;
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

/**
 * Test hook (the worker-failure tests): `HOSTLINT_TEST_WORKER_FAULT=crash:HOST`
 * (the thread exits), `crash-later:HOST` (it exits from a callback), `throw:HOST` (an uncaught exception outside the task) or
 * `hang:HOST` (a busy loop), for the snapshot whose directory or archive is
 * named HOST. Only the environment of the process sets it, never a scanned file.
 */
function simulateFault(task: HostTask): Promise<never> | undefined {
  const fault = process.env.HOSTLINT_TEST_WORKER_FAULT;
  if (!fault) return undefined;
  const [kind, host] = fault.split(':');
  const file = task.ref.kind === 'directory' ? task.ref.root : task.ref.file;
  if (host === undefined || path.basename(file) !== host) return undefined;
  if (kind === 'crash') process.exit(70);
  if (kind === 'crash-later') {
    setImmediate(() => process.exit(71));
    return new Promise<never>(() => undefined);
  }
  if (kind === 'throw') {
    setImmediate(() => {
      throw new Error('simulated worker fault');
    });
    return new Promise<never>(() => undefined);
  }
  if (kind === 'hang') for (;;);
  return undefined;
}

const ruleSets = new Map<string, Rule[]>();

function rulesFor(task: HostTask): Rule[] {
  if (!task.ruleIds) return allRules;
  const key = task.ruleIds.join('\0');
  let rules = ruleSets.get(key);
  if (!rules) {
    const wanted = new Set(task.ruleIds);
    rules = allRules.filter((r) => wanted.has(r.meta.id));
    ruleSets.set(key, rules);
  }
  return rules;
}

export default async function lintHostTask(task: HostTask): Promise<HostOutcome> {
  guardExit();
  const fault = simulateFault(task);
  if (fault) await fault;
  const outcome = await lintHost(task.ref, {
    cwd: task.cwd,
    config: configFor(task),
    rules: rulesFor(task),
    reportUnusedDisableDirectives: task.reportUnusedDisableDirectives,
    toolVersion: task.toolVersion,
    summarize: task.summarize,
  });
  // The summary as the text the main thread spills: made here, in parallel, and a few
  // strings to copy to the main thread instead of the summary's hundreds of objects.
  if (outcome.summary) {
    outcome.summarySections = summarySections(outcome.summary);
    delete outcome.summary;
  }
  return outcome;
}
