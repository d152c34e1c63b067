/**
 * A tiny in-memory key-value "plugin": the kind of thing a program embeds statevisor to manage.
 * It has a lifecycle (initialize, start, stop) and a health check, and nothing else.
 */
export interface MemStoreConfig {
  readonly name: string;
  readonly version: string;
  readonly maxKeys: number;
  readonly cleanupPeriod: string;
}

export interface MemStoreHealth {
  readonly status: 'healthy' | 'unhealthy';
  readonly message: string;
}

export class MemStore {
  private readonly data = new Map<string, string>();
  private config: MemStoreConfig | undefined;
  private running = false;

  initialize(config: MemStoreConfig): void {
    if (config.maxKeys <= 0) throw new Error(`max_keys must be positive, got ${config.maxKeys}`);
    this.config = config;
  }

  start(): void {
    if (!this.config) throw new Error('start before initialize');
    this.running = true;
  }

  set(key: string, value: string): void {
    if (!this.running) throw new Error('store is not running');
    if (!this.data.has(key) && this.data.size >= (this.config?.maxKeys ?? 0)) throw new Error('store is full');
    this.data.set(key, value);
  }

  health(): MemStoreHealth {
    if (!this.running) return { status: 'unhealthy', message: 'not running' };
    return { status: 'healthy', message: `healthy, ${this.data.size} keys stored` };
  }

  /** Stops within the signal's deadline: flushing is simulated by a short wait. */
  async stop(signal: AbortSignal): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, 50);
      signal.addEventListener('abort', () => {
        clearTimeout(timer);
        reject(new Error('stop abandoned: grace period over'));
      });
    });
    this.running = false;
    this.data.clear();
  }
}
