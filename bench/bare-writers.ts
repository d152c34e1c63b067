/**
 * The log-throughput baseline's own work, run inside baseline-process.ts: N writers spawned by a
 * bare Node process with stdout redirected the way the daemon does it (an O_APPEND descriptor of
 * a file, opened here and handed to the child; stderr and stdin ignored; detached), timed from
 * the first open until every child's 'exit' has fired. Its event-loop lag over the same span is
 * measured with the daemon's monitor and resolution: it is what the writers' CPU contention alone
 * does to an event loop that has nothing else to do.
 */
import { spawn } from 'node:child_process';
import { closeSync, constants, openSync } from 'node:fs';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';

export interface BareWriters {
  readonly ms: number;
  /** The writers' log files, one per writer. */
  readonly files: string[];
  /** Each writer's exit code (null when killed by a signal). */
  readonly codes: (number | null)[];
  /** CPU time this process spent meanwhile (spawning and reaping), ms. */
  readonly cpuMs: number;
  readonly lag: { p50_ms: number; p99_ms: number; max_ms: number; samples: number };
}

export async function runBareWriters(dir: string, n: number, command: string, args: readonly string[]): Promise<BareWriters> {
  const files = Array.from({ length: n }, (_, i) => path.join(dir, `writer-${i}.stdout.log`));
  const exits: Promise<number | null>[] = [];
  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (const file of files) {
    const fd = openSync(file, constants.O_WRONLY | constants.O_CREAT | constants.O_APPEND, 0o640);
    try {
      const child = spawn(command, args, { detached: true, stdio: ['ignore', fd, 'ignore'] });
      exits.push(
        new Promise((resolve, reject) => {
          child.once('error', reject);
          child.once('exit', (code) => resolve(code));
        }),
      );
    } finally {
      // The child holds its own copy once spawn() returned.
      closeSync(fd);
    }
  }
  const codes = await Promise.all(exits);
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  lag.disable();
  return { ms, files, codes, cpuMs: (cpu.user + cpu.system) / 1000, lag: { p50_ms: lag.percentile(50) / 1e6, p99_ms: lag.percentile(99) / 1e6, max_ms: lag.max / 1e6, samples: lag.count } };
}
