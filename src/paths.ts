/**
 * Where the daemon listens and keeps its state when no flag says otherwise (API.md). Client and
 * daemon both resolve the socket here, so that both started by one user meet without flags.
 */
import os from 'node:os';
import path from 'node:path';

export interface PathContext {
  env?: NodeJS.ProcessEnv;
  uid?: number;
  homedir?: string;
}

function resolve(context: PathContext) {
  return {
    env: context.env ?? process.env,
    uid: context.uid ?? process.getuid?.() ?? -1,
    home: context.homedir ?? os.homedir(),
  };
}

export function defaultSocketPath(context: PathContext = {}): string {
  const { env, uid, home } = resolve(context);
  if (env.STATEVISOR_SOCKET) return env.STATEVISOR_SOCKET;
  if (uid === 0) return '/run/statevisor/statevisor.sock';
  if (env.XDG_RUNTIME_DIR) return path.join(env.XDG_RUNTIME_DIR, 'statevisor.sock');
  return path.join(home, '.statevisor', 'statevisor.sock');
}

export function defaultStateDir(context: PathContext = {}): string {
  const { env, uid, home } = resolve(context);
  if (env.STATEVISOR_STATE_DIR) return env.STATEVISOR_STATE_DIR;
  return uid === 0 ? '/var/lib/statevisor' : path.join(home, '.statevisor');
}
