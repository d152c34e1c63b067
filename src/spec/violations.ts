/**
 * What validation found wrong, field by field. Every problem is collected before anything is
 * thrown, so that one round trip fixes a whole file. Violations travel over the wire and into
 * logs, so the offending values they keep are cut down to a readable size.
 */
import { StatevisorError } from '../errors.js';
import { clip, firstCodePoints } from './code-points.js';

export interface Violation {
  /** snake_case path: `restart.policy`, `health_check.port`, `args[2]`, `env["A B"]`; '' is the spec itself. */
  field: string;
  /** The offending value (long strings and large collections summarized); undefined when missing. */
  value: unknown;
  expected: string;
}

const maxKept = 100;
const maxListed = 20;

export class Violations {
  readonly list: Violation[] = [];
  /** Violations beyond the ones kept. */
  dropped = 0;

  add(field: string, value: unknown, expected: string): void {
    if (this.list.length >= maxKept) {
      this.dropped += 1;
      return;
    }
    this.list.push({ field, value: preview(value), expected });
  }

  /** add, for readers that report and return "no value" in one step. */
  reject(field: string, value: unknown, expected: string): undefined {
    this.add(field, value, expected);
    return undefined;
  }

  get empty(): boolean {
    return this.list.length === 0;
  }

  /** Whether a violation was already reported at this path or below it. */
  touched(path: string): boolean {
    return this.list.some(
      (v) => v.field === path || v.field.startsWith(`${path}.`) || v.field.startsWith(`${path}[`),
    );
  }
}

export class SpecValidationError extends StatevisorError {
  readonly violations: readonly Violation[];
  constructor(found: Violations, context: { source?: string | undefined; name?: string | undefined } = {}) {
    super('E_SPEC_INVALID', describe(found, context));
    this.name = 'SpecValidationError';
    this.violations = found.list;
  }
}

function describe(found: Violations, { source, name }: { source?: string | undefined; name?: string | undefined }): string {
  const subject = ['invalid process spec', name && render(name), source && `in ${source}`]
    .filter(Boolean)
    .join(' ');
  const total = found.list.length + found.dropped;
  const listed = found.list.slice(0, maxListed).map(formatViolation);
  if (total > listed.length) listed.push(`and ${total - listed.length} more`);
  return `${subject}: ${listed.join('; ')}`;
}

/** `restart.policy: got "sometimes", expected one of ...` */
export function formatViolation(violation: Violation): string {
  return `${violation.field || 'spec'}: ${describeProblem(violation)}`;
}

/** The violation without its field: `got "sometimes", expected one of ...` */
export function describeProblem({ value, expected }: Violation): string {
  return `${value === undefined ? 'missing' : `got ${render(value)}`}, expected ${expected}`;
}

function render(value: unknown): string {
  let text: string;
  try {
    // Numbers and bigints as written: JSON would show NaN as null and throw on 1n.
    text = typeof value === 'number' || typeof value === 'bigint' ? String(value) : (JSON.stringify(value) ?? String(value));
  } catch {
    text = Object.prototype.toString.call(value);
  }
  return clip(text, 80);
}

function preview(value: unknown): unknown {
  if (typeof value === 'string' && value.length > 256) {
    return `${firstCodePoints(value, 64)}... (${value.length} characters)`;
  }
  if (Array.isArray(value) && value.length > 16) return `(an array of ${value.length} items)`;
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const keys = Object.keys(value).length;
    if (keys > 16) return `(an object with ${keys} fields)`;
  }
  return value;
}

/** `restart` + `policy` → `restart.policy`; map keys that are not identifiers are quoted. */
export function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) return `${parent}[${JSON.stringify(key)}]`;
  return parent ? `${parent}.${key}` : key;
}
