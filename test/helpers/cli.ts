/** Run the CLI in-process with captured output. */
import { main } from '../../src/cli/main.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(argv: string[], options: { cwd: string; stdin?: string; isTTY?: boolean; stderrIsTTY?: boolean; columns?: number; env?: NodeJS.ProcessEnv }): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: (s) => {
      stdout += s;
    },
    stderr: (s) => {
      stderr += s;
    },
    stdin: async () => options.stdin ?? '',
    cwd: options.cwd,
    isTTY: options.isTTY ?? false,
    stderrIsTTY: options.stderrIsTTY ?? false,
    ...(options.columns !== undefined ? { columns: options.columns } : {}),
    env: options.env ?? {},
  });
  return { code, stdout, stderr };
}
