/**
 * The exec runtime: the process chart's hooks for real OS processes. `create` spawns; a resync
 * checks nothing the exit event does not already tell; terminating sends the stop signal per
 * kill_mode; terminated SIGKILLs what is left and waits for the reap. Exits are reported to the
 * chart through `onExit` the moment libuv reaps the child — no polling.
 */
import type { ProcessSyncer, SyncProcessContext, TerminatingContext, CleanupContext } from '../../manager/syncer.js';
import type { ProcessSpec } from '../../spec/types.js';
import type { ChildExit, ChildHandle } from './child-handle.js';
import { spawnChild, type SpawnContext } from './spawn-child.js';
import { killRemains, stopWorkload } from './stop-workload.js';
import { signalGroup } from '../os/process-group.js';

export interface ExecRuntimeOptions extends SpawnContext {
  /** Told of every exit of a current child, with the process id it belongs to. */
  readonly onExit: (id: string, exit: ChildExit) => void;
}

export class ExecSyncer implements ProcessSyncer<ProcessSpec> {
  private readonly children = new Map<string, ChildHandle>();

  constructor(private readonly options: ExecRuntimeOptions) {}

  /** The live (or last, until cleaned up) child of a process. */
  child(id: string): ChildHandle | undefined {
    return this.children.get(id);
  }

  async syncProcess({ id, updateType, signal }: SyncProcessContext, spec: ProcessSpec) {
    if (updateType !== 'create') return { terminal: false };
    const handle = await spawnChild(spec, this.options);
    if (signal.aborted) {
      // A stop or delete overtook the spawn: the chart has moved on and will never manage this
      // child, so it must not outlive the call.
      signalGroup(handle.pgid, 'SIGKILL');
      throw signal.reason;
    }
    this.children.set(id, handle);
    void handle.exited.then((exit) => {
      // A stale exit (the process was restarted or forgotten since) must not reach the new run.
      if (this.children.get(id) === handle) this.options.onExit(id, exit);
    });
    return { terminal: false };
  }

  async syncTerminatingProcess({ id, signal }: TerminatingContext, spec: ProcessSpec) {
    const handle = this.children.get(id);
    if (!handle) return;
    await stopWorkload(handle, spec.stop.killMode, spec.stop.signal as NodeJS.Signals, signal);
  }

  async syncTerminatedProcess({ id, signal }: CleanupContext, spec: ProcessSpec) {
    const handle = this.children.get(id);
    if (!handle) return;
    await killRemains(handle, spec.stop.killMode, signal);
    this.children.delete(id);
  }

  /** Every pid this runtime still answers for (for leak checks and shutdown). */
  pids(): number[] {
    return [...this.children.values()].filter((h) => h.alive).map((h) => h.pid);
  }
}
