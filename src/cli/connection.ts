/**
 * The client the global options ask for: `--socket PATH` (else $STATEVISOR_SOCKET and the
 * default path), or `--addr HOST:PORT` with the bearer token in `--token-file` and/or TLS files
 * in `--tls-ca`, `--tls-cert`, `--tls-key` (each else its variable: tcp-settings.ts). A call that
 * cannot reach any daemon is reported with the address tried, since a wrong socket is the usual
 * cause; a daemon's own UNAVAILABLE (it is shutting down) keeps the daemon's message.
 */
import type { Command } from 'commander';
import { createClient, isUnavailable, RpcError, StatevisorError, type StatevisorClient } from '../client/index.js';
import { tcpSettings, type ConnectionFlags, type TcpSettings } from './tcp-settings.js';
import { stopDeadlineMs } from '../deadlines.js';

/**
 * Deadline of the calls that wait for a stop (restart, delete --force, update --restart-process):
 * a call's default deadline is shorter than the default grace period and the kill after it.
 * Like the client's own stop, it covers a long grace period (src/deadlines.ts).
 */
export const stopWaitMs = stopDeadlineMs();

export interface GlobalOptions extends ConnectionFlags {
  json?: boolean;
}

export function globalOptions(command: Command): GlobalOptions {
  return command.optsWithGlobals<GlobalOptions>();
}

export function clientFor(options: GlobalOptions, tcp: TcpSettings | undefined = tcpSettings(options)): StatevisorClient {
  if (tcp !== undefined) return createClient(tcp);
  return createClient(options.socket === undefined ? {} : { socket: options.socket });
}

/**
 * No daemon answered at all: UNAVAILABLE without the `statevisor-error-code` trailer that the
 * daemon puts on every error it sends (src/proto/status-codes.ts; the CLI reads only the client).
 */
export function unreachable(error: unknown): error is RpcError {
  return error instanceof RpcError && isUnavailable(error) && (error.metadata?.get('statevisor-error-code').length ?? 0) === 0;
}

/**
 * grpc-js says "No connection established. Last error: Error: connect ENOENT /x. Resolution note: ";
 * the OS error is the news, or OpenSSL's reason ("tlsv13 alert certificate required"), or the
 * last error without its timestamp ("Failed to connect", when the daemon refused a certificate).
 */
export function lastError(message: string): string {
  return (
    /connect E[A-Z]+/.exec(message)?.[0] ??
    /SSL routines:[^:]*:([^:]+)/.exec(message)?.[1] ??
    /Last error: (?:Error: )?(.*?)(?: \([^)]*\))?\. Resolution note/.exec(message)?.[1] ??
    message
  );
}

/** What to try when nothing answered where the options point. */
function unreachableHint(target: string, options: GlobalOptions, tcp: TcpSettings | undefined): string {
  if (tcp === undefined) {
    const socketFlag = options.socket === undefined ? '' : ` --socket ${options.socket}`;
    return `is it running? start one in the background with 'statevisor daemon --detach${socketFlag}' (or in the foreground: 'statevisor daemon${socketFlag}')`;
  }
  if (tcp.tls === undefined) return `is it running? start one with 'statevisor daemon --tcp ${target} --token-file FILE'`;
  return (
    'is it running, with --tls-cert on that port? a daemon with --tls-client-ca lets in only a client certificate ' +
    '(--tls-cert, --tls-key) signed by that CA and not expired'
  );
}

/** Runs `use` with a client built from the global options, and closes it whatever happens. */
export async function withClient<T>(command: Command, use: (client: StatevisorClient) => Promise<T>): Promise<T> {
  const options = globalOptions(command);
  const tcp = tcpSettings(options);
  const client = clientFor(options, tcp);
  try {
    return await use(client);
  } catch (error) {
    if (!unreachable(error)) throw error;
    const where = tcp === undefined ? `socket ${client.target.slice('unix:'.length)}` : `address ${client.target}${tcp.tls ? ' over TLS' : ''}`;
    throw new StatevisorError('E_UNAVAILABLE', `cannot reach a daemon on ${where} (${lastError(error.message)}); ${unreachableHint(client.target, options, tcp)}`, {
      cause: error,
    });
  } finally {
    client.close();
  }
}
