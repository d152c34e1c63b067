/**
 * The ProcessSpec schema as one table: every field, its kind and its limits. Typed against
 * SpecInput, so a field added to the type and forgotten here fails to compile. It is the one
 * source of validation (validate.ts), of the wire mapping (proto/spec-wire.ts) and of the JSON Schema
 * editors use (json-schema.ts); its fields are in the .proto's order (test/proto/spec-wire.test.ts).
 * Limits keep a hostile or mistaken request small: they are far above real use and far below
 * memory trouble.
 */
import { byteSize, duration, flag, fromParsed, integer, list, map, oneOf, pathMax, processName, text, type Field, type Shape } from './fields.js';
import { listenExpected, parseListenAddress } from './listen-address.js';
import { absolutePath, account, conditionPath, directoryMode, httpUrl, logTarget, relativePath, signal, umask } from './os-fields.js';
import { markerEnv } from './markers.js';
import { section } from './section.js';
import { dependencyConditions, dependencyEntryPattern } from './dependencies.js';
import {
  healthCheckTypes,
  killModes,
  processTypes,
  restartPolicies,
  restartPolicySynonyms,
  runtimeKinds,
  startOnValues,
  type HealthCheckSpec,
  type LogsSpec,
  type ResourcesSpec,
  type RestartSpec,
  type RuntimeSpec,
  type SocketSpec,
  type SpecInput,
  type StopSpec,
} from './types.js';

const kib = 1024;
const mib = 1024 * kib;

/** exec refuses any one argument or environment string over 128 KiB (MAX_ARG_STRLEN); half of that is plenty. */
const argument = text({ max: 64 * kib, empty: true, scalars: true, like: 'a string' });
const command = text({ max: pathMax });
// On the wire a CommandLine message: a repeated field cannot hold lists.
const commandLine = list(command, { max: 4096, nonEmpty: true, message: 'argv' });
const commandLines = list(commandLine, { max: 64 });
const processNames = list(processName, { max: 1024, unique: true });
const dependencyEntry = text({
  max: 63 + ':completed_successfully'.length,
  pattern: dependencyEntryPattern,
  like: `a process name, optionally followed by ${dependencyConditions.map((c) => `:${c}`).join(', ')}`,
});
const dependencyEntries = list(dependencyEntry, { max: 1024, unique: true });

const restart: Shape<Partial<RestartSpec>> = {
  policy: oneOf(restartPolicies, restartPolicySynonyms),
  delayMs: duration(),
  maxDelayMs: duration(),
  startLimitBurst: integer({ max: 1_000_000 }),
  startLimitIntervalMs: duration(),
  successExitCodes: list(integer({ max: 255 }), { max: 256, unique: true }),
  minUptimeMs: duration(),
};

const stop: Shape<Partial<StopSpec>> = {
  signal,
  gracePeriodMs: duration(),
  killMode: oneOf(killModes),
};

const logs: Shape<Partial<LogsSpec>> = {
  stdout: logTarget,
  stderr: logTarget,
  maxBytes: byteSize(),
  maxFiles: integer({ max: 1000 }),
};

