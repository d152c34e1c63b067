export { Store } from './store.js';
export type { JournalRepair, StoreOptions } from './store.js';
export { CorruptJournalError } from './journal.js';
export type { DamagedLine } from './journal.js';
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
