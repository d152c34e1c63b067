/** The daemon's views in the wire's shapes: Process, Transition, Enforcement. */
import type { Process } from '../../proto/generated/statevisor/v1/Process.js';
import type { Timestamp } from '../../proto/generated/google/protobuf/Timestamp.js';
import type { ProcessView } from '../process-view.js';
import type { TransitionRecord } from '../process-events.js';
import type { ProcessEventRecord } from '../events.js';

export function timestamp(ms: number | undefined): Timestamp | null {
  if (ms === undefined) return null;
  return { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1_000_000 };
}

export function processToWire(view: ProcessView): Process {
  return {
    id: view.id,
    name: view.name,
    state: `PROCESS_STATE_${view.state}`,
    phase: view.phase ? (`PHASE_${view.phase.toUpperCase()}` as Process['phase']) : 'PHASE_UNSPECIFIED',
    pid: view.pid,
    run_count: view.runCount,
    restart_count: view.restartCount,
    ...(view.exitCode !== undefined && { exit_code: view.exitCode }),
    ...(view.signal !== undefined && { signal: view.signal }),
    health: `HEALTH_STATUS_${view.health.toUpperCase()}` as Process['health'],
    health_failures: view.healthFailures,
    health_message: view.healthMessage,
    waiting_for: view.waitingFor,
    cpu_percent: view.cpuPercent,
    memory_bytes: view.memoryBytes,
    created_at: timestamp(view.createdAt),
    started_at: timestamp(view.startedAt),
    ended_at: timestamp(view.endedAt),
    uptime_ms: view.uptimeMs,
    last_error: view.lastError,
    command: view.command,
    args: [...view.args],
    labels: { ...view.labels },
  };
}

export function transitionToWire(t: TransitionRecord) {
  return { at: timestamp(t.at), from: t.from ?? '', to: t.to, reason: t.reason };
}

export function eventToWire(event: ProcessEventRecord) {
  return {
    type: event.type,
    snapshot: event.snapshot,
    at: timestamp(event.at),
    process: processToWire(event.process),
    from: event.from,
    to: event.to,
    reason: event.reason,
  };
}