const healthCheck: Shape<Partial<HealthCheckSpec>> = {
  type: oneOf(healthCheckTypes),
  url: httpUrl,
  method: oneOf(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']),
  expectedStatus: integer({ min: 100, max: 599 }),
  host: text({ max: 253, pattern: /^[A-Za-z0-9._:%[\]-]+$/, like: 'a host name or IP address' }),
  port: integer({ min: 1, max: 65535 }),
  command,
  args: list(argument, { max: 4096 }),
  service: text({ max: 1024, empty: true }),
  intervalMs: duration({ min: 1 }),
  timeoutMs: duration({ min: 1 }),
  failureThreshold: integer({ min: 1, max: 1000 }),
  successThreshold: integer({ min: 1, max: 1000 }),
  startPeriodMs: duration(),
  restartAfter: integer({ max: 1000 }),
};

const resources: Shape<ResourcesSpec> = {
  cpuMillis: integer({ min: 1, max: 1_000_000 }),
  // Below 1 MiB no process can even exec.
  memoryBytes: byteSize({ min: mib }),
  // The kernel's pid_max ceiling.
  pids: integer({ min: 1, max: 4_194_304 }),
};

/**
 * Absolute (or a file:/// URL) wherever a spec is validated; a config file may also write
 * `./x.mjs` or `../x.mjs`, which its loader makes absolute beside the file (load.ts), so the
 * schema editors check files against says so too.
 */
const workerModuleText = text({ max: pathMax, pattern: /^(\/|file:\/\/\/)/, like: 'an absolute path or a file:/// URL' });
const workerModuleField: Field<string> = {
  ...workerModuleText,
  jsonSchema: (plain) => ({
    ...workerModuleText.jsonSchema(plain),
    pattern: '^(/|file:///|\\.\\.?/)',
    description: 'an absolute path or a file:/// URL; in a config file also ./ or ../, beside the file',
  }),
};

const runtime: Shape<Partial<RuntimeSpec>> = {
  kind: oneOf(runtimeKinds),
  module: workerModuleField,
  export: text({ max: 255, pattern: /^[A-Za-z_$][A-Za-z0-9_$]*$/, like: 'a JavaScript export name' }),
};

/** Checked by parseListenAddress; the pattern only tells editors the two forms. */
const listen: Field<string> = {
  read: (value, at, found) => {
    const parsed = fromParsed(parseListenAddress)(value, at, found);
    return parsed === undefined ? undefined : (value as string);
  },
  wire: { type: 'string' },
  jsonSchema: () => ({ type: 'string', pattern: '^(/.+|\\[[0-9A-Fa-f:.]+\\]:\\d{1,5}|[0-9.]+:\\d{1,5})$', description: listenExpected }),
};

const socket: Shape<SocketSpec> = {
  listen,
  // systemd's FileDescriptorName= (LISTEN_FDNAMES is split at ':'), kept to a portable subset.
  name: text({ max: 255, pattern: /^[A-Za-z0-9_.-]+$/, like: 'a name of letters, digits, "_", "." and "-" (a LISTEN_FDNAMES entry)' }),
};

export const specShape: Shape<SpecInput> = {
  name: processName,
  description: text({ max: 4 * kib, empty: true }),
  labels: map(text({ max: 256, empty: true, scalars: true, like: 'a string' }), {
    max: 64,
    key: /^[A-Za-z0-9]([A-Za-z0-9._/-]*[A-Za-z0-9])?$/,
    keyMax: 128,
    like: 'letters, digits and . _ / - (starting and ending with a letter or digit)',
  }),

  command,
  args: list(argument, { max: 4096 }),
  env: map(argument, {
    max: 4096,
    key: /^[A-Za-z_][A-Za-z0-9_]*$/,
    keyMax: 256,
    like: 'an environment variable name ([A-Za-z_][A-Za-z0-9_]*)',
    reserved: {
      keys: markerEnv,
      why: (key) => `no ${key} here: the daemon sets it on every child to recognise it after a restart, and a spec cannot override it`,
    },
  }),
  envFiles: list(absolutePath({ prefix: '-' }), { max: 64, single: true }),
  workingDir: absolutePath(),
  user: account,
  group: account,
  umask,

  type: oneOf(processTypes),
  autoStart: flag,
  restart: section(restart),
  stop: section(stop),
  startTimeoutMs: duration(),
  logs: section(logs),
  healthCheck: section(healthCheck),
  resources: section(resources),

  after: dependencyEntries,
  before: processNames,
  requires: dependencyEntries,
  wants: dependencyEntries,
  bindsTo: processNames,
  conflicts: processNames,

  execStartPre: commandLines,
  execStartPost: commandLines,
  execStopPost: commandLines,

  pidfile: absolutePath(),
  conditionPathExists: list(conditionPath, { max: 64, single: true }),
  runtimeDirectory: relativePath,
  runtime: section(runtime),
  sockets: list(section(socket), { max: 64 }),
  startOn: oneOf(startOnValues),
  runtimeDirectoryMode: directoryMode,
};

/** Health-check fields that belong to one type or another; the rest apply to every type. */
export const healthCheckFieldsByType: Readonly<Record<HealthCheckSpec['type'], readonly (keyof HealthCheckSpec)[]>> = {
  http: ['url', 'method', 'expectedStatus'],
  tcp: ['host', 'port'],
  exec: ['command', 'args'],
  grpc: ['host', 'port', 'service'],
};

/** The field each type cannot do without. */
export const healthCheckRequired: Readonly<Record<HealthCheckSpec['type'], keyof HealthCheckSpec>> = {
  http: 'url',
  tcp: 'port',
  exec: 'command',
  grpc: 'port',
};
