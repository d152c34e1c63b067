/**
 * Socket activation (systemd's sd_listen_fds protocol, accept=no): listening sockets bound by the
 * daemon and passed to each run of a process as fds 3.., with LISTEN_FDS (how many),
 * LISTEN_FDNAMES (their names, ':'-separated) and LISTEN_PID (the pid they are meant for: the
 * child's own, set by the launch shell right before it execs the program, see join-wrapper.ts).
 * The daemon keeps the sockets open from the process's create to its delete, so a client that
 * connects while no run is up waits in the kernel's accept queue instead of being refused.
 *
 * The daemon must hold a listening socket without ever accepting on it, and Node has no public
 * way to do that: `server.listen()` starts libuv's accept watcher at once, and `readStop()` on
 * the listening handle does nothing (uv_read_stop returns early for a stream that is not
 * reading; a test pins this down). So:
 *   - bind:   `net._createServerHandle` — the bind-without-listen that Node's cluster module uses
 *             for the handles its primary shares — makes the socket and binds it; no libuv watcher
 *             is started on it. This is the one internal API used, checked by
 *             checkSocketActivation() when the daemon starts.
 *   - listen: a helper child (activation-helper.ts) inherits the fd, calls listen(2) on it and
 *             exits before its event loop ever polls. The listen state belongs to the socket, so
 *             the daemon's fd is now listening, and nobody accepts.
 *   - wait (start_on: connection): the helper again, which reports a pending connection without
 *             taking it (the read(2) on a listening socket fails once one is queued).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { lstat, readFile, unlink } from 'node:fs/promises';
import net from 'node:net';
import { getSystemErrorName } from 'node:util';
import { StatevisorError } from '../../errors.js';
import { listenKey, parseListenAddress, type ListenAddress } from '../../spec/listen-address.js';
import type { ProcessSpec, SocketSpec } from '../../spec/types.js';
import { wrapCommand, type WrappedCommand } from '../resources/join-wrapper.js';
import type { Launch } from './workload-resources.js';

/** The first fd a passed socket gets, as sd_listen_fds(3) expects (SD_LISTEN_FDS_START). */
export const firstSocketFd = 3;

/** Node's internal handle of a bound socket (TCPWrap or PipeWrap): only what is used of it. */
interface ServerHandle {
  readonly fd: number;
  close(callback?: () => void): void;
  /** TCP only: fills `out.port` with the port bound; a negative errno on failure. */
  getsockname?(out: { port?: number }): number;
}

type CreateServerHandle = (address: string | null, port: number, addressType: number, fd?: number, flags?: number) => ServerHandle | number;

function createServerHandle(): CreateServerHandle {
  const create = (net as unknown as { _createServerHandle?: unknown })._createServerHandle;
  if (typeof create !== 'function') {
    throw new StatevisorError(
      'E_INTERNAL',
      `socket activation needs net._createServerHandle (Node's bind-without-listen, used by cluster), which this Node ${process.version} does not have`,
    );
  }
  return create as CreateServerHandle;
}

/** Fails loudly, at daemon start, if this Node lacks what holding a socket without accepting needs. */
export function checkSocketActivation(): void {
  createServerHandle();
}

/** A listening socket the daemon holds for a process: never accepted on by the daemon. */
export interface HeldSocket {
  readonly name: string;
  readonly listen: string;
  /** The daemon's descriptor: what spawn passes on as fd 3 + the socket's index. */
  readonly fd: number;
  close(): void;
}

function bindFailure(listen: string, reason: string): StatevisorError {
  return new StatevisorError('E_INVALID_STATE', `cannot bind ${listen}: ${reason}`);
}

/**
 * Whether a unix socket listens on `path`, from /proc/net/unix (its Flags column has
 * __SO_ACCEPTCON, 0x10000, for a listening socket). Read rather than connected to: a probe
 * connection would be one more client for the program that listens there.
 */
async function listensOn(path: string): Promise<boolean> {
  const table = await readFile('/proc/net/unix', 'utf8');
  return table.split('\n').some((line) => {
    const columns = line.trim().split(/\s+/);
    return line.endsWith(` ${path}`) && (Number.parseInt(columns[3] ?? '0', 16) & 0x10000) !== 0;
  });
}

/**
 * A unix socket file left by a daemon that died holds the path, but nobody listens on it. Only
 * such a file is removed; anything else at the path is an error.
 */
async function removeStaleSocketFile(path: string): Promise<void> {
  const info = await lstat(path).catch(() => undefined);
  if (info === undefined) return;
  if (!info.isSocket()) throw bindFailure(path, 'the path exists and is not a socket');
  if (await listensOn(path)) throw bindFailure(path, 'another program listens on it');
  await unlink(path);
}

