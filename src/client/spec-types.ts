/**
 * The process spec as client callers write it: camelCase, durations as `…Ms` integers, command
 * lines as string arrays. Only `name` and `command` are required; whatever is left out is not
 * sent, so the daemon's defaults apply. DescribeProcess returns the same shape, filled in.
 */
import type { ProcessSpec as WireSpec } from '../proto/generated/statevisor/v1/ProcessSpec.js';

export interface RestartSpecInput {
  /** `never` is a synonym of `no`: the daemon stores and shows `no`. */
  policy?: 'no' | 'never' | 'always' | 'on-failure' | 'on-success';
  delayMs?: number;
  maxDelayMs?: number;
  /** 0 disables the start limit. */
  startLimitBurst?: number;
  startLimitIntervalMs?: number;
  /** Exit codes besides 0 that count as success. */
  successExitCodes?: number[];
  /** A failure sooner than this after exec counts as a failed start; a success exit never does. */
  minUptimeMs?: number;
}

export interface StopSpecInput {
  /** A name ("SIGTERM", "TERM") or a number as a string ("15"). */
  signal?: string;
  gracePeriodMs?: number;
  killMode?: 'control-group' | 'process-group' | 'process' | 'mixed';
}

/** "capture" | "null" | "inherit" | an absolute path */
export type LogTarget = 'capture' | 'null' | 'inherit' | (string & {});

export interface LogsSpecInput {
  stdout?: LogTarget;
  stderr?: LogTarget;
  maxBytes?: number;
  maxFiles?: number;
}

export interface HealthCheckSpecInput {
  type: 'http' | 'tcp' | 'exec' | 'grpc';
  url?: string;
  method?: string;
  expectedStatus?: number;
  host?: string;
  port?: number;
  command?: string;
  args?: string[];
  service?: string;
  intervalMs?: number;
  timeoutMs?: number;
  failureThreshold?: number;
  successThreshold?: number;
  startPeriodMs?: number;
  /** Restart after this many consecutive failures; 0 only reports. */
  restartAfter?: number;
}

export interface ResourcesSpecInput {
  cpuMillis?: number;
  memoryBytes?: number;
  pids?: number;
}

export interface RuntimeSpecInput {
  kind?: 'exec' | 'worker';
  module?: string;
  export?: string;
}

export interface ProcessSpecInput {
  name: string;
  command: string;
  description?: string;
  labels?: Record<string, string>;
  args?: string[];
  env?: Record<string, string>;
  /** A leading "-" makes a file optional. */
  envFiles?: string[];
  workingDir?: string;
  user?: string;
  group?: string;
  /** Octal, e.g. "022". */
  umask?: string;
  type?: 'simple' | 'oneshot';
  autoStart?: boolean;
  restart?: RestartSpecInput;
  stop?: StopSpecInput;
  startTimeoutMs?: number;
  logs?: LogsSpecInput;
  healthCheck?: HealthCheckSpecInput;
  resources?: ResourcesSpecInput;
  after?: string[];
  before?: string[];
  requires?: string[];
  wants?: string[];
  bindsTo?: string[];
  conflicts?: string[];
  execStartPre?: string[][];
  execStartPost?: string[][];
  execStopPost?: string[][];
  pidfile?: string;
  conditionPathExists?: string[];
  runtimeDirectory?: string;
  runtime?: RuntimeSpecInput;
}

/** A spec already in the wire's snake_case (a config file read as is); sent unchanged. */
export type WireProcessSpecInput = WireSpec & { name: string; command: string };

/** For UpdateProcess: only the fields named by the update mask need be there. */
export type ProcessSpecPatch = Partial<ProcessSpecInput>;

type ListFields = 'labels' | 'args' | 'env' | 'envFiles' | 'after' | 'before' | 'requires' | 'wants' | 'bindsTo' | 'conflicts' | 'execStartPre' | 'execStartPost' | 'execStopPost';

/** A spec as the daemon reports it: lists and maps always present, optional fields when set. */
export type ProcessSpecOutput = ProcessSpecInput & Required<Pick<ProcessSpecInput, ListFields>>;
