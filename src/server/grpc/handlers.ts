/**
 * statevisor.v1.ProcessManager: each RPC translates the wire request, calls the verbs or the read
 * side, and translates the answer. Errors go through toServiceError, the one place codes become statuses.
 */
import { status, type UntypedServiceImplementation } from '@grpc/grpc-js';
import { StatevisorError } from '../../errors.js';
import type { Logger } from '../../manager/logger.js';
import type { ProcessVerbs } from '../process-verbs.js';
import type { ProcessReads } from '../process-reads.js';
import type { Inspector } from '../inspector.js';
import { machineDefinition } from '../machine-definitions.js';
import type { EventHub, Watcher } from '../events.js';
import type { ReloadResult } from '../config-sync.js';
import { streamLogs } from './log-stream.js';
import type { SpawnPacerStats } from '../../runtime/exec/spawn-pacer.js';
import { toServiceError } from './service-errors.js';
import { endStream, failStream, guardedStream, guardedUnary, type Request, type Stream } from './guarded-handlers.js';
import type { ProcessSpec as WireSpec } from '../../proto/generated/statevisor/v1/ProcessSpec.js';
import type { ProcessSpec } from '../../spec/types.js';
import { validateSpecPatch } from '../../spec/patch.js';
import { validateSpec } from '../../spec/validate.js';
import { specFromWire, specToWire } from '../../proto/spec-wire.js';
import { eventToWire, processToWire, transitionToWire } from './wire-process.js';
import { ListRows } from './list-rows.js';

function pacingToWire(pacing: SpawnPacerStats) {
  return { restart_rate_limit: pacing.restartRateLimit, restarts_delayed: pacing.restartsDelayed, restarts_waiting: pacing.waiting };
}

export interface DaemonInfo {
  readonly version: string;
  readonly startedAt: number;
  readonly stateDir: string;
  readonly configPath: string;
  listeners(): { kind: string; address: string }[];
  /** True once shutdown began: every call then gets UNAVAILABLE. */
  shuttingDown(): boolean;
  /** Errors that reached the daemon's last resort (uncaught exceptions, unhandled rejections). */
  uncaughtErrors(): number;
  /** Event-loop delay percentiles, in milliseconds. */
  loopLag(): { event_loop_lag_p50_ms: number; event_loop_lag_p99_ms: number; event_loop_lag_max_ms: number };
  /** Processes waiting in the work queue. */
  workQueueDepth(): number;
  /** What log capture rotated, lost and dropped. */
  logStats(): { rotations: number; lostBytes: number; droppedBytes: number };
  /** The restart rate and what waits for it. */
  pacing(): SpawnPacerStats;
}

/** What the RPCs are served by. */
export interface ProcessServices {
  readonly verbs: ProcessVerbs;
  readonly reads: ProcessReads;
  /** WatchEvents' stream. */
  readonly events: EventHub;
  /** Inspect's stream. */
  readonly inspector: Inspector;
  /** Open log streams, ended when the daemon stops. */
  readonly logStreams: Set<AbortController>;
}

/** Specs are replaced on update, never mutated, so each one is converted once. */
const wireSpecs = new WeakMap<ProcessSpec, WireSpec>();

function wireSpecOf(spec: ProcessSpec): WireSpec {
  let wire = wireSpecs.get(spec);
  if (!wire) wireSpecs.set(spec, (wire = specToWire(spec)));
  return wire;
}

/** RPCs this daemon does not implement yet; GetStatus lists them. */
export const unimplementedRpcs: string[] = [];

