/**
 * The log flood: processes that write as fast as a pipe takes it, into captured logs with a
 * small rotation policy (max_bytes 64 KiB, max_files 2), against a real daemon, for 60 s (5 s
 * with --short). The log pump (src/runtime/logs/log-pump*.ts) writes every byte itself and
 * rotates by rename, so a stream's files never hold more than (max_files + 1) × max_bytes;
 * bytes are dropped only by the policy (the oldest copy), never lost.
 *
 * The writers: `yes` on stdout (several), `yes` on stderr, lines of 100 KiB (each longer than a
 * whole file; an argument cannot be much longer), and `cat /dev/zero` — one endless line without a newline. Meanwhile the disk use
 * of STATE_DIR/logs is sampled as fast as this process can (a sample that races a rotation's
 * rename or unlink is taken again), and GetStatus is called back to back with a deadline.
 *
 * Figures: peak bytes on disk ≤ (max_files + 1) × max_bytes × streams + 16 MiB (issue 9's bound;
 * every stream of every writer counted); log_bytes_lost (GetStatus) 0; GetStatus calls not
 * answered within 2 s: 0. Bytes written per second is information.
 */
import { lstatSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { delay } from '../bench/concurrency.js';
import { percentile } from '../bench/stats.js';
import type { ProcessSpecInput, StatevisorClient } from '../src/client/index.js';
import type { StressOptions } from './options.js';
import type { StressRun, StressStage } from './stage.js';

const stageName = 'log-flood';
const maxBytes = 64 * 1024;
const maxFiles = 2;
const slackBytes = 16 * 1024 * 1024;
const statusDeadlineMs = 2_000;
/** Captured streams per process: stdout and stderr, each its own file and bound. */
const streamsPerProcess = 2;

/** Each writer's command; `$0` is the run's marker argument, so every one carries it. */
const writers: Record<string, string> = {
  'yes-0': 'yes "$0"',
  'yes-1': 'yes "$0"',
  'yes-2': 'yes "$0"',
  'yes-stderr': 'yes "$0" >&2',
  'long-lines': `yes "$0 $(head -c ${100 * 1024} /dev/zero | tr '\\0' x)"`,
  'no-newline': 'cat /dev/zero',
};

function writerSpec(name: string, script: string, markerArg: string): ProcessSpecInput {
  return {
    name,
    command: 'sh',
    args: ['-c', script, markerArg],
    logs: { maxBytes, maxFiles },
    stop: { gracePeriodMs: 2_000 },
  };
}

/** Bytes the regular files of `dir` take (allocated or apparent, whichever is more); undefined if a file went while we looked. */
function diskUse(dir: string): number | undefined {
  let bytes = 0;
  for (const name of readdirSync(dir)) {
    try {
      const stat = lstatSync(path.join(dir, name));
      if (stat.isFile()) bytes += Math.max(stat.size, stat.blocks * 512);
    } catch (error) {
      // Renamed or unlinked by a rotation between readdir and lstat: this sample is not whole.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }
  return bytes;
}

interface Sampling {
  samples: number;
  retaken: number;
  peakBytes: number;
}

async function sampleUntil(dir: string, done: () => boolean): Promise<Sampling> {
  const result: Sampling = { samples: 0, retaken: 0, peakBytes: 0 };
  while (!done()) {
    const bytes = diskUse(dir);
    if (bytes === undefined) result.retaken += 1;
    else {
      result.samples += 1;
      result.peakBytes = Math.max(result.peakBytes, bytes);
    }
    // One sample per turn of the loop: GetStatus's answers are read in between.
    await nextTurn();
  }
  return result;
}

interface Polling {
  calls: number;
  unanswered: number;
  firstError: string | undefined;
  latenciesMs: number[];
}

async function pollStatusUntil(client: StatevisorClient, done: () => boolean): Promise<Polling> {
  const result: Polling = { calls: 0, unanswered: 0, firstError: undefined, latenciesMs: [] };
  while (!done()) {
    const started = performance.now();
    result.calls += 1;
    try {
      await client.getStatus({ deadlineMs: statusDeadlineMs });
      result.latenciesMs.push(performance.now() - started);
    } catch (error) {
      result.unanswered += 1;
      result.firstError ??= (error as Error).message;
    }
    await delay(20);
  }
  return result;
}

async function logFlood(options: StressOptions, run: StressRun): Promise<void> {
  const seconds = options.short ? 5 : 60;
  const place = run.place(stageName);
  const daemon = await place.start();
  const { client } = daemon;
  const logsDir = path.join(daemon.stateDir, 'logs');
  const names = Object.keys(writers);
  const streams = names.length * streamsPerProcess;
  const boundBytes = (maxFiles + 1) * maxBytes * streams + slackBytes;
  run.progress(stageName, `daemon pid ${daemon.pid}; ${names.length} writers for ${seconds} s, max_bytes ${maxBytes}, max_files ${maxFiles}`);
  try {
    for (const [name, script] of Object.entries(writers)) await client.createProcess(writerSpec(name, script, run.markerArg), { start: true });
    const started = performance.now();
    let done = false;
    const timer = setTimeout(() => (done = true), seconds * 1000);
    const [disk, polls] = await Promise.all([sampleUntil(logsDir, () => done), pollStatusUntil(client, () => done)]).finally(() =>
      clearTimeout(timer),
    );
    const flooded = (performance.now() - started) / 1000;
    const running = (await client.listProcesses()).filter((p) => p.state === 'RUNNING').length;
    for (const name of names) await client.stopProcess(name, { deadlineMs: 30_000 });
    const status = await client.getStatus();
    // Every byte written is either still on disk or was dropped by the policy (the oldest copy).
    const written = status.logBytesDropped + (diskUse(logsDir) ?? 0);

    run.figure(stageName, 'peak_disk_bytes', disk.peakBytes, { max: boundBytes }, {
      // The policy's own bound, without the 16 MiB of slack.
      policy_bytes: boundBytes - slackBytes,
      streams,
      max_bytes: maxBytes,
      max_files: maxFiles,
      samples: disk.samples,
      samples_retaken: disk.retaken,
      samples_per_s: disk.samples / flooded,
    });
    run.figure(stageName, 'log_bytes_lost', status.logBytesLost, { max: 0 }, { rotations: status.logRotations });
    run.figure(stageName, 'status_unanswered', polls.unanswered, { max: 0 }, {
      calls: polls.calls,
      deadline_ms: statusDeadlineMs,
      p99_ms: polls.latenciesMs.length > 0 ? percentile(polls.latenciesMs, 99) : undefined,
      max_ms: Math.max(0, ...polls.latenciesMs),
      first_error: polls.firstError,
    });
    run.info(stageName, 'written', {
      bytes_per_s: written / flooded,
      bytes: written,
      seconds: flooded,
      writers: names.length,
      writers_running_at_end: running,
      daemon_rss_mb: status.rssBytes / 1024 / 1024,
    });
  } finally {
    await daemon.stop(30_000);
  }
}

export const logFloodStage: StressStage = {
  name: stageName,
  about: `yes, 100 KiB lines and an endless line into logs of max_bytes 64 KiB, max_files 2: disk ≤ (max_files + 1) × max_bytes × streams + 16 MiB, 0 bytes lost, GetStatus answered`,
  run: logFlood,
};
