/**
 * The worker runtime: the process chart's hooks for `runtime: worker` — a JavaScript module's
 * export run as a long-running task in a worker thread of the daemon. Through the same chart as
 * an OS process: starting = the module loaded and its export called; syncing = running (an update
 * sends the new spec to the task as a message); terminating = the task's AbortSignal fires and the
 * chart's grace period runs; terminated = the thread is terminated; the exit = the task's promise
 * settled, process.exit(n), an uncaught error or the heap cap (worker-run.ts).
 *
 * One plain worker thread per run rather than a task on a tinypool pool: see README "Worker-thread
 * workloads" — a pool's threads share one resourceLimits and one stdout, and its abort ends a task
 * at once, where a run needs its own heap cap, its own log files and a grace period.
 */
import type {
  CleanupContext,
  ConditionResult,
  HealthCheckContext,
  HealthCheckResult,
  ProcessSyncer,
  StageContext,
  SyncProcessContext,
  TerminatingContext,
} from '../../manager/syncer.js';
import { StatevisorError } from '../../errors.js';
import type { ProcessSpec } from '../../spec/types.js';
import type { ChildExit } from '../exec/child-handle.js';
import type { OutputSink } from '../exec/exec-syncer.js';
import { checkPathConditions } from '../exec/conditions.js';
import { readEnvFiles } from '../os/env-file.js';
import { runProbe } from '../health/index.js';
import { WorkerRun, type WorkerUsage } from './worker-run.js';
import { openWorkerStdio } from './worker-output.js';
import type { SpawnPacer } from '../exec/spawn-pacer.js';
import { BootGate } from './boot-gate.js';

export interface WorkerRuntimeOptions {
  /**
   * The log files (server/log-files.ts): the same pipes an OS process writes to. Without it (an
   * embedding program), a thread's output goes to the program's own stdout and stderr (or
   * nowhere, for a stream whose logs target is null).
   */
  readonly output?: OutputSink;
  /** Told of every exit of a current run. */
  readonly onExit: (id: string, exit: ChildExit) => void;
  /** Told of every run that starts, with the spec it runs. */
  readonly onRun?: (id: string, spec: ProcessSpec) => void;
  /** What every thread's process.env starts from (the spec's env_files and env go on top); process.env by default. */
  readonly baseEnv?: NodeJS.ProcessEnv;
  readonly now: () => number;
  /** Starts per loop turn and restarts per second, shared with the exec runtime in the daemon. */
  readonly pacer?: SpawnPacer;
  /** Threads booting at once (boot-gate.ts); one per core by default. */
  readonly bootGate?: BootGate;
}

/** Resolves when `signal` fires. */
function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));
}

export class WorkerSyncer implements ProcessSyncer<ProcessSpec> {
  private readonly runs = new Map<string, WorkerRun>();
  /** Settles once a run's exit has been reported to the chart (after its output was flushed). */
  private readonly reported = new Map<string, Promise<void>>();

  private readonly bootGate: BootGate;

  constructor(private readonly options: WorkerRuntimeOptions) {
    this.bootGate = options.bootGate ?? new BootGate();
  }

  /** The live (or last, until cleaned up) run of a process. */
  run(id: string): WorkerRun | undefined {
    return this.runs.get(id);
  }

  /** CPU and heap of a running workload, or undefined when none runs. */
  usage(id: string): WorkerUsage | undefined {
    const run = this.runs.get(id);
    return run?.alive === true ? run.usage() : undefined;
  }

  async syncProcess({ id, updateType, signal, restart }: SyncProcessContext, spec: ProcessSpec) {
    if (updateType !== 'create') {
      // Resync: the thread's health is its exit event. An update hands the task its new spec.
      if (updateType === 'update') this.runs.get(id)?.send({ type: 'config', config: spec });
      return { terminal: false };
    }
    // A crash-looping thread restarts at the daemon's rate, as a crash-looping process does.
    await this.options.pacer?.admit(restart === true ? 'restart' : 'start', signal);
    const booted = await this.bootGate.enter(signal);
    try {
      return await this.boot(id, spec, signal);
    } finally {
      booted();
    }
  }

