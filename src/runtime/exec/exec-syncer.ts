/**
 * The exec runtime: the process chart's hooks for real OS processes. `create` spawns; a resync
 * checks nothing the exit event does not already tell; terminating sends the stop signal per
 * kill_mode; terminated SIGKILLs what is left and waits for the reap. Exits are reported to the
 * chart through `onExit` the moment libuv reaps the child — no polling.
 */
import type {
  CleanupContext,
  ConditionResult,
  ConnectionContext,
  HealthCheckContext,
  HealthCheckResult,
  ProcessSyncer,
  StageContext,
  StopPostContext,
  SyncProcessContext,
  TerminatingContext,
} from '../../manager/syncer.js';
import { ExecRunStages } from './run-stages.js';
import { runtimeDirectoryVariables, runtimeRootOf } from './runtime-directory.js';
import { runProbe } from '../health/index.js';
import { StatevisorError } from '../../errors.js';
import { untilExeced, type Launch, type WorkloadResources } from './workload-resources.js';
import { findExecutable } from '../os/executable.js';
import { resolveGroup, resolveUser } from '../os/identity.js';
import { asUser } from '../os/setpriv.js';
import type { ProcessSpec } from '../../spec/types.js';
import type { ChildExit, WorkloadHandle } from './child-handle.js';
import { AdoptedHandle } from './adopted-handle.js';
import { processIdEnv, stateDirEnv, type Survivor } from './survivors.js';
import { processStartTime } from '../os/proc-stat.js';
import { spawnChild, type SpawnContext } from './spawn-child.js';
import type { RunPipes } from './log-targets.js';
import { SpawnerLost } from './spawner.js';
import { killUnreported } from './unreported-spawn.js';
import { SpawnPacer, type SpawnPacerStats } from './spawn-pacer.js';
import { killRemains, stopWorkload } from './stop-workload.js';
import { effectiveKillMode } from './kill-mode.js';
import { signalGroup } from '../os/process-group.js';
import { clearStalePidfile, mainProcess } from './forking.js';
import { removePidfile } from './pidfile.js';
import { activationOf, listenPidShim, untilConnection, type HeldSocket } from './socket-activation.js';

/** Where children's output goes: pipes read into log files (server/log-files.ts). */
export interface OutputSink {
  /** Readies the pipes of a run about to spawn; a target that cannot be written fails the start. */
  prepare(id: string, spec: ProcessSpec): Promise<RunPipes>;
  /** What the run wrote is in its files: called before its exit is reported (bounded wait). */
  flush(id: string): Promise<void>;
}

export interface ExecRuntimeOptions extends SpawnContext {
  readonly output: OutputSink;
  /** Spawns per loop turn and restarts per second (default: a few per turn, no rate limit). */
  readonly pacer?: SpawnPacer;
  /** Marks every child, so that a later daemon can find the survivors of this one. */
  readonly stateDir: string;
  /** Told of every exit of a current child, with the process id it belongs to. */
  readonly onExit: (id: string, exit: ChildExit) => void;
  /** Told of every workload that starts (spawned or adopted), with the spec it runs, to record the run. */
  readonly onRun?: (id: string, run: RunIdentity, spec: ProcessSpec) => void;
  /** setpriv(1), found at start: children of a `user:` take that user's groups through it. */
  readonly setpriv?: string;
  /** cgroups and rlimits; without it no limit is applied (the embedding decides). */
  readonly resources?: WorkloadResources;
  /** The listening sockets of a process (socket-activation.ts), held by the daemon across runs. */
  readonly activation?: { socketsFor(id: string, spec: ProcessSpec): Promise<readonly HeldSocket[]> };
  /** Something went wrong that is no one call's failure (a cgroup left behind). */
  readonly onWarning?: (id: string, message: string) => void;
  /** Where runtime directories are made; by default /run as root, else $XDG_RUNTIME_DIR (runtime-directory.ts). */
  readonly runtimeRoot?: string;
}

/** What identifies a run across daemon restarts: pid plus start time survives pid reuse. */
export interface RunIdentity {
  readonly pid: number;
  readonly pgid: number;
  readonly startTime: number;
  readonly startedAt: number;
  readonly adopted: boolean;
}

/** The user and group an exec probe runs as: the process's own, when it names them. */
function probeIdentity(spec: ProcessSpec): { uid?: number; gid?: number } {
  const user = spec.user === undefined ? undefined : resolveUser(String(spec.user));
  const gid = spec.group === undefined ? user?.gid : resolveGroup(String(spec.group)).gid;
  return { ...(user !== undefined && { uid: user.uid }), ...(gid !== undefined && { gid }) };
}

