/**
 * A helper in its own Node process (the daemon, the echo server, the bare-loop baseline), so
 * that its RSS, its event loop and its fork cost are its own. Protocol: JSON lines. The entry
 * prints `{"ready":true,"pid":…}` once listening; after that, helpers that take commands read one
 * JSON object per stdin line and answer with one JSON line each. Every entry stops on SIGTERM,
 * and when its stdin closes — that is, when this benchmark dies without stopping it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { withNofileRaised } from './limits.js';

export type Message = Record<string, unknown>;

export interface EntryProcess {
  readonly pid: number;
  readonly child: ChildProcess;
  /** Sends one command and resolves with the entry's answer (an `error` field rejects). */
  request(command: Message, timeoutMs?: number): Promise<Message>;
  /** SIGTERM, then SIGKILL if it has not exited after timeoutMs. Resolves with how it ended. */
  stop(timeoutMs?: number): Promise<string>;
  /** SIGKILL at once. Resolves with how it ended. */
  kill(): Promise<string>;
}

/** `name` is a sibling module of this one in dist/bench, e.g. 'daemon-process.js'. */
export function entryScript(name: string): string {
  return fileURLToPath(new URL(`./${name}`, import.meta.url));
}

export interface EntryOptions {
  readonly readyTimeoutMs?: number;
  /** Node flags for the entry, e.g. ['--cpu-prof', '--cpu-prof-dir=…']. */
  readonly nodeFlags?: readonly string[];
}

export async function startEntry(name: string, args: readonly string[], options: EntryOptions = {}): Promise<EntryProcess> {
  const { readyTimeoutMs = 30_000, nodeFlags = [] } = options;
  // Its soft RLIMIT_NOFILE raised to the hard limit (limits.ts), as for a fleet of 10,000.
  const [command, argv] = withNofileRaised([process.execPath, ...nodeFlags, entryScript(name), ...args]);
  const child = spawn(command, argv, { stdio: ['pipe', 'pipe', 'inherit'] });
  let how: string | undefined;
  const exited = new Promise<string>((resolve) =>
    child.once('exit', (code, signal) => resolve((how = signal ? `signal ${signal}` : `exit code ${code}`))),
  );
  // Lines arrive in order and each one is awaited by exactly one caller, in the same order.
  const lines: string[] = [];
  const waiters: ((line: string | undefined) => void)[] = [];
  const input = createInterface({ input: child.stdout! });
  input.on('line', (line) => (waiters.length > 0 ? waiters.shift()!(line) : lines.push(line)));
  input.once('close', () => waiters.splice(0).forEach((wake) => wake(undefined)));
  child.once('error', () => waiters.splice(0).forEach((wake) => wake(undefined)));

  async function nextMessage(timeoutMs: number, what: string): Promise<Message> {
    const line =
      lines.shift() ??
      (await new Promise<string | undefined>((resolve) => {
        const timer = setTimeout(() => resolve(undefined), timeoutMs);
        waiters.push((value) => {
          clearTimeout(timer);
          resolve(value);
        });
      }));
    if (line === undefined) {
      throw new Error(`${name}: no ${what} within ${timeoutMs} ms${how ? ` (it ended with ${how})` : ''}`);
    }
    try {
      return JSON.parse(line) as Message;
    } catch {
      throw new Error(`${name}: expected a JSON line as ${what}, got ${JSON.stringify(line)}`);
    }
  }

  let ready: Message;
  try {
    ready = await nextMessage(readyTimeoutMs, 'ready line');
    if (ready['ready'] !== true || typeof ready['pid'] !== 'number') throw new Error(`${name}: bad ready line ${JSON.stringify(ready)}`);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  let queue: Promise<unknown> = Promise.resolve();
  return {
    pid: ready['pid'],
    child,
    request(command, timeoutMs = 120_000) {
      const answer = queue.then(async () => {
        child.stdin!.write(`${JSON.stringify(command)}\n`);
        const reply = await nextMessage(timeoutMs, `answer to ${JSON.stringify(command)}`);
        if (typeof reply['error'] === 'string') throw new Error(`${name}: ${reply['error']}`);
        return reply;
      });
      queue = answer.catch(() => {});
      return answer;
    },
    async stop(timeoutMs = 30_000) {
      if (how !== undefined) return how;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      const ended = await exited;
      clearTimeout(timer);
      return ended;
    },
    async kill() {
      if (how !== undefined) return how;
      child.kill('SIGKILL');
      return exited;
    },
  };
}
