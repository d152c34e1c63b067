/**
 * The fuzz stage: every RPC of ProcessManager against a real daemon (its own socket, state dir
 * and config), from several workers over both listeners (Unix socket and token-checked TCP),
 * each worker with its own PRNG derived from the run's seed (same seed, same requests per
 * worker). Thresholds: the daemon never exits and nothing reaches its last resort, no call
 * outlives its deadline, no call is answered INTERNAL (or UNKNOWN), no connection is dropped,
 * every answer decodes; and, as after every stage, nothing the daemon spawned is left running once
 * it stopped (`left_running`, stage.ts).
 *
 * A janitor keeps the fleet small (valid specs start real processes), and a canary GetStatus
 * every second proves the daemon answers throughout. At the end every process is deleted with
 * force and the daemon is stopped with SIGTERM (the run then counts and kills whatever it left).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import type { StatevisorClient } from '../../src/client/index.js';
import { percentile } from '../../bench/stats.js';
import type { DaemonUnderTest } from '../daemon.js';
import type { StressOptions } from '../options.js';
import type { StressRun, StressStage } from '../stage.js';
import { send, type Outcome } from './calls.js';
import { badEnds, describeEnds, observe } from './observers.js';
import { Prng } from '../prng.js';
import { modes, RequestMaker, type FuzzRequest } from './requests.js';
import { processManagerRpcs } from './schema.js';
import type { FuzzContext } from './values.js';

const stageName = 'fuzz';
const workers = 8;
/** The janitor deletes processes beyond this many. */
const fleetLimit = 24;

interface Failure {
  readonly rpc: string;
  readonly mode: string;
  readonly code: string;
  readonly details: string;
  readonly request: string;
}

/** What the calls came to. */
class Tally {
  sent = 0;
  readonly byCode = new Map<string, number>();
  readonly byMode = new Map<string, number>();
  readonly byRpc = new Map<string, number>();
  /** Calls answered OK, by RPC: how deep the fuzz got on each. */
  readonly okByRpc = new Map<string, number>();
  readonly latencies: number[] = [];
  readonly hangs: Failure[] = [];
  readonly internal: Failure[] = [];
  readonly dropped: Failure[] = [];
  readonly undecodable: Failure[] = [];

  record(request: FuzzRequest, outcome: Outcome): void {
    this.sent += 1;
    const code = grpc.status[outcome.code] ?? String(outcome.code);
    bump(this.byCode, code);
    bump(this.byMode, request.mode);
    bump(this.byRpc, request.rpc.name);
    if (outcome.code === grpc.status.OK) bump(this.okByRpc, request.rpc.name);
    this.latencies.push(outcome.ms);
    const failure = (): Failure => ({
      rpc: request.rpc.name,
      mode: request.mode,
      code,
      details: outcome.details.slice(0, 300),
      request: request.bytes.subarray(0, 256).toString('hex'),
    });
    if (outcome.code === grpc.status.DEADLINE_EXCEEDED) this.hangs.push(failure());
    else if (outcome.code === grpc.status.INTERNAL || outcome.code === grpc.status.UNKNOWN) this.internal.push(failure());
    else if (outcome.code === grpc.status.UNAVAILABLE || (outcome.code === grpc.status.CANCELLED && !outcome.cancelledByUs)) this.dropped.push(failure());
    if (outcome.undecodable) this.undecodable.push(failure());
  }
}

