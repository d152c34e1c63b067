/**
 * For each spec field that asks for something, whether this daemon does it — so that nothing
 * stored is silently ignored. Describe returns this list; the README repeats it.
 */
import { specDefaults } from '../spec/defaults.js';
import { snakeCase } from '../spec/section.js';
import { dependencyFields, type DependencyField } from '../spec/dependencies.js';
import type { HealthCheckSpec, KillMode, ProcessSpec, ResourcesSpec } from '../spec/types.js';
import type { WorkloadResources } from '../runtime/exec/workload-resources.js';
import { effectiveKillMode } from '../runtime/exec/kill-mode.js';
import { pidfileGraceMs } from '../runtime/exec/forking.js';
import { firstSocketFd } from '../runtime/exec/socket-activation.js';
import { workerLimitPlan } from '../runtime/worker/worker-limits.js';

export interface Enforcement {
  readonly field: string;
  readonly enforced: boolean;
  readonly detail: string;
}

const notYet = (field: string, detail: string): Enforcement => ({ field, enforced: false, detail });
const done = (field: string, detail: string): Enforcement => ({ field, enforced: true, detail });

/** What each dependency field makes the daemon do (server/dependencies.ts). */
const dependencyDetail: Record<DependencyField, string> = {
  after: 'a run waits in starting.waitingForDependencies while these are on their way up (queued or STARTING), for their condition; never fails for them',
  before: 'these wait for this process while it is on its way up; shutdown stops them first',
  requires: 'started with it and waited for (their condition, started by default); if one fails the run ends FAILED "requirement X failed"; stopping one stops this first',
  wants: 'started with it and waited for; their failure is logged, the run goes on',
  bindsTo: 'started with it like requires; when one leaves its run for any reason (exit, kill, stop) this process is stopped',
  conflicts: 'starting this process stops these, and starting one of them stops this',
};

const limitFields: Record<keyof ResourcesSpec, string> = {
  cpuMillis: 'resources.cpu_millis',
  memoryBytes: 'resources.memory_bytes',
  pids: 'resources.pids',
};

/** `setpriv`: the daemon's setpriv(1), through which a `user:` child takes the user's groups. */
export function enforcementOf(spec: ProcessSpec, resources?: WorkloadResources, setpriv?: string): Enforcement[] {
  const list: Enforcement[] = [
    done('restart', `policy ${spec.restart.policy}, backoff ${spec.restart.delayMs}..${spec.restart.maxDelayMs} ms, start limit ${spec.restart.startLimitBurst} in ${spec.restart.startLimitIntervalMs} ms`),
    spec.runtime.kind === 'worker'
      ? done('stop', `the task's AbortSignal fires, then the thread is terminated after ${spec.stop.gracePeriodMs} ms (at least 1 s), even if it is stuck in a loop`)
      : done('stop', `${spec.stop.signal}, then SIGKILL after ${spec.stop.gracePeriodMs} ms (at least 1 s)`),
  ];
  // A thread has no user, process group or cgroup: validation refuses those fields for it.
  if (spec.runtime.kind !== 'worker' && spec.user !== undefined) {
    list.push(
      setpriv === undefined
        ? notYet('user', `runs as ${spec.user} without supplementary groups: setpriv (util-linux) was not found, and Node's spawn drops them all`)
        : done('user', `runs as ${spec.user} with the user's supplementary groups (initgroups through ${setpriv}), exec probes too`),
    );
  }
  if (spec.runtime.kind !== 'worker') list.push(killModeEnforcement(spec, resources));
  const written = [spec.logs.stdout, spec.logs.stderr].some((t) => t !== 'null' && t !== 'inherit');
  const pathTargets = (s: ProcessSpec) => [s.logs.stdout, s.logs.stderr].some((t) => t.startsWith('/'));
  if (written && spec.logs.maxBytes > 0) {
    list.push(
      done('logs.max_bytes', `rotated by rename before a file passes ${spec.logs.maxBytes} bytes, keeping ${spec.logs.maxFiles}; the daemon writes every byte itself (through a pipe), so disk use stays within ${spec.logs.maxFiles + 1} × max_bytes at any rate${pathTargets(spec) ? '; a path target is rotated only if statevisor created the file' : ''}`),
    );
  }
  if (spec.healthCheck) list.push(done('health_check', healthDetail(spec.healthCheck)));
  list.push(...limitEnforcement(spec, resources));
  if (spec.startTimeoutMs > 0) {
    list.push(
      done(
        'start_timeout',
        spec.runtime.kind === 'worker' && !spec.healthCheck
          ? `the module loaded and its export called within ${spec.startTimeoutMs} ms, or the start has failed (the thread is terminated, then the restart policy)`
          : spec.healthCheck
          ? `healthy within ${spec.startTimeoutMs} ms of spawning, or the start has failed (stopped, then the restart policy)`
          : `from the condition check through exec_start_pre, the spawn${spec.type === 'forking' ? ' (for forking: until the command exits 0 and its pidfile names the daemon)' : ''} and exec_start_post within ${spec.startTimeoutMs} ms, or the start has failed (a running hook's group is killed, then the restart policy)`,
      ),
    );
  }
  for (const field of dependencyFields) {
    if (spec[field].length > 0) list.push(done(snakeCase(field), `${dependencyDetail[field]}: ${spec[field].join(', ')}`));
  }
  list.push(...hookEnforcement(spec));
  if (spec.pidfile !== undefined) list.push(done('pidfile', pidfileDetail(spec.type, spec.pidfile)));
  if (spec.sockets.length > 0) list.push(done('sockets', socketsDetail(spec)));
  if (spec.startOn === 'connection') {
    list.push(
      done('start_on', 'connection: each run waits in starting.waitingForConnection (STARTING) until a client connects to one of its sockets; the connection waits in the backlog for the program to accept it'),
    );
  }
  if (spec.runtime.kind === 'worker') {
    list.push(
      done('runtime', `worker: ${spec.runtime.module} export ${spec.runtime.export ?? 'default'} runs as a task in a worker thread of the daemon, one thread per run; its console, stdout and stderr go to the process's logs`),
    );
  }
  return list;
}

