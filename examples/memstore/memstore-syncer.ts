/**
 * The ProcessSyncer that drives MemStore instances: the three hooks procmgr's example has,
 * written against statevisor's embedding API.
 */
import type { CleanupContext, ProcessSyncer, SyncProcessContext, TerminatingContext } from '../../src/index.js';
import { MemStore, type MemStoreConfig } from './memstore.js';

export interface ProcessConfig {
  readonly id: string;
  readonly plugin: MemStoreConfig;
}

export class MemStoreSyncer implements ProcessSyncer<ProcessConfig> {
  private readonly plugins = new Map<string, MemStore>();

  constructor(private readonly log: (line: string) => void) {}

  syncProcess({ updateType }: SyncProcessContext, config: ProcessConfig) {
    let store = this.plugins.get(config.id);
    if (!store) {
      this.log(`Creating new MemStore instance: ${config.id}`);
      store = new MemStore();
      this.plugins.set(config.id, store);
    }
    if (updateType === 'create' || updateType === 'update') {
      this.log(`Initializing MemStore ${config.id} with config: ${JSON.stringify(config.plugin)}`);
      store.initialize(config.plugin);
      this.log(`Starting MemStore ${config.id}`);
      store.start();
    }
    this.log(`Checking health of MemStore ${config.id}`);
    const health = store.health();
    this.log(`MemStore ${config.id} health: ${health.status} - ${health.message}`);
    // An unhealthy store is over: let the chart terminate it now rather than at the next resync.
    return { terminal: health.status === 'unhealthy' };
  }

  async syncTerminatingProcess(
    { signal }: TerminatingContext,
    config: ProcessConfig,
    gracePeriodSecs: number,
  ): Promise<void> {
    const store = this.plugins.get(config.id);
    if (!store) {
      this.log(`MemStore ${config.id} not found (already stopped?)`);
      return;
    }
    this.log(`Stopping MemStore ${config.id} (grace period: ${gracePeriodSecs} seconds)`);
    await store.stop(signal);
    this.log(`MemStore ${config.id} stopped successfully`);
  }

  syncTerminatedProcess(_context: CleanupContext, config: ProcessConfig): void {
    this.log(`Cleaning up MemStore ${config.id}`);
    this.plugins.delete(config.id);
  }
}
