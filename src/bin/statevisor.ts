#!/usr/bin/env -S node --max-semi-space-size=1
/**
 * The `statevisor` executable. `daemon` runs the server; every other command is the CLI, which
 * talks to a daemon only through the client. Dispatching here keeps the CLI free of server code.
 */

/** Global options that take a value, so that their values are not mistaken for the command. */
const valued = new Set(['--socket', '--addr', '--token-file']);

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

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const at = commandIndex(args);
  if (at >= 0 && args[at] === 'daemon') {
    const { daemonCommand } = await import('../server/main.js');
    await daemonCommand().parseAsync([...args.slice(0, at), ...args.slice(at + 1)], { from: 'user' });
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
