/**
 * The bare-loop baseline in its own process, like the daemon, so that its fork cost and its RSS
 * are those of a plain Node spawn loop and not of this benchmark's heap:
 * `node dist/bench/baseline-process.js`. Commands, one JSON line each on stdin:
 *   {"cmd":"spawn","n":N,"markerArg":…}      → {"ms":…}  N sleeps, until every 'spawn'
 *   {"cmd":"kill"}                            → {"ms":…}  SIGTERM each, until every 'exit'
 *   {"cmd":"respawn","command":…,"args":[…],"runs":K} → {"runs":K}
 *   {"cmd":"writers","dir":…,"n":N,"command":…,"args":[…]} → {"ms":…,"files":[…],"codes":[…],"lag":{…}}
 *                                             N writers to O_APPEND files, until every 'exit'
 */
import { createInterface } from 'node:readline';
import { bareRespawnLoop, startBareFleet, stopBareFleet, type BareFleet } from './bare-fleet.js';
import { runBareWriters } from './bare-writers.js';

let fleet: BareFleet | undefined;

async function handle(command: Record<string, unknown>): Promise<Record<string, unknown>> {
  switch (command['cmd']) {
    case 'spawn': {
      if (fleet) throw new Error('a fleet is already running: kill it first');
      fleet = await startBareFleet(Number(command['n']), String(command['markerArg']));
      return { ms: fleet.startMs };
    }
    case 'kill': {
      if (!fleet) throw new Error('no fleet to kill');
      const ms = await stopBareFleet(fleet);
      fleet = undefined;
      return { ms };
    }
    case 'respawn': {
      const runs = Number(command['runs']);
      await bareRespawnLoop(String(command['command']), (command['args'] as unknown[]).map(String), runs);
      return { runs };
    }
    case 'writers': {
      const args = (command['args'] as unknown[]).map(String);
      const result = await runBareWriters(String(command['dir']), Number(command['n']), String(command['command']), args);
      return { ...result };
    }
    default:
      throw new Error(`unknown command ${JSON.stringify(command['cmd'])}`);
  }
}

function stop(): void {
  for (const pid of fleet?.pids ?? []) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  process.exit(0);
}
process.once('SIGTERM', stop);
process.once('SIGINT', stop);

const input = createInterface({ input: process.stdin });
input.once('close', stop);
// EPIPE on an answer: the benchmark is gone.
process.stdout.once('error', stop);
let queue = Promise.resolve();
input.on('line', (line) => {
  queue = queue.then(async () => {
    let answer: Record<string, unknown>;
    try {
      answer = await handle(JSON.parse(line) as Record<string, unknown>);
    } catch (error) {
      answer = { error: (error as Error).message };
    }
    process.stdout.write(`${JSON.stringify(answer)}\n`);
  });
});

process.stdout.write(`${JSON.stringify({ ready: true, pid: process.pid })}\n`);
