/**
 * Journal entries: one change to the stored state each, numbered by `seq`. The same
 * `applyEntry` runs for a live mutation and for replay after a restart, so what a reopened store
 * holds is, by construction, what the running store held.
 */
import type { DesiredState, ProcessRecord, RunRecord, StoredState } from './records.js';
import { deepFreeze } from './records.js';

export type Change =
  | { op: 'put'; record: ProcessRecord }
  | { op: 'delete'; id: string }
  | { op: 'desired'; id: string; desired: DesiredState }
  | { op: 'run'; id: string; run: RunRecord }
  | { op: 'clearRun'; id: string };

export type JournalEntry = Change & { seq: number };

/**
 * Applies one entry in place. Records arrive straight from JSON.parse (never a caller's object),
 * are frozen here, and replace their predecessor. Entries about an id that is gone are no-ops:
 * the live store refuses them before they are journaled, so replay meets them only if it must
 * be lenient anyway.
 */
export function applyEntry(state: StoredState, entry: JournalEntry): void {
  switch (entry.op) {
    case 'put':
      state.processes[entry.record.id] = deepFreeze(entry.record);
      return;
    case 'delete':
      delete state.processes[entry.id];
      delete state.runs[entry.id];
      return;
    case 'desired': {
      const current = state.processes[entry.id];
      if (current !== undefined) state.processes[entry.id] = Object.freeze({ ...current, desired: entry.desired });
      return;
    }
    case 'run':
      if (state.processes[entry.id] !== undefined) state.runs[entry.id] = deepFreeze(entry.run);
      return;
    case 'clearRun':
      delete state.runs[entry.id];
      return;
  }
}

/**
 * Checks the shape of a parsed journal line; returns the entry or a reason it is not one. A line
 * that parses as JSON but has the wrong shape is corruption too, and must be reported as such
 * rather than applied.
 */
export function parseEntry(value: unknown): JournalEntry | string {
  if (!isObject(value)) return 'not a JSON object';
  const { seq, op } = value;
  if (!Number.isSafeInteger(seq) || (seq as number) < 1) return `bad seq ${JSON.stringify(seq)}`;
  switch (op) {
    case 'put':
      return isProcessRecord(value.record) ? (value as JournalEntry) : 'put without a valid record';
    case 'delete':
    case 'clearRun':
      return typeof value.id === 'string' ? (value as JournalEntry) : `${op} without an id`;
    case 'desired':
      return typeof value.id === 'string' && isDesired(value.desired)
        ? (value as JournalEntry)
        : 'desired without an id and a desired state';
    case 'run':
      return typeof value.id === 'string' && isRunRecord(value.run)
        ? (value as JournalEntry)
        : 'run without an id and a valid run';
    default:
      return `unknown op ${JSON.stringify(op)}`;
  }
}

export function isProcessRecord(value: unknown): value is ProcessRecord {
  return (
    isObject(value) &&
    typeof value.id === 'string' &&
    'spec' in value &&
    typeof value.createdAt === 'number' &&
    isDesired(value.desired) &&
    (value.source === 'api' || value.source === 'config')
  );
}

export function isRunRecord(value: unknown): value is RunRecord {
  return (
    isObject(value) &&
    ['pid', 'pgid', 'startTime', 'runCount', 'startedAt'].every((key) => typeof value[key] === 'number')
  );
}

function isDesired(value: unknown): value is DesiredState {
  return value === 'running' || value === 'stopped';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
