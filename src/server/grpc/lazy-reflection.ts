/**
 * gRPC server reflection (grpc.reflection.v1 and v1alpha), loaded at its first call. Building
 * @grpc/reflection's descriptors of our package took 230–400 ms of a daemon's start and 3–4 MB of
 * its RSS, for a service that only tools such as grpcurl ask, and seldom. The listeners carry
 * two stand-in services with the same paths: the first message of a reflection call loads the
 * package, which registers its real services on a stand-in server, and every call is then
 * handed to them (their serializers and handlers), so the wire sees no difference.
 */
import { createRequire } from 'node:module';
import type { MethodDefinition, Server, ServiceDefinition, UntypedServiceImplementation } from '@grpc/grpc-js';
import { packageDefinition } from '../../proto/load.js';

const require = createRequire(import.meta.url);

type AnyMethod = MethodDefinition<unknown, unknown>;
type Handler = (call: unknown) => void;

const methodName = 'ServerReflectionInfo';
const versions = ['v1', 'v1alpha'] as const;
const pathOf = (version: string) => `/grpc.reflection.${version}.ServerReflection/${methodName}`;

/** The package's own method definitions and handlers, by path, once loaded. */
let real: Map<string, { method: AnyMethod; handler: Handler }> | undefined;

function loaded(path: string): { method: AnyMethod; handler: Handler } {
  if (real === undefined) {
    const { ReflectionService } = require('@grpc/reflection') as typeof import('@grpc/reflection');
    const found = new Map<string, { method: AnyMethod; handler: Handler }>();
    const collector = {
      addService(service: ServiceDefinition, handlers: UntypedServiceImplementation) {
        for (const [name, method] of Object.entries(service)) found.set(method.path, { method: method as AnyMethod, handler: handlers[name] as Handler });
      },
    };
    new ReflectionService(packageDefinition).addToServer(collector as unknown as Server);
    real = found;
  }
  const entry = real.get(path);
  if (entry === undefined) throw new Error(`@grpc/reflection serves no ${path}`);
  return entry;
}

/** True once a reflection call loaded the package (tests check that an idle daemon has not). */
export function reflectionLoaded(): boolean {
  return real !== undefined;
}

function standIn(path: string): AnyMethod {
  return {
    path,
    requestStream: true,
    responseStream: true,
    requestSerialize: (value) => loaded(path).method.requestSerialize(value),
    requestDeserialize: (bytes) => loaded(path).method.requestDeserialize(bytes),
    responseSerialize: (value) => loaded(path).method.responseSerialize(value),
    responseDeserialize: (bytes) => loaded(path).method.responseDeserialize(bytes),
  };
}

/** Adds both reflection services to `server`, their package not yet loaded. */
export function addLazyReflection(server: Server): void {
  for (const version of versions) {
    const path = pathOf(version);
    server.addService({ [methodName]: standIn(path) }, { [methodName]: (call: unknown) => loaded(path).handler(call) });
  }
}
