/**
 * npm run from a test, on the package this build is of. The environment is the test's without the
 * `npm_*` variables an enclosing `npm test` sets (its prefix, its lifecycle event), which would
 * otherwise steer the npm run here; the cache stays, since that is where installs come from.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { testEnv } from '../helpers/daemon-binary.js';

/** dist/test/package/ → the repository root. */
export const packageRoot = fileURLToPath(new URL('../../../', import.meta.url));

export function npmEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = testEnv();
  for (const name of Object.keys(env)) if (/^npm_/i.test(name) && name.toLowerCase() !== 'npm_config_cache') delete env[name];
  return { ...env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false', ...extra };
}

/** Runs npm and resolves with its stdout; rejects with its stderr on failure. */
export function npm(args: readonly string[], options: { cwd: string; timeoutMs?: number }): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('npm', args, { cwd: options.cwd, env: npmEnv(), timeout: options.timeoutMs ?? 120_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
      error ? reject(new Error(`npm ${args.join(' ')} failed: ${error.message}\n${stderr}`)) : resolve(stdout),
    );
  });
}