const hookStages = {
  execStartPre: 'before the spawn, in order; each must exit 0 (a "-" before the program ignores its failure), or the start has failed (restart policy)',
  execStartPost: 'after the spawn, in order; a failure stops the workload as a failed start (restart policy)',
  execStopPost: 'after every run that got past its conditions, however it ended (a failed start too); a failure is reported as the last error',
} as const;

/** Hooks, conditions and the runtime directory (runtime/exec/run-stages.ts). */
function hookEnforcement(spec: ProcessSpec): Enforcement[] {
  const list: Enforcement[] = [];
  const bound = { execStartPre: 'start_timeout', execStartPost: 'start_timeout', execStopPost: 'stop.grace_period' } as const;
  for (const field of ['execStartPre', 'execStartPost', 'execStopPost'] as const) {
    if (spec[field].length === 0) continue;
    list.push(
      done(
        snakeCase(field),
        `${spec[field].length} command(s) ${hookStages[field]}${field === 'execStartPost' && spec.type === 'oneshot' ? ' (a oneshot too: while the job runs, not after it ends as in systemd)' : ''}; each as the process (env, working dir, user and groups, umask), in its own process group, killed at ${bound[field]}, output in the process's logs`,
      ),
    );
  }
  if (spec.conditionPathExists.length > 0) {
    list.push(done('condition_path_exists', 'checked before every start (as systemd: "|" ones form an OR group); one that fails skips the start: EXITED, no restart'));
  }
  if (spec.runtimeDirectory !== undefined) {
    list.push(
      done(
        'runtime_directory',
        `made before every start (under /run as root, else $XDG_RUNTIME_DIR, else the state dir's runtime/), mode ${spec.runtimeDirectoryMode.toString(8).padStart(4, '0')}, owned by the process's user, in $RUNTIME_DIRECTORY; removed after the stop`,
      ),
    );
  }
  return list;
}

