/**
 * How a fleet command tells per-host outcomes. A host that failed gets one stdout row in the
 * place its output would have had — `h2  unreachable: connect ECONNREFUSED 10.0.0.6:7070` or
 * `h3  error: no process named "web"` — so that one host never hides the others. Then one
 * `statevisor: …` line on stderr per kind of failure, and the exit code: 1 when a host answered
 * with a failure, else 3 when every answer was good but some host did not answer (down, or past
 * --host-timeout), else 0. With --json: one array, one `{ host, ok, value | error }` per host.
 */
import { hasCode, RpcError, StatevisorError, type HostResult } from '../../client/index.js';
import { lastError, unreachable } from '../connection.js';
import { ExitCode, exitFailure, notice } from '../errors.js';
import { formatDuration } from '../format.js';

/** Every host that answered did so with success, but some did not answer. */
export const exitSomeHostsSilent = 3;

/** One host's outcome: a client result, or a command's run on that host. */
export interface HostOutcome {
  readonly host: string;
  readonly ok: boolean;
  readonly error?: unknown;
}

function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let e: unknown = error; e !== undefined && chain.length < 8; e = e instanceof Error ? e.cause : undefined) chain.push(e);
  return chain;
}

/** The first failed RPC behind an error (withClient wraps an unreachable daemon's). */
function failedRpc(error: unknown): RpcError | undefined {
  return causes(error).find((e): e is RpcError => e instanceof RpcError);
}

/**
 * That host is not there to answer: nothing listens, the network or TLS failed, it stayed silent
 * past its deadline, or its daemon is shutting down (its own UNAVAILABLE).
 */
export function didNotAnswer(error: unknown): boolean {
  const rpc = failedRpc(error);
  return rpc !== undefined && (hasCode(rpc, 'E_UNAVAILABLE') || hasCode(rpc, 'E_DEADLINE_EXCEEDED'));
}

function oneLine(message: string): string {
  return message.replace(/\s*\n\s*/g, ' ');
}

/** "unreachable: connect ECONNREFUSED", "unreachable: no answer within 5s (--host-timeout)", "error: …" */
export function failureText(error: unknown, hostTimeoutMs: number): string {
  const rpc = failedRpc(error);
  if (rpc === undefined || !didNotAnswer(rpc)) return `error: ${oneLine(error instanceof Error ? error.message : String(error))}`;
  if (hasCode(rpc, 'E_DEADLINE_EXCEEDED')) return `unreachable: no answer within ${formatDuration(hostTimeoutMs)} (--host-timeout)`;
  const { message } = rpc;
  return `unreachable: ${unreachable(rpc) ? lastError(message) : oneLine(message)}`;
}

/** Host names padded to one width, so that rows line up under a HOST column. */
export function hostColumn(hosts: readonly string[]): (host: string, text: string) => string {
  const width = Math.max('HOST'.length, ...hosts.map((h) => h.length));
  return (host, text) => `${host.padEnd(width)}  ${text}`.trimEnd();
}

export function jsonError(error: unknown): { code?: string; message: string } {
  if (error instanceof StatevisorError) return { code: error.code, message: error.message };
  return { message: error instanceof Error ? error.message : String(error) };
}

export function jsonResult<T>(result: HostResult<T>): unknown {
  return result.ok ? result : { host: result.host, ok: false, error: jsonError(result.error) };
}

export interface FinishOptions {
  /** Hosts that answered with a failing answer (health: NOT_SERVING). */
  failing?: readonly string[];
  /** Hosts a round left alone after a failure on `after`. */
  skipped?: { after: string; hosts: readonly string[] };
}

/** The stderr summary and the exit code (thrown as ExitCode) of a fleet command's outcomes. */
export function finish(outcomes: readonly HostOutcome[], options: FinishOptions = {}): void {
  const skipped = options.skipped?.hosts ?? [];
  const ran = outcomes.filter((r) => !skipped.includes(r.host));
  const silent = ran.filter((r) => !r.ok && didNotAnswer(r.error)).map((r) => r.host);
  const failed = [...ran.filter((r) => !r.ok && !didNotAnswer(r.error)).map((r) => r.host), ...(options.failing ?? [])];
  const of = `of ${outcomes.length} host${outcomes.length === 1 ? '' : 's'}`;
  if (failed.length > 0) notice(`${failed.length} ${of} failed: ${failed.join(', ')}`);
  if (silent.length > 0) notice(`${silent.length} ${of} did not answer: ${silent.join(', ')}`);
  if (skipped.length > 0) notice(`not run on ${skipped.join(', ')}: it stopped at the failure on ${options.skipped!.after}`);
  if (failed.length > 0) throw new ExitCode(exitFailure);
  if (silent.length > 0) throw new ExitCode(exitSomeHostsSilent);
}
