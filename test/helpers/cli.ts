/** Run the CLI in-process with captured output. */
import { main } from '../../src/cli/main.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Standard input: text, bytes, or chunks from a generator (read only as far as
 * the CLI reads them, as a pipe is).
 */
export type StdinInput = string | Uint8Array | (() => AsyncIterable<Uint8Array>);

export async function runCli(argv: string[], options: { cwd: string; stdin?: StdinInput; isTTY?: boolean; stderrIsTTY?: boolean; columns?: number; env?: NodeJS.ProcessEnv }): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: (s) => {
      stdout += s;
    },
    stderr: (s) => {
      stderr += s;
    },
    stdin: async () => {
      const input = options.stdin ?? '';
      if (typeof input === 'string') return input;
      if (input instanceof Uint8Array) return Buffer.from(input).toString('utf8');
      const chunks: Uint8Array[] = [];
      for await (const chunk of input()) chunks.push(chunk);
      return Buffer.concat(chunks).toString('utf8');
    },
    stdinStream: () => {
      const input = options.stdin ?? '';
      if (typeof input === 'function') return input();
      return [typeof input === 'string' ? Buffer.from(input, 'utf8') : input];
    },
    cwd: options.cwd,
    isTTY: options.isTTY ?? false,
    stderrIsTTY: options.stderrIsTTY ?? false,
    ...(options.columns !== undefined ? { columns: options.columns } : {}),
    env: options.env ?? {},
  });
  return { code, stdout, stderr };
}
