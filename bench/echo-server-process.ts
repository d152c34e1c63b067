/**
 * The baseline gRPC server, in its own process like the daemon:
 * `node dist/bench/echo-server-process.js <socket> <protoFile>`. Same ready/stop protocol as
 * daemon-process.
 */
import * as grpc from '@grpc/grpc-js';
import { loadEchoService, type EchoMessage } from './echo-service.js';

const [socket, protoFile] = process.argv.slice(2);
if (socket === undefined || protoFile === undefined) {
  process.stderr.write('usage: node dist/bench/echo-server-process.js <socket> <protoFile>\n');
  process.exit(2);
}

const server = new grpc.Server();
server.addService(loadEchoService(protoFile), {
  Echo: (call: grpc.ServerUnaryCall<EchoMessage, EchoMessage>, callback: grpc.sendUnaryData<EchoMessage>) =>
    callback(null, call.request),
});
await new Promise<void>((resolve, reject) =>
  server.bindAsync(`unix:${socket}`, grpc.ServerCredentials.createInsecure(), (error) => (error ? reject(error) : resolve())),
);

let stopping = false;
function stop(): void {
  if (stopping) return;
  stopping = true;
  server.tryShutdown(() => process.exit(0));
  setTimeout(() => process.exit(0), 2_000).unref();
}
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
process.stdin.once('end', stop);
// EPIPE on the ready line or later: the benchmark is gone.
process.stdout.once('error', stop);
process.stdin.resume();

process.stdout.write(`${JSON.stringify({ ready: true, pid: process.pid })}\n`);
