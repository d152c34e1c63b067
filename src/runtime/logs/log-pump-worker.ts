/**
 * The log pump's thread: it reads every child's output pipe and writes the bytes into that
 * stream's log file (rotating-file.ts), off the daemon's event loop, which never sees a byte.
 *
 * Each channel is a FIFO in the state dir, opened O_RDWR: it never blocks on open, never reads
 * an end of file when a child exits (a restart reuses the same pipe), and keeps the pipe alive
 * across restarts of the child. Reading is libuv's (a net.Socket on the descriptor); a flush
 * drains what is buffered with non-blocking reads, so that a run's last words are in its file
 * before its exit is reported.
 */
import { closeSync, readSync } from 'node:fs';
import { Socket } from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';
import { OwnedFiles } from './owned-files.js';
import { counter, type PumpMessage, type PumpRequest, type PumpTarget, type PumpWorkerData } from './log-pump-protocol.js';
import { ownsEverything, RotatingFile } from './rotating-file.js';

const { counters: shared, ledger } = workerData as PumpWorkerData;
const counters = new BigInt64Array(shared);
const owned = new OwnedFiles(ledger);
const readBuffer = Buffer.allocUnsafe(64 * 1024);

function count(index: number, amount: number): void {
  Atomics.add(counters, index, BigInt(amount));
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function post(message: PumpMessage): void {
  parentPort!.postMessage(message);
}

/** A file shared by every channel that writes to it (stdout and stderr to one path). */
interface SharedFile {
  readonly file: RotatingFile;
  refs: number;
}

const files = new Map<string, SharedFile>();

function acquire(target: PumpTarget): SharedFile {
  let shared = files.get(target.file);
  if (shared === undefined) {
    const ownership = target.ownership === 'state-dir' ? ownsEverything : owned;
    shared = { file: RotatingFile.open(target.file, target, ownership), refs: 0 };
    files.set(target.file, shared);
  }
  shared.file.setPolicy(target);
  shared.refs += 1;
  return shared;
}

function release(shared: SharedFile): void {
  shared.refs -= 1;
  if (shared.refs > 0) return;
  shared.file.close();
  files.delete(shared.file.path);
}

class Channel {
  readonly #fd: number;
  readonly #socket: Socket;
  #output: SharedFile | undefined;
  /** Errors already reported, so that a full disk is one warning, not one per chunk. */
  readonly #warned = new Set<string>();

  /** `fd`: the FIFO, opened by the daemon's thread; the socket below owns and closes it. */
  constructor(
    readonly key: string,
    readonly fifo: string,
    fd: number,
  ) {
    this.#fd = fd;
    // One buffer per channel, reused by every read: a fast writer costs no allocation per chunk
    // (with 'data' events, 100 MB of output grew the daemon's RSS by 30 MB before GC caught up).
    const buffer = Buffer.allocUnsafe(readBuffer.length);
    // @types/node declares onread for connect() only; the constructor takes it too (Node ≥ 12.2).
    this.#socket = new Socket({
      fd: this.#fd,
      readable: true,
      writable: false,
      ...{ onread: {
        buffer,
        callback: (read: number, into: Uint8Array) => {
          this.#deliver(into.subarray(0, read));
          return true;
        },
      } },
    });
    this.#socket.on('error', (error) => this.#warn('read', `reading ${fifo}: ${error.message}`));
  }

  /** Points the channel at a file; until one opens, bytes are read and counted as lost. */
  target(target: PumpTarget): void {
    const previous = this.#output;
    if (previous !== undefined && previous.file.path === target.file) {
      previous.file.setPolicy(target);
      return;
    }
    this.#output = undefined;
    if (previous !== undefined) release(previous);
    this.#output = acquire(target);
    this.#warned.clear();
  }

  /** Reads whatever the pipe holds now, without waiting for libuv's next turn. */
  drain(): void {
    for (;;) {
      let read: number;
      try {
        read = readSync(this.#fd, readBuffer, 0, readBuffer.length, null);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') this.#warn('read', `reading ${this.fifo}: ${messageOf(error)}`);
        return;
      }
      if (read === 0) return;
      this.#deliver(readBuffer.subarray(0, read));
    }
  }

  close(): void {
    this.drain();
    // Destroying the socket closes the descriptor it owns.
    this.#socket.destroy();
    if (this.#output !== undefined) release(this.#output);
    this.#output = undefined;
  }

  #deliver(chunk: Uint8Array): void {
    const output = this.#output;
    if (output === undefined) {
      count(counter.lostBytes, chunk.length);
      return;
    }
    try {
      const { droppedBytes, rotations } = output.file.write(chunk);
      count(counter.bytesWritten, chunk.length);
      if (rotations > 0) count(counter.rotations, rotations);
      if (droppedBytes > 0) count(counter.droppedBytes, droppedBytes);
      const why = output.file.notRotated;
      if (why !== undefined && output.file.size > 0) this.#warn('rotation', why);
    } catch (error) {
      // Counted and dropped: a child must never block on a disk the daemon cannot write.
      count(counter.lostBytes, chunk.length);
      count(counter.errors, 1);
      this.#warn((error as NodeJS.ErrnoException).code ?? 'write', `writing ${output.file.path}: ${messageOf(error)}`);
    }
  }

  #warn(kind: string, message: string): void {
    if (this.#warned.has(kind)) return;
    this.#warned.add(kind);
    post({ op: 'warning', key: this.key, message });
  }
}

const channels = new Map<string, Channel>();

function attach(key: string, fifo: string, fd: number, target: PumpTarget): void {
  let channel = channels.get(key);
  if (channel !== undefined && channel.fifo !== fifo) {
    channel.close();
    channels.delete(key);
    channel = undefined;
  }
  if (channel === undefined) {
    channel = new Channel(key, fifo, fd);
    channels.set(key, channel);
  } else {
    // Already read through another descriptor of the same FIFO.
    closeSync(fd);
  }
  // The channel stays even when its file cannot be opened: a running child's output must
  // still be read (and counted lost), or the child would block on a full pipe.
  channel.target(target);
}

function handle(request: PumpRequest): void {
  switch (request.op) {
    case 'attach':
      attach(request.key, request.fifo, request.fd, request.target);
      return;
    case 'detach':
      channels.get(request.key)?.close();
      channels.delete(request.key);
      return;
    case 'flush':
      for (const key of request.keys) channels.get(key)?.drain();
      return;
    case 'close':
      for (const channel of channels.values()) channel.close();
      channels.clear();
      clearInterval(saver);
      owned.save();
      return;
  }
}

parentPort!.on('message', (request: PumpRequest) => {
  try {
    handle(request);
    post({ op: 'reply', id: request.id });
  } catch (error) {
    count(counter.errors, 1);
    post({ op: 'reply', id: request.id, error: messageOf(error) });
  }
});

const saver = setInterval(() => {
  try {
    owned.save();
  } catch (error) {
    post({ op: 'warning', key: '', message: `saving the ledger of created log files: ${messageOf(error)}` });
  }
}, 1_000);
saver.unref();
