/**
 * A stand-in for systemd's notification socket: a Unix datagram socket that records each message
 * with the sender's pid from its credentials (SO_PASSCRED), as systemd reads them. Node cannot
 * bind a datagram socket, so python3 does, printing one JSON line per message; file descriptors
 * sent with a message (systemd-notify's BARRIER=1) are closed at once, which is how systemd
 * answers the barrier.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface Notification {
  /** The sender's pid as the kernel passed it (SCM_CREDENTIALS). */
  readonly pid: number;
  readonly message: string;
}

export interface NotifySocket {
  readonly path: string;
  readonly received: Notification[];
  /** The first message for which `match` holds, with a deadline; fails with what did arrive. */
  waitFor(what: string, match: (notification: Notification) => boolean, timeoutMs?: number): Promise<Notification>;
  close(): Promise<void>;
}

const listener = `
import json, os, socket, struct, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
s.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
print(json.dumps({"listening": True}), flush=True)
while True:
    data, ancillary, _, _ = s.recvmsg(65536, socket.CMSG_SPACE(12) + socket.CMSG_SPACE(64))
    pid = 0
    for level, kind, payload in ancillary:
        if level == socket.SOL_SOCKET and kind == socket.SCM_CREDENTIALS:
            pid = struct.unpack("iii", payload[:12])[0]
        elif level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            for fd in struct.unpack("%di" % (len(payload) // 4), payload[: len(payload) // 4 * 4]):
                os.close(fd)
    print(json.dumps({"pid": pid, "message": data.decode()}), flush=True)
`;

export async function listenNotifySocket(path: string): Promise<NotifySocket> {
  const child = spawn('python3', ['-c', listener, path], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const received: Notification[] = [];
  const waiters = new Set<() => void>();
  let listening!: () => void;
  const ready = new Promise<void>((resolve) => (listening = resolve));
  createInterface({ input: child.stdout }).on('line', (line) => {
    const parsed = JSON.parse(line) as Notification | { listening: true };
    if ('listening' in parsed) return listening();
    received.push(parsed);
    for (const wake of waiters) wake();
  });
  await Promise.race([
    ready,
    exited.then(() => {
      throw new Error(`the notify socket listener exited: ${stderr}`);
    }),
  ]);
  return {
    path,
    received,
    waitFor(what, match, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = received.find(match);
          if (found === undefined) return;
          finish();
          resolve(found);
        };
        const timer = setTimeout(() => {
          finish();
          reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; received: ${JSON.stringify(received)}`));
        }, timeoutMs);
        const finish = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    async close() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
