/**
 * Fleet mode and its hosts. `--addr` with a comma list, or `--fleet NAME` (fleet.yaml), makes a
 * command talk to several daemons; one address (or none) keeps the single-daemon CLI untouched.
 * Every host carries the connection flags the single-daemon CLI would take for it: its address,
 * and its token and TLS files — from fleet.yaml, with a flag given on the command line applying
 * to every host. `--host NAME[,NAME]` narrows the fleet; `--all-hosts` says "all" out loud,
 * which a command that changes state demands.
 */
import { defaultHostTimeoutMs, type FleetHost } from '../../client/index.js';
import { type GlobalOptions } from '../connection.js';
import { UsageError } from '../errors.js';
import { tcpSettings } from '../tcp-settings.js';
import { fleetFilePath, readFleet, type HostFlags } from './fleet-file.js';

export type { HostFlags };

export interface FleetGlobalOptions extends GlobalOptions {
  fleet?: string;
  host?: string;
  allHosts?: boolean;
  /** ms, parsed by the option. */
  hostTimeout?: number;
}

export interface Fleet {
  /** The hosts this command reaches: all of them, or those --host names, in the fleet's order. */
  readonly hosts: readonly HostFlags[];
  /** --host or --all-hosts was given. */
  readonly chosen: boolean;
  readonly hostTimeoutMs: number;
}

const connectionFlags = ['tokenFile', 'tlsCa', 'tlsCert', 'tlsKey'] as const;

function fromAddrList(list: string): HostFlags[] {
  const addresses = list.split(',').map((a) => a.trim());
  addresses.forEach((address, i) => {
    if (!/^.+:\d+$/.test(address)) throw new UsageError(`--addr: entry ${i + 1} of the list: expected "host:port", got ${JSON.stringify(address)}`);
  });
  const repeated = addresses.find((a, i) => addresses.indexOf(a) !== i);
  if (repeated !== undefined) throw new UsageError(`--addr: ${repeated} is in the list twice`);
  return addresses.map((address) => ({ name: address, address }));
}

/**
 * The fleet the global options ask for, or undefined for the single-daemon CLI. A list in
 * STATEVISOR_ADDR is a fleet too, unless --socket or --fleet says otherwise (flags win).
 */
export function fleetOf(options: FleetGlobalOptions, env: NodeJS.ProcessEnv = process.env): Fleet | undefined {
  if (options.fleet !== undefined && options.addr !== undefined) throw new UsageError('give either --fleet or --addr, not both');
  const fromEnv = options.socket === undefined && options.fleet === undefined && env.STATEVISOR_ADDR?.includes(',') === true;
  const addr = options.addr ?? (fromEnv ? env.STATEVISOR_ADDR : undefined);
  const list = addr?.includes(',') === true;
  if (options.fleet === undefined && !list) {
    for (const [flag, given] of [['--host', options.host], ['--all-hosts', options.allHosts], ['--host-timeout', options.hostTimeout]] as const) {
      if (given !== undefined) throw new UsageError(`${flag} goes with a fleet: --addr HOST:PORT,HOST:PORT… or --fleet NAME`);
    }
    return undefined;
  }
  if (options.socket !== undefined) throw new UsageError('a fleet is reached over TCP: give either --socket or a fleet, not both');
  const all = options.fleet === undefined ? fromAddrList(addr!) : readFleet(fleetFilePath(env), options.fleet);
  // A flag on the command line applies to every host.
  for (const host of all) for (const flag of connectionFlags) if (options[flag] !== undefined) host[flag] = options[flag];
  return { hosts: chosenHosts(all, options), chosen: options.host !== undefined || options.allHosts === true, hostTimeoutMs: options.hostTimeout ?? defaultHostTimeoutMs };
}

function chosenHosts(all: HostFlags[], options: FleetGlobalOptions): HostFlags[] {
  if (options.host === undefined) return all;
  if (options.allHosts) throw new UsageError('give either --host or --all-hosts, not both');
  const names = options.host.split(',').map((n) => n.trim());
  for (const name of names) {
    if (!all.some((h) => h.name === name)) throw new UsageError(`--host: no host named "${name}" in the fleet (hosts: ${all.map((h) => h.name).join(', ')})`);
  }
  return all.filter((h) => names.includes(h.name));
}

/**
 * What createFleetClient takes for a host: its token and TLS files read and checked as the
 * single-daemon CLI does (tcp-settings.ts: a file missing there falls back to its variable), a bad
 * one a usage error naming the host.
 */
export function fleetHostOf(host: HostFlags): FleetHost {
  const { name, address, tokenFile, tlsCa, tlsCert, tlsKey } = host;
  try {
    const settings = tcpSettings({ addr: address, tokenFile, tlsCa, tlsCert, tlsKey });
    return { name, ...settings! };
  } catch (error) {
    if (error instanceof UsageError) throw new UsageError(`${name}: ${error.message}`);
    throw error;
  }
}
