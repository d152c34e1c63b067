/**
 * The client the global options ask for: `--socket PATH` (else $STATEVISOR_SOCKET and the
 * default path), or `--addr HOST:PORT` with the bearer token in `--token-file`. A call that
 * cannot reach any daemon is reported with the address tried, since a wrong socket is the usual
 * cause; a daemon's own UNAVAILABLE (it is shutting down) keeps the daemon's message.
 */
import type { Command } from 'commander';
import { createClient, isUnavailable, RpcError, StatevisorError, type StatevisorClient } from '../client/index.js';
import { UsageError } from './errors.js';
import { readTokenFile } from '../token-file.js';
import { stopDeadlineMs } from '../deadlines.js';

/**
 * Deadline of the calls that wait for a stop (restart, delete --force, update --restart-process):
 * a call's default deadline is shorter than the default grace period and the kill after it.
 * Like the client's own stop, it covers a long grace period (src/deadlines.ts).
 */
export const stopWaitMs = stopDeadlineMs();

export interface GlobalOptions {
  socket?: string;
  addr?: string;
  tokenFile?: string;
  json?: boolean;
}

export function globalOptions(command: Command): GlobalOptions {
  return command.optsWithGlobals<GlobalOptions>();
}

function readToken(file: string): string {
  try {
    return readTokenFile(file);
  } catch (error) {
    throw new UsageError(`--token-file: ${(error as Error).message}`);
  }
}

export function clientFor(options: GlobalOptions): StatevisorClient {
  if (options.addr !== undefined && options.socket !== undefined) throw new UsageError('give either --socket or --addr, not both');
  if (options.addr === undefined) {
    if (options.tokenFile !== undefined) throw new UsageError('--token-file goes with --addr: the Unix socket is guarded by its file mode');
    return createClient(options.socket === undefined ? {} : { socket: options.socket });
  }
  const token = options.tokenFile === undefined ? undefined : readToken(options.tokenFile);
  return createClient(token === undefined ? { address: options.addr } : { address: options.addr, token });
}

/**
 * No daemon answered at all: UNAVAILABLE without the `statevisor-error-code` trailer that the
 * daemon puts on every error it sends (src/proto/status-codes.ts; the CLI reads only the client).
 */
export function unreachable(error: unknown): error is RpcError {
  return error instanceof RpcError && isUnavailable(error) && (error.metadata?.get('statevisor-error-code').length ?? 0) === 0;
}

/** grpc-js says "No connection established. Last error: Error: connect ENOENT /x. Resolution note: "; the OS error is the news. */
export function osError(message: string): string {
  return /connect E[A-Z]+/.exec(message)?.[0] ?? message;
}

/** Runs `use` with a client built from the global options, and closes it whatever happens. */
export async function withClient<T>(command: Command, use: (client: StatevisorClient) => Promise<T>): Promise<T> {
  const options = globalOptions(command);
  const client = clientFor(options);
  try {
    return await use(client);
  } catch (error) {
    if (!unreachable(error)) throw error;
    const socket = client.target.startsWith('unix:') ? client.target.slice('unix:'.length) : undefined;
    const where = socket === undefined ? `address ${client.target}` : `socket ${socket}`;
    const start =
      socket === undefined
        ? `statevisor daemon --tcp ${client.target} --token-file FILE`
        : `statevisor daemon${options.socket === undefined ? '' : ` --socket ${options.socket}`}`;
    throw new StatevisorError('E_UNAVAILABLE', `cannot reach a daemon on ${where} (${osError(error.message)}); is it running? start one with '${start}'`, {
      cause: error,
    });
  } finally {
    client.close();
  }
}
