/**
 * `statevisor startup systemd`: print the systemd unit that runs this daemon (this node, this
 * statevisor, the daemon flags given), or with --install write it and say the two commands that
 * enable and start it. The unit's settings and why are in ../startup/systemd-unit.ts.
 *
 * `--socket` and `--token-file` are the root program's options (commander takes a root option
 * wherever it appears), read here as the daemon's: its socket, and its TCP listener's token.
 */
import { accessSync, constants, existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { defaultSocketPath, defaultStateDir } from '../../paths.js';
import { notice, UsageError } from '../errors.js';
import { paragraph, withExamples } from '../help.js';
import { printJson, printLine } from '../output.js';
import { daemonFiles, systemdUnit, type DaemonFlags } from '../startup/systemd-unit.js';
import { defaultUnitFile, installUnit, unitName } from '../startup/unit-install.js';

interface SystemdOptions {
  socket?: string;
  tokenFile?: string;
  json?: boolean;
  install?: boolean;
  force?: boolean;
  unitFile: string;
  stateDir?: string;
  config?: string;
  tcp?: string;
  tlsCert?: string;
  tlsKey?: string;
  tlsClientCa?: string;
}

/** dist/src/cli/commands/startup.js → dist/src/bin/statevisor.js, through any symlink (npm's bin link). */
function statevisorScript(): string {
  return realpathSync(fileURLToPath(new URL('../../bin/statevisor.js', import.meta.url)));
}

/** Where systemd finds systemd-notify (the service's PATH has both). */
const notifyHelpers = ['/usr/bin/systemd-notify', '/bin/systemd-notify'];

function hasNotifyHelper(): boolean {
  return notifyHelpers.some((file) => {
    try {
      accessSync(file, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** The directories systemd loads units from: a unit elsewhere is enabled by its path. */
const unitDirectories = ['/etc/systemd/system', '/run/systemd/system', '/usr/lib/systemd/system', '/lib/systemd/system'];

/** The daemon's flags, absolute (the service runs in /), checked as the daemon would check them. */
function daemonFlags(options: SystemdOptions): DaemonFlags {
  const { tcp, tokenFile, tlsCert, tlsKey, tlsClientCa } = options;
  const tls = [tlsCert, tlsKey, tlsClientCa].some((value) => value !== undefined);
  if (tcp === undefined && (tokenFile !== undefined || tls)) {
    throw new UsageError('--token-file and --tls-* go with --tcp: they guard the TCP listener');
  }
  if (tcp !== undefined && tokenFile === undefined && tlsClientCa === undefined) {
    throw new UsageError('--tcp needs --token-file or --tls-client-ca: the TCP listener never runs without credentials');
  }
  if ((tlsCert === undefined) !== (tlsKey === undefined)) throw new UsageError('--tls-cert and --tls-key go together');
  if (tlsClientCa !== undefined && tlsCert === undefined) throw new UsageError('--tls-client-ca needs --tls-cert and --tls-key');
  // The service runs as root with systemd's environment: root's defaults, not this shell's.
  const rootDefaults = { uid: 0, env: {} };
  return {
    socket: path.resolve(options.socket ?? defaultSocketPath(rootDefaults)),
    stateDir: path.resolve(options.stateDir ?? defaultStateDir(rootDefaults)),
    ...(options.config !== undefined && { config: path.resolve(options.config) }),
    ...(tcp !== undefined && { tcp }),
    ...(tokenFile !== undefined && { tokenFile: path.resolve(tokenFile) }),
    ...(tlsCert !== undefined && { tlsCert: path.resolve(tlsCert) }),
    ...(tlsKey !== undefined && { tlsKey: path.resolve(tlsKey) }),
    ...(tlsClientCa !== undefined && { tlsClientCa: path.resolve(tlsClientCa) }),
  };
}

/**
 * The files the daemon reads at start: one missing there stops it, and Restart=always retries
 * until systemd gives up. Said on stderr, not refused: the unit may be written before the files.
 */
function warnMissing(flags: DaemonFlags): void {
  for (const [flag, file] of daemonFiles(flags)) {
    if (!existsSync(file)) notice(`note: ${flag} ${file} does not exist (yet): the daemon does not start without it`);
  }
}

/** The two commands after an install: systemd reads the new file, then enables and starts it. */
export function enableCommands(file: string): string[] {
  const loaded = unitDirectories.includes(path.dirname(file));
  const unit = loaded ? unitName(file).replace(/\.service$/, '') : file;
  return ['systemctl daemon-reload', `systemctl enable --now ${unit}`];
}

export function register(program: Command): void {
  const startup = program.command('startup').description('run the daemon as a system service');
  withExamples(startup, 'sudo statevisor startup systemd --install --config /etc/statevisor');
  const systemd = startup
    .command('systemd')
    .description('print the systemd unit that runs this daemon, or --install it')
    .option('--install', 'write the unit to --unit-file, and say how to enable it')
    .option('--unit-file <path>', 'where --install writes the unit', defaultUnitFile)
    .option('--force', 'with --install: replace a unit that has other settings')
    .option('--state-dir <dir>', "the daemon's --state-dir (default /var/lib/statevisor)")
    .option('--config <path>', "the daemon's --config: a file or directory of processes")
    .option('--tcp <host:port>', 'the daemon also listens on TCP (needs --token-file or --tls-client-ca)')
    .option('--tls-cert <file>', "the TCP listener's certificate (with --tls-key)")
    .option('--tls-key <file>', "the TCP listener's private key")
    .option('--tls-client-ca <file>', 'require client certificates signed by this CA on TCP')
    .addHelpText(
      'after',
      `\n${paragraph(
        "--socket is the daemon's socket (default /run/statevisor/statevisor.sock) and --token-file the " +
          "TCP listener's token. The unit runs this node and this statevisor by their absolute paths, " +
          'with Delegate=yes, KillMode=process (processes outlive a crashed daemon and are adopted), ' +
          'Restart=always, and Type=notify when systemd-notify is installed.',
      )}`,
    );
  withExamples(
    systemd,
    'statevisor startup systemd --config /etc/statevisor',
    'sudo statevisor startup systemd --install --config /etc/statevisor',
  );
  systemd.action((_options: unknown, self: Command) => {
    const options = self.optsWithGlobals<SystemdOptions>();
    if (options.force && !options.install) throw new UsageError('--force goes with --install');
    const flags = daemonFlags(options);
    const text = systemdUnit({
      ...flags,
      node: process.execPath,
      statevisor: statevisorScript(),
      notify: hasNotifyHelper(),
      version: program.version() ?? 'unknown',
    });
    warnMissing(flags);
    if (!options.install) {
      if (options.json) printJson({ unit: text });
      else process.stdout.write(text);
      return;
    }
    const file = path.resolve(options.unitFile);
    const outcome = installUnit(file, text, options.force === true);
    const commands = enableCommands(file);
    if (options.json) return printJson({ unit_file: file, written: outcome === 'written', commands });
    printLine(outcome === 'written' ? `wrote ${file}` : `${file} already holds this unit`);
    printLine(`to enable and start it: ${commands.join(' && ')}`);
  });
}
