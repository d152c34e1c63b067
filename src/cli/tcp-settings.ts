/**
 * The CLI's way to a daemon over TCP: `--addr`, `--token-file`, `--tls-ca`, `--tls-cert` and
 * `--tls-key`, each else its environment variable (STATEVISOR_ADDR, STATEVISOR_TOKEN_FILE,
 * STATEVISOR_TLS_CA, STATEVISOR_TLS_CERT, STATEVISOR_TLS_KEY). A flag wins over its variable,
 * and `--socket` wins over STATEVISOR_ADDR (the variables are then ignored, as settings meant for
 * another daemon). Files are read and checked here, so that an error names the flag — or the
 * variable — that named the wrong file, before anything is sent.
 */
import { UsageError } from './errors.js';
import { readTokenFile } from '../token-file.js';
import { TlsFileError, checkKeyPair, parseCertificate, readPem, type NamedFile } from '../tls-files.js';
import type { TlsOptions } from '../client/index.js';

/** The global options that choose a daemon (commander's names for the flags). */
export interface ConnectionFlags {
  socket?: string;
  addr?: string;
  tokenFile?: string;
  tlsCa?: string;
  tlsCert?: string;
  tlsKey?: string;
}

const names = {
  addr: { flag: '--addr', env: 'STATEVISOR_ADDR' },
  tokenFile: { flag: '--token-file', env: 'STATEVISOR_TOKEN_FILE' },
  tlsCa: { flag: '--tls-ca', env: 'STATEVISOR_TLS_CA' },
  tlsCert: { flag: '--tls-cert', env: 'STATEVISOR_TLS_CERT' },
  tlsKey: { flag: '--tls-key', env: 'STATEVISOR_TLS_KEY' },
} as const;

type Setting = keyof typeof names;
const credentialSettings = ['tokenFile', 'tlsCa', 'tlsCert', 'tlsKey'] as const;

/** A setting's value and where it came from: "--tls-cert", or "STATEVISOR_TLS_CERT (--tls-cert)". */
function given(flags: ConnectionFlags, setting: Setting, env: NodeJS.ProcessEnv): { label: string; value: string } | undefined {
  const { flag, env: variable } = names[setting];
  const fromFlag = flags[setting];
  if (fromFlag !== undefined) return { label: flag, value: fromFlag };
  const fromEnv = env[variable];
  return fromEnv ? { label: `${variable} (${flag})`, value: fromEnv } : undefined;
}

/** The file a setting names, labelled for its errors. */
function file(flags: ConnectionFlags, setting: Setting, env: NodeJS.ProcessEnv): NamedFile | undefined {
  const found = given(flags, setting, env);
  return found === undefined ? undefined : { label: found.label, file: found.value };
}

export interface TcpSettings {
  /** "host:port" */
  readonly address: string;
  readonly token?: string;
  readonly tls?: TlsOptions;
}

function readToken({ label, file }: NamedFile): string {
  try {
    return readTokenFile(file);
  } catch (error) {
    throw new UsageError(`${label}: ${(error as Error).message}`);
  }
}

function usage<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof TlsFileError) throw new UsageError(error.message);
    throw error;
  }
}

function tlsOptions(ca: NamedFile | undefined, cert: NamedFile | undefined, key: NamedFile | undefined): TlsOptions | undefined {
  if (ca === undefined && cert === undefined && key === undefined) return undefined;
  if (cert !== undefined && key === undefined) throw new UsageError(`${cert.label} needs --tls-key (the certificate's private key)`);
  if (key !== undefined && cert === undefined) throw new UsageError(`${key.label} needs --tls-cert (the certificate of that key)`);
  return usage(() => {
    const caPem = ca === undefined ? undefined : readPem(ca);
    if (ca !== undefined) parseCertificate(ca, caPem!);
    if (cert === undefined || key === undefined) return { ...(caPem !== undefined && { ca: caPem }) };
    const certPem = readPem(cert);
    const keyPem = readPem(key);
    checkKeyPair(cert, certPem, key, keyPem);
    return { ...(caPem !== undefined && { ca: caPem }), cert: certPem, key: keyPem };
  });
}

/**
 * grpc-js sends the address's host as the TLS server name even when it is an IP address
 * (grpc-node#1919), and Node warns about that once per process (DEP0123) — a warning about the
 * library, not the user's command, printed into its output. Only that warning is dropped.
 */
let quieted = false;
function quietIpServerNameWarning(): void {
  if (quieted) return;
  quieted = true;
  const printers = process.listeners('warning');
  process.removeAllListeners('warning');
  process.on('warning', (warning: Error & { code?: string }) => {
    if (warning.code === 'DEP0123') return;
    for (const print of printers) print(warning);
  });
}

/** The TCP daemon the flags and environment name, with its credentials read; undefined for the Unix socket. */
export function tcpSettings(flags: ConnectionFlags, env: NodeJS.ProcessEnv = process.env): TcpSettings | undefined {
  if (flags.addr !== undefined && flags.socket !== undefined) throw new UsageError('give either --socket or --addr, not both');
  const address = given(flags, 'addr', env);
  if (flags.socket !== undefined || address === undefined) {
    const misplaced = credentialSettings.filter((setting) => flags[setting] !== undefined).map((setting) => names[setting].flag);
    if (misplaced.length > 0) {
      throw new UsageError(`${misplaced.join(', ')} ${misplaced.length === 1 ? 'goes' : 'go'} with --addr: the Unix socket is guarded by its file mode`);
    }
    return undefined;
  }
  const tokenFile = file(flags, 'tokenFile', env);
  const tls = tlsOptions(file(flags, 'tlsCa', env), file(flags, 'tlsCert', env), file(flags, 'tlsKey', env));
  if (tls !== undefined) quietIpServerNameWarning();
  return {
    address: address.value,
    ...(tokenFile !== undefined && { token: readToken(tokenFile) }),
    ...(tls !== undefined && { tls }),
  };
}
