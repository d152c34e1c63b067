/**
 * Wire responses → the client's types (./types.ts). Written out field by field rather than
 * renamed generically: these are the shapes users program against, and an explicit list keeps
 * proto-loader's virtual oneof keys and any future wire-only field out of them.
 */
import { StatevisorError } from '../errors.js';
import type { Timestamp__Output } from '../proto/generated/google/protobuf/Timestamp.js';
import type { Counters__Output } from '../proto/generated/statevisor/v1/Counters.js';
import type { DescribeProcessResponse__Output } from '../proto/generated/statevisor/v1/DescribeProcessResponse.js';
import type { GetResourceUsageResponse__Output } from '../proto/generated/statevisor/v1/GetResourceUsageResponse.js';
import type { GetStatusResponse__Output } from '../proto/generated/statevisor/v1/GetStatusResponse.js';
import type { Process__Output } from '../proto/generated/statevisor/v1/Process.js';
import type { ProcessEvent__Output } from '../proto/generated/statevisor/v1/ProcessEvent.js';
import type { ReloadConfigResponse__Output } from '../proto/generated/statevisor/v1/ReloadConfigResponse.js';
import type { StreamLogsResponse__Output } from '../proto/generated/statevisor/v1/StreamLogsResponse.js';
import type { UpdateProcessResponse__Output } from '../proto/generated/statevisor/v1/UpdateProcessResponse.js';
import { specFromWire } from '../proto/spec-wire.js';
import type { ProcessSpecOutput } from './spec-types.js';
import type * as T from './types.js';

/** 'PROCESS_STATE_RUNNING' → 'RUNNING'. An unknown number (a newer daemon) passes as its digits. */
function enumName<Name extends string>(value: string | number, prefix: string): Name {
  const text = String(value);
  return (text.startsWith(prefix) ? text.slice(prefix.length) : text) as Name;
}

export function toDate(timestamp: Timestamp__Output | null | undefined): Date | undefined {
  if (!timestamp) return undefined;
  return new Date(timestamp.seconds * 1000 + Math.floor(timestamp.nanos / 1e6));
}

export function toProcess(wire: Process__Output): T.Process {
  return {
    id: wire.id,
    name: wire.name,
    state: enumName(wire.state, 'PROCESS_STATE_'),
    phase: enumName(wire.phase, 'PHASE_'),
    pid: wire.pid,
    runCount: wire.run_count,
    restartCount: wire.restart_count,
    exitCode: wire.exit_code,
    signal: wire.signal,
    health: enumName(wire.health, 'HEALTH_STATUS_'),
    healthFailures: wire.health_failures,
    healthMessage: wire.health_message,
    waitingFor: wire.waiting_for,
    cpuPercent: wire.cpu_percent,
    memoryBytes: wire.memory_bytes,
    createdAt: toDate(wire.created_at),
    startedAt: toDate(wire.started_at),
    endedAt: toDate(wire.ended_at),
    uptimeMs: wire.uptime_ms,
    lastError: wire.last_error,
    command: wire.command,
    args: [...wire.args],
    labels: { ...wire.labels },
  };
}

/** For responses whose process is the point of the call (create, start, stop, restart). */
export function requireProcess(wire: Process__Output | null, rpc: string): T.Process {
  if (!wire) throw new StatevisorError('E_INTERNAL', `${rpc}: the daemon answered without a process`);
  return toProcess(wire);
}

function toCounters(wire: Counters__Output | null): T.Counters {
  return {
    runCount: wire?.run_count ?? 0,
    restartCount: wire?.restart_count ?? 0,
    errorCount: wire?.error_count ?? 0,
    failureStreak: wire?.failure_streak ?? 0,
  };
}

