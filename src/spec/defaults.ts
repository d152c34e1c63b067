/**
 * The one defaults object that normalization applies, and that everything else reads a spec
 * default from. Values follow systemd and supervisord where users already have expectations,
 * with one deliberate departure: min_uptime is 1 s so that a crash right after exec counts as a
 * failed start (startsecs; a clean exit never does). kill_mode has no entry here: its default
 * depends on the machine, not the spec — control-group (systemd's default) where a cgroup can be
 * made, else process-group — so an unset kill_mode stays unset and the exec runtime resolves it
 * (src/runtime/exec/kill-mode.ts).
 *
 * The restart section starts from the chart's own RestartPolicy, which the embedding API uses
 * as it is; where the daemon departs from the chart (policy, min_uptime, the grace period), the
 * README's "Defaults" table says why. How long callers wait is src/deadlines.ts.
 */
import { defaultRestartPolicy } from '../machines/restart-policy.js';
import type { HealthCheckSpec, ProcessSpec } from './types.js';

type Defaulted<T, Optional extends keyof T> = Readonly<Omit<T, Optional>>;

export interface SpecDefaults
  extends Defaulted<ProcessSpec, 'name' | 'command' | 'healthCheck' | 'workingDir' | 'user' | 'group' | 'umask' | 'pidfile' | 'runtimeDirectory'> {
  /** Applied only when a health check is given; host and method only to the types that use them. */
  readonly healthCheck: Defaulted<HealthCheckSpec, 'type' | 'url' | 'port' | 'command' | 'args' | 'service' | 'expectedStatus'> &
    Readonly<Required<Pick<HealthCheckSpec, 'host' | 'method'>>>;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

export const specDefaults: SpecDefaults = deepFreeze({
  description: '',
  labels: {},
  args: [],
  env: {},
  envFiles: [],
  type: 'simple',
  autoStart: false,
  restart: {
    ...defaultRestartPolicy,
    // A copy: freezing this object must not freeze the chart's.
    successExitCodes: [],
    // The daemon's departures from the chart (README, "Defaults"): a service that crashes is
    // restarted, and a crash right after exec is a failed start.
    policy: 'on-failure',
    minUptimeMs: 1_000,
  },
  stop: {
    signal: 'SIGTERM',
    // supervisord's stopwaitsecs; the chart's own default is kubelet's 30 s (README, "Defaults").
    gracePeriodMs: 10_000,
  },
  // systemd's DefaultTimeoutStartSec.
  startTimeoutMs: 90_000,
  logs: {
    stdout: 'capture',
    stderr: 'capture',
    maxBytes: 10 * 1024 * 1024,
    maxFiles: 5,
  },
  healthCheck: {
    method: 'GET',
    host: '127.0.0.1',
    intervalMs: 10_000,
    timeoutMs: 1_000,
    failureThreshold: 3,
    successThreshold: 1,
    startPeriodMs: 0,
    restartAfter: 0,
  },
  resources: {},
  sockets: [],
  startOn: 'start',
  after: [],
  before: [],
  requires: [],
  wants: [],
  bindsTo: [],
  conflicts: [],
  execStartPre: [],
  execStartPost: [],
  execStopPost: [],
  conditionPathExists: [],
  // export applies to worker runtimes only.
  runtime: { kind: 'exec', export: 'default' },
  // systemd's RuntimeDirectoryMode=.
  runtimeDirectoryMode: 0o755,
});
