/**
 * The ProcessSpec schema shared by gRPC, CLI flags and config files: its types, its defaults,
 * validation at the boundary, loading of config files and directories, its wire and file forms,
 * and its JSON Schema.
 */
export type {
  CommandLine,
  HealthCheckSpec,
  HealthCheckType,
  KillMode,
  LogSink,
  LogTarget,
  LogsSpec,
  ProcessSpec,
  ProcessType,
  ResourcesSpec,
  RestartPolicyInput,
  RestartPolicyName,
  RestartSpec,
  RuntimeKind,
  RuntimeSpec,
  SocketSpec,
  SpecInput,
  StartOn,
  StopSpec,
} from './types.js';
export { healthCheckTypes, killModes, logSinks, processTypes, restartPolicies, restartPolicySynonyms, runtimeKinds, startOnValues } from './types.js';
export { parseListenAddress, type ListenAddress } from './listen-address.js';
export { specDefaults, type SpecDefaults } from './defaults.js';
export { maxDurationMs, parseDuration, readDuration, readMilliseconds, type Parsed } from './duration.js';
export { readByteSize } from './byte-size.js';
export { parseSignal, readSignal } from './signal.js';
export { processNamePattern } from './fields.js';
export { validateSpec, type ValidateOptions } from './validate.js';
export { validateSpecPatch } from './patch.js';
export { SpecValidationError, formatViolation, type Violation } from './violations.js';
export { loadSpecDirectory, loadSpecFile, loadSpecs, specFileExtensions, type LoadError, type LoadResult } from './load.js';
export { specJsonSchema, specJsonSchemaText, specSchemaFile } from './json-schema.js';
