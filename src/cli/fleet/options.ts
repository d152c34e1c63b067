/** The fleet's global options and what `statevisor --help` says of fleet mode. */
import type { Command } from 'commander';
import { exitFailure, exitUsage } from '../errors.js';
import { paragraph } from '../help.js';
import { duration } from '../spec-flags.js';
import { exitSomeHostsSilent } from './report.js';

export function addFleetOptions(program: Command): Command {
  return program
    .option('--fleet <name>', 'the hosts of fleet NAME in $XDG_CONFIG_HOME/statevisor/fleet.yaml (~/.config/…)')
    .option('--host <names>', 'in a fleet: only these hosts, e.g. web1,web2')
    .option('--all-hosts', 'in a fleet: every host (what a command that changes state needs)')
    .option('--host-timeout <duration>', 'in a fleet: how long each host has to answer (default 5s)', duration)
    .addHelpText(
      'after',
      `\nMany hosts:\n${paragraph(
        'With --addr HOST:PORT,HOST:PORT… or --fleet NAME, a command reaches several daemons. ' +
          'ls, describe, status, health and events ask every host at once and print each line after its host; ' +
          "a host that does not answer is listed as 'HOST  unreachable: …'. " +
          'Commands that change state (stop, restart, update, …) need --all-hosts or --host NAME and go host by host, ' +
          'stopping at the first host that fails; logs and inspect need --host NAME. ' +
          `Exit codes: 0 every host answered, ${exitFailure} a host failed, ${exitSomeHostsSilent} all answers good but some host did not answer, ${exitUsage} a usage error.`,
      )}
  $ statevisor --addr 10.0.0.5:7070,10.0.0.6:7070 --token-file prod.token ls
  $ statevisor --fleet prod --host web1,web2 restart api`,
    );
}