export class ExecSyncer implements ProcessSyncer<ProcessSpec> {
  private readonly children = new Map<string, WorkloadHandle>();
  /** Settles once a run's exit has been reported to the chart (after its output was flushed). */
  private readonly reported = new Map<string, Promise<void>>();
  /** Survivors of a previous daemon, taken over by the next `create` sync of their process. */
  private readonly adoptions = new Map<string, Survivor & { startedAt: number }>();

  private readonly pacer: SpawnPacer;
  private readonly runtimeRoot: string;
  /** Conditions, the runtime directory and the hook commands (run-stages.ts). */
  private readonly stages: ExecRunStages;

  constructor(private readonly options: ExecRuntimeOptions) {
    this.pacer = options.pacer ?? new SpawnPacer({ restartsPerSecond: 0 });
    this.runtimeRoot = options.runtimeRoot ?? runtimeRootOf(options.baseEnv, process.getuid?.() ?? -1, options.stateDir);
    this.stages = new ExecRunStages({ ...options, runtimeRoot: this.runtimeRoot });
  }

  /** The restart rate and what waits for it. */
  get pacing(): SpawnPacerStats {
    return this.pacer.stats;
  }

  /** The live (or last, until cleaned up) child of a process. */
  child(id: string): WorkloadHandle | undefined {
    return this.children.get(id);
  }

  /** The next start of `id` takes over this running survivor instead of spawning. */
  adopt(id: string, survivor: Survivor, startedAt: number): void {
    this.adoptions.set(id, { ...survivor, startedAt });
  }

  async syncProcess({ id, updateType, signal, restart }: SyncProcessContext, spec: ProcessSpec) {
    if (updateType !== 'create') return { terminal: false };
    const adopted = this.takeAdoption(id);
    if (adopted) {
      await this.options.resources?.adopt(id);
      this.register(id, adopted, true, spec);
      return { terminal: false, startedAt: adopted.startedAt };
    }
    // Never straight from the child's exit callback into the next spawn: the pacer lets spawns
    // through a few per loop turn, after the turn's I/O (RPCs), and restarts at the daemon's rate.
    await this.pacer.admit(restart === true ? 'restart' : 'start', signal);
    const activation = activationOf(spec.sockets.length === 0 ? [] : await this.socketsFor(id, spec));
    let pipes: RunPipes;
    try {
      pipes = await this.options.output.prepare(id, spec);
    } catch (error) {
      throw this.startFailure(spec, error instanceof Error ? error.message : String(error), error);
    }
    // LISTEN_FDS and LISTEN_FDNAMES win over the spec's env, as the daemon's markers do.
    const markers = { ...runtimeDirectoryVariables(spec, this.runtimeRoot), ...activation.env, [processIdEnv]: id, [stateDirEnv]: this.options.stateDir };
    const program = this.asUser(spec, spec.command, spec.args);
    const launch = await this.prepareLaunch(id, spec, program);
    // Stopped while the group was made: nothing runs yet (the group is reused by the next run).
    if (signal.aborted) throw signal.reason;
    clearStalePidfile(spec);
    const handle = await spawnChild(spec, { ...this.options, markers, switchesUser: program !== undefined, passFds: activation.fds }, pipes, launch).catch(
      (error: unknown) => {
        const lost = (error as Error).cause;
        if (lost instanceof SpawnerLost) killUnreported(this.options.stateDir, id, lost.sentAt);
        throw error;
      },
    );
    // A stop or delete that overtakes the spawn: the chart has moved on and will never manage
    // this child, so it is killed from the abort itself, before whatever stopped the chart (a
    // delete, the daemon's shutdown) goes on as if nothing ran.
    const kill = () => {
      signalGroup(handle.pgid, 'SIGKILL');
      void this.options.resources?.cgroupOf(id)?.signalAll('SIGKILL').catch(() => undefined);
    };
    if (signal.aborted) kill();
    else signal.addEventListener('abort', kill, { once: true });
    try {
      // Started means the program runs, in its group and as its user: not the wrapper or setpriv
      // before it (wrapper → setpriv → program, one pid, each exec'ing the next).
      for (const stage of new Set([launch, program])) {
        if (stage !== undefined && !signal.aborted) await untilExeced(handle.pid, stage, handle.exited, signal);
      }
    } finally {
      signal.removeEventListener('abort', kill);
    }
    if (signal.aborted) throw signal.reason;
    const cgroup = this.options.resources?.cgroupOf(id);
    const fail = (reason: string) => this.startFailure(spec, reason);
    const warn = (message: string) => this.options.onWarning?.(id, message);
    const main = await mainProcess(handle, { id, spec, signal, stateDir: this.options.stateDir, cgroup, now: this.options.now, fail, warn });
    this.register(id, main, false, spec);
    // The run started at the spawn: a program that exits while the wrapper is still being
    // watched must not end before it began (a negative uptime reads as a failed start).
    return { terminal: false, startedAt: handle.startedAt };
  }

