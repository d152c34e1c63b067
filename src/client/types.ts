/**
 * What client methods return: the wire messages in camelCase, enums without their prefix
 * ('PROCESS_STATE_RUNNING' → 'RUNNING'), timestamps as Dates, unset optional fields as
 * undefined. Keys of maps (labels, counts by state) are data and arrive exactly as sent.
 * A newer daemon's enum value this client does not know passes through by its name.
 */
import type { ProcessSpecOutput } from './spec-types.js';

export type ProcessState = 'UNSPECIFIED' | 'CREATED' | 'STARTING' | 'RUNNING' | 'BACKOFF' | 'STOPPING' | 'STOPPED' | 'EXITED' | 'FAILED';
export type Phase = 'UNSPECIFIED' | 'STARTING' | 'SYNCING' | 'TERMINATING' | 'TERMINATED' | 'FINISHED';
export type HealthStatus = 'UNKNOWN' | 'STARTING' | 'HEALTHY' | 'UNHEALTHY';

export interface Process {
  id: string;
  name: string;
  state: ProcessState;
  phase: Phase;
  /** 0 when not running. */
  pid: number;
  runCount: number;
  restartCount: number;
  /** Set once a run has exited normally. */
  exitCode: number | undefined;
  /** Set once a run was ended by a signal, e.g. "SIGKILL". */
  signal: string | undefined;
  health: HealthStatus;
  /** Consecutive failed health probes. */
  healthFailures: number;
  /** What the last health probe found ("HTTP 503", "connect ECONNREFUSED …"); "" before any. */
  healthMessage: string;
  /** The dependency a STARTING process waits on ("db (healthy)"); "" when none. */
  waitingFor: string;
  /** From the daemon's last usage sample of the running tree (every few seconds); 0 when none. */
  cpuPercent: number;
  memoryBytes: number;
  createdAt: Date | undefined;
  startedAt: Date | undefined;
  endedAt: Date | undefined;
  uptimeMs: number;
  lastError: string;
  command: string;
  args: string[];
  labels: Record<string, string>;
}

export interface Counters {
  runCount: number;
  restartCount: number;
  errorCount: number;
  failureStreak: number;
}

/** Whether a spec field is in force, and how or why not. */
export interface Enforcement {
  /** The spec field path as the daemon names it, e.g. "resources.memory_bytes". */
  field: string;
  enforced: boolean;
  detail: string;
}

export interface Transition {
  at: Date | undefined;
  from: string;
  to: string;
  reason: string;
}

export interface ProcessDescription {
  process: Process;
  /** The spec in force, defaults filled in. */
  spec: ProcessSpecOutput | undefined;
  counters: Counters;
  /** Per spec field: in force or not, and why. */
  enforcement: Enforcement[];
  recentTransitions: Transition[];
  /** What the daemon did with this process when it last started ("" when nothing was recovered). */
  recovery: string;
  /**
   * Spec fields (snake_case) changed since the running workload started that apply only by a
   * restart ("spec changed, restart pending"); empty when no run is up.
   */
  restartPendingFields: string[];
}

export interface UpdateResult {
  /** Spec field paths (snake_case) that changed. */
  updatedFields: string[];
  /**
   * What takes effect only after a restart: with a run up, every field it lacks (this update's
   * and any an earlier update left pending; restartProcess restarts for them); else this update's.
   */
  restartRequiredFields: string[];
  processRestarted: boolean;
  process: Process | undefined;
}

export interface ResourceUsage {
  cpuUserUs: number;
  cpuSystemUs: number;
  cpuPercent: number;
  rssBytes: number;
  memoryLimitBytes: number;
  pids: number;
  fds: number;
  ioReadBytes: number;
  ioWriteBytes: number;
  /** Where the figures come from: the process's cgroup, or its session's processes in /proc. */
  source: 'cgroup' | 'proc' | 'worker';
  /** The cgroup's memory charge (page cache included); 0 without a cgroup. */
  cgroupMemoryBytes: number;
  /** 0: no limit. */
  cpuLimitMillis: number;
  pidsLimit: number;
  /** Each limit the spec sets: enforced or not, how or why not. */
  limits: Enforcement[];
}

export interface Listener {
  kind: 'unix' | 'tcp' | 'http';
  address: string;
}

export interface DaemonStatus {
  version: string;
  pid: number;
  uptimeMs: number;
  /** Keyed by state name: "RUNNING", "FAILED", … */
  countsByState: Record<string, number>;
  workQueueDepth: number;
  listeners: Listener[];
  stateDir: string;
  configPath: string;
  /** RPCs this daemon answers with UNIMPLEMENTED. */
  unimplementedRpcs: string[];
  processCount: number;
  eventLoopLagP50Ms: number;
  eventLoopLagP99Ms: number;
  eventLoopLagMaxMs: number;
  rssBytes: number;
  logRotations: number;
  /** Captured-output bytes read from a child that could not be written (disk full, file refused). */
  logBytesLost: number;
  /** Bytes of rotated log copies deleted to keep max_files. */
  logBytesDropped: number;
  /** Restarts per second the daemon lets through (0: no limit); crash loops beyond it wait. */
  restartRateLimit: number;
  /** Restarts that waited for that rate since the daemon started, and those waiting now. */
  restartsDelayed: number;
  restartsWaiting: number;
  /** Errors no handler caught since the daemon started: each was logged, and the daemon kept running. */
  uncaughtErrors: number;
}

export interface ReloadResult {
  added: string[];
  removed: string[];
  modified: string[];
  unchanged: string[];
  /** Files or processes skipped, with file, field and reason; their processes were kept. */
  errors: string[];
}

export type ProcessEventType = 'snapshot' | 'created' | 'deleted' | 'transition' | 'exited' | 'health' | 'spec_changed';

export interface ProcessEvent {
  type: ProcessEventType;
  /** True for the events of the current state sent first, before live changes. */
  snapshot: boolean;
  at: Date | undefined;
  process: Process | undefined;
  from: string;
  to: string;
  reason: string;
}

export type LogStream = 'stdout' | 'stderr';

export interface LogLine {
  stream: LogStream;
  line: string;
}

/** The chart in XState's config form: what createMachine takes and Stately's editor imports. */
export type MachineDefinition = Record<string, unknown>;

export type DefinitionFormat = 'json' | 'mermaid' | 'scxml';

/** The chart as Mermaid or SCXML text. */
export interface MachineDefinitionText {
  readonly format: 'mermaid' | 'scxml';
  readonly text: string;
  /** A named process: the leaf states it is in, lit in the Mermaid text. */
  readonly activeStates: string[];
}

export type MachineDefinitionTarget = { kind: 'process' | 'supervisor' } | { nameOrId: string };

/** grpc.health.v1 serving status. */
export type ServingStatus = 'UNKNOWN' | 'SERVING' | 'NOT_SERVING' | 'SERVICE_UNKNOWN';
