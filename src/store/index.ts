export { Store } from './store.js';
export type { StoreOptions } from './store.js';
export type { StoreFile, StoreFs } from './fs-adapter.js';
export { nodeFs } from './fs-adapter.js';
export type {
  DesiredState,
  ProcessRecord,
  RecordSource,
  RunRecord,
  StoredState,
  StoredStateView,
} from './records.js';
