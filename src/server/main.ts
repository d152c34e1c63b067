/**
 * `statevisor daemon`: parse the daemon's flags, start it, keep it running through any error no
 * handler caught (last-resort.ts), and stop it cleanly on SIGTERM or SIGINT (every process
 * stopped within its grace period, then exit 0).
 */
import path from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { defaultSocketPath, defaultStateDir } from '../paths.js';
import { StatevisorError } from '../errors.js';
import { readTokenFile } from '../token-file.js';

import { defaultRestartRate, startDaemon } from './daemon.js';
import { relayUrl } from './relay-url.js';
import { describeJournalRepair } from './journal-repair.js';
import { LastResort } from './last-resort.js';
import { createDaemonLogger, logLevels, type LogLevel } from './logger.js';
import { serviceNotifier } from './service-notify.js';

function hostPort(value: string): string {
  const match = /^(.+):(\d{1,5})$/.exec(value) ?? /^()(\d{1,5})$/.exec(value);
  if (!match || Number(match[2]) > 65535) throw new InvalidArgumentError(`expected HOST:PORT, got "${value}"`);
  return `${match[1] || '127.0.0.1'}:${match[2]}`;
}

function restartRate(value: string): number {
  const rate = Number(value);
  if (value.trim() === '' || !Number.isFinite(rate) || rate < 0) {
    throw new InvalidArgumentError(`expected restarts per second (0 for no limit), got "${value}"`);
  }
  return rate;
}

function inspectWs(value: string): string {
  try {
    return relayUrl(value);
  } catch {
    throw new InvalidArgumentError(`expected a Stately inspector relay like ws://127.0.0.1:8080, got "${value}"`);
  }
}

function readToken(file: string): string {
  try {
    return readTokenFile(file).trim();
  } catch (error) {
    throw new StatevisorError('E_INVALID_ARGUMENT', `--token-file: ${(error as Error).message}`);
  }
}

/** The TLS flags' files, resolved now: reload re-reads them whatever the daemon's directory is then. */
function tlsFiles(options: { tlsCert?: string; tlsKey?: string; tlsClientCa?: string }) {
  const resolved = (file: string | undefined) => (file === undefined ? undefined : path.resolve(file));
  const files = { cert: resolved(options.tlsCert), key: resolved(options.tlsKey), clientCa: resolved(options.tlsClientCa) };
  return Object.values(files).every((file) => file === undefined) ? undefined : files;
}

export function daemonCommand(): Command {
  return new Command('statevisor daemon')
    .description('run the supervisor daemon in the foreground')
    // Handled before this parser (src/bin → src/cli/daemon-control.ts); listed so that --help shows them.
    .option('--detach', 'run it in the background instead: its own session, output to <state-dir>/daemon.log; returns once it answers')
    .option('--stop', 'stop the daemon running on --socket (SIGTERM), and wait until it is gone')
    .option('--socket <path>', 'Unix socket to listen on', defaultSocketPath())
    .option('--tcp <host:port>', 'also listen on TCP (requires --token-file, --tls-client-ca, or both)', hostPort)
    .option('--token-file <path>', 'bearer token required on the TCP listener (a file only you can read: chmod 600)')
    .option('--tls-cert <file>', 'serve TLS on the TCP listener with this certificate (PEM; a chain: leaf first); `statevisor reload` re-reads it')
    .option('--tls-key <file>', "the private key of --tls-cert (PEM)")
    .option('--tls-client-ca <file>', 'mTLS: require a client certificate signed by this CA (PEM); with --token-file, the token as well')
    .option('--state-dir <dir>', 'where state and captured logs live', defaultStateDir())
    .option('--config <path>', 'a YAML/JSON file of processes, or a directory of them, loaded at start')
    .option('--cgroup-root <dir>', 'where cgroup hierarchies are mounted', '/sys/fs/cgroup')
    .option('--http <host:port>', 'serve the web console, /metrics and /healthz (off loopback, the console needs --token-file to log in)', hostPort)
    .option(
      '--inspect-ws <url>',
      'stream the actor system to a Stately inspector relay, redacted (see `statevisor inspect --stately`); default $STATEVISOR_INSPECT_WS',
      inspectWs,
      process.env.STATEVISOR_INSPECT_WS || undefined,
    )
    .option(
      '--restart-rate <per-second>',
      `restarts let through per second across all processes; crash loops beyond it wait their turn, so the API stays responsive (0: no limit; default ${defaultRestartRate})`,
      restartRate,
    )
    .option(
      '--repair-journal',
      'start even if the journal is damaged in the middle: keep every readable entry, keep the damaged file as store/journal.jsonl.damaged-<time>, and print what was lost',
    )
    .option('--no-spawner', "spawn children from the daemon itself, not from its small spawner process (slower: fork's cost grows with the daemon's size)")
    .addOption(new Option('--log-level <level>', 'log level').choices(logLevels).default('info'))
    .action(async (options: {
      socket: string;
      tcp?: string;
      tokenFile?: string;
      tlsCert?: string;
      tlsKey?: string;
      tlsClientCa?: string;
      stateDir: string;
      config?: string;
      http?: string;
      inspectWs?: string;
      cgroupRoot: string;
      repairJournal?: boolean;
      restartRate?: number;
      spawner: boolean;
      logLevel: LogLevel;
    }) => {
      const logger = createDaemonLogger(options.logLevel);
      const token = options.tokenFile === undefined ? undefined : readToken(options.tokenFile);
      const tls = tlsFiles(options);
      // From the start, so that nothing the daemon runs can escape it; a failed start still ends the process.
      const lastResort = new LastResort();
      const uninstall = lastResort.install(process, logger);
      const daemon = await startDaemon({
        lastResort,
        socket: path.resolve(options.socket),
        stateDir: path.resolve(options.stateDir),
        logger,
        cgroupRoot: path.resolve(options.cgroupRoot),
        ...(options.tcp !== undefined && { tcp: options.tcp }),
        ...(options.http !== undefined && { http: options.http }),
        ...(options.inspectWs !== undefined && { inspectWs: options.inspectWs }),
        ...(token !== undefined && { token, tokenFile: options.tokenFile! }),
        ...(tls !== undefined && { tls }),
        ...(options.config !== undefined && { configPath: path.resolve(options.config) }),
        ...(options.repairJournal === true && { repairJournal: true }),
        ...(options.restartRate !== undefined && { restartRate: options.restartRate }),
        spawner: options.spawner,
      }).catch((error: unknown) => {
        uninstall();
        throw error;
      });
      // Said plainly on stderr as well as in the log: what was lost is for a person to read.
      for (const line of daemon.journalRepair === undefined ? [] : describeJournalRepair(daemon.journalRepair)) {
        process.stderr.write(`statevisor: ${line}\n`);
      }
      const notifier = serviceNotifier({ env: process.env, pid: process.pid, logger });
      const stop = (signal: string) => {
        logger.info({ signal }, 'stop requested');
        notifier.stopping().then(() => daemon.stop()).then(
          () => process.exit(0),
          (error: unknown) => {
            logger.error({ err: error }, 'stop failed');
            process.exit(1);
          },
        );
      };
      process.once('SIGTERM', () => stop('SIGTERM'));
      process.once('SIGINT', () => stop('SIGINT'));
      // Under systemd (Type=notify): the daemon answers on its socket now, and has loaded its config.
      await notifier.ready();
    });
}