  /** From a new thread to its task called: the part that takes a core. */
  private async boot(id: string, spec: ProcessSpec, signal: AbortSignal) {
    let run: WorkerRun;
    let close: (() => Promise<void>) | undefined;
    try {
      const output = this.options.output;
      const pipes = output === undefined ? {} : await output.prepare(id, spec);
      const env = { ...(this.options.baseEnv ?? process.env), ...(await readEnvFiles(spec.envFiles)), ...spec.env };
      // Without a sink, what is written anywhere goes to the program's own streams.
      const own = (target: string) => (target === 'null' ? 'null' : 'inherit');
      const stdio = openWorkerStdio(output === undefined ? { stdout: own(spec.logs.stdout), stderr: own(spec.logs.stderr) } : spec.logs, pipes);
      close = stdio.close;
      run = new WorkerRun(spec, { env, stdout: stdio.stdout, stderr: stdio.stderr, now: this.options.now });
    } catch (error) {
      await close?.();
      throw this.startFailure(spec, error instanceof Error ? error.message : String(error), error);
    }
    // A stop or delete that overtakes the start: the chart will never manage this thread.
    const kill = () => void run.worker.terminate();
    signal.addEventListener('abort', kill, { once: true });
    try {
      await Promise.race([run.started, aborted(signal)]);
    } catch (error) {
      await run.exited;
      await close();
      throw this.startFailure(spec, `runtime.module: ${error instanceof Error ? error.message : String(error)}`, error);
    } finally {
      signal.removeEventListener('abort', kill);
    }
    if (signal.aborted) {
      kill();
      await run.exited;
      await close();
      throw signal.reason;
    }
    this.register(id, run, close);
    this.options.onRun?.(id, spec);
    return { terminal: false, startedAt: run.startedAt };
  }

  private register(id: string, run: WorkerRun, close: () => Promise<void>): void {
    this.runs.set(id, run);
    const reported = run.exited.then(async (exit) => {
      // The run's last words belong in its log before anyone is told it ended.
      await close();
      await this.options.output?.flush(id).catch(() => undefined);
      // A stale exit (the process was restarted or forgotten since) must not reach the new run.
      if (this.runs.get(id) === run) this.options.onExit(id, exit);
    });
    this.reported.set(id, reported);
  }

  private startFailure(spec: ProcessSpec, reason: string, cause?: unknown): StatevisorError {
    const error = new StatevisorError('E_START_FAILED', `cannot start '${spec.name}': ${reason}`, { cause });
    return Object.assign(error, { at: this.options.now() });
  }

  /** The task's AbortSignal fires; the chart's grace period runs while the task winds down. */
  async syncTerminatingProcess({ id, signal }: TerminatingContext): Promise<void> {
    const run = this.runs.get(id);
    if (run === undefined || !run.alive) return;
    run.send({ type: 'abort' });
    await Promise.race([run.exited, aborted(signal)]);
  }

  /** Whatever is left of the thread is terminated (a task stuck in a loop too: V8 stops it). */
  async syncTerminatedProcess({ id }: CleanupContext): Promise<void> {
    const run = this.runs.get(id);
    if (run === undefined) return;
    if (run.alive) await run.worker.terminate();
    // The run ends with its exit known to the chart, as a stop's reply shows it.
    await this.reported.get(id);
    this.reported.delete(id);
    this.runs.delete(id);
  }

  /** http, tcp and grpc probes as for an OS process; an exec probe runs with the process's env. */
  checkHealth({ signal, timeoutMs }: HealthCheckContext, spec: ProcessSpec): Promise<HealthCheckResult> | HealthCheckResult {
    if (spec.healthCheck === undefined) return { healthy: false, message: 'the spec has no health check' };
    return runProbe(spec.healthCheck, { signal, timeoutMs, env: { ...(this.options.baseEnv ?? process.env), ...spec.env } });
  }

  checkStartConditions(_context: StageContext, spec: ProcessSpec): Promise<ConditionResult> {
    return checkPathConditions(spec.conditionPathExists);
  }

  /** Threads still running (for shutdown checks and tests). */
  running(): string[] {
    return [...this.runs].filter(([, run]) => run.alive).map(([id]) => id);
  }
}
