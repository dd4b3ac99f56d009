/**
 * Runs Microsoft's SARIF Multitool validator (npm `@microsoft/sarif-multitool`)
 * on a SARIF file with the GitHub ingestion rules and the SARIF rules:
 *
 *   Sarif.Multitool validate <input> --rule-kind "Ghas;Sarif" \
 *     --output <out.sarif> --log ForceOverwrite
 *
 * Notes on this version (5.7.0):
 * - the input must come before `--log`: list-valued options swallow the
 *   following positional arguments ("Option 'log' is defined with a bad format");
 * - the exit code is 0 even when the input has errors, so the verdict is read
 *   from the validator's own SARIF output (levels default through the rule's
 *   `defaultConfiguration`, messages are `id` + `arguments` templates);
 * - `DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1` is set so that the .NET binary
 *   does not need libicu;
 * - `Ghas` is the current spelling of the GitHub rule kind (`Gh` is an
 *   obsolete alias this version still accepts);
 * - a log the Multitool cannot deserialise (e.g. `"level": "bogus"`, an
 *   unknown `columnKind`) yields NO findings at all, so the file is also
 *   checked against the SARIF 2.1.0 JSON schema that ships with the Multitool
 *   (ajv, draft 2020-12); schema violations are reported as `SCHEMA` errors.
 */
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface SarifValidation {
  /** `RULE: message` for every validator finding at level error (and tool errors). */
  errors: string[];
  /** `RULE: message` for every finding at level warning. */
  warnings: string[];
  /** `RULE: message` for every finding at level note (advice, not failures). */
  notes: string[];
}

export const RULE_KIND = 'Ghas;Sarif';

/** Absolute path of the Multitool binary for this platform. */
export function multitoolPath(): string {
  const pkg = `@microsoft/sarif-multitool-${process.platform === 'win32' ? 'win32' : process.platform}`;
  const exe = process.platform === 'win32' ? 'Sarif.Multitool.exe' : 'Sarif.Multitool';
  const require = createRequire(import.meta.url);
  let dir: string;
  try {
    dir = path.dirname(require.resolve(`${pkg}/package.json`));
  } catch {
    dir = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../node_modules', pkg);
  }
  const bin = path.join(dir, exe);
  if (!existsSync(bin)) throw new Error(`SARIF Multitool not found at ${bin} (is ${pkg} installed?)`);
  try {
    // npm may not have run the package's `chmod u+x` postinstall script.
    chmodSync(bin, 0o755);
  } catch {
    // not ours to change; running it will tell
  }
  return bin;
}

/** The command line `validateSarif` runs, for messages and docs. */
export function validatorCommand(input: string, output: string): string[] {
  return [multitoolPath(), 'validate', input, '--rule-kind', RULE_KIND, '--output', output, '--log', 'ForceOverwrite'];
}

export async function validateSarif(file: string): Promise<SarifValidation> {
  const input = path.resolve(file);
  const dir = mkdtempSync(path.join(tmpdir(), 'hostlint-sarif-validate-'));
  const output = path.join(dir, 'validation.sarif');
  const [bin, ...args] = validatorCommand(input, output);
  try {
    const run = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve, reject) => {
      execFile(
        bin!,
        args,
        {
          env: { ...process.env, DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: '1', DOTNET_CLI_TELEMETRY_OPTOUT: '1' },
          maxBuffer: 64 * 1024 * 1024,
          timeout: 120_000,
        },
        (error, stdout, stderr) => {
          if (error && typeof error.code !== 'number') {
            reject(new Error(`could not run ${bin}: ${error.message}\n${stderr}`));
            return;
          }
          resolve({ code: typeof error?.code === 'number' ? error.code : 0, stdout, stderr });
        },
      );
    });
    if (!existsSync(output)) {
      throw new Error(
        `SARIF Multitool wrote no output (exit ${run.code}): ${[bin, ...args].join(' ')}\n${run.stdout}\n${run.stderr}`,
      );
    }
    const verdict = readVerdict(JSON.parse(readFileSync(output, 'utf8')) as ValidatorLog);
    verdict.errors.push(...schemaErrors(readFileSync(input, 'utf8'), path.dirname(bin!)));
    if (run.code !== 0) verdict.errors.push(`validator exited with code ${run.code}: ${run.stdout.trim()} ${run.stderr.trim()}`);
    return verdict;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// --- reading the validator's own SARIF ------------------------------------------

