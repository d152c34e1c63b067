/**
 * Captured output costs the daemon little memory: the child writes into a pipe that the log
 * pump's thread reads 64 KiB at a time into the file (README, "How output reaches its file").
 * The real daemon binary runs in its own process so that its RSS is its own; one child writes
 * 100 MB through capture with rotation on, and the daemon's VmRSS, read from /proc (not a
 * timing), must barely move. What the files keep is checked too: only the child's bytes, whole
 * lines, no more copies than max_files, no file over max_bytes, and nothing lost.
 *
 * Everything spawned carries the marker (the temp dir's name for the daemon, sh's $0 for the
 * writer), so `after` can kill whatever a failure left behind.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createClient, type StatevisorClient } from '../../src/client/index.js';
import { startDaemonBinary } from '../helpers/daemon-binary.js';
import { killMarked, newMarker, pidsWithMarker, procState, waitUntil } from '../helpers/leaks.js';

const outputBytes = 100_000_000;
/** fold adds a newline after every 99 characters; the last, partial line has none. */
const writtenBytes = outputBytes + Math.floor(outputBytes / 99);
const maxBytes = 8 * 1024 * 1024;
const maxFiles = 2;
/** The most whole 100-byte lines that fit in max_bytes: what every rotated copy holds. */
const pieceBytes = Math.floor(maxBytes / 100) * 100;

function rssBytes(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  assert.ok(match, `/proc/${pid}/status has a VmRSS line`);
  return Number(match[1]) * 1024;
}

function writerSpec(name: string, marker: string, bytes: number) {
  return {
    name,
    command: 'sh',
    // sh's $0 carries the marker; the pipeline ends by itself once head has passed on its bytes.
    args: ['-c', `head -c ${bytes} /dev/zero | tr '\\0' 'x' | fold -w 99`, `3600.${marker}`],
    logs: { stdout: 'capture' as const, stderr: 'null' as const, maxBytes, maxFiles },
    // A writer done within a second has succeeded: min_uptime 0 keeps it EXITED, not FAILED.
    restart: { policy: 'no' as const, minUptimeMs: 0 },
  };
}

async function runToExit(client: StatevisorClient, name: string): Promise<void> {
  await waitUntil(
    `${name} has EXITED`,
    async () => {
      const { process: p } = await client.describeProcess(name);
      if (p.state === 'FAILED') throw new Error(`${name} FAILED: ${p.lastError}`);
      return p.state === 'EXITED';
    },
    { timeoutMs: 120_000, intervalMs: 100 },
  );
}

/** The file and its rotated copies that exist, newest first. */
function keptFiles(file: string): string[] {
  return [file, ...Array.from({ length: maxFiles + 1 }, (_, i) => `${file}.${i + 1}`)].filter((f) => existsSync(f));
}

/** The first byte of `file` that the writer cannot have written (not 'x', not '\n'), if any. */
function foreignByte(file: string): { offset: number; byte: number } | undefined {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(1024 * 1024);
    for (let offset = 0; ; ) {
      const n = readSync(fd, buffer, 0, buffer.length, offset);
      if (n === 0) return undefined;
      for (let i = 0; i < n; i++) {
        const byte = buffer[i]!;
        if (byte !== 0x78 && byte !== 0x0a) return { offset: offset + i, byte };
      }
      offset += n;
    }
  } finally {
    closeSync(fd);
  }
}

test('100 MB of captured output leaves the daemon RSS within 20 MB and the log files within what the writer wrote', async (t) => {
  const marker = newMarker();
  const dir = mkdtempSync(path.join(os.tmpdir(), `statevisor-outmem-${marker}-`));
  const socket = path.join(dir, 'statevisor.sock');
  const stateDir = path.join(dir, 'state');
  const daemon = startDaemonBinary(['--socket', socket, '--state-dir', stateDir, '--log-level', 'warn']);
  const client = createClient({ socket });
  t.after(() => {
    client.close();
    if (daemon.child.exitCode === null && daemon.child.signalCode === null) daemon.child.kill('SIGKILL');
    killMarked(marker);
    rmSync(dir, { recursive: true, force: true });
  });

  await waitUntil(
    'the daemon answers health',
    async () => {
      if (daemon.child.exitCode !== null) throw new Error(`the daemon exited early: ${daemon.output()}`);
      return (await client.health().catch(() => 'DOWN')) === 'SERVING';
    },
    { timeoutMs: 30_000, intervalMs: 50 },
  );
  const daemonPid = (await client.getStatus()).pid;
  assert.equal(daemonPid, daemon.child.pid, 'the daemon binary is the process whose RSS is read');

  // Warm-up: the same path once with 1 MB, so that first-use costs (code, pools) are paid before.
  await client.createProcess(writerSpec('warm-up', marker, 1_000_000), { start: true });
  await runToExit(client, 'warm-up');
  await client.deleteProcess('warm-up');

  const before = rssBytes(daemonPid);
  await client.createProcess(writerSpec('writer', marker, outputBytes), { start: true });
  await runToExit(client, 'writer');
  const file = path.join(stateDir, 'logs', 'writer.stdout.log');
  // The exit is reported only after the pump drained the writer's pipe: everything is written.
  const status = await client.getStatus();
  assert.ok(status.logRotations >= Math.floor(writtenBytes / maxBytes), `rotated ${status.logRotations} times`);
  assert.equal(status.logBytesLost, 0, 'no byte is lost to rotation');
  const after = rssBytes(daemonPid);
  const growthMb = (after - before) / 1024 / 1024;
  t.diagnostic(`daemon VmRSS ${(before / 1024 / 1024).toFixed(1)} MB before, ${(after / 1024 / 1024).toFixed(1)} MB after`);
  assert.ok(growthMb < 20, `daemon RSS grew by ${growthMb.toFixed(1)} MB (${before} → ${after} bytes) for 100 MB of output`);

  const kept = keptFiles(file);
  const sizes = kept.map((f) => `${path.basename(f)}: ${statSync(f).size}`).join(', ');
  const keptBytes = kept.reduce((sum, f) => sum + statSync(f).size, 0);
  assert.equal(existsSync(`${file}.${maxFiles + 1}`), false, `no more than max_files copies (${sizes})`);
  assert.ok(keptBytes <= writtenBytes, `the files hold no more than the ${writtenBytes} bytes written (${sizes})`);
  for (const f of kept) {
    const foreign = foreignByte(f);
    assert.equal(foreign, undefined, `${path.basename(f)} holds only the writer's bytes; found ${JSON.stringify(foreign)}`);
    assert.ok(statSync(f).size <= maxBytes, `${path.basename(f)} is over max_bytes (${sizes})`);
  }
  // Cut at newlines, each rotated copy holds exactly the whole lines that fit in max_bytes, and
  // the live file the rest: so what the writer wrote is a whole number of pieces plus the live
  // file, which it can only be if no byte was lost or added anywhere along the way.
  for (const f of kept.filter((f) => f !== file)) {
    assert.equal(statSync(f).size, pieceBytes, `${path.basename(f)} is one whole piece (${sizes})`);
  }
  assert.equal((writtenBytes - statSync(file).size) % pieceBytes, 0, `the writer's bytes are whole pieces plus the live file (${sizes})`);

  daemon.child.kill('SIGTERM');
  assert.deepEqual(await daemon.exited, { code: 0, signal: null }, daemon.output());
  const left = pidsWithMarker(marker).filter((pid) => procState(pid) !== 'Z');
  assert.deepEqual(left, [], 'nothing the daemon started survives it');
});
