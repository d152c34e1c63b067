/**
 * From what a spec says to the full ProcessSpec: defaults applied, then the rules that involve
 * more than one field (what a health-check type needs, what a runtime needs, dependencies that
 * contradict each other). A field already reported invalid is not reported again as missing.
 */
import { specDefaults, type SpecDefaults } from './defaults.js';
import { processNamePattern } from './fields.js';
import { healthCheckFieldsByType, healthCheckRequired } from './schema.js';
import { snakeCase } from './section.js';
import { listenExpected, listenKey, parseListenAddress } from './listen-address.js';
import { dependencyFields, namesOf } from './dependencies.js';
import type { HealthCheckSpec, ProcessSpec, RestartSpec, RuntimeSpec, SocketSpec, SpecInput } from './types.js';
import type { Violations } from './violations.js';
import { checkWorkerFields } from './worker-fields.js';

export function completeSpec(input: SpecInput, found: Violations, defaultName?: string): ProcessSpec {
  // A fresh copy per spec: specs never share arrays or maps with the defaults or each other.
  const d = structuredClone(specDefaults);
  const namePattern = `a process name matching ${processNamePattern.source}`;
  let name = input.name;
  if (name === undefined && defaultName !== undefined) {
    name = processNamePattern.test(defaultName) ? defaultName : undefined;
    if (name === undefined && !found.touched('name')) {
      found.add('name', defaultName, `${namePattern} (taken from the file name, as the spec has no name)`);
    }
  }
  expectPresent(found, 'name', name, namePattern);
  const runtime = completeRuntime(input.runtime, d.runtime, found);
  // A worker runs a module, not a program: its command is shown as the module.
  const command = input.command ?? (runtime.kind === 'worker' ? runtime.module : undefined);
  expectPresent(found, 'command', command, 'a non-empty string');
  const type = input.type ?? d.type;

  const spec: ProcessSpec = compact({
    name: name ?? '',
    description: input.description ?? d.description,
    labels: input.labels ?? d.labels,
    command: command ?? '',
    args: input.args ?? d.args,
    env: input.env ?? d.env,
    envFiles: input.envFiles ?? d.envFiles,
    workingDir: input.workingDir,
    user: input.user,
    group: input.group,
    umask: input.umask,
    type,
    autoStart: input.autoStart ?? d.autoStart,
    restart: completeRestart(input.restart, d.restart, type, found),
    stop: { ...d.stop, ...compact(input.stop ?? {}) },
    startTimeoutMs: input.startTimeoutMs ?? d.startTimeoutMs,
    logs: { ...d.logs, ...compact(input.logs ?? {}) },
    healthCheck: input.healthCheck && completeHealthCheck(input.healthCheck, d.healthCheck, found),
    resources: { ...d.resources, ...compact(input.resources ?? {}) },
    after: input.after ?? d.after,
    before: input.before ?? d.before,
    requires: input.requires ?? d.requires,
    wants: input.wants ?? d.wants,
    bindsTo: input.bindsTo ?? d.bindsTo,
    conflicts: input.conflicts ?? d.conflicts,
    execStartPre: input.execStartPre ?? d.execStartPre,
    execStartPost: input.execStartPost ?? d.execStartPost,
    execStopPost: input.execStopPost ?? d.execStopPost,
    pidfile: input.pidfile,
    conditionPathExists: input.conditionPathExists ?? d.conditionPathExists,
    runtimeDirectory: input.runtimeDirectory,
    runtime,
    sockets: completeSockets(input.sockets ?? d.sockets, name ?? '', found),
    startOn: input.startOn ?? d.startOn,
    runtimeDirectoryMode: input.runtimeDirectoryMode ?? d.runtimeDirectoryMode,
  });
  checkDependencies(spec, found);
  checkWorkerFields(spec, found);
  // As systemd's Type=forking with PIDFile=: without it there is no telling which process is the daemon.
  if (type === 'forking') expectPresent(found, 'pidfile', spec.pidfile, 'an absolute path (type forking reads the daemon\'s pid from it)');
  if (spec.startOn === 'connection' && spec.sockets.length === 0) {
    found.add('start_on', spec.startOn, 'start (connection needs at least one socket in sockets to wait on)');
  }
  return spec;
}

function completeRestart(
  input: Partial<RestartSpec> | undefined,
  d: RestartSpec,
  type: ProcessSpec['type'],
  found: Violations,
): RestartSpec {
  const restart = { ...d, ...compact(input ?? {}) };
  if (input?.maxDelayMs === undefined) {
    // Only delay given: the cap follows it rather than contradicting it.
    restart.maxDelayMs = Math.max(restart.maxDelayMs, restart.delayMs);
  } else if (restart.maxDelayMs < restart.delayMs) {
    found.add('restart.max_delay', restart.maxDelayMs, `at least restart.delay (${restart.delayMs} ms)`);
  }
  // As systemd: a oneshot that succeeded has done its job; restarting it is a loop.
  if (type === 'oneshot' && (restart.policy === 'always' || restart.policy === 'on-success')) {
    found.add('restart.policy', restart.policy, 'no or on-failure for a oneshot process');
  }
  return restart;
}

