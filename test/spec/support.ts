/** Helpers shared by the spec tests. */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SpecValidationError, type Violation } from '../../src/spec/index.js';

/** The smallest valid spec. */
export const minimal = { name: 'web', command: '/bin/true' } as const;

/** The violations `run` throws; fails the test when it throws none or something else. */
export function violationsOf(run: () => unknown): Violation[] {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof SpecValidationError, `expected a SpecValidationError, got ${String(error)}`);
    assert.equal(error.code, 'E_SPEC_INVALID');
    return [...error.violations];
  }
  return assert.fail('expected a SpecValidationError, but nothing was thrown');
}

/** The one violation `run` throws. */
export function violationOf(run: () => unknown): Violation {
  const violations = violationsOf(run);
  assert.equal(violations.length, 1, `expected one violation, got ${JSON.stringify(violations)}`);
  return violations[0] as Violation;
}

/** A fresh temporary directory for `body`, removed afterwards whatever happens. */
export async function withTempDir(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'statevisor-spec-'));
  try {
    await body(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