function bindOne(create: CreateServerHandle, address: ListenAddress, listen: string): ServerHandle {
  const handle =
    address.kind === 'unix' ? create(address.path, -1, -1) : create(address.host, address.port, address.family);
  if (typeof handle === 'number') {
    let name = String(handle);
    try {
      name = getSystemErrorName(handle);
    } catch {
      // Not an errno: the number says it all.
    }
    throw bindFailure(listen, name === 'EADDRINUSE' ? 'EADDRINUSE (another program or process holds the address)' : name);
  }
  if (typeof handle?.fd !== 'number' || handle.fd < 0 || typeof handle.close !== 'function') {
    throw new StatevisorError('E_INTERNAL', `net._createServerHandle returned a handle without an fd: socket activation cannot work on Node ${process.version}`);
  }
  // libuv keeps a TCP bind's EADDRINUSE for the listen (its "delayed error"), and listen(2) on
  // the unbound socket would pick a random port: the bound port is checked instead.
  if (address.kind === 'tcp') {
    const bound: { port?: number } = {};
    const error = typeof handle.getsockname === 'function' ? handle.getsockname(bound) : -1;
    if (error !== 0 || bound.port !== address.port) {
      handle.close();
      throw bindFailure(listen, 'EADDRINUSE (another program or process holds the address)');
    }
  }
  return handle;
}

/** Runs the helper with `fds` as 3..; resolves with its child once spawned. */
function helper(mode: 'listen' | 'wait', fds: readonly number[]) {
  const script = new URL('./activation-helper.js', import.meta.url);
  return spawn(process.execPath, [script.pathname, mode, String(fds.length)], {
    stdio: ['ignore', 'pipe', 'pipe', ...fds],
    env: {},
  });
}

async function listenAll(fds: readonly number[]): Promise<void> {
  const child = helper('listen', fds);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout?.resume();
  const [code, signal] = (await once(child, 'close')) as [number | null, string | null];
  if (code !== 0) throw new StatevisorError('E_INTERNAL', `listen(2) on the sockets failed (helper exit ${code ?? signal}): ${stderr.trim()}`);
}

/**
 * Binds and listens on each socket, in order; all or nothing (a failure closes those already
 * bound). Unix socket files are created here and removed when closed (libuv unlinks the path it
 * bound).
 */
export async function bindSockets(sockets: readonly SocketSpec[]): Promise<HeldSocket[]> {
  const create = createServerHandle();
  const held: HeldSocket[] = [];
  try {
    for (const socket of sockets) {
      const parsed = parseListenAddress(socket.listen);
      if (!parsed.ok) throw bindFailure(socket.listen, `expected ${parsed.expected}`);
      if (parsed.value.kind === 'unix') await removeStaleSocketFile(parsed.value.path);
      const handle = bindOne(create, parsed.value, socket.listen);
      let closed = false;
      held.push({
        name: socket.name,
        listen: socket.listen,
        fd: handle.fd,
        close: () => {
          if (closed) return;
          closed = true;
          handle.close();
        },
      });
    }
    if (held.length > 0) await listenAll(held.map((socket) => socket.fd));
    return held;
  } catch (error) {
    for (const socket of held) socket.close();
    throw error;
  }
}

/** The key under which two sockets conflict (the same address), or undefined for a bad one. */
export function socketKey(socket: SocketSpec): string | undefined {
  const parsed = parseListenAddress(socket.listen);
  return parsed.ok ? listenKey(parsed.value) : undefined;
}

/** What a run is given: the sockets as fds 3.. and the variables naming them (LISTEN_PID is the launch's). */
export interface Activation {
  readonly env: Readonly<Record<string, string>>;
  readonly fds: readonly number[];
}

export function activationOf(sockets: readonly HeldSocket[]): Activation {
  if (sockets.length === 0) return { env: {}, fds: [] };
  return {
    env: { LISTEN_FDS: String(sockets.length), LISTEN_FDNAMES: sockets.map((socket) => socket.name).join(':') },
    fds: sockets.map((socket) => socket.fd),
  };
}

/**
 * The launch of a process with sockets when nothing else wraps it (no cgroup, no rlimit): the
 * join wrapper with no group to join, there only to export LISTEN_PID=$$ before it execs.
 * Undefined without sockets.
 */
export function listenPidShim(spec: ProcessSpec, program: Launch | undefined): WrappedCommand | undefined {
  if (spec.sockets.length === 0) return undefined;
  const { command, args } = program ?? spec;
  return wrapCommand(command, args, { cgroupProcsFiles: [], listenPid: true });
}

/**
 * Resolves once a connection is pending on one of `sockets` (none is accepted); rejects if the
 * watch itself fails. An abort kills the watcher and rejects with the signal's reason.
 */
export async function untilConnection(sockets: readonly HeldSocket[], signal: AbortSignal): Promise<void> {
  if (sockets.length === 0) {
    throw new StatevisorError('E_START_FAILED', 'start_on: connection, but the process has no socket bound to wait on');
  }
  if (signal.aborted) throw signal.reason;
  const child = helper('wait', sockets.map((socket) => socket.fd));
  const kill = () => child.kill('SIGKILL');
  signal.addEventListener('abort', kill, { once: true });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout?.resume();
  try {
    const [code, exitSignal] = (await once(child, 'close')) as [number | null, string | null];
    if (signal.aborted) throw signal.reason;
    if (code !== 0) {
      throw new StatevisorError('E_START_FAILED', `waiting for a connection failed (watcher exit ${code ?? exitSignal}): ${stderr.trim()}`);
    }
  } finally {
    signal.removeEventListener('abort', kill);
  }
}
