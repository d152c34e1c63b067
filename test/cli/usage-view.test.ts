import { test } from 'node:test';
import assert from 'node:assert/strict';
import { usageView } from '../../src/cli/views/usage.js';
import type { ResourceUsage } from '../../src/client/index.js';

const worker: ResourceUsage = {
  cpuUserUs: 87_000,
  cpuSystemUs: 0,
  cpuPercent: 1.1,
  rssBytes: 5 * 1024 * 1024,
  memoryLimitBytes: 64 * 1024 * 1024,
  pids: 0,
  fds: 0,
  ioReadBytes: 0,
  ioWriteBytes: 0,
  source: 'worker',
  cgroupMemoryBytes: 5 * 1024 * 1024,
  cpuLimitMillis: 0,
  pidsLimit: 0,
  limits: [],
};

test('a worker thread\'s usage reads as its heap and its event loop, not a cgroup or /proc', () => {
  // Regression: a worker's heap was shown as "resident, charged to the cgroup", its source as /proc.
  const text = usageView('consumer', worker);
  assert.match(text, /5\.0 MiB JS heap in use \(heap cap 64 MiB\)/);
  assert.match(text, /worker thread/);
  assert.doesNotMatch(text, /cgroup|\/proc/);
});
