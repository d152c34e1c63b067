/**
 * What the TCP listener demands of a caller, from the daemon's flags. The rule (API.md):
 *
 * - `--token-file` alone: a bearer token on every call (plaintext TCP, for a trusted network);
 * - `--tls-cert` + `--tls-key`: the daemon serves TLS; a token is still required (server TLS
 *   proves the daemon to the client, not the client to the daemon);
 * - `--tls-client-ca` (with the two above): a client certificate signed by that CA, checked in
 *   the TLS handshake; with `--token-file` as well, the token too — both must pass.
 *
 * The Unix socket takes none of these: its file mode (0600) is its access control.
 */
import { StatevisorError } from '../../errors.js';
import { ReloadableCertificates, describeServed } from './tls-certificates.js';

export interface TcpAuthOptions {
  readonly tcp?: string;
  readonly token?: string;
  /** Paths of --tls-cert, --tls-key, --tls-client-ca. */
  readonly tls?: { readonly cert?: string; readonly key?: string; readonly clientCa?: string };
}

export interface TcpAuth {
  /** Required as `authorization: Bearer <token>` on every call. */
  readonly token?: string;
  /** The listener serves TLS with these; with a client CA, clients need a certificate. */
  readonly certificates?: ReloadableCertificates;
}

function invalid(message: string): StatevisorError {
  return new StatevisorError('E_INVALID_ARGUMENT', message);
}

/** The TCP listener's credentials, read and checked; undefined without --tcp. Throws on a flag that does not fit. */
export function tcpAuthOf(options: TcpAuthOptions): TcpAuth | undefined {
  const { cert, key, clientCa } = options.tls ?? {};
  const given = [cert !== undefined && '--tls-cert', key !== undefined && '--tls-key', clientCa !== undefined && '--tls-client-ca'].filter(
    (flag) => flag !== false,
  );
  if (options.tcp === undefined) {
    if (given.length > 0) throw invalid(`${given.join(', ')} go with --tcp: the Unix socket is guarded by its file mode`);
    return undefined;
  }
  if (clientCa !== undefined && (cert === undefined || key === undefined)) {
    throw invalid('--tls-client-ca needs --tls-cert and --tls-key: the daemon shows clients its own certificate before it checks theirs');
  }
  if (cert !== undefined && key === undefined) throw invalid("--tls-cert needs --tls-key (the certificate's private key)");
  if (key !== undefined && cert === undefined) throw invalid('--tls-key needs --tls-cert (the certificate of that key)');
  if (!options.token && clientCa === undefined) {
    throw invalid('--tcp needs --token-file or --tls-client-ca (or both): the TCP listener never runs without credentials');
  }
  return {
    ...(options.token ? { token: options.token } : {}),
    ...(cert !== undefined && key !== undefined && { certificates: new ReloadableCertificates({ cert, key, ...(clientCa !== undefined && { clientCa }) }) }),
  };
}

/** For the start log: what a caller must bring, and what the daemon serves. */
export function describeTcpAuth(auth: TcpAuth): string {
  const certificates = auth.certificates?.certificates;
  const token = auth.token === undefined ? '' : 'a bearer token';
  if (certificates === undefined) return `${token} over plaintext TCP`;
  const served = `serving ${describeServed(certificates)}`;
  if (certificates.clientCaSubject === undefined) return `TLS (${served}) and ${token}`;
  const client = `a client certificate signed by ${certificates.clientCaSubject}`;
  return `mTLS (${served}): ${client}${token === '' ? '' : ` and ${token}`}`;
}
