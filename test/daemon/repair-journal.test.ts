/**
 * `statevisor daemon --repair-journal`: a journal damaged in the middle stops the daemon with the
 * file, the line and the flag to use; with the flag it starts, keeping every readable entry, and
 * says on stderr exactly what was lost. Before, there was no documented way to start at all.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createClient } from '../../src/client/index.js';
import { startDaemonBinary, type SpawnedDaemon, untilAnswering } from '../helpers/daemon-binary.js';
import { killMarked, newMarker } from '../helpers/leaks.js';

test('a damaged journal line is refused naming --repair-journal; with it the daemon starts and reports the loss', { timeout: 120_000 }, async (t) => {
  const marker = newMarker();
  const dir = mkdtempSync(path.join(os.tmpdir(), `statevisor-repair-${marker}-`));
  const socket = path.join(dir, 'sv.sock');
  const stateDir = path.join(dir, 'state');
  const journal = path.join(stateDir, 'store', 'journal.jsonl');
  const daemons: SpawnedDaemon[] = [];
  t.after(() => {
    for (const d of daemons) d.child.kill('SIGKILL');
    killMarked(marker);
    rmSync(dir, { recursive: true, force: true });
  });
  const start = (...extra: string[]) => {
    const daemon = startDaemonBinary(['--socket', socket, '--state-dir', stateDir, '--log-level', 'warn', ...extra]);
    daemons.push(daemon);
    return daemon;
  };
  const client = createClient({ socket });
  t.after(() => client.close());
  const answering = (daemon: SpawnedDaemon) => untilAnswering(daemon, client);

  const first = start();
  await answering(first);
  for (const name of ['a', 'b', 'c']) await client.createProcess({ name, command: 'sleep', args: [`3600.${marker}`] });
  // kill -9 leaves the three creates in the journal, one line each.
  first.child.kill('SIGKILL');
  await first.exited;
  const lines = readFileSync(journal, 'utf8').split('\n');
  assert.ok(lines.length >= 4, `three entries and a final newline: ${lines.length}`);
  const damagedLine = lines.findIndex((l) => l.includes('"name":"b"'));
  assert.ok(damagedLine > 0, 'b is not the first line');
  const damaged = `{"seq":${damagedLine + 1},"op":"put","rec` + 'x'.repeat(20);
  lines[damagedLine] = damaged;
  writeFileSync(journal, lines.join('\n'));

  const refused = start();
  assert.equal((await refused.exited).code, 1);
  assert.equal(
    refused.output(),
    `statevisor: corrupt journal ${journal} line ${damagedLine + 1}: not JSON: ${JSON.stringify(damaged.slice(0, 60))}; ` +
      'to start anyway, keeping every readable entry and the damaged file aside: statevisor daemon --repair-journal\n',
  );

  const repaired = start('--repair-journal');
  await answering(repaired);
  const names = (await client.listProcesses()).map((p) => p.name).sort();
  assert.deepEqual(names, ['a', 'c'], 'every readable record is kept; the damaged one is lost');
  const aside = readdirSync(path.dirname(journal)).filter((name) => name.startsWith('journal.jsonl.damaged-'));
  assert.equal(aside.length, 1, 'the damaged file is kept aside');
  assert.match(aside[0]!, /^journal\.jsonl\.damaged-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z$/);
  const report = repaired.output().split('\n').filter((l) => l.startsWith('statevisor: '));
  assert.deepEqual(report, [
    `statevisor: --repair-journal: ${journal} was damaged: kept ${lines.filter(Boolean).length - 1} entries, dropped 1 lines (${Buffer.byteLength(damaged) + 1} bytes)`,
    `statevisor:   lost line ${damagedLine + 1} (${Buffer.byteLength(damaged) + 1} bytes): not JSON: ${JSON.stringify(damaged.slice(0, 60))}`,
    `statevisor:   lost entries: seq ${damagedLine + 1} absent from the journal`,
    `statevisor:   the damaged journal is kept as ${path.join(path.dirname(journal), aside[0]!)}`,
  ]);
  assert.match(repaired.output(), /"level":40.*"damaged":\[\{"line":\d+,"bytes":\d+/, 'and in the log, as a structured warning');

  repaired.child.kill('SIGTERM');
  assert.equal((await repaired.exited).code, 0);
  const clean = start();
  await answering(clean);
  assert.deepEqual((await client.listProcesses()).map((p) => p.name).sort(), ['a', 'c'], 'the repaired state starts without the flag');
  clean.child.kill('SIGTERM');
  assert.equal((await clean.exited).code, 0);
});
