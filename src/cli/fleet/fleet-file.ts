/**
 * fleet.yaml: named lists of hosts for `--fleet NAME`, read from $XDG_CONFIG_HOME/statevisor/
 * (~/.config/statevisor/ when unset). A fleet may set token_file and the tls_* files once for
 * its hosts; a host's own value wins. Relative paths are relative to the file, `~/` is the home
 * directory. Every problem names the file and the field:
 *
 *   fleets:
 *     prod:
 *       token_file: prod.token
 *       hosts:
 *         - { name: web1, address: 10.0.0.5:7070 }
 *         - { name: web2, address: 10.0.0.6:7070, tls_ca: ca.pem, tls_cert: me.pem, tls_key: me.key }
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { UsageError } from '../errors.js';

/** One host as the single-daemon CLI's flags would reach it (fleet.yaml's fields, the flags' names). */
export interface HostFlags {
  name: string;
  address: string;
  tokenFile?: string;
  tlsCa?: string;
  tlsCert?: string;
  tlsKey?: string;
}

const fileKeys = ['token_file', 'tls_ca', 'tls_cert', 'tls_key'] as const;
const hostKeys = ['name', 'address', ...fileKeys] as const;
const fleetKeys = ['hosts', ...fileKeys] as const;
const flagOf = { token_file: 'tokenFile', tls_ca: 'tlsCa', tls_cert: 'tlsCert', tls_key: 'tlsKey' } as const;

export function fleetFilePath(env: NodeJS.ProcessEnv = process.env, home: string = os.homedir()): string {
  const config = env.XDG_CONFIG_HOME !== undefined && env.XDG_CONFIG_HOME !== '' ? env.XDG_CONFIG_HOME : path.join(home, '.config');
  return path.join(config, 'statevisor', 'fleet.yaml');
}

type Mapping = Record<string, unknown>;

function isMapping(value: unknown): value is Mapping {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The hosts of fleet `name` in `file`, each with its flags as the command line would give them. */
export function readFleet(file: string, name: string): HostFlags[] {
  const fail = (field: string, message: string): never => {
    throw new UsageError(`--fleet: ${file}${field === '' ? '' : `: ${field}`}: ${message}`);
  };
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file; write one, or give --addr HOST:PORT,HOST:PORT' : (error as Error).message;
    return fail('', why);
  }
  let document: unknown;
  try {
    document = parse(text);
  } catch (error) {
    return fail('', `not YAML: ${(error as Error).message}`);
  }
  if (!isMapping(document) || !isMapping(document.fleets)) return fail('fleets', 'expected a mapping of fleet names to { hosts: [...] }');
  const fleets = document.fleets;
  const fleet = fleets[name];
  if (fleet === undefined) return fail('fleets', `no fleet named "${name}" (there are: ${Object.keys(fleets).join(', ') || 'none'})`);
  const at = `fleets.${name}`;
  const resolve = (value: unknown, field: string): string => {
    if (typeof value !== 'string' || value === '') return fail(field, `expected a file path, got ${JSON.stringify(value)}`);
    if (value.startsWith('~/')) return path.join(os.homedir(), value.slice(2));
    return path.resolve(path.dirname(file), value);
  };
  const unknownKeys = (mapping: Mapping, allowed: readonly string[], field: string): void => {
    for (const key of Object.keys(mapping)) if (!allowed.includes(key)) fail(`${field}.${key}`, `unknown field; expected one of ${allowed.join(', ')}`);
  };
  if (!isMapping(fleet)) return fail(at, 'expected { hosts: [...] }');
  unknownKeys(fleet, fleetKeys, at);
  if (!Array.isArray(fleet.hosts) || fleet.hosts.length === 0) return fail(`${at}.hosts`, 'expected a list of at least one { name, address }');
  const shared: Partial<HostFlags> = {};
  for (const key of fileKeys) if (fleet[key] !== undefined) shared[flagOf[key]] = resolve(fleet[key], `${at}.${key}`);
  const names = new Set<string>();
  return fleet.hosts.map((host: unknown, i) => {
    const field = `${at}.hosts[${i}]`;
    if (!isMapping(host)) return fail(field, 'expected { name, address }');
    unknownKeys(host, hostKeys, field);
    if (typeof host.address !== 'string' || !/^.+:\d+$/.test(host.address)) return fail(`${field}.address`, `expected "host:port", got ${JSON.stringify(host.address)}`);
    const hostName = host.name ?? host.address;
    if (typeof hostName !== 'string' || hostName === '' || hostName.includes(',')) return fail(`${field}.name`, `expected a name without commas, got ${JSON.stringify(hostName)}`);
    if (names.has(hostName)) return fail(`${field}.name`, `"${hostName}" names two hosts`);
    names.add(hostName);
    const own: Partial<HostFlags> = {};
    for (const key of fileKeys) if (host[key] !== undefined) own[flagOf[key]] = resolve(host[key], `${field}.${key}`);
    return { ...shared, ...own, name: hostName, address: host.address };
  });
}
