/**
 * What watching the charts costs the daemon: `node dist/bench/inspect-cost.js [--processes 20]
 * [--seconds 10]`. A daemon (the real executable, its own process) runs crash loops; for a window
 * each, nobody watches, then one `statevisor inspect --follow` (readable steps), then one
 * `inspect --follow --json --all` (every raw inspection event, as the stream was before), then the
 * Stately bridge connected to a relay in this process. For each: the daemon's CPU (from
 * /proc/PID/stat) per restart and as a share of one core, and what the watcher received per
 * restart (lines and bytes). One JSON line per window on stdout.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { createClient, type StatevisorClient } from '../src/client/index.js';
import { killMarked, markerArg, newMarker } from './marker.js';

const binary = fileURLToPath(new URL('../src/bin/statevisor.js', import.meta.url));
const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const at = args.indexOf(name);
  return at === -1 ? fallback : Number(args[at + 1]);
};
const processes = option('--processes', 20);
const seconds = option('--seconds', 10);
const ticksPerSecond = 100;

function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
}

async function restarts(client: StatevisorClient): Promise<number> {
  return (await client.listProcesses()).reduce((sum, p) => sum + p.restartCount, 0);
}

async function window(name: string, daemon: ChildProcess, client: StatevisorClient, received: () => { lines: number; bytes: number }) {
  const cpu0 = cpuMs(daemon.pid!);
  const restarts0 = await restarts(client);
  const got0 = received();
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const cpu = cpuMs(daemon.pid!) - cpu0;
  const n = (await restarts(client)) - restarts0;
  const got = received();
  const figure = {
    window: name,
    restarts: n,
    daemon_cpu_ms_per_restart: Number((cpu / n).toFixed(3)),
    daemon_cpu_percent_of_a_core: Number(((cpu / (seconds * 1000)) * 100).toFixed(1)),
    lines_per_restart: Number(((got.lines - got0.lines) / n).toFixed(1)),
    bytes_per_restart: Math.round((got.bytes - got0.bytes) / n),
  };
  process.stdout.write(`${JSON.stringify(figure)}\n`);
}

/** A CLI child whose stdout is counted. */
function watcher(socket: string, extra: string[]) {
  const child = spawn(process.execPath, [binary, '--socket', socket, 'inspect', '--follow', ...extra], { stdio: ['ignore', 'pipe', 'inherit'] });
  const counts = { lines: 0, bytes: 0 };
  child.stdout!.on('data', (chunk: Buffer) => {
    counts.bytes += chunk.length;
    for (const byte of chunk) if (byte === 10) counts.lines += 1;
  });
  return { counts: () => ({ ...counts }), stop: () => child.kill('SIGINT') };
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'statevisor-inspect-cost-'));
const socket = path.join(dir, 'statevisor.sock');
const relay = new WebSocketServer({ host: '127.0.0.1', port: 0 });
await once(relay, 'listening');
const relayPort = (relay.address() as AddressInfo).port;
const relayCounts = { lines: 0, bytes: 0 };
let relayOpen = false;
relay.on('connection', (socket) => {
  if (!relayOpen) socket.terminate();
  socket.on('message', (data: Buffer) => {
    relayCounts.lines += 1;
    relayCounts.bytes += data.length;
  });
});
const marker = newMarker();
const daemon = spawn(
  process.execPath,
  [binary, 'daemon', '--socket', socket, '--state-dir', path.join(dir, 'state'), '--inspect-ws', `ws://127.0.0.1:${relayPort}`, '--log-level', 'error'],
  { stdio: ['ignore', 'ignore', 'inherit'] },
);
const client = createClient({ socket });
try {
  for (let i = 0; ; i += 1) {
    try {
      await client.getStatus();
      break;
    } catch (error) {
      if (i > 100) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  for (let i = 0; i < processes; i += 1) {
    await client.createProcess(
      {
        name: `loop-${i}`,
        command: 'sh',
        args: ['-c', 'exit 3', markerArg(marker)],
        restart: { policy: 'always', delayMs: 100, maxDelayMs: 100, startLimitBurst: 0, minUptimeMs: 0 },
        logs: { stdout: 'null', stderr: 'null' },
      },
      { start: true },
    );
  }
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  await window('nobody watching', daemon, client, () => ({ lines: 0, bytes: 0 }));
  const steps = watcher(socket, []);
  await window('inspect --follow (steps)', daemon, client, steps.counts);
  steps.stop();
  const raw = watcher(socket, ['--json', '--all']);
  await window('inspect --follow --json --all (raw)', daemon, client, raw.counts);
  raw.stop();
  relayOpen = true;
  const connected = Date.now();
  while (relayCounts.lines === 0 && Date.now() - connected < 60_000) await new Promise((resolve) => setTimeout(resolve, 100));
  await window('Stately bridge connected', daemon, client, () => ({ ...relayCounts }));
} finally {
  daemon.kill('SIGTERM');
  await once(daemon, 'exit');
  client.close();
  relay.close();
  killMarked(marker);
  rmSync(dir, { recursive: true, force: true });
}
