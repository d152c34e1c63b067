/**
 * The daemon's definitions: every process that was created and not deleted, by id and by name.
 * What runs is the charts' business; this table only says what exists and with which spec.
 */
import { StatevisorError } from '../errors.js';
import { dependencyFields, namesOf, type DependencyField } from '../spec/dependencies.js';
import type { ProcessSpec } from '../spec/types.js';
import type { Desired, Source } from './persistence.js';

export interface ProcessEntry {
  readonly id: string;
  /** Replaced through the table's setSpec, which keeps its reference counts. */
  readonly spec: ProcessSpec;
  readonly createdAt: number;
  /** Where the definition came from: the API, or the daemon's --config (which reload owns). */
  readonly source: Source;
  /** What the user last asked for; restored after a daemon restart. */
  desired: Desired;
}

export class ProcessTable {
  private readonly byId = new Map<string, ProcessEntry>();
  private readonly idByName = new Map<string, string>();
  /**
   * field → name → how many specs name it in that field. Every stop and every phase change asks
   * whether anything requires or binds to the process: answered here in O(1), where scanning
   * every spec made a mass stop of 1,000 processes quadratic.
   */
  private readonly references = new Map<DependencyField, Map<string, number>>(dependencyFields.map((field) => [field, new Map()]));

  add(entry: ProcessEntry): void {
    if (this.idByName.has(entry.spec.name)) {
      throw new StatevisorError('E_ALREADY_EXISTS', `a process named '${entry.spec.name}' already exists`);
    }
    this.byId.set(entry.id, entry);
    this.idByName.set(entry.spec.name, entry.id);
    this.count(entry.spec, 1);
  }

  remove(id: string): void {
    const entry = this.byId.get(id);
    if (!entry) return;
    this.byId.delete(id);
    this.idByName.delete(entry.spec.name);
    this.count(entry.spec, -1);
  }

  /** A new spec for a known entry (same name: an update never renames). */
  setSpec(entry: ProcessEntry, spec: ProcessSpec): void {
    const known = this.byId.get(entry.id) === entry;
    if (known) this.count(entry.spec, -1);
    (entry as { spec: ProcessSpec }).spec = spec;
    if (known) this.count(spec, 1);
  }

  /** Whether any spec names `name` in `field` (requires and after entries without their condition). */
  isNamedIn(field: DependencyField, name: string): boolean {
    return (this.references.get(field)!.get(name) ?? 0) > 0;
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

  private count(spec: ProcessSpec, delta: 1 | -1): void {
    for (const field of dependencyFields) {
      const counts = this.references.get(field)!;
      // A name listed twice in one field counts once, so that removing the spec undoes it exactly.
      for (const name of new Set(namesOf(spec, field))) {
        const next = (counts.get(name) ?? 0) + delta;
        if (next === 0) counts.delete(name);
        else counts.set(name, next);
      }
    }
  }
}
