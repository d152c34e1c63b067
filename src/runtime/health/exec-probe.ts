/**
 * Exec probe: the command runs in a process group of its own so that everything it forks can be
 * killed with it — a probe script that backgrounds a `curl` must not leave it behind. The group
 * is SIGKILLed whenever the probe ends (timeout, abort, or the leader exiting with children still
 * running), and the answer waits until the leader is reaped and no member still runs: a settled
 * probe leaves nothing running and no zombie of ours (orphans are init's to reap).
 */
import { spawn } from 'node:child_process';
import type { HealthCheckSpec } from '../../spec/types.js';
import { signalGroup, waitForGroupExit } from '../os/process-group.js';
import type { ProbeContext, ProbeResult } from './probe-attempt.js';
import { clip, errorMessage, runAttempt } from './probe-attempt.js';

const outputLimitBytes = 4 * 1024;
/** A SIGKILLed process that has not died by then is stuck in the kernel (D state): stop waiting. */
const groupExitLimitMs = 5_000;
const pipeDrainLimitMs = 1_000;

export function probeExec(check: HealthCheckSpec, context: ProbeContext): Promise<ProbeResult> {
  return runAttempt(context, () => {
    const child = spawn(check.command ?? '', check.args ?? [], {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: context.env ?? process.env,
      cwd: context.cwd,
      ...(context.uid !== undefined && { uid: context.uid }),
      ...(context.gid !== undefined && { gid: context.gid }),
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let captured = 0;
    const capture = (into: Buffer[]) => (chunk: Buffer) => {
      if (captured >= outputLimitBytes) return;
      const kept = chunk.subarray(0, outputLimitBytes - captured);
      captured += kept.length;
      into.push(kept);
    };
    child.stdout?.on('data', capture(stdout));
    child.stderr?.on('data', capture(stderr));

    const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
    const exited = new Promise<ProbeResult>((resolve) => {
      // With a pid the child exists and 'exit' will follow: only a failed spawn settles here.
      child.on('error', (error) => {
        if (child.pid === undefined) resolve({ healthy: false, message: errorMessage(error) });
      });
      child.once('exit', (code, signal) => {
        void (async () => {
          await killGroup(child.pid);
          // Output can trail 'exit'; but a grandchild that left the group may hold the pipes
          // open forever, so 'close' is awaited only briefly.
          await settledWithin(closed, pipeDrainLimitMs);
          child.stdout?.destroy();
          child.stderr?.destroy();
          resolve(describeExit(code, signal, stderr, stdout));
        })();
      });
    });
    return {
      result: exited,
      cancel: async () => {
        await killGroup(child.pid);
        await exited;
      },
    };
  });
}

/**
 * SIGKILLs group `pgid` and waits until none of it runs. Safe after the leader was reaped: Linux
 * does not reuse a pid while a process group of that id has members, so this reaches only the
 * leader's leftovers, or nothing (ESRCH).
 */
async function killGroup(pgid: number | undefined): Promise<void> {
  if (pgid === undefined) return;
  try {
    if (signalGroup(pgid, 'SIGKILL')) {
      await waitForGroupExit(pgid, { signal: AbortSignal.timeout(groupExitLimitMs) });
    }
  } catch {
    // EPERM (a member changed its uid) or stuck past the limit: nothing more a probe can do.
  }
}

async function settledWithin(promise: Promise<void>, limitMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise, new Promise<void>((resolve) => (timer = setTimeout(resolve, limitMs)))]);
  clearTimeout(timer);
}

function describeExit(code: number | null, signal: NodeJS.Signals | null, stderr: Buffer[], stdout: Buffer[]): ProbeResult {
  if (code === 0) return { healthy: true, message: 'exit code 0' };
  const reason = code === null ? `killed by ${signal}` : `exit code ${code}`;
  const output = firstLine(Buffer.concat(stderr)) || firstLine(Buffer.concat(stdout));
  return { healthy: false, message: output ? `${reason}: ${output}` : reason };
}

function firstLine(output: Buffer): string {
  const line = output.toString('utf8').split('\n').find((text) => text.trim() !== '') ?? '';
  return clip(line.trim());
}
