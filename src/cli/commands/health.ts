/** `statevisor health [SERVICE]`: grpc.health.v1; exits 0 only when SERVING, for scripts and probes. */
import type { Command } from 'commander';
import { globalOptions, withClient } from '../connection.js';
import { ExitCode, exitFailure } from '../errors.js';
import { withExamples } from '../help.js';
import { printJson, printLine } from '../output.js';

export function register(program: Command): void {
  const command = program
    .command('health')
    .description('SERVING or not; exit 0 only when SERVING')
    .argument('[service]', 'a gRPC service name; the whole server when absent');
  withExamples(command, 'statevisor health && echo up');
  command.action(async (service: string | undefined, _options: unknown, self: Command) => {
    const status = await withClient(self, (client) => client.health(service ?? ''));
    if (globalOptions(self).json) printJson({ status });
    else printLine(status);
    if (status !== 'SERVING') throw new ExitCode(exitFailure);
  });
}
