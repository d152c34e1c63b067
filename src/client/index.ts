/**
 * statevisor/client: a typed, promise-based client for the daemon's gRPC API.
 */
export {
  createClient,
  type StatevisorClient,
  type CreateOptions,
  type StopOptions,
  type DeleteOptions,
  type DeleteResult,
  type ListOptions,
  type UpdateOptions,
  type SignalOptions,
  type LogsOptions,
  type InspectOptions,
} from './client.js';
export { createFleetClient, defaultHostTimeoutMs, type FleetClient, type FleetHost, type FleetOptions, type HostResult } from './fleet.js';
export { defaultDeadlineMs, type ClientOptions, type SocketClientOptions, type TcpClientOptions, type TlsOptions } from './connect.js';
// Shared with the daemon, so that both resolve the default socket by the same rule.
export { defaultSocketPath, type PathContext } from '../paths.js';
export type { CallOptions } from './rpc.js';
export {
  RpcError,
  isNotFound,
  isAlreadyExists,
  isInvalidState,
  isInvalidArgument,
  isUnavailable,
  isUnauthenticated,
  isUnimplemented,
  isDeadlineExceeded,
  isCancelled,
} from './errors.js';
export { StatevisorError, hasCode, type ErrorCode } from '../errors.js';
export type * from './types.js';
export type * from './spec-types.js';
