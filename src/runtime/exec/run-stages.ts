/**
 * The exec runtime's part in the optional stages of a run (the process chart's conditionCheck,
 * startPreHook, startPostHook and stopPostHook): the path conditions, the runtime directory and
 * the hook commands, each run as the main program runs.
 *
 *   conditions   condition_path_exists (conditions.ts); unmet: the chart skips the run.
 *   start-pre    the runtime directory is made, then exec_start_pre runs; bounded by start_timeout.
 *   start-post   exec_start_post, the workload up; bounded by start_timeout.
 *   stop-post    exec_stop_post, whatever ended the run (a failed start included), bounded by
 *                stop.grace_period; then the runtime directory is removed, even if a hook failed.
 *
 * A hook's environment is the child's (child-env.ts) with $RUNTIME_DIRECTORY, and for stop-post
 * systemd's $EXIT_CODE and $EXIT_STATUS; not the daemon's markers (STATEVISOR_PROCESS_ID, …): a
 * hook is not the workload, and a later daemon must not mistake one for it.
 */
import type { SpawnOptions } from 'node:child_process';
import { StatevisorError } from '../../errors.js';
import type { StageContext, StopPostContext, ConditionResult } from '../../manager/syncer.js';
import type { ProcessSpec } from '../../spec/types.js';
import type { WorkloadExit } from '../../machines/process-types.js';
import { resolveGroup, resolveUser } from '../os/identity.js';
import { asUser } from '../os/setpriv.js';
import { checkPathConditions } from './conditions.js';
import { runHookCommands, type HookLaunch, type HookStage } from './hook-commands.js';
import { closeAll, openStdio } from './log-targets.js';
import { createRuntimeDirectory, removeRuntimeDirectory, runtimeDirectoryOf, runtimeDirectoryVariables } from './runtime-directory.js';
import { spawnOptions, withUmask, type SpawnContext } from './spawn-child.js';
import type { RunPipes } from './log-targets.js';

/** The exec runtime's OutputSink, as far as hooks use it: the run's log pipes, and a flush. */
export interface HookOutput {
  prepare(id: string, spec: ProcessSpec): Promise<RunPipes>;
  flush(id: string): Promise<void>;
}

export interface RunStagesOptions extends Pick<SpawnContext, 'now' | 'baseEnv'> {
  readonly output: HookOutput;
  readonly setpriv?: string;
  /** Where runtime directories are made (runtime-directory.ts, runtimeRootOf). */
  readonly runtimeRoot: string;
}

/** systemd's $EXIT_CODE / $EXIT_STATUS for the stop-post hooks, when the workload was seen to end. */
function exitVariables(exit: WorkloadExit | undefined): Record<string, string> {
  if (exit === undefined || exit.error !== undefined) return {};
  if (exit.signal !== null) return { EXIT_CODE: 'killed', EXIT_STATUS: exit.signal.replace(/^SIG/, '') };
  return exit.exitCode === null ? {} : { EXIT_CODE: 'exited', EXIT_STATUS: String(exit.exitCode) };
}

export class ExecRunStages {
  constructor(private readonly options: RunStagesOptions) {}

  checkStartConditions(_context: StageContext, spec: ProcessSpec): Promise<ConditionResult> {
    return checkPathConditions(spec.conditionPathExists);
  }

  async runStartPre({ id, signal }: StageContext, spec: ProcessSpec): Promise<void> {
    await this.stamped(async () => {
      const dir = runtimeDirectoryOf(spec, this.options.runtimeRoot);
      if (dir !== undefined) await createRuntimeDirectory(this.options.runtimeRoot, dir, spec.runtimeDirectoryMode, this.owner(spec));
    });
    await this.runStage(id, spec, 'exec_start_pre', spec.startTimeoutMs, 'start_timeout', signal);
  }

  runStartPost({ id, signal }: StageContext, spec: ProcessSpec): Promise<void> {
    return this.runStage(id, spec, 'exec_start_post', spec.startTimeoutMs, 'start_timeout', signal);
  }

  async runStopPost({ id, signal, exit }: StopPostContext, spec: ProcessSpec): Promise<void> {
    try {
      await this.runStage(id, spec, 'exec_stop_post', spec.stop.gracePeriodMs, 'stop.grace_period', signal, exitVariables(exit));
    } finally {
      const dir = runtimeDirectoryOf(spec, this.options.runtimeRoot);
      if (dir !== undefined) await removeRuntimeDirectory(dir);
    }
  }

  /** The process's user and group, for the runtime directory's owner; nothing when it names none. */
  private owner(spec: ProcessSpec): { uid?: number; gid?: number } {
    const user = spec.user === undefined ? undefined : resolveUser(String(spec.user));
    const gid = spec.group === undefined ? user?.gid : resolveGroup(String(spec.group)).gid;
    return { ...(user !== undefined && { uid: user.uid }), ...(gid !== undefined && { gid }) };
  }

  private async runStage(
    id: string,
    spec: ProcessSpec,
    stage: HookStage,
    timeoutMs: number,
    timeoutName: string,
    signal: AbortSignal,
    extraEnv: Record<string, string> = {},
  ): Promise<void> {
    const commands = stage === 'exec_start_pre' ? spec.execStartPre : stage === 'exec_start_post' ? spec.execStartPost : spec.execStopPost;
    if (commands.length === 0) return;
    const { launch, opened } = await this.stamped(() => this.launchOf(id, spec, extraEnv), `${stage}: `);
    try {
      await runHookCommands({ stage, commands, timeoutMs, timeoutName, signal, now: this.options.now }, launch);
    } finally {
      closeAll(opened);
      // What the hooks wrote is in the process's log files before the chart moves on.
      await this.options.output.flush(id).catch(() => undefined);
    }
  }

  /**
   * What went wrong before a hook could run (a user, an env file, a log target, the runtime
   * directory) is a failed start, stamped with its time as the chart's start failures are.
   */
  private async stamped<T>(body: () => Promise<T>, prefix = ''): Promise<T> {
    try {
      return await body();
    } catch (error) {
      const message = `${prefix}${error instanceof Error ? error.message : String(error)}`;
      throw Object.assign(new StatevisorError('E_START_FAILED', message, { cause: error }), { at: this.options.now() });
    }
  }

  /** How a hook of this process is spawned: as its main program, writing to its log pipes. */
  private async launchOf(id: string, spec: ProcessSpec, extraEnv: Record<string, string>): Promise<{ launch: HookLaunch; opened: number[] }> {
    const { setpriv, runtimeRoot } = this.options;
    const switchesUser = spec.user !== undefined && setpriv !== undefined;
    const markers = { ...runtimeDirectoryVariables(spec, runtimeRoot), ...extraEnv };
    const options: SpawnOptions = await spawnOptions(spec, { ...this.options, markers, switchesUser });
    const pipes = await this.options.output.prepare(id, spec);
    const stdio = openStdio(spec.logs, pipes);
    const wrap = (command: string, args: readonly string[]) => {
      if (!switchesUser) return { command, args };
      const user = resolveUser(String(spec.user));
      const gid = spec.group === undefined ? user.gid : resolveGroup(String(spec.group)).gid;
      return asUser(setpriv!, user, gid, command, args);
    };
    return {
      launch: { wrap, options: { ...options, stdio: stdio.stdio }, withUmask: (fn) => withUmask(spec.umask, fn) },
      opened: stdio.opened,
    };
  }
}