export function toDescription(wire: DescribeProcessResponse__Output): T.ProcessDescription {
  return {
    process: requireProcess(wire.process, 'DescribeProcess'),
    spec: wire.spec ? (specFromWire(wire.spec) as unknown as ProcessSpecOutput) : undefined,
    counters: toCounters(wire.counters),
    enforcement: wire.enforcement.map((e) => ({ field: e.field, enforced: e.enforced, detail: e.detail })),
    recentTransitions: wire.recent_transitions.map((t) => ({ at: toDate(t.at), from: t.from, to: t.to, reason: t.reason })),
    recovery: wire.recovery,
    restartPendingFields: [...wire.restart_pending_fields],
  };
}

export function toUpdateResult(wire: UpdateProcessResponse__Output): T.UpdateResult {
  return {
    updatedFields: [...wire.updated_fields],
    restartRequiredFields: [...wire.restart_required_fields],
    processRestarted: wire.process_restarted,
    process: wire.process ? toProcess(wire.process) : undefined,
  };
}

export function toResourceUsage(wire: GetResourceUsageResponse__Output): T.ResourceUsage {
  return {
    cpuUserUs: wire.cpu_user_us,
    cpuSystemUs: wire.cpu_system_us,
    cpuPercent: wire.cpu_percent,
    rssBytes: wire.rss_bytes,
    memoryLimitBytes: wire.memory_limit_bytes,
    pids: wire.pids,
    fds: wire.fds,
    ioReadBytes: wire.io_read_bytes,
    ioWriteBytes: wire.io_write_bytes,
    source: wire.source as T.ResourceUsage['source'],
    cgroupMemoryBytes: wire.cgroup_memory_bytes,
    cpuLimitMillis: wire.cpu_limit_millis,
    pidsLimit: wire.pids_limit,
    limits: wire.limits.map((e) => ({ field: e.field, enforced: e.enforced, detail: e.detail })),
  };
}

export function toStatus(wire: GetStatusResponse__Output): T.DaemonStatus {
  return {
    version: wire.version,
    pid: wire.pid,
    uptimeMs: wire.uptime_ms,
    countsByState: { ...wire.counts_by_state },
    workQueueDepth: wire.work_queue_depth,
    listeners: wire.listeners.map((l) => ({ kind: l.kind as T.Listener['kind'], address: l.address })),
    stateDir: wire.state_dir,
    configPath: wire.config_path,
    unimplementedRpcs: [...wire.unimplemented_rpcs],
    processCount: wire.process_count,
    eventLoopLagP50Ms: wire.event_loop_lag_p50_ms,
    eventLoopLagP99Ms: wire.event_loop_lag_p99_ms,
    eventLoopLagMaxMs: wire.event_loop_lag_max_ms,
    rssBytes: wire.rss_bytes,
    logRotations: wire.log_rotations,
    logBytesLost: wire.log_bytes_lost,
    logBytesDropped: wire.log_bytes_dropped,
    restartRateLimit: wire.restart_rate_limit,
    restartsDelayed: wire.restarts_delayed,
    restartsWaiting: wire.restarts_waiting,
    uncaughtErrors: wire.uncaught_errors,
  };
}

export function toReloadResult(wire: ReloadConfigResponse__Output): T.ReloadResult {
  return {
    added: [...wire.added],
    removed: [...wire.removed],
    modified: [...wire.modified],
    unchanged: [...wire.unchanged],
    errors: [...wire.errors],
  };
}

export function toProcessEvent(wire: ProcessEvent__Output | null): T.ProcessEvent {
  if (!wire) throw new StatevisorError('E_INTERNAL', 'WatchEvents: a message without an event');
  return {
    type: wire.type as T.ProcessEventType,
    snapshot: wire.snapshot,
    at: toDate(wire.at),
    process: wire.process ? toProcess(wire.process) : undefined,
    from: wire.from,
    to: wire.to,
    reason: wire.reason,
  };
}

export function toLogLine(wire: StreamLogsResponse__Output): T.LogLine {
  return { stream: wire.stream as T.LogStream, line: wire.line };
}

/** JSON the daemon produced; a parse failure is the daemon's fault, so E_INTERNAL. */
export function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new StatevisorError('E_INTERNAL', `${what}: the daemon sent invalid JSON: ${(error as Error).message}`, { cause: error });
  }
}
