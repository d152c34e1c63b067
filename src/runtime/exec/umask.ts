/**
 * Node has no umask option for spawn. The fork happens synchronously inside spawn(), so setting
 * the process's umask around that one call gives the child its umask and nobody else's. Used by
 * the daemon (an inline spawn) and by the spawner (spawner-process.ts): this file imports nothing.
 */
export function withUmask<T>(umask: number | undefined, fn: () => T): T {
  if (umask === undefined) return fn();
  const previous = process.umask(umask);
  try {
    return fn();
  } finally {
    process.umask(previous);
  }
}
