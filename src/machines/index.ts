export * from './backoff.js';
export * from './restart-policy.js';
export * from './process-types.js';
export * from './process-context.js';
export * from './process-state.js';
export * from './process.machine.js';
export * from './supervisor.machine.js';
