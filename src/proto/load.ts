/**
 * The wire contract, loaded once with explicit options. Client and server both use this, so
 * they agree on field casing (snake_case, as in the .proto), int64s as JS numbers, enums as
 * their names, and defaults filled in except for `optional` fields, whose presence is kept.
 */
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import type { ProtoGrpcType } from './generated/process_manager.js';

/** proto/ at the package root: dist/src/proto/load.js is three levels below it. */
export const protoRoot = fileURLToPath(new URL('../../../proto/', import.meta.url));
export const protoFile = path.join(protoRoot, 'statevisor/v1/process_manager.proto');

export const loaderOptions: protoLoader.Options = {
  keepCase: true,
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: true,
  includeDirs: [protoRoot],
};

export const packageDefinition = protoLoader.loadSync(protoFile, loaderOptions);
export const wire = grpc.loadPackageDefinition(packageDefinition) as unknown as ProtoGrpcType;
export const serviceName = 'statevisor.v1.ProcessManager';
