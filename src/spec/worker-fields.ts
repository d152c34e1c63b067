/**
 * What a worker-thread workload (runtime: worker) cannot have. A thread runs inside the daemon's
 * process: it has no user, group, umask, working directory, process group, cgroup, pid or file
 * descriptors of its own, and nothing to run hooks or pass sockets to. Each such field is refused
 * with the reason, never accepted and ignored.
 */
import { snakeCase } from './section.js';
import type { ProcessSpec } from './types.js';
import type { Violations } from './violations.js';

const noThread = 'a worker thread runs inside the daemon\'s process';

export function checkWorkerFields(spec: ProcessSpec, found: Violations): void {
  if (spec.runtime.kind !== 'worker') return;
  const refuse = (field: string, value: unknown, why: string) => found.add(field, value, `nothing for runtime worker (${why})`);
  if (spec.user !== undefined) refuse('user', spec.user, `${noThread}: it runs as the daemon's user`);
  if (spec.group !== undefined) refuse('group', spec.group, `${noThread}: it runs with the daemon's groups`);
  if (spec.umask !== undefined) refuse('umask', spec.umask, `${noThread}, whose umask all its threads share`);
  if (spec.workingDir !== undefined) refuse('working_dir', spec.workingDir, `${noThread}, whose working directory all its threads share`);
  if (spec.stop.killMode !== undefined) refuse('stop.kill_mode', spec.stop.killMode, 'a thread has no process group or cgroup to signal: its task\'s AbortSignal fires, then the thread is terminated');
  if (spec.stop.signal !== 'SIGTERM') refuse('stop.signal', spec.stop.signal, 'a thread cannot be sent a signal: its task\'s AbortSignal fires instead');
  if (spec.type === 'forking') refuse('type', spec.type, 'a thread cannot fork a daemon: simple or oneshot');
  if (spec.pidfile !== undefined) refuse('pidfile', spec.pidfile, 'a thread has no pid of its own');
  if (spec.sockets.length > 0) refuse('sockets', spec.sockets.map((s) => s.listen).join(', '), 'a thread cannot be handed file descriptors 3..; listen from the module');
  if (spec.runtimeDirectory !== undefined) refuse('runtime_directory', spec.runtimeDirectory, 'not made for a worker: create it from the module');
  for (const field of ['execStartPre', 'execStartPost', 'execStopPost'] as const) {
    if (spec[field].length > 0) {
      refuse(snakeCase(field), spec[field].map((line) => line.join(' ')).join('; '), 'hooks run as the process\'s user in its process group, which a thread has not');
    }
  }
}