  /**
   * `command args` run as the spec's user with the user's groups, through setpriv; undefined when
   * spawn() itself switches (no user, or no setpriv here).
   */
  private asUser(spec: ProcessSpec, command: string, args: readonly string[]): ReturnType<typeof asUser> | undefined {
    const setpriv = this.options.setpriv;
    if (spec.user === undefined || setpriv === undefined) return undefined;
    try {
      const user = resolveUser(String(spec.user));
      const gid = spec.group === undefined ? user.gid : resolveGroup(String(spec.group)).gid;
      return asUser(setpriv, user, gid, command, args);
    } catch (error) {
      throw this.startFailure(spec, error instanceof Error ? error.message : String(error), error);
    }
  }

  /**
   * The command line of a run: the cgroup wrapper around `program` (setpriv → the program, or the
   * program itself). A failure to set up the group is a failed start, not a silent skip.
   */
  private async prepareLaunch(id: string, spec: ProcessSpec, program: ReturnType<typeof asUser> | undefined): Promise<Launch | undefined> {
    const resources = this.options.resources;
    let launch: Launch | undefined;
    try {
      launch = await resources?.prepare(id, program === undefined ? spec : { ...spec, ...program });
    } catch (error) {
      throw this.startFailure(spec, `resources: ${error instanceof Error ? error.message : String(error)}`, error);
    }
    // A process with sockets starts through a shell that sets LISTEN_PID to its pid before the exec.
    launch ??= listenPidShim(spec, program) ?? program;
    // The wrapper shell or setpriv would report a missing binary as exit 127: name it as spawn would.
    const env = { ...this.options.baseEnv, ...spec.env };
    if (launch !== undefined && (await findExecutable(spec.command, env, spec.workingDir ?? process.cwd())) === undefined) {
      await resources?.release(id);
      throw this.startFailure(spec, `spawn ${spec.command} ENOENT`);
    }
    return launch;
  }

  /** start_on: connection: resolves once a client waits on one of the process's sockets. */
  async waitForConnection({ id, signal }: ConnectionContext, spec: ProcessSpec): Promise<void> {
    await untilConnection(await this.socketsFor(id, spec), signal);
  }

  private async socketsFor(id: string, spec: ProcessSpec): Promise<readonly HeldSocket[]> {
    if (this.options.activation === undefined) throw this.startFailure(spec, 'sockets: this runtime holds no sockets');
    try {
      return await this.options.activation.socketsFor(id, spec);
    } catch (error) {
      throw this.startFailure(spec, `sockets: ${error instanceof Error ? error.message : String(error)}`, error);
    }
  }

  private startFailure(spec: ProcessSpec, reason: string, cause?: unknown): StatevisorError {
    const error = new StatevisorError('E_START_FAILED', `cannot start '${spec.name}': ${reason}`, { cause });
    return Object.assign(error, { at: this.options.now() });
  }

  private takeAdoption(id: string): AdoptedHandle | undefined {
    const survivor = this.adoptions.get(id);
    if (!survivor) return undefined;
    this.adoptions.delete(id);
    if (processStartTime(survivor.pid) !== survivor.startTime) return undefined;
    const now = () => this.options.now();
    return new AdoptedHandle(survivor.pid, survivor.pgid, survivor.startTime, survivor.startedAt, now);
  }

