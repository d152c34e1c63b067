/**
 * `statevisor completion bash|zsh|fish` prints the shell's completion script, made from this very
 * program (src/cli/completion/model.ts). The hidden `statevisor __complete names` is what those
 * scripts run at Tab for a process name: the daemon's process names, one a line, and nothing at
 * all (exit 0, at once when no socket exists) when no daemon answers: a completion never prints an
 * error into the line being typed.
 */
import { Argument, type Command } from 'commander';
import { bashScript } from '../completion/bash.js';
import { fishScript } from '../completion/fish.js';
import { completionModel } from '../completion/model.js';
import { zshScript } from '../completion/zsh.js';
import { clientFor, globalOptions } from '../connection.js';
import { withExamples } from '../help.js';
import { printLine } from '../output.js';

const scripts = { bash: bashScript, zsh: zshScript, fish: fishScript };
type Shell = keyof typeof scripts;

/** A daemon that does not answer within this is skipped: Tab must not hang. */
const namesDeadlineMs = 2_000;

export function register(program: Command): void {
  const command = program
    .command('completion')
    .description('print the shell completion script (commands, flags, process names)')
    .addArgument(new Argument('<shell>', 'bash, zsh or fish').choices(Object.keys(scripts)));
  withExamples(
    command,
    'statevisor completion bash > ~/.local/share/bash-completion/completions/statevisor',
    'statevisor completion zsh > ~/.zsh/completions/_statevisor',
    'statevisor completion fish > ~/.config/fish/completions/statevisor.fish',
  );
  command.action((shell: Shell) => {
    process.stdout.write(scripts[shell](completionModel(program)));
  });

  program
    .command('__complete', { hidden: true })
    .argument('<what>', 'names')
    .action(async (what: string, _options: unknown, self: Command) => {
      if (what !== 'names') return;
      try {
        const client = clientFor(globalOptions(self));
        try {
          const processes = await client.listProcesses({ deadlineMs: namesDeadlineMs });
          if (processes.length > 0) printLine(processes.map((p) => p.name).join('\n'));
        } finally {
          client.close();
        }
      } catch {
        // No daemon, a bad --socket typed on the line: nothing to offer.
      }
    });
}
