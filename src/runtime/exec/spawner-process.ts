/**
 * The spawner: a small Node process the daemon forks once (spawner.ts) and asks, over the IPC
 * channel, to spawn its children. fork() copies the page tables of the process that calls it, so
 * its cost grows with that process's mappings: ~2.6 ms per child from the daemon (grpc-js,
 * protobufjs, pino, xstate), ~1.1 ms from a process that loaded nothing. This file imports Node's
 * own modules and three small files that import nothing else (keep it so: the spawner's size is
 * the point).
 *
 * It is the children's parent: libuv reaps each child (waitpid) before 'exit', and the exit goes
 * back to the daemon. When the daemon goes (its stop, or a kill -9), the channel closes and the
 * spawner exits at once WITHOUT touching its children: they run in their own sessions, are
 * reparented to init, and the next daemon adopts them by pid + start time, as it adopts any
 * survivor (server/recovery.ts).
 *
 * argv: `--for <state dir>`, only so that a person (or a test) can tell whose spawner it is.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeAll, openStdio } from './log-targets.js';
import { processStartTime } from '../os/proc-stat.js';
import { withUmask } from './umask.js';
import type { SpawnerReply, SpawnRequest } from './spawner-protocol.js';

function send(reply: SpawnerReply): void {
  process.send!(reply);
}

function failed(seq: number, error: unknown): void {
  const { message, code } = error as { message?: string; code?: unknown };
  send({ op: 'failed', seq, message: message ?? String(error), ...(typeof code === 'string' && { code }) });
}

function spawnFor(request: SpawnRequest): void {
  const { seq } = request;
  let stdio: ReturnType<typeof openStdio>;
  try {
    stdio = openStdio(request.logs, request.pipes);
  } catch (error) {
    return failed(seq, error);
  }
  let child: ChildProcess;
  try {
    child = withUmask(request.umask, () =>
      spawn(request.command, [...request.args], {
        // setsid(): the child leads a new session and process group, so a stop reaches its group.
        detached: true,
        env: request.env,
        cwd: request.cwd,
        stdio: stdio.stdio,
        ...(request.uid !== undefined && { uid: request.uid }),
        ...(request.gid !== undefined && { gid: request.gid }),
      }),
    );
  } catch (error) {
    closeAll(stdio.opened);
    return failed(seq, error);
  }
  // The child has its own copies of the log descriptors.
  closeAll(stdio.opened);
  const pid = child.pid;
  if (pid === undefined) {
    // uv_spawn failed (ENOENT, EACCES…): Node emits the error on the next tick.
    child.once('error', (error) => failed(seq, error));
    return;
  }
  // uv_spawn returns once the child has exec'd: it runs, so its start time names it.
  send({ op: 'spawned', seq, pid, startTime: processStartTime(pid) ?? 0 });
  // Nothing here signals or writes to a child, so no later 'error' is expected; none may end the spawner.
  child.on('error', () => undefined);
  child.once('exit', (code, signal) => send({ op: 'exit', pid, code, signal }));
}

process.on('message', (message: SpawnRequest) => {
  if (message.op === 'spawn') spawnFor(message);
});
// The daemon is gone (or asked us to go): leave every child running, for the next daemon to adopt.
process.on('disconnect', () => process.exit(0));
