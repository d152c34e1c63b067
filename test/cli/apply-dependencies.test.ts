// Issue 14: `apply -f` of a file whose processes depend on each other creates what is needed
// first (the daemon refuses a dependency on a process it does not have yet), and reports a cycle
// among the file's processes, naming it, while applying the rest.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { startTestDaemon } from '../helpers/daemon-harness.js';
import { cliOn } from './run.js';

test('apply -f creates a file\'s processes in dependency order, and refuses a cycle among them by name', { timeout: 90_000 }, async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  const file = path.join(h.dir, 'deps.yaml');
  writeFileSync(
    file,
    `processes:
  - { name: web, command: "true", requires: ["db:healthy"], after: [migrate] }
  - { name: migrate, command: "true", type: oneshot, after: [db] }
  - { name: db, command: "true" }
  - { name: a, command: "true", after: [b] }
  - { name: b, command: "true", wants: [a] }
`,
  );
  const result = await cliOn(h.socket)('apply', '-f', file);
  assert.equal(result.code, 1, result.stderr);
  assert.equal(result.stdout, 'added db\nadded migrate\nadded web\n');
  assert.deepEqual(result.stderr.trimEnd().split('\n'), ['statevisor: a: dependency cycle: a → b → a', 'statevisor: b: dependency cycle: a → b → a']);
});
