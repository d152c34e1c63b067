/**
 * Runs the real `statevisor` executable, as a user would, and captures what it printed and how
 * it exited. Asynchronous on purpose: the daemon under test usually lives in this very process
 * and must keep answering while the CLI waits for it.
 */
import { execFile } from 'node:child_process';
import { binary, testEnv } from '../helpers/daemon-binary.js';

export { binary, testEnv };

export interface CliResult {
  stdout: string;
  stderr: string;
  code: number;
}

/** `env`: variables added to the test environment (STATEVISOR_ADDR, STATEVISOR_TLS_*…, XDG_CONFIG_HOME for fleet.yaml). */
export function runCli(args: readonly string[], options: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [binary, ...args],
      { env: { ...testEnv(), ...options.env }, timeout: options.timeoutMs ?? 60_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') return reject(error);
        resolve({ stdout, stderr, code: error ? (error.code as number) : 0 });
      },
    );
  });
}

/** `statevisor --socket SOCKET ARGS…` */
export function cliOn(socket: string): (...args: string[]) => Promise<CliResult> {
  return (...args) => runCli(['--socket', socket, ...args]);
}

/** The whole of stderr is one `statevisor: …` line. */
export function oneErrorLine(result: CliResult): string {
  const lines = result.stderr.split('\n').filter((line) => line !== '');
  if (lines.length !== 1 || !lines[0]!.startsWith('statevisor: ')) {
    throw new Error(`expected one "statevisor: …" line on stderr, got ${JSON.stringify(result.stderr)}`);
  }
  return lines[0]!;
}