function bump(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

function listed(counts: Map<string, number>): string {
  return [...counts].sort((a, b) => b[1] - a[1]).map(([key, n]) => `${key}=${n}`).join(' ');
}

/** The error a daemon log line (pino JSON) carries: type, message and where it was thrown. */
function errorOfLine(line: string): string {
  try {
    const record = JSON.parse(line) as { rpc?: string; err?: { type?: string; message?: string; stack?: string } };
    const at = record.err?.stack?.split('\n').find((frame) => frame.includes('/dist/'))?.trim() ?? '';
    return `${record.rpc ?? '?'}: ${record.err?.type ?? ''} ${record.err?.message ?? ''} ${at}`.slice(0, 400);
  } catch {
    return line.slice(0, 400);
  }
}

function firstOf(failures: readonly Failure[]): string | undefined {
  return failures.length === 0 ? undefined : JSON.stringify(failures.slice(0, 3));
}

/** Files the fuzzed specs may name (env files, log dirs) and a config for ReloadConfig. */
function prepare(dir: string, markerArg: string): string {
  mkdirSync(path.join(dir, 'env'), { recursive: true });
  mkdirSync(path.join(dir, 'out'), { recursive: true });
  writeFileSync(path.join(dir, 'env', 'good.env'), 'A=1\nB="two words"\n# comment\n');
  writeFileSync(path.join(dir, 'env', 'garbage.env'), Buffer.from([0xff, 0x00, 0x3d, 0x0a, 0x41, 0x3d, 0xc3, 0x28, 0x0a]));
  const config = path.join(dir, 'config');
  mkdirSync(config);
  writeFileSync(path.join(config, 'fuzz-config.yaml'), `command: sleep\nargs: ["${markerArg}"]\nauto_start: false\nstop: { grace_period: 1s }\n`);
  return config;
}

async function deleteAll(client: StatevisorClient, keep: number): Promise<void> {
  const processes = await client.listProcesses({ deadlineMs: 30_000 });
  const doomed = processes.slice(0, Math.max(0, processes.length - keep));
  for (let i = 0; i < doomed.length; i += workers) {
    await Promise.all(
      doomed.slice(i, i + workers).map((p) => client.deleteProcess(p.id, { force: true, deadlineMs: 60_000 }).catch(() => undefined)),
    );
  }
}

async function fuzz(options: StressOptions, run: StressRun): Promise<void> {
  const total = options.fuzzRequests ?? (options.short ? 2_500 : 20_000);
  const dir = path.join(run.root, stageName);
  mkdirSync(dir);
  const config = prepare(dir, run.markerArg);
  const place = run.place(stageName, { config });
  const daemon = await place.start();
  run.progress(stageName, `daemon pid ${daemon.pid}; ${total} requests from ${workers} workers, seed ${options.seed}`);
  const rpcs = processManagerRpcs();
  const ctx: FuzzContext = { markerArg: run.markerArg, dir, names: Array.from({ length: 48 }, (_, i) => `fuzz-${i}`), ids: [] };
  const withToken = new grpc.Metadata();
  withToken.set('authorization', `Bearer ${daemon.tcp.token}`);
  const channels = [
    { client: new grpc.Client(`unix:${daemon.socket}`, grpc.credentials.createInsecure()), metadata: new grpc.Metadata() },
    { client: new grpc.Client(`unix:${daemon.socket}`, grpc.credentials.createInsecure()), metadata: new grpc.Metadata() },
    { client: new grpc.Client(daemon.tcp.address, grpc.credentials.createInsecure()), metadata: withToken },
    { client: new grpc.Client(daemon.tcp.address, grpc.credentials.createInsecure()), metadata: withToken },
  ];
  const typed = daemon.client;
  const tally = new Tally();
  const started = Date.now();
  let done = false;
  const crashed = () => daemon.exit() !== undefined;

  const worker = async (index: number, count: number): Promise<void> => {
    const maker = new RequestMaker(new Prng((options.seed + Math.imul(index + 1, 0x9e3779b1)) >>> 0), ctx);
    const { client, metadata } = channels[index % channels.length]!;
    for (let i = 0; i < count && !crashed() && !done; i++) {
      const request = maker.make(maker.pickRpc(rpcs));
      const outcome = await send(client, request, metadata);
      tally.record(request, outcome);
      if (request.rpc.name === 'CreateProcess') {
        const id = (outcome.responses[0] as { process?: { id?: string } } | undefined)?.process?.id;
        if (id) ctx.ids.splice(0, Math.max(0, ctx.ids.length - 63), id);
      }
      if (tally.sent % 1000 === 0) run.progress(stageName, `${tally.sent} requests, ${((Date.now() - started) / 1000).toFixed(0)} s`);
    }
  };

  const canaryFailures: Failure[] = [];
  const canary = async (): Promise<void> => {
    while (!done && !crashed()) {
      try {
        await typed.getStatus({ deadlineMs: 10_000 });
      } catch (error) {
        if (!crashed()) canaryFailures.push({ rpc: 'GetStatus (canary)', mode: 'canary', code: String((error as { code?: unknown }).code), details: (error as Error).message, request: '' });
      }
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  };
  const janitor = async (): Promise<void> => {
    while (!done && !crashed()) {
      await deleteAll(typed, fleetLimit).catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  };

  const background = [canary(), janitor()];
  const observers = observe(channels[0]!.client, channels[0]!.metadata, rpcs);
  const share = Math.ceil(total / workers);
  let seconds = 0;
  let uncaught = Number.NaN;
  let exitDuringRun: ReturnType<DaemonUnderTest['exit']>;
  let stopExit = 'not stopped';
  try {
    await Promise.all(Array.from({ length: workers }, (_, i) => worker(i, Math.min(share, total - i * share))));
    seconds = (Date.now() - started) / 1000;
    await Promise.all(observers.map((o) => o.finish(2_000)));
    if (!crashed()) {
      uncaught = (await typed.getStatus()).uncaughtErrors;
      run.progress(stageName, 'deleting every process, then stopping the daemon');
      await deleteAll(typed, 0).catch((error: unknown) => run.progress(stageName, `cleanup failed: ${(error as Error).message}`));
    }
  } finally {
    // Also when a worker failed: the others stop at their next request, and nothing is left running.
    done = true;
    exitDuringRun = daemon.exit();
    await Promise.all(background);
    for (const { client } of channels) client.close();
    const stopped = await daemon.stop(60_000);
    stopExit = stopped.signal ? `signal ${stopped.signal}` : `code ${stopped.code}`;
  }
  const log = daemon.log();
  const handlerErrorLines = log.split('\n').filter((line) => line.includes('unexpected error in handler'));
  const handlerErrors = handlerErrorLines.length;
  const lastResortLines = log.split('\n').filter((line) => line.includes('uncaught error; the daemon keeps running')).length;
  if (exitDuringRun !== undefined) run.progress(stageName, `the daemon died: ${JSON.stringify(exitDuringRun)}\n${log.slice(-3000)}`);

  const hangs = [...tally.hangs, ...canaryFailures.filter((f) => /deadline/i.test(f.details))];
  const lat = tally.latencies;
  run.figure(stageName, 'requests', tally.sent, { min: total }, {
    seed: options.seed,
    seconds,
    requests_per_s: tally.sent / seconds,
    by_mode: listed(tally.byMode),
    by_code: listed(tally.byCode),
    ok_by_rpc: listed(tally.okByRpc),
    rpcs_covered: tally.byRpc.size,
    rpcs: rpcs.length,
    latency_p50_ms: lat.length > 0 ? percentile(lat, 50) : undefined,
    latency_p99_ms: lat.length > 0 ? percentile(lat, 99) : undefined,
    latency_max_ms: lat.length > 0 ? Math.max(...lat) : undefined,
  });
  run.figure(stageName, 'crashes', exitDuringRun === undefined ? 0 : 1, { max: 0 }, {
    exit: exitDuringRun === undefined ? undefined : JSON.stringify(exitDuringRun),
    stop_exit: stopExit,
  });
  run.figure(stageName, 'uncaught_errors', Number.isNaN(uncaught) ? lastResortLines : uncaught, { max: 0 }, { logged: lastResortLines });
  run.figure(stageName, 'hangs', hangs.length, { max: 0 }, { canary_failures: canaryFailures.length, first: firstOf(hangs) });
  run.figure(stageName, 'internal', tally.internal.length, { max: 0 }, {
    handler_errors_logged: handlerErrors,
    first: firstOf(tally.internal),
    first_logged: handlerErrorLines.slice(0, 3).map(errorOfLine).join(' | ') || undefined,
  });
  run.figure(stageName, 'dropped', tally.dropped.length, { max: 0 }, { first: firstOf(tally.dropped) });
  run.figure(stageName, 'undecodable_responses', tally.undecodable.length, { max: 0 }, { first: firstOf(tally.undecodable) });
  run.figure(stageName, 'observers_ended_badly', badEnds(observers).length, { max: 0 }, { observers: describeEnds(observers) });
}

export const fuzzStage: StressStage = {
  name: stageName,
  about: `every RPC of ProcessManager, ${modes.join(' / ')} requests against a real daemon: 0 crashes, 0 hangs, 0 INTERNAL`,
  run: fuzz,
};
