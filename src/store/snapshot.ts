/**
 * `snapshot.json`: the whole stored state as of journal entry `seq`. Replaced atomically, so it
 * is never torn; any damage to it is reported, never guessed around.
 */
import { join } from 'node:path';
import { StatevisorError } from '../errors.js';
import { replaceFile } from './atomic-file.js';
import { isProcessRecord, isRunRecord } from './entries.js';
import type { StoreFs } from './fs-adapter.js';
import { errorCode, fileError } from './fs-adapter.js';
import type { StoredState } from './records.js';
import { deepFreeze, emptyState } from './records.js';

export const snapshotFile = 'snapshot.json';
const version = 1;

export interface Snapshot {
  /** The last journal entry the snapshot includes; replay starts after it. */
  seq: number;
  state: StoredState;
}

/** Serialises synchronously, so the snapshot is a consistent cut even while writes continue. */
export function encodeSnapshot(seq: number, state: StoredState): Buffer {
  return Buffer.from(`${JSON.stringify({ version, seq, processes: state.processes, runs: state.runs })}\n`);
}

export async function writeSnapshot(fs: StoreFs, dir: string, encoded: Buffer): Promise<void> {
  await replaceFile(fs, dir, snapshotFile, encoded, false);
}

/** The snapshot in `dir`, or an empty state at seq 0 when there is none yet. */
export async function readSnapshot(fs: StoreFs, dir: string): Promise<Snapshot> {
  const path = join(dir, snapshotFile);
  let text: string;
  try {
    text = (await fs.readFile(path)).toString('utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return { seq: 0, state: emptyState() };
    throw fileError('read', path, error);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw corrupt(path, `not JSON (${describe(error)})`);
  }
  return decode(path, parsed);
}

function decode(path: string, parsed: unknown): Snapshot {
  if (typeof parsed !== 'object' || parsed === null) throw corrupt(path, 'not a JSON object');
  const { version: found, seq, processes, runs } = parsed as Record<string, unknown>;
  if (found !== version) throw corrupt(path, `unknown version ${JSON.stringify(found)}`);
  if (!Number.isSafeInteger(seq) || (seq as number) < 0) throw corrupt(path, `bad seq ${JSON.stringify(seq)}`);
  if (!isMap(processes) || !isMap(runs)) throw corrupt(path, 'processes and runs must be objects');
  const state = emptyState();
  for (const [id, record] of Object.entries(processes)) {
    if (!isProcessRecord(record) || record.id !== id) throw corrupt(path, `bad process record '${id}'`);
    state.processes[id] = deepFreeze(record);
  }
  for (const [id, run] of Object.entries(runs)) {
    if (!isRunRecord(run)) throw corrupt(path, `bad run record '${id}'`);
    state.runs[id] = deepFreeze(run);
  }
  return { seq: seq as number, state };
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function corrupt(path: string, reason: string): StatevisorError {
  return new StatevisorError('E_INTERNAL', `corrupt state file ${path}: ${reason}`);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
