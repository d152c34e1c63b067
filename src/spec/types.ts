/**
 * The normalized ProcessSpec: what every layer above src/spec/ receives once validation has run.
 * Every field is present except the ones whose absence means something (no health check, no
 * limit, no user switch). Durations are whole milliseconds, signals are "SIGTERM"-style names.
 * Wire and config files spell the same fields in snake_case (see API.md).
 */

import { restartPolicyNames, type RestartPolicy, type RestartPolicyName } from '../machines/restart-policy.js';

export const processTypes = ['simple', 'oneshot', 'forking'] as const;
/** start: a run starts when asked (create --start, start, auto_start); connection: at the first connection to one of its sockets. */
export const startOnValues = ['start', 'connection'] as const;
export type StartOn = (typeof startOnValues)[number];
export type ProcessType = (typeof processTypes)[number];

/** The chart's own policies: the spec hands its restart section to the chart as it is. */
export const restartPolicies = restartPolicyNames;
export type { RestartPolicyName };
/**
 * Other supervisors' names for a policy (DataDog's `never`): accepted wherever a spec is read and
 * stored as the policy they name, so a spec has one spelling whatever its client wrote.
 */
export const restartPolicySynonyms = { never: 'no' } as const satisfies Readonly<Record<string, RestartPolicyName>>;
/** A policy as a spec may write it: its name or a synonym. */
export type RestartPolicyInput = RestartPolicyName | keyof typeof restartPolicySynonyms;

export const killModes = ['control-group', 'process-group', 'process', 'mixed'] as const;
export type KillMode = (typeof killModes)[number];

export const logSinks = ['capture', 'null', 'inherit'] as const;
export type LogSink = (typeof logSinks)[number];
/** A sink, or the absolute path of a file to append to. */
export type LogTarget = LogSink | (string & {});

export const healthCheckTypes = ['http', 'tcp', 'exec', 'grpc'] as const;
export type HealthCheckType = (typeof healthCheckTypes)[number];

export const runtimeKinds = ['exec', 'worker'] as const;
export type RuntimeKind = (typeof runtimeKinds)[number];

/**
 * The machines' RestartPolicy, field for field (and documented there), so that the chart takes
 * it as it is; writable here, as a spec is built.
 */
export type RestartSpec = { -readonly [K in keyof RestartPolicy]: RestartPolicy[K] extends readonly number[] ? number[] : RestartPolicy[K] };

export interface StopSpec {
  signal: string;
  gracePeriodMs: number;
  /**
   * Absent: the default of the machine the process runs on, resolved by the exec runtime
   * (control-group where a cgroup can be made, else process-group). Kept absent rather than
   * filled in, so that a spec stored or sent elsewhere follows that machine's default.
   */
  killMode?: KillMode;
}

export interface LogsSpec {
  stdout: LogTarget;
  stderr: LogTarget;
  /** Rotate once a file reaches this size; 0 never rotates. */
  maxBytes: number;
  maxFiles: number;
}

export interface HealthCheckSpec {
  type: HealthCheckType;
  /** http */
  url?: string;
  method?: string;
  /** When absent, any 2xx or 3xx status is healthy. */
  expectedStatus?: number;
  /** tcp, grpc */
  host?: string;
  port?: number;
  /** exec */
  command?: string;
  args?: string[];
  /** grpc; empty asks for the server's overall health. */
  service?: string;
  intervalMs: number;
  timeoutMs: number;
  failureThreshold: number;
  successThreshold: number;
  startPeriodMs: number;
  /** Restart after this many consecutive failures; 0 only reports (liveness without restarts). */
  restartAfter: number;
}

/** Absent means no limit. */
export interface ResourcesSpec {
  cpuMillis?: number;
  memoryBytes?: number;
  pids?: number;
}

export interface RuntimeSpec {
  kind: RuntimeKind;
  /** worker: absolute path or file: URL of the module to run in a worker thread. */
  module?: string;
  /** worker: the module's export to call. */
  export?: string;
}

/** A listening socket the daemon binds and passes to the process (socket activation). */
export interface SocketSpec {
  /** "HOST:PORT" (an IPv4 literal or [IPv6]) or an absolute path of a unix socket. */
  listen: string;
  /** Its entry in LISTEN_FDNAMES; the process's name when not given, as systemd names an fd after its unit. */
  name: string;
}

/** One command line: the program, then its arguments. */
export type CommandLine = string[];

export interface ProcessSpec {
  name: string;
  description: string;
  labels: Record<string, string>;

  command: string;
  args: string[];
  env: Record<string, string>;
  /** Absolute paths; a leading "-" makes one optional, as in systemd's EnvironmentFile=. */
  envFiles: string[];
  workingDir?: string;
  /** A user name, or a numeric uid. */
  user?: string | number;
  group?: string | number;
  umask?: number;

  type: ProcessType;
  autoStart: boolean;
  restart: RestartSpec;
  stop: StopSpec;
  /** 0 waits forever. */
  startTimeoutMs: number;
  logs: LogsSpec;
  healthCheck?: HealthCheckSpec;
  resources: ResourcesSpec;

  after: string[];
  before: string[];
  requires: string[];
  wants: string[];
  bindsTo: string[];
  conflicts: string[];

  execStartPre: CommandLine[];
  execStartPost: CommandLine[];
  execStopPost: CommandLine[];

  /**
   * type forking: where the command's daemon writes its pid, read once the command exits 0 (required).
   * Other types: statevisor writes the main pid there after the spawn and removes it at the run's end.
   */
  pidfile?: string;
  /**
   * Absolute paths that must exist before a start; a leading "!" means must not exist, a leading
   * "|" (before any "!") makes it one of an OR group, as systemd's conditions (conditions.ts).
   */
  conditionPathExists: string[];
  /** Relative to the daemon's runtime root, so that it can never point elsewhere. */
  runtimeDirectory?: string;
  runtime: RuntimeSpec;
  /** The runtime directory's mode bits (0o755 by default). */
  runtimeDirectoryMode: number;
  /** Passed as fds 3.. in this order, with LISTEN_FDS, LISTEN_PID and LISTEN_FDNAMES. */
  sockets: SocketSpec[];
  startOn: StartOn;
}

/** What a spec says before defaults: every field optional, sections partial. */
export type SpecInput = {
  [K in Exclude<keyof ProcessSpec, SectionKey | 'sockets'>]?: ProcessSpec[K];
} & {
  sockets?: Partial<SocketSpec>[];
  restart?: Partial<RestartSpec>;
  stop?: Partial<StopSpec>;
  logs?: Partial<LogsSpec>;
  healthCheck?: Partial<HealthCheckSpec>;
  resources?: ResourcesSpec;
  runtime?: Partial<RuntimeSpec>;
};
export type SectionKey = 'restart' | 'stop' | 'logs' | 'healthCheck' | 'resources' | 'runtime';
