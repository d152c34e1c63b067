/**
 * A request whose bytes do not decode is the caller's mistake: INVALID_ARGUMENT. grpc-js catches
 * a deserializer's error itself and answers INTERNAL "Error deserializing request", so each
 * method's deserializer is wrapped: a decode failure becomes a MalformedRequest in place of the
 * request, which the handler guard (guarded-handlers.ts) answers with INVALID_ARGUMENT naming
 * the message that could not be decoded and why.
 */
import type { ServiceDefinition } from '@grpc/grpc-js';
import { StatevisorError } from '../../errors.js';
import { clip } from '../../spec/code-points.js';

export class MalformedRequest {
  constructor(
    /** e.g. statevisor.v1.CreateProcessRequest */
    readonly messageType: string,
    readonly reason: string,
  ) {}

  toError(): StatevisorError {
    return new StatevisorError(
      'E_INVALID_ARGUMENT',
      `request: the bytes received are not a valid ${this.messageType} (${clip(this.reason, 200)})`,
    );
  }
}

/** `/statevisor.v1.ProcessManager/CreateProcess` → `statevisor.v1.CreateProcessRequest` */
function requestTypeName(path: string, method: { requestType?: { type?: { name?: unknown } } }): string {
  const service = path.slice(1, path.lastIndexOf('/'));
  const pkg = service.slice(0, service.lastIndexOf('.'));
  const name = method.requestType?.type?.name;
  return `${pkg}.${typeof name === 'string' ? name : `${path.slice(path.lastIndexOf('/') + 1)}Request`}`;
}

/** The service with every request deserializer answering a MalformedRequest instead of throwing. */
export function withTolerantDeserializers<S extends ServiceDefinition>(service: S): S {
  const tolerant: Record<string, unknown> = {};
  for (const [name, method] of Object.entries(service)) {
    const type = requestTypeName(method.path, method as never);
    tolerant[name] = {
      ...method,
      requestDeserialize(bytes: Buffer): unknown {
        try {
          return method.requestDeserialize(bytes);
        } catch (error) {
          return new MalformedRequest(type, error instanceof Error ? error.message : String(error));
        }
      },
    };
  }
  return tolerant as S;
}
