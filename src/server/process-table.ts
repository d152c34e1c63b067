/**
 * The daemon's definitions: every process that was created and not deleted, by id and by name.
 * What runs is the charts' business; this table only says what exists and with which spec.
 */
import { StatevisorError } from '../errors.js';
import type { ProcessSpec } from '../spec/types.js';
import type { Desired, Source } from './persistence.js';

export interface ProcessEntry {
  readonly id: string;
  spec: ProcessSpec;
  readonly createdAt: number;
  /** Where the definition came from: the API, or the daemon's --config (which reload owns). */
  readonly source: Source;
  /** What the user last asked for; restored after a daemon restart. */
  desired: Desired;
}

export class ProcessTable {
  private readonly byId = new Map<string, ProcessEntry>();
  private readonly idByName = new Map<string, string>();

  add(entry: ProcessEntry): void {
    if (this.idByName.has(entry.spec.name)) {
      throw new StatevisorError('E_ALREADY_EXISTS', `a process named '${entry.spec.name}' already exists`);
    }
    this.byId.set(entry.id, entry);
    this.idByName.set(entry.spec.name, entry.id);
  }

  remove(id: string): void {
    const entry = this.byId.get(id);
    if (!entry) return;
    this.byId.delete(id);
    this.idByName.delete(entry.spec.name);
  }

  /** By id or by name; E_NOT_FOUND names what was asked for. */
  get(nameOrId: string): ProcessEntry {
    const entry = this.byId.get(nameOrId) ?? this.byId.get(this.idByName.get(nameOrId) ?? '');
    if (!entry) throw new StatevisorError('E_NOT_FOUND', `no process named or with id '${nameOrId}'`);
    return entry;
  }

  has(nameOrId: string): boolean {
    return this.byId.has(nameOrId) || this.idByName.has(nameOrId);
  }

  hasName(name: string): boolean {
    return this.idByName.has(name);
  }

  all(): ProcessEntry[] {
    return [...this.byId.values()];
  }

  get size(): number {
    return this.byId.size;
  }
}