const requiredHint: Readonly<Partial<Record<keyof HealthCheckSpec, string>>> = {
  url: 'an http:// or https:// URL',
  port: 'an integer from 1 to 65535',
  command: 'a non-empty string',
};

function completeHealthCheck(
  input: Partial<HealthCheckSpec>,
  d: SpecDefaults['healthCheck'],
  found: Violations,
): HealthCheckSpec | undefined {
  const type = input.type;
  expectPresent(found, 'health_check.type', type, 'one of http, tcp, exec, grpc');
  if (type === undefined) return undefined;
  const own = healthCheckFieldsByType[type];
  for (const [other, fields] of Object.entries(healthCheckFieldsByType)) {
    for (const key of fields) {
      if (input[key] !== undefined && !own.includes(key)) {
        found.add(`health_check.${snakeCase(key)}`, input[key], `no ${snakeCase(key)}: ${type} checks do not use it (${other} checks do)`);
      }
    }
  }
  const needed = healthCheckRequired[type];
  expectPresent(found, `health_check.${snakeCase(needed)}`, input[needed], `${requiredHint[needed]} (${type} checks need it)`);

  const typeDefaults: Partial<HealthCheckSpec> = d;
  const specific = Object.fromEntries(own.map((key) => [key, input[key] ?? typeDefaults[key]]));
  return compact({
    type,
    ...specific,
    intervalMs: input.intervalMs ?? d.intervalMs,
    timeoutMs: input.timeoutMs ?? d.timeoutMs,
    failureThreshold: input.failureThreshold ?? d.failureThreshold,
    successThreshold: input.successThreshold ?? d.successThreshold,
    startPeriodMs: input.startPeriodMs ?? d.startPeriodMs,
    restartAfter: input.restartAfter ?? d.restartAfter,
  });
}

function completeRuntime(input: Partial<RuntimeSpec> | undefined, d: RuntimeSpec, found: Violations): RuntimeSpec {
  const kind = input?.kind ?? d.kind;
  if (kind === 'worker') {
    expectPresent(found, 'runtime.module', input?.module, 'an absolute path or a file:/// URL (a worker runtime needs it)');
    return compact({ kind, module: input?.module, export: input?.export ?? d.export });
  }
  for (const key of ['module', 'export'] as const) {
    if (input?.[key] !== undefined) found.add(`runtime.${key}`, input[key], `no ${key} for an exec runtime (it is for worker)`);
  }
  return { kind };
}

/** Each socket with its name (the process's by default); names and addresses unique within the spec. */
function completeSockets(input: readonly Partial<SocketSpec>[], processName: string, found: Violations): SocketSpec[] {
  const names = new Map<string, number>();
  const addresses = new Map<string, number>();
  return input.map((socket, index) => {
    expectPresent(found, `sockets[${index}].listen`, socket.listen, listenExpected);
    const name = socket.name ?? processName;
    const sameName = names.get(name);
    if (sameName !== undefined) {
      const unnamed = socket.name === undefined ? ` (a socket without a name takes the process's name, ${JSON.stringify(name)})` : '';
      found.add(`sockets[${index}].name`, name, `a name no other socket of this process has (sockets[${sameName}] has it)${unnamed}`);
    } else names.set(name, index);
    const parsed = parseListenAddress(socket.listen);
    if (parsed.ok) {
      const key = listenKey(parsed.value);
      const sameAddress = addresses.get(key);
      if (sameAddress !== undefined) found.add(`sockets[${index}].listen`, socket.listen, `an address no other socket listens on (sockets[${sameAddress}] does)`);
      else addresses.set(key, index);
    }
    return { listen: socket.listen ?? '', name };
  });
}

function checkDependencies(spec: ProcessSpec, found: Violations): void {
  for (const key of dependencyFields) {
    namesOf(spec, key).forEach((other, index) => {
      if (other === spec.name) found.add(`${snakeCase(key)}[${index}]`, spec[key][index], 'the name of another process');
    });
  }
  const needed = new Set([...namesOf(spec, 'requires'), ...namesOf(spec, 'wants'), ...spec.bindsTo]);
  spec.conflicts.forEach((other, index) => {
    if (needed.has(other)) found.add(`conflicts[${index}]`, other, 'a process not also in requires, wants or binds_to');
  });
  const after = namesOf(spec, 'after');
  spec.before.forEach((other, index) => {
    if (after.includes(other)) found.add(`before[${index}]`, other, 'a process not also in after (that is a cycle)');
  });
}

/** Report a required value as missing, unless its path was already reported invalid. */
function expectPresent(found: Violations, path: string, value: unknown, expected: string): void {
  if (value === undefined && !found.touched(path)) found.add(path, undefined, expected);
}

/** Optional fields are left out rather than set to undefined, so that specs compare equal. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
