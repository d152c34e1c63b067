/**
 * The RPC latency baseline: a trivial unary Echo service on a bare grpc-js server, loaded with
 * proto-loader from a .proto written to the run's temp dir. The client side mirrors what the
 * statevisor client does per call (fresh metadata, a deadline) so that the two differ only in
 * the server's work and the message sizes.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

const echoProto = `syntax = "proto3";
package statevisor.bench;
message EchoMessage { string message = 1; }
service Echo { rpc Echo (EchoMessage) returns (EchoMessage); }
`;

export interface EchoMessage {
  message: string;
}

interface EchoPackage {
  statevisor: { bench: { Echo: grpc.ServiceClientConstructor } };
}

export function writeEchoProto(dir: string): string {
  const file = path.join(dir, 'echo.proto');
  writeFileSync(file, echoProto);
  return file;
}

export function loadEchoService(protoFile: string): grpc.ServiceDefinition {
  const definition = protoLoader.loadSync(protoFile, { keepCase: true, longs: Number, enums: String, defaults: true, oneofs: true });
  return (grpc.loadPackageDefinition(definition) as unknown as EchoPackage).statevisor.bench.Echo.service;
}

export interface EchoClient {
  echo(message: string): Promise<EchoMessage>;
  close(): void;
}

export function createEchoClient(socket: string, protoFile: string): EchoClient {
  const method = loadEchoService(protoFile)['Echo']!;
  const client = new grpc.Client(`unix:${socket}`, grpc.credentials.createInsecure());
  return {
    echo(message) {
      return new Promise((resolve, reject) => {
        client.makeUnaryRequest(
          method.path,
          method.requestSerialize,
          method.responseDeserialize,
          { message },
          new grpc.Metadata(),
          { deadline: Date.now() + 10_000 },
          (error, response) => (error ? reject(error) : resolve(response as EchoMessage)),
        );
      });
    },
    close: () => client.close(),
  };
}
