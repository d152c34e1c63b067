/**
 * Turn a ProcessSpec into a running child in its own process group. Everything that can fail
 * before the exec (env files, user, group, log files, a missing binary) fails here as
 * E_START_FAILED, which the chart treats as a failed run rather than a hook to retry.
 */
import { spawn, type SpawnOptions } from 'node:child_process';
import { StatevisorError } from '../../errors.js';
import type { ProcessSpec } from '../../spec/types.js';
import { readEnvFiles } from '../os/env-file.js';
import { resolveGroup, resolveUser } from '../os/identity.js';
import { ChildHandle, type WorkloadHandle } from './child-handle.js';
import { closeAll, openStdio, type RunPipes } from './log-targets.js';
import type { Launch } from './workload-resources.js';
import type { Spawner } from './spawner.js';
import { withUmask } from './umask.js';

export { withUmask };

export interface SpawnContext {
  readonly now: () => number;
  /** The environment every child starts from (child-env.ts: the daemon's, less its own settings). */
  readonly baseEnv: NodeJS.ProcessEnv;
  /** Set last, over env_files and env: the daemon's marks on its children (survivors.ts). */
  readonly markers?: Readonly<Record<string, string>>;
  /** The launch command takes the user and groups itself (setpriv): spawn must not switch. */
  readonly switchesUser?: boolean;
  /** Descriptors the child gets as fds 3.. in this order (socket activation's listening sockets). */
  readonly passFds?: readonly number[];
  /**
   * Where children are spawned from: the small spawner process (spawner.ts), whose fork is cheap;
   * without it, or for a spawn that passes descriptors, the daemon itself.
   */
  readonly spawner?: Spawner;
}

function startFailure(spec: ProcessSpec, error: unknown, at: number): StatevisorError {
  const reason = error instanceof Error ? error.message : String(error);
  const failure = new StatevisorError('E_START_FAILED', `cannot start '${spec.name}': ${reason}`, { cause: error });
  return Object.assign(failure, { at });
}

/** env, cwd, a new session, and the user and group unless the launch command switches itself. */
export async function spawnOptions(spec: ProcessSpec, context: SpawnContext): Promise<SpawnOptions> {
  const fromFiles = await readEnvFiles(spec.envFiles);
  const user = spec.user === undefined ? undefined : resolveUser(String(spec.user));
  const account = user === undefined ? {} : { HOME: user.home, USER: user.name, LOGNAME: user.name };
  const options: SpawnOptions = {
    // setsid(): the child leads a new session and process group, so a stop reaches its group.
    detached: true,
    // The order child-env.ts documents: later wins, and the markers win over everything.
    env: { ...context.baseEnv, ...account, ...fromFiles, ...spec.env, ...context.markers },
    cwd: spec.workingDir ?? process.cwd(),
  };
  if (context.switchesUser) return options;
  if (user !== undefined) {
    options.uid = user.uid;
    options.gid = user.gid;
  }
  if (spec.group !== undefined) options.gid = resolveGroup(String(spec.group)).gid;
  return options;
}

/**
 * `pipes`: where the streams written to files go (log-targets.ts). `launch` replaces the command
 * line (the resource wrapper that joins the cgroup first).
 */
export async function spawnChild(spec: ProcessSpec, context: SpawnContext, pipes: RunPipes, launch?: Launch): Promise<WorkloadHandle> {
  // Descriptors cannot cross the spawner's pipe: socket activation's listening sockets are passed
  // by a spawn in the daemon, which holds them.
  if (context.spawner !== undefined && (context.passFds?.length ?? 0) === 0) return spawnRemote(context.spawner, spec, context, pipes, launch);
  let options: SpawnOptions;
  let stdio: ReturnType<typeof openStdio>;
  try {
    options = await spawnOptions(spec, context);
    stdio = openStdio(spec.logs, pipes);
  } catch (error) {
    throw startFailure(spec, error, context.now());
  }
  try {
    const { command, args } = launch ?? spec;
    // Fds 0-2 as openStdio made them, then the passed descriptors as 3, 4, … (spawn dup2s each).
    const streams = [...(stdio.stdio as unknown[]), ...(context.passFds ?? [])] as SpawnOptions['stdio'];
    const child = withUmask(spec.umask, () => spawn(command, [...args], { ...options, stdio: streams }));
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', reject);
    });
    // The daemon's copies of the log descriptors are no longer needed: the child has its own.
    closeAll(stdio.opened);
    // Do not keep the daemon's event loop alive for a child it supervises anyway.
    child.unref();
    return new ChildHandle(child, context.now(), context.now);
  } catch (error) {
    closeAll(stdio.opened);
    throw startFailure(spec, error, context.now());
  }
}

/** The same spawn, done by the spawner: it opens the log pipes by path and sets the umask itself. */
async function spawnRemote(spawner: Spawner, spec: ProcessSpec, context: SpawnContext, pipes: RunPipes, launch?: Launch): Promise<WorkloadHandle> {
  let options: SpawnOptions;
  try {
    options = await spawnOptions(spec, context);
  } catch (error) {
    throw startFailure(spec, error, context.now());
  }
  const { command, args } = launch ?? spec;
  try {
    return await spawner.spawn({
      command,
      args,
      env: options.env!,
      cwd: String(options.cwd),
      ...(options.uid !== undefined && { uid: options.uid }),
      ...(options.gid !== undefined && { gid: options.gid }),
      ...(spec.umask !== undefined && { umask: spec.umask }),
      logs: { stdout: spec.logs.stdout, stderr: spec.logs.stderr },
      pipes,
    });
  } catch (error) {
    throw startFailure(spec, error, context.now());
  }
}