interface ValidatorMessage {
  text?: string;
  id?: string;
  arguments?: string[];
}

interface ValidatorRule {
  id: string;
  defaultConfiguration?: { level?: string };
  messageStrings?: Record<string, { text: string }>;
}

interface ValidatorLog {
  runs?: Array<{
    tool?: { driver?: { rules?: ValidatorRule[] } };
    results?: Array<{
      ruleId?: string;
      ruleIndex?: number;
      level?: string;
      message?: ValidatorMessage;
      locations?: Array<{ physicalLocation?: { region?: { startLine?: number; startColumn?: number } } }>;
    }>;
    invocations?: Array<{
      executionSuccessful?: boolean;
      toolExecutionNotifications?: Array<{ level?: string; message?: ValidatorMessage }>;
      toolConfigurationNotifications?: Array<{ level?: string; message?: ValidatorMessage }>;
    }>;
  }>;
}

function readVerdict(log: ValidatorLog): SarifValidation {
  const verdict: SarifValidation = { errors: [], warnings: [], notes: [] };
  for (const run of log.runs ?? []) {
    const rules = run.tool?.driver?.rules ?? [];
    for (const result of run.results ?? []) {
      const rule =
        (result.ruleIndex !== undefined ? rules[result.ruleIndex] : undefined) ?? rules.find((r) => r.id === result.ruleId);
      const level = result.level ?? rule?.defaultConfiguration?.level ?? 'warning';
      const region = result.locations?.[0]?.physicalLocation?.region;
      const where = region?.startLine !== undefined ? ` (${region.startLine}:${region.startColumn ?? 1})` : '';
      const text = `${result.ruleId ?? '?'}${where}: ${messageText(result.message, rule)}`;
      if (level === 'error') verdict.errors.push(text);
      else if (level === 'warning') verdict.warnings.push(text);
      else if (level === 'note') verdict.notes.push(text);
    }
    for (const invocation of run.invocations ?? []) {
      if (invocation.executionSuccessful === false) verdict.errors.push('validator: execution was not successful');
      for (const n of [...(invocation.toolExecutionNotifications ?? []), ...(invocation.toolConfigurationNotifications ?? [])]) {
        const text = `validator: ${messageText(n.message, undefined)}`;
        if ((n.level ?? 'warning') === 'error') verdict.errors.push(text);
        else if ((n.level ?? 'warning') === 'warning') verdict.warnings.push(text);
      }
    }
  }
  return verdict;
}

function messageText(message: ValidatorMessage | undefined, rule: ValidatorRule | undefined): string {
  if (!message) return '';
  if (message.text !== undefined) return message.text;
  const template = message.id !== undefined ? rule?.messageStrings?.[message.id]?.text : undefined;
  const args = message.arguments ?? [];
  if (template === undefined) return `${message.id ?? ''} ${JSON.stringify(args)}`;
  return template.replace(/\{(\d+)\}/g, (m, i: string) => args[Number(i)] ?? m);
}

// --- JSON schema check ---------------------------------------------------------

let schemaValidator: ValidateFunction | undefined;

function schemaErrors(text: string, multitoolDir: string): string[] {
  let log: unknown;
  try {
    log = JSON.parse(text);
  } catch (error) {
    return [`SCHEMA: not JSON: ${(error as Error).message}`];
  }
  if (!schemaValidator) {
    const schema = JSON.parse(readFileSync(path.join(multitoolDir, 'sarif-2.1.0.json'), 'utf8')) as object;
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    const isUri = (s: string): boolean => {
      try {
        new URL(s);
        return true;
      } catch {
        return false;
      }
    };
    ajv.addFormat('uri', isUri);
    ajv.addFormat('uri-reference', (s: string) => isUri(s) || !/[\s\\]|^[^/?#]*:/.test(s));
    ajv.addFormat('date-time', (s: string) => !Number.isNaN(Date.parse(s)) && /^\d{4}-\d\d-\d\dT/.test(s));
    ajv.addFormat('uuid', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
    schemaValidator = ajv.compile(schema);
  }
  if (schemaValidator(log)) return [];
  return (schemaValidator.errors ?? []).map(
    (e) => `SCHEMA (${e.instancePath || '/'}): ${e.message ?? 'invalid'}${e.params ? ' ' + JSON.stringify(e.params) : ''}`,
  );
}
