import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestDaemon } from '../helpers/daemon-harness.js';
import { cliOn, oneErrorLine } from './run.js';

test('health prints the serving status and exits 0 only when SERVING', async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  const cli = cliOn(h.socket);

  assert.deepEqual(await cli('health'), { stdout: 'SERVING\n', stderr: '', code: 0 });
  assert.deepEqual(JSON.parse((await cli('health', '--json')).stdout), { status: 'SERVING' });

  // What the daemon reports while it shuts down, set directly: the CLI must not exit 0 for it.
  const { health } = h.daemon.listeners[0]!;
  health.setStatus('', 'NOT_SERVING');
  try {
    assert.deepEqual(await cli('health'), { stdout: 'NOT_SERVING\n', stderr: '', code: 1 });
  } finally {
    health.setStatus('', 'SERVING');
  }

  const unknown = await cli('health', 'no.such.Service');
  assert.equal(unknown.code, 1);
  assert.match(oneErrorLine(unknown), /no\.such\.Service/);
});
