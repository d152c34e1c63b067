/**
 * procmgr's MemStore example on statevisor: three plugin instances, a health report, periodic
 * resyncs, a live config update, a graceful termination with a 5 s grace period, and shutdown.
 * Run with `npm run example:memstore`. Waits are shorter than procmgr's so it ends in ~10 s.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { createProcessManager, type HealthReport } from '../../src/index.js';
import { MemStoreSyncer, type ProcessConfig } from './memstore-syncer.js';

const log = (line: string): void => console.log(line);
const seconds = (ms: number): string => `${Math.round(ms / 1000)}s`;

function printHealth(health: HealthReport, final: boolean): void {
  log(`Total processes: ${health.total}`);
  log(`Running processes: ${health.running}`);
  if (final) {
    log(`Terminating processes: ${health.terminating}`);
  } else {
    log(`Failed processes: ${health.failed}`);
    log(`Work queue depth: ${health.workQueueDepth}`);
  }
  for (const p of Object.values(health.processes).sort((a, b) => a.id.localeCompare(b.id))) {
    const errors = final ? '' : `, errors=${p.errorCount}`;
    log(`  Process ${p.id}: state=${p.state}, healthy=${p.healthy}, uptime=${seconds(p.uptimeMs)}${errors}`);
  }
}

async function main(): Promise<void> {
  log('=== MemStore ProcessManager Example ===');
  const manager = createProcessManager<ProcessConfig>({
    syncer: new MemStoreSyncer(log),
    resyncIntervalMs: 2_000,
    backoffPeriodMs: 5_000,
  });

  const configs: ProcessConfig[] = [
    { id: 'memstore-1', plugin: { name: 'memstore-1', version: '0.1.0', maxKeys: 1000, cleanupPeriod: '30s' } },
    { id: 'memstore-2', plugin: { name: 'memstore-2', version: '0.1.0', maxKeys: 5000, cleanupPeriod: '60s' } },
    { id: 'memstore-3', plugin: { name: 'memstore-3', version: '0.1.0', maxKeys: 100, cleanupPeriod: '15s' } },
  ];

  log('\n--- Starting 3 MemStore processes ---');
  for (const config of configs) manager.updateProcess({ id: config.id, type: 'create', config });
  await sleep(1_000);

  log('\n--- Checking process health ---');
  printHealth(manager.health(), false);

  log('\n--- Running for 5 seconds (periodic resyncs will occur) ---');
  await sleep(5_000);

  log('\n--- Updating memstore-2 configuration ---');
  const updated: ProcessConfig = {
    id: 'memstore-2',
    plugin: { ...configs[1]!.plugin, maxKeys: 10_000, cleanupPeriod: '45s' },
  };
  manager.updateProcess({ id: 'memstore-2', type: 'update', config: updated });
  await sleep(1_000);

  log('\n--- Terminating memstore-1 gracefully ---');
  await new Promise<void>((resolve) =>
    manager.updateProcess({
      id: 'memstore-1',
      type: 'terminate',
      terminate: { gracePeriodSecs: 5, onCompleted: () => resolve() },
    }),
  );

  log('\n--- Final health check ---');
  printHealth(manager.health(), true);

  log('\n--- Shutting down process manager ---');
  try {
    await manager.shutdown({ timeoutMs: 10_000 });
    log('Shutdown completed successfully');
  } catch (error) {
    log(`Shutdown error: ${(error as Error).message}`);
    process.exitCode = 1;
  }
  log('\n=== Example complete ===');
}

await main();
