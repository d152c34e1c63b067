/**
 * Server streams as async generators. The call starts on the first next(), and it is cancelled
 * whichever way iteration ends: the consumer breaks out or throws (return() runs `finally`), the
 * signal aborts, or a message fails to convert. No default deadline: a followed stream is meant
 * to run until someone stops it; a per-call deadlineMs still applies when given.
 */
import type { Connection } from './connect.js';
import { toClientError } from './errors.js';
import { abortError, closedError, grpcCallOptions, rpcName, type CallOptions, type RpcMethod } from './rpc.js';

export async function* serverStream<Request, Response, Item>(
  connection: Connection,
  method: RpcMethod<Request, Response>,
  request: Request,
  convert: (message: Response) => Item,
  options: CallOptions = {},
): AsyncGenerator<Item, void, undefined> {
  const rpc = rpcName(method);
  const { signal } = options;
  if (signal?.aborted) throw abortError(signal, rpc);
  if (connection.closed) throw closedError(rpc);
  let call;
  try {
    call = connection.client.makeServerStreamRequest(
      method.path,
      method.requestSerialize,
      method.responseDeserialize,
      request,
      connection.metadata(),
      grpcCallOptions(options.deadlineMs),
    );
  } catch (error) {
    throw toClientError(error, rpc);
  }
  // Our own cancel() still ends the call with a CANCELLED 'error' event after the consumer has
  // left; without a listener Node would rethrow it as an uncaught exception.
  call.on('error', () => {});
  const cancel = (): void => call.cancel();
  signal?.addEventListener('abort', cancel, { once: true });
  try {
    for await (const message of call) yield convert(message as Response);
  } catch (error) {
    throw signal?.aborted ? abortError(signal, rpc, error) : toClientError(error, rpc);
  } finally {
    signal?.removeEventListener('abort', cancel);
    // A no-op once the status has arrived; otherwise it tells the server to stop sending.
    call.cancel();
  }
}