  private register(id: string, handle: WorkloadHandle, adopted: boolean, spec: ProcessSpec): void {
    this.children.set(id, handle);
    this.options.onRun?.(id, {
      pid: handle.pid,
      pgid: handle.pgid,
      // Read now, while the process surely runs: with the pid, it names this run uniquely.
      startTime: processStartTime(handle.pid) ?? 0,
      startedAt: handle.startedAt,
      adopted,
    }, spec);
    const reported = handle.exited.then(async (exit) => {
      const [cause] = await Promise.all([
        this.options.resources?.exitCause(id, spec).catch(() => undefined),
        // The run's last words belong in its log before anyone is told it ended.
        this.options.output.flush(id).catch(() => undefined),
      ]);
      // A stale exit (the process was restarted or forgotten since) must not reach the new run.
      if (this.children.get(id) === handle) this.options.onExit(id, cause === undefined ? exit : { ...exit, cause });
    });
    this.reported.set(id, reported);
  }


  async syncTerminatingProcess({ id, signal }: TerminatingContext, spec: ProcessSpec) {
    const handle = this.children.get(id);
    if (!handle) return;
    const cgroup = this.options.resources?.cgroupOf(id);
    await stopWorkload(handle, this.killModeOf(spec), spec.stop.signal as NodeJS.Signals, signal, cgroup);
  }

  /** The spec's kill mode, or this machine's default when it names none. */
  killModeOf(spec: ProcessSpec) {
    return effectiveKillMode(spec.stop, this.options.resources?.canGroup === true);
  }

  async syncTerminatedProcess({ id, signal }: CleanupContext, spec: ProcessSpec) {
    const handle = this.children.get(id);
    if (!handle) return;
    await killRemains(handle, this.killModeOf(spec), signal, this.options.resources?.cgroupOf(id));
    if (spec.pidfile !== undefined) removePidfile(spec.pidfile, handle.pid);
    // The run ends with its exit known to the chart (code, signal), as a stop's reply shows it.
    await this.reported.get(id);
    this.reported.delete(id);
    this.children.delete(id);
    const report = await this.options.resources?.release(id);
    for (const failure of report?.failed ?? []) this.options.onWarning?.(id, `cgroup ${failure.path} not removed: ${failure.reason}`);
  }

  /**
   * One probe of the process's health check. An exec probe runs as the process would: its env,
   * working dir, user and group — a check must not get the daemon's root rights.
   */
  async checkHealth({ signal, timeoutMs }: HealthCheckContext, spec: ProcessSpec): Promise<HealthCheckResult> {
    // Never a verdict of healthy for a check that is not there.
    if (spec.healthCheck === undefined) return { healthy: false, message: 'the spec has no health check' };
    let identity: { uid?: number; gid?: number };
    let check = spec.healthCheck;
    try {
      // An exec probe takes the user's groups as the program does; other probes run nothing.
      const program = check.type === 'exec' ? this.asUser(spec, check.command ?? '', check.args ?? []) : undefined;
      identity = program === undefined ? probeIdentity(spec) : {};
      if (program !== undefined) check = { ...check, ...program };
    } catch (error) {
      return { healthy: false, message: error instanceof Error ? error.message : String(error) };
    }
    return runProbe(check, {
      signal,
      timeoutMs,
      env: { ...this.options.baseEnv, ...spec.env },
      ...(spec.workingDir !== undefined && { cwd: spec.workingDir }),
      ...identity,
    });
  }

  // An adopted survivor of an earlier daemon got past its conditions and start hooks back then:
  // its run goes on, and only its stop-post stage is still to come.
  async checkStartConditions(context: StageContext, spec: ProcessSpec): Promise<ConditionResult> {
    return this.adoptable(context.id) ? { met: true } : this.stages.checkStartConditions(context, spec);
  }

  async runStartPre(context: StageContext, spec: ProcessSpec): Promise<void> {
    if (!this.adoptable(context.id)) await this.stages.runStartPre(context, spec);
  }

  /** A survivor waits for this process's next start, and still runs (the same pid and start time). */
  private adoptable(id: string): boolean {
    const survivor = this.adoptions.get(id);
    return survivor !== undefined && processStartTime(survivor.pid) === survivor.startTime;
  }

  async runStartPost(context: StageContext, spec: ProcessSpec): Promise<void> {
    if (!(this.children.get(context.id) instanceof AdoptedHandle)) await this.stages.runStartPost(context, spec);
  }

  runStopPost(context: StopPostContext, spec: ProcessSpec): Promise<void> {
    return this.stages.runStopPost(context, spec);
  }

  /** Every pid this runtime still answers for (for leak checks and shutdown). */
  pids(): number[] {
    return [...this.children.values()].filter((h) => h.alive).map((h) => h.pid);
  }
}