/** The kill mode a stop uses, whether the spec set it or it is this machine's default, and why. */
function killModeEnforcement(spec: ProcessSpec, resources: WorkloadResources | undefined): Enforcement {
  const canGroup = resources?.canGroup === true;
  const mode = effectiveKillMode(spec.stop, canGroup);
  const why = resources === undefined ? 'this daemon runs without a resource runtime' : resources.whyNoGroup;
  const origin =
    spec.stop.killMode !== undefined ? 'as set' : canGroup ? 'the default where a cgroup can be made' : `the default where no cgroup can be made: ${why}`;
  if (mode === 'control-group' && !canGroup) {
    return notYet('stop.kill_mode', `control-group (${origin}), but no cgroup can be made here (${why}): the process group is signalled instead`);
  }
  return done('stop.kill_mode', `${mode} (${origin}): ${killModeReach[mode](resources?.subtree ?? '')}`);
}

const killModeReach: Record<KillMode, (subtree: string) => string> = {
  'control-group': (subtree) => `every process in cgroup ${subtree}/<id> is signalled, wherever it moved`,
  'process-group': () => 'the stop signal goes to the process group; a child that left it (setsid, a double fork) is not stopped',
  process: () => 'the stop signal goes to the main process only; the rest of its group is left alone',
  mixed: () => 'the stop signal goes to the main process, then SIGKILL to its process group once it is gone',
};

function limitEnforcement(spec: ProcessSpec, resources: WorkloadResources | undefined): Enforcement[] {
  if (spec.runtime.kind === 'worker') {
    return workerLimitPlan(spec.resources).map((report) => ({ field: limitFields[report.field], enforced: report.enforced, detail: report.detail }));
  }
  if (resources === undefined) {
    return Object.entries(limitFields)
      .filter(([field]) => spec.resources[field as keyof ResourcesSpec] !== undefined)
      .map(([, wire]) => notYet(wire, 'this daemon runs without a resource runtime: limits are not applied'));
  }
  return resources.plan(spec.resources).map((report) => ({ field: limitFields[report.field], enforced: report.enforced, detail: report.detail }));
}

/** " (not enforced: resources.pids — why)" for events, or "" when every limit is in force. */
export function unenforcedNote(spec: ProcessSpec, resources: WorkloadResources | undefined): string {
  const missing = limitEnforcement(spec, resources).filter((e) => !e.enforced);
  if (missing.length === 0) return '';
  return `; not enforced: ${missing.map((e) => `${e.field} (${e.detail})`).join('; ')}`;
}

function pidfileDetail(type: ProcessSpec['type'], pidfile: string): string {
  if (type !== 'forking') return `the main pid is written to ${pidfile} (atomically) once the program runs, and the file is removed when the run ends`;
  return (
    `type forking: once the command exits 0, the daemon's pid is read from ${pidfile} (within ${pidfileGraceMs} ms, and start_timeout), ` +
    'checked to run and to belong to this run, then supervised by pid and start time (polled: not our child, so its exit status is unknown and counts as a failure), ' +
    'stopped by signal per kill_mode, adopted after a daemon restart; the file is removed when the run ends'
  );
}

function socketsDetail(spec: ProcessSpec): string {
  const fds = spec.sockets.map((socket, index) => `${socket.name} ${socket.listen} → fd ${firstSocketFd + index}`).join(', ');
  return (
    `${fds}; bound by the daemon from create to delete and kept open across restarts and stops (a client waits, it is not refused), ` +
    `passed with LISTEN_FDS=${spec.sockets.length}, LISTEN_FDNAMES=${spec.sockets.map((s) => s.name).join(':')} and LISTEN_PID (accept=no)`
  );
}

function healthDetail(check: HealthCheckSpec): string {
  const target =
    check.type === 'http' ? `${check.method ?? specDefaults.healthCheck.method} ${check.url}` : check.type === 'exec' ? check.command : `${check.host}:${check.port}`;
  const restart = check.restartAfter > 0 ? `, restarted after ${check.restartAfter}` : ', never restarted for it';
  return (
    `${check.type} probe of ${target} every ${check.intervalMs} ms (timeout ${check.timeoutMs} ms, start period ${check.startPeriodMs} ms); ` +
    `unhealthy after ${check.failureThreshold} failures in a row, healthy after ${check.successThreshold} successes${restart}`
  );
}
