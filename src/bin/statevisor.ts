#!/usr/bin/env -S node --max-semi-space-size=1
/**
 * The `statevisor` executable. `daemon` runs the server; every other command is the CLI, which
 * talks to a daemon only through the client. Dispatching here keeps the CLI free of server code.
 * `daemon --detach` and `daemon --stop` are the CLI's (src/cli/daemon-control.ts): they start or
 * stop a daemon process and run no server code themselves.
 */

/** Global options that take a value, so that their values are not mistaken for the command. */
const valued = new Set(['--socket', '--addr', '--token-file', '--tls-ca', '--tls-cert', '--tls-key', '--fleet', '--host', '--host-timeout']);

export function commandIndex(args: readonly string[]): number {
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i]!;
    if (arg === '--') return -1;
    if (valued.has(arg)) {
      i += 1;
      continue;
    }
    if (!arg.startsWith('-')) return i;
  }
  return -1;
}

/**
 * The daemon's arguments ask to start it in the background or stop it (checked without loading
 * either side); with --help they ask for the daemon's help, which lists both.
 */
export function isDaemonControl(daemonArgs: readonly string[]): boolean {
  const end = daemonArgs.indexOf('--');
  const own = end < 0 ? daemonArgs : daemonArgs.slice(0, end);
  return own.some((arg) => arg === '--detach' || arg === '--stop') && !own.some((arg) => arg === '--help' || arg === '-h');
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const at = commandIndex(args);
  if (at >= 0 && args[at] === 'daemon') {
    const daemonArgs = [...args.slice(0, at), ...args.slice(at + 1)];
    if (isDaemonControl(daemonArgs)) {
      const { runDaemonControl } = await import('../cli/daemon-control.js');
      process.exitCode = (await runDaemonControl(daemonArgs)) ?? 0;
      return;
    }
    const { daemonCommand } = await import('../server/main.js');
    await daemonCommand().parseAsync(daemonArgs, { from: 'user' });
    return;
  }
  const { runCli } = await import('../cli/main.js');
  process.exitCode = await runCli(args);
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`statevisor: ${message}\n`);
  process.exitCode = 1;
});
