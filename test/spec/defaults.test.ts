/**
 * Defaults live in one object per use (src/spec/defaults.ts for a spec, the chart's own for the
 * embedding API, src/deadlines.ts for waits), and the README's "Defaults" table says where the
 * two uses differ. This pins the table to the values in force, so that neither drifts alone.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { defaultRestartPolicy } from '../../src/index.js';
import { deadlines } from '../../src/deadlines.js';
import { specDefaults } from '../../src/spec/index.js';
import { simulatedManager } from '../helpers/simulated-manager.js';

const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');

/** The cells of the table row whose first cell is `name`: [spec, embedded]. */
function row(name: string): [string, string] {
  const line = readme.split('\n').find((l) => l.startsWith(`| ${name} |`));
  assert.ok(line, `the README's defaults table has a row "${name}"`);
  const cells = line.split('|').map((cell) => cell.trim());
  return [cells[2]!, cells[3]!];
}

const seconds = (ms: number) => `${ms / 1000} s`;

test("the README's defaults table states the spec's defaults and the chart's", async (t) => {
  assert.deepEqual(row('restart policy').map((cell) => cell.split(' ')[0]), [`\`${specDefaults.restart.policy}\``, `\`${defaultRestartPolicy.policy}\``]);
  assert.deepEqual(row('min uptime'), [seconds(specDefaults.restart.minUptimeMs), String(defaultRestartPolicy.minUptimeMs)]);

  const { delayMs, maxDelayMs, startLimitBurst, startLimitIntervalMs } = specDefaults.restart;
  const limits = `${delayMs} ms, ${seconds(maxDelayMs)}, ${startLimitBurst} starts in ${seconds(startLimitIntervalMs)}`;
  assert.deepEqual(row('restart delay, max delay, start limit'), [limits, 'the same']);
  for (const key of ['delayMs', 'maxDelayMs', 'startLimitBurst', 'startLimitIntervalMs'] as const) {
    assert.equal(specDefaults.restart[key], defaultRestartPolicy[key], key);
  }

  // The embedded values, as an embedding program meets them.
  const h = simulatedManager();
  t.after(() => h.dispose());
  h.manager.updateProcess({ id: 'a', type: 'create', config: {} });
  await h.advance(10_000, 1_000);
  const syncs = h.syncer.of('a', 'sync').map((call) => call.at);
  assert.deepEqual(syncs, [0, 10_000], 'resynced every 10 s');
  assert.deepEqual(row('periodic resync'), ['none', `${seconds(syncs[1]!)} (option \`resyncIntervalMs\`)`]);
  h.manager.updateProcess({ id: 'a', type: 'terminate' });
  await h.advance(0);
  const grace = h.syncer.of('a', 'terminating')[0]?.gracePeriodSecs;
  assert.deepEqual(row('grace period'), [seconds(specDefaults.stop.gracePeriodMs), `${grace} s (option \`defaultGracePeriodSecs\`)`]);

  assert.equal(row('shutdown deadline')[1], `${seconds(deadlines.shutdownMs)} (\`shutdown({ timeoutMs })\`)`);
});
