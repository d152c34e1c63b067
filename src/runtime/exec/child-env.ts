/**
 * What a child's environment is made of, in this order (later wins):
 *
 * 1. the daemon's own environment at start, without the daemon's own settings: every
 *    `STATEVISOR_*` variable, every `NODE_*` variable except `NODE_ENV` (NODE_OPTIONS can
 *    preload code into a child `node`; NODE_PATH, NODE_EXTRA_CA_CERTS, NODE_TLS_REJECT_UNAUTHORIZED,
 *    NODE_V8_COVERAGE, NODE_CHANNEL_FD and the rest change how it runs; NODE_ENV is the
 *    application's own convention and stays), and any variable holding the token file's path or
 *    the token itself, and what systemd set for the daemon's own unit (`serviceManagerOwn`:
 *    with NotifyAccess=all a child's READY=1 or MAINPID= on an inherited NOTIFY_SOCKET would
 *    speak for the daemon) (`baseEnvOf`, computed once when the daemon starts);
 * 2. with `user:`, that user's HOME, USER and LOGNAME (spawn-child.ts);
 * 3. `env_files`, in order; 4. `env`;
 * 5. the daemon's markers STATEVISOR_PROCESS_ID and STATEVISOR_STATE_DIR (src/spec/markers.ts),
 *    last, so that nothing above can forge them.
 *
 * A spec that sets a marker in `env` is refused at validation; a marker in an env file is
 * overridden by step 5. An exec health probe gets steps 1 and 4 (exec-syncer.ts), no markers.
 */
import path from 'node:path';

export interface DaemonSecrets {
  /** The --token-file path, as given; its resolved form is removed too. */
  readonly tokenFile?: string;
  readonly token?: string;
}

/**
 * What systemd sets for the service it runs (systemd.exec(5), "Environment variables set or
 * propagated by the service manager") and means for that service alone: the daemon's
 * notification socket and watchdog, sockets passed to it, its main pid, and its directories.
 * INVOCATION_ID and JOURNAL_STREAM stay: they name the unit's run and the daemon's stderr, and a
 * child whose stderr is not that stream ignores the latter.
 */
const serviceManagerOwn = new Set([
  'NOTIFY_SOCKET',
  'WATCHDOG_USEC',
  'WATCHDOG_PID',
  'LISTEN_FDS',
  'LISTEN_PID',
  'LISTEN_FDNAMES',
  'MAINPID',
  'RUNTIME_DIRECTORY',
  'STATE_DIRECTORY',
  'CACHE_DIRECTORY',
  'LOGS_DIRECTORY',
  'CONFIGURATION_DIRECTORY',
  'CREDENTIALS_DIRECTORY',
]);

/** The daemon's variables a child must not inherit (step 1). */
export function isDaemonOwn(name: string): boolean {
  return name.startsWith('STATEVISOR_') || (name.startsWith('NODE_') && name !== 'NODE_ENV') || serviceManagerOwn.has(name);
}

/** Step 1: the environment every child starts from. */
export function baseEnvOf(daemonEnv: NodeJS.ProcessEnv, secrets: DaemonSecrets = {}): NodeJS.ProcessEnv {
  const secretValues = new Set<string>();
  if (secrets.tokenFile !== undefined) secretValues.add(secrets.tokenFile).add(path.resolve(secrets.tokenFile));
  if (secrets.token) secretValues.add(secrets.token);
  const kept = Object.entries(daemonEnv).filter(
    ([name, value]) => value !== undefined && !isDaemonOwn(name) && !secretValues.has(value),
  );
  return Object.fromEntries(kept);
}
