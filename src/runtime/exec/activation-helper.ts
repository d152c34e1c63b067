/**
 * A child of the daemon that touches its listening sockets where the daemon cannot without
 * accepting on them (socket-activation.ts says why). It gets the sockets as fds 3.. and:
 *
 *   listen N   calls listen(2) on each of the N sockets and exits at once, synchronously, so its
 *              event loop never polls them and never accepts: the sockets stay listening, held by
 *              the daemon, with nobody accepting until a process gets them.
 *   wait N     exits 0, printing the socket's index, once a connection is pending on one of them.
 *              A listening socket polls readable when a connection waits in its accept queue;
 *              opened as a stream, libuv then reads it, and read(2) on a listening socket fails
 *              (ENOTCONN for TCP, EINVAL for unix) without taking the connection: that failure
 *              is the signal. Nothing is accepted, so the process started next finds the
 *              connection in its backlog.
 *
 * Run as `node activation-helper.js MODE N`; it imports nothing of statevisor.
 */
import net from 'node:net';

const [mode, count] = process.argv.slice(2);
const sockets = Number(count);
if (!Number.isInteger(sockets) || sockets < 1) {
  process.stderr.write(`activation-helper: expected a socket count, got ${String(count)}\n`);
  process.exit(2);
}

if (mode === 'listen') {
  for (let index = 0; index < sockets; index++) net.createServer().listen({ fd: 3 + index, backlog: 511 });
  // Before the loop's first turn: nothing polls the sockets, nothing accepts.
  process.exit(0);
} else if (mode === 'wait') {
  for (let index = 0; index < sockets; index++) {
    const watcher = new net.Socket({ fd: 3 + index, readable: true, writable: false });
    const pending = (): void => {
      process.stdout.write(`${index}\n`, () => process.exit(0));
    };
    watcher.on('error', pending);
    // Neither can come from a listening socket; if one did, the daemon's start is still right.
    watcher.on('data', pending);
    watcher.on('end', pending);
  }
} else {
  process.stderr.write(`activation-helper: unknown mode ${String(mode)}\n`);
  process.exit(2);
}
