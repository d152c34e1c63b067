/**
 * The log pump's thread with real writers: bytes go from a FIFO into the file with rotation,
 * a flush makes what the pipe holds visible at once, a file that cannot be opened fails the
 * attach (and the pipe is still drained), and a closed pump leaves no thread behind.
 */
import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, constants, existsSync, fstatSync, openSync, readFileSync, statSync, symlinkSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ensureFifo, LogPump } from '../../../src/runtime/logs/index.js';
import { exited, tempDir, waitUntil, Writers } from './writers.js';

const deadline = { timeout: 60_000 };

describe('LogPump', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let pump: LogPump;
  const writers = new Writers();
  const warnings: string[] = [];
  const fds: number[] = [];

  beforeEach(async () => {
    dir = await tempDir();
    warnings.length = 0;
    pump = new LogPump({ ledger: join(dir.path, 'ledger.json'), onWarning: (_key, message) => warnings.push(message) });
  });
  afterEach(async () => {
    await writers.cleanup();
    for (const fd of fds.splice(0)) closeSync(fd);
    await pump.close();
    await dir.remove();
  });

  async function writerPipe(name: string): Promise<{ fifo: string; fd: number }> {
    const fifo = join(dir.path, name);
    await ensureFifo(fifo);
    const fd = openSync(fifo, constants.O_RDWR);
    fds.push(fd);
    return { fifo, fd };
  }

  test('a writer\'s output reaches its file, and a flush makes it visible at once', deadline, async () => {
    const { fifo, fd } = await writerPipe('w.out');
    const file = join(dir.path, 'w.log');
    await pump.attach('w.stdout', fifo, { file, maxBytes: 0, maxFiles: 0, ownership: 'state-dir' });
    writeSync(fd, 'hello\nworld\n');
    await pump.flush(['w.stdout']);
    assert.equal(readFileSync(file, 'utf8'), 'hello\nworld\n');
    assert.equal(pump.stats.bytesWritten, 12);
  });

  test('`yes` through the pump keeps the file set within (max_files + 1) × max_bytes and loses nothing', deadline, async () => {
    const { fifo, fd } = await writerPipe('yes.out');
    const file = join(dir.path, 'yes.log');
    const maxBytes = 64 * 1024;
    await pump.attach('yes.stdout', fifo, { file, maxBytes, maxFiles: 2, ownership: 'state-dir' });
    const child = await writers.start('exec yes', fd);
    let peak = 0;
    // A sample that races a rotation (a name gone between two looks) is taken again.
    const keptBytes = (): number => {
      for (;;) {
        try {
          return [file, `${file}.1`, `${file}.2`, `${file}.3`].filter(existsSync).reduce((sum, f) => sum + statSync(f).size, 0);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        }
      }
    };
    await waitUntil('50 MB went through the pump', () => {
      peak = Math.max(peak, keptBytes());
      return pump.stats.bytesWritten > 50_000_000;
    }, { timeoutMs: 50_000, intervalMs: 5 });
    child.kill('SIGKILL');
    await exited(child);
    assert.ok(peak <= 3 * maxBytes, `the files held ${peak} bytes at most, over ${3 * maxBytes}`);
    assert.equal(existsSync(`${file}.3`), false);
    assert.equal(pump.stats.lostBytes, 0);
    assert.ok(pump.stats.rotations > 700, `${pump.stats.rotations} rotations`);
    assert.equal(readFileSync(`${file}.1`, 'utf8'), 'y\n'.repeat(maxBytes / 2), 'a rotated copy is whole lines of yes');
  });

  test('a target that cannot be opened fails the attach, and the pipe is drained anyway (counted lost)', deadline, async () => {
    const { fifo, fd } = await writerPipe('bad.out');
    const victim = join(dir.path, 'victim');
    writeFileSync(victim, 'secret\n');
    const link = join(dir.path, 'link.log');
    symlinkSync(victim, link);
    await assert.rejects(pump.attach('bad.stdout', fifo, { file: link, maxBytes: 0, maxFiles: 0, ownership: 'ledger' }), /ELOOP|symbolic/);
    // 200 KB: more than a pipe holds, so this write would block forever if nobody read.
    writeSync(fd, Buffer.alloc(200_000, 0x61));
    await pump.flush(['bad.stdout']);
    await waitUntil('the pipe was drained', () => pump.stats.lostBytes === 200_000);
    assert.equal(readFileSync(victim, 'utf8'), 'secret\n');
  });

  test('closing the pump closes no descriptor it does not own (its thread once closed FIFOs twice)', deadline, async () => {
    // Regression: FIFOs opened in the pump's thread were closed by their socket and again when the
    // thread ended; the second close hit the daemon's own reuse of the number (libuv aborted).
    for (let i = 0; i < 4; i++) {
      const { fifo } = await writerPipe(`c${i}.out`);
      await pump.attach(`c${i}.stdout`, fifo, { file: join(dir.path, `c${i}.log`), maxBytes: 0, maxFiles: 0, ownership: 'state-dir' });
    }
    for (let i = 0; i < 4; i++) await pump.detach(`c${i}.stdout`);
    // The numbers the channels had are free now: these reuse them.
    const mine = Array.from({ length: 16 }, () => openSync(join(dir.path, 'w.log'), 'a'));
    await pump.close();
    const closed = mine.filter((fd) => {
      try {
        fstatSync(fd);
        return false;
      } catch {
        return true;
      }
    });
    for (const fd of mine) if (!closed.includes(fd)) closeSync(fd);
    assert.deepEqual(closed, [], 'descriptors of the daemon closed by the pump');
  });

  test('re-attaching a channel to another file moves its output there', deadline, async () => {
    const { fifo, fd } = await writerPipe('m.out');
    const first = join(dir.path, 'first.log');
    const second = join(dir.path, 'second.log');
    await pump.attach('m.stdout', fifo, { file: first, maxBytes: 0, maxFiles: 0, ownership: 'state-dir' });
    writeSync(fd, 'one\n');
    await pump.flush(['m.stdout']);
    await pump.attach('m.stdout', fifo, { file: second, maxBytes: 0, maxFiles: 0, ownership: 'state-dir' });
    writeSync(fd, 'two\n');
    await pump.flush(['m.stdout']);
    assert.equal(readFileSync(first, 'utf8'), 'one\n');
    assert.equal(readFileSync(second, 'utf8'), 'two\n');
  });
});