export function processManagerHandlers(
  { verbs, reads, events, inspector, logStreams }: ProcessServices,
  info: DaemonInfo,
  logger: Logger,
  reloadConfig: () => Promise<ReloadResult>,
): UntypedServiceImplementation {
  const guard = { logger, shuttingDown: info.shuttingDown };
  const listRows = new ListRows(reads);
  const unary = (rpc: string, handle: (request: Request) => unknown) => guardedUnary(rpc, guard, handle);
  const stream = (rpc: string, handle: (call: Stream, request: Request) => void | Promise<void>) => guardedStream(rpc, guard, handle);

  /** The process a stream is limited to: none when name_or_id is empty. */
  const filteredProcessId = (request: Request): string | undefined => {
    const filter = typeof request.name_or_id === 'string' && request.name_or_id !== '' ? request.name_or_id : undefined;
    return filter === undefined ? undefined : reads.entry(filter).id;
  };

  /**
   * A hub watcher that writes to `call`, is dropped with RESOURCE_EXHAUSTED when too slow, and
   * ends with the daemon. An event that cannot be sent ends this call with INTERNAL; it never
   * throws into the hub, whose publisher is the daemon's own state-change path.
   */
  function watcherOn<E>(
    rpc: string,
    call: Stream,
    processId: string | undefined,
    toWire: (event: E) => unknown,
    tooSlow: string,
  ): Watcher<E> {
    return {
      processId,
      deliver: (event) => {
        try {
          return call.write(toWire(event));
        } catch (error) {
          failStream(call, toServiceError(error, logger, rpc), logger, rpc);
          return true;
        }
      },
      overflow: () => failStream(call, { code: status.RESOURCE_EXHAUSTED, details: `${tooSlow} and was dropped` }, logger, rpc),
      end: () => endStream(call, logger, rpc),
    };
  }

  /** Backpressure and cleanup: the subscription drains with the call and goes when the call does. */
  function endWithCall(call: Stream, subscription: { drained(): void; close(): void }): void {
    call.on('drain', subscription.drained);
    call.on('cancelled', subscription.close);
    call.on('close', subscription.close);
    call.on('error', subscription.close);
  }

  const nameOrId = (request: Request): string => {
    const value = request.name_or_id;
    if (typeof value !== 'string' || value === '') {
      throw new StatevisorError('E_INVALID_ARGUMENT', 'name_or_id: empty, expected a process name or id');
    }
    return value;
  };

  return {
    // The daemon's edge: a request's spec is validated here, once, and trusted behind it.
    CreateProcess: unary('CreateProcess', async (r) => ({
      process: processToWire(await verbs.create(validateSpec(specFromWire(r.spec, { setOnly: true })), { start: r.start === true })),
    })),
    StartProcess: unary('StartProcess', async (r) => ({ process: processToWire(await verbs.start(nameOrId(r))) })),
    StopProcess: unary('StopProcess', async (r) => ({
      process: processToWire(
        await verbs.stop(nameOrId(r), {
          ...(r.grace_period_ms !== undefined && r.grace_period_ms !== null && { gracePeriodMs: r.grace_period_ms }),
          noWait: r.no_wait === true,
        }),
      ),
    })),
    RestartProcess: unary('RestartProcess', async (r) => ({
      process: processToWire(await verbs.restart(nameOrId(r))),
    })),
    DeleteProcess: unary('DeleteProcess', async (r) => {
      const { keptLogs } = await verbs.delete(nameOrId(r), { force: r.force === true, keepLogs: r.keep_logs === true });
      return { kept_logs: keptLogs ?? '' };
    }),
    ListProcesses: unary('ListProcesses', (r) => listRows.answer(r.label_selector ?? '')),
    DescribeProcess: unary('DescribeProcess', (r) => {
      const d = reads.describe(nameOrId(r));
      return {
        process: processToWire(d.process),
        spec: wireSpecOf(d.spec),
        counters: {
          run_count: d.process.runCount,
          restart_count: d.process.restartCount,
          error_count: d.process.errorCount,
          failure_streak: d.process.failureStreak,
        },
        enforcement: d.enforcement,
        recent_transitions: d.transitions.map(transitionToWire),
        recovery: d.recovery,
        restart_pending_fields: [...d.restartPending],
      };
    }),
    UpdateProcess: unary('UpdateProcess', async (r) => {
      const mask: string[] = r.update_mask?.paths ?? [];
      const target = nameOrId(r);
      // An empty mask means "the fields present in the request" (AIP-134).
      const next = validateSpecPatch(specFromWire(r.spec, { setOnly: true }), reads.entry(target).spec, mask);
      const result = await verbs.update(target, next, {
        restartProcess: r.restart_process === true,
        dryRun: r.dry_run === true,
      });
      return {
        updated_fields: result.updatedFields,
        restart_required_fields: result.restartRequiredFields,
        process_restarted: result.processRestarted,
        process: processToWire(result.process),
      };
    }),
    GetResourceUsage: unary('GetResourceUsage', async (r) => {
      const { usage, spec } = await reads.resourceUsage(nameOrId(r));
      const limits = reads.describe(spec.name).enforcement.filter((e) => e.field.startsWith('resources.'));
      return {
        cpu_user_us: Math.round(usage.cpuUserUs),
        cpu_system_us: Math.round(usage.cpuSystemUs),
        cpu_percent: usage.cpuPercent ?? 0,
        rss_bytes: usage.rssBytes,
        memory_limit_bytes: usage.memoryLimitBytes || (spec.resources.memoryBytes ?? 0),
        pids: usage.pids,
        fds: usage.fds,
        io_read_bytes: usage.ioReadBytes,
        io_write_bytes: usage.ioWriteBytes,
        source: usage.source,
        cgroup_memory_bytes: usage.memoryBytes ?? 0,
        cpu_limit_millis: spec.resources.cpuMillis ?? 0,
        pids_limit: spec.resources.pids ?? 0,
        limits,
      };
    }),
    SignalProcess: unary('SignalProcess', (r) => {
      const signal = typeof r.signal === 'string' && /^\d+$/.test(r.signal) ? Number(r.signal) : r.signal;
      verbs.signal(nameOrId(r), signal, { group: r.group === true });
      return {};
    }),
    GetStatus: unary('GetStatus', () => {
      const logs = info.logStats();
      return {
        version: info.version,
        pid: process.pid,
        uptime_ms: Date.now() - info.startedAt,
        counts_by_state: reads.countsByState(),
        work_queue_depth: info.workQueueDepth(),
        listeners: info.listeners(),
        state_dir: info.stateDir,
        config_path: info.configPath,
        unimplemented_rpcs: unimplementedRpcs,
        process_count: reads.size,
        ...info.loopLag(),
        rss_bytes: process.memoryUsage.rss(),
        log_rotations: logs.rotations,
        log_bytes_lost: logs.lostBytes,
        log_bytes_dropped: logs.droppedBytes,
        ...pacingToWire(info.pacing()),
        uncaught_errors: info.uncaughtErrors(),
      };
    }),
    ReloadConfig: unary('ReloadConfig', () => reloadConfig()),
    WatchEvents: stream('WatchEvents', (call, r) => {
      const processId = filteredProcessId(r);
      const subscription = events.subscribe(
        watcherOn('WatchEvents', call, processId, (event) => ({ event: eventToWire(event) }), 'this watcher fell too far behind the daemon events'),
        reads.snapshotEvents(processId),
      );
      endWithCall(call, subscription);
    }),
    StreamLogs: stream('StreamLogs', async (call, r) => {
      const which = r.stream === '' || r.stream === undefined ? 'stdout' : r.stream;
      if (which !== 'stdout' && which !== 'stderr' && which !== 'both') {
        throw new StatevisorError('E_INVALID_ARGUMENT', `stream: got "${which}", expected stdout, stderr or both`);
      }
      const tail = Number(r.tail_lines ?? 0);
      if (!Number.isSafeInteger(tail) || tail < 0 || tail > 100_000) {
        throw new StatevisorError('E_INVALID_ARGUMENT', `tail_lines: got ${r.tail_lines}, expected 0..100000`);
      }
      const sources = which === 'both' ? reads.logFilesOf(nameOrId(r)) : [{ stream: which, file: reads.logFileOf(nameOrId(r), which) }];
      const abort = new AbortController();
      logStreams.add(abort);
      const end = () => abort.abort(new Error('the watcher went away'));
      call.on('cancelled', end);
      call.on('error', end);
      try {
        await streamLogs(call, sources, tail, r.follow === true, abort.signal);
      } catch (error) {
        // Aborted: the caller went away or the daemon stops; either way the stream just ends.
        if (!abort.signal.aborted) throw error;
      } finally {
        logStreams.delete(abort);
      }
      endStream(call, logger, 'StreamLogs');
    }),
    GetMachineDefinition: unary('GetMachineDefinition', (r) => {
      const reply = machineDefinition({ nameOrId: r.name_or_id, kind: r.kind, format: r.format }, reads);
      return { definition_json: reply.definitionJson, text: reply.text, active_states: [...reply.activeStates] };
    }),
    Inspect: stream('Inspect', (call, r) => {
      const processId = filteredProcessId(r);
      const subscription = inspector.subscribe(
        watcherOn('Inspect', call, processId, (record) => ({ event_json: record.json }), 'this inspector fell too far behind the actor system'),
        { all: r.all === true, steps: r.steps === true },
      );
      endWithCall(call, subscription);
    }),
  };
}
