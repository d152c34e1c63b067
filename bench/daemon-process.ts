/**
 * The daemon under test, in its own process: `node dist/bench/daemon-process.js <socket>
 * <stateDir>`. Silent logger; one ready line on stdout once listening; stops every process and
 * exits on SIGTERM, SIGINT, or when stdin closes (the benchmark is gone).
 */
import { startDaemon } from '../src/server/daemon.js';
import { silentLogger } from '../src/manager/logger.js';

const [socket, stateDir] = process.argv.slice(2);
if (socket === undefined || stateDir === undefined) {
  process.stderr.write('usage: node dist/bench/daemon-process.js <socket> <stateDir>\n');
  process.exit(2);
}

const daemon = await startDaemon({ socket, stateDir, logger: silentLogger });

let stopping = false;
function stop(): void {
  if (stopping) return;
  stopping = true;
  daemon.stop().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`daemon-process: stop failed: ${String(error)}\n`);
      process.exit(1);
    },
  );
}
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
process.stdin.once('end', stop);
// EPIPE on the ready line or later: the benchmark is gone.
process.stdout.once('error', stop);
process.stdin.resume();

process.stdout.write(`${JSON.stringify({ ready: true, pid: process.pid })}\n`);
