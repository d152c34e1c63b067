/**
 * Where fleet mode meets the commands. The program is a FleetAwareCommand, and so is every
 * command made from it (commander builds subcommands with createCommand), whose action is wrapped:
 * without a fleet it is the command's own action, untouched; with one it is, by command,
 *
 * - a fleet form (reads.ts): ls, describe, status, health, events — every host at once;
 * - one host's command: logs, inspect (a stream of one daemon's own output), which need --host;
 * - local: schema, completion and startup systemd, which talk to no daemon, and the hidden
 *   __complete (completion asks the daemon the line names, and stays quiet in a fleet);
 * - host by host (per-host.ts): usage as it is; every other command changes state (or is one this
 *   table does not know, taken as one that does) and needs --all-hosts or --host NAME[,NAME].
 *
 * So a command file knows nothing of fleets, and a new command is safe in fleet mode by default.
 */
import { Command } from 'commander';
import { globalOptions } from '../connection.js';
import { UsageError } from '../errors.js';
import { fleetOf, type Fleet, type FleetGlobalOptions } from './hosts.js';
import { runPerHost, useHost } from './per-host.js';
import { fleetDescribe, fleetEvents, fleetHealth, fleetList, fleetStatus } from './reads.js';

type Action = (...args: unknown[]) => void | Promise<void>;

/** A fleet form, given the action's arguments: its operands, then its options, then the command. */
const fleetForms: Readonly<Record<string, (fleet: Fleet, args: unknown[], json: boolean) => Promise<void>>> = {
  list: (fleet, [options], json) => fleetList(fleet, (options as { selector?: string }).selector, json),
  describe: (fleet, [name], json) => fleetDescribe(fleet, name as string, json),
  status: (fleet, _args, json) => fleetStatus(fleet, json),
  health: (fleet, [service], json) => fleetHealth(fleet, service as string | undefined, json),
  events: (fleet, [name], json) => fleetEvents(fleet, name as string | undefined, json),
};
const oneHost = new Set(['logs', 'inspect']);
const local = new Set(['schema', 'completion', 'systemd', '__complete']);
const readOnly = new Set(['usage']);

async function inFleet(command: Command, fleet: Fleet, action: Action, args: unknown[]): Promise<void> {
  const name = command.name();
  const json = globalOptions(command).json === true;
  const form = fleetForms[name];
  if (form) return form(fleet, args, json);
  if (local.has(name)) return action(...args);
  if (oneHost.has(name)) {
    if (fleet.hosts.length !== 1 || !fleet.chosen) {
      throw new UsageError(`${name} follows one daemon: in a fleet, name it with --host NAME (hosts: ${fleet.hosts.map((h) => h.name).join(', ')})`);
    }
    useHost(command, fleet.hosts[0]!);
    return action(...args);
  }
  if (!readOnly.has(name) && !fleet.chosen) {
    throw new UsageError(
      `${name} changes state: in a fleet, give --all-hosts or --host NAME[,NAME] (hosts: ${fleet.hosts.map((h) => h.name).join(', ')})`,
    );
  }
  return runPerHost(command, fleet, () => Promise.resolve(action(...args)), json);
}

export class FleetAwareCommand extends Command {
  override createCommand(name?: string): Command {
    return new FleetAwareCommand(name);
  }

  override action(action: Action): this {
    return super.action(async (...args: unknown[]) => {
      const command = args.at(-1) as Command;
      const fleet = fleetOf(globalOptions(command) as FleetGlobalOptions);
      return fleet === undefined ? action(...args) : inFleet(command, fleet, action, args);
    });
  }
}
