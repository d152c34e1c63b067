/**
 * The TCP listener's certificates: the files of `--tls-cert`, `--tls-key` and `--tls-client-ca`,
 * read and checked together, and re-read on `statevisor reload` so that a rotated certificate is
 * served without a restart.
 *
 * grpc-js (1.14) builds a server's TLS context once, from `ServerCredentials.createSsl`; the one
 * way to change it on a bound server is its experimental certificate-provider credentials, which
 * hand every update to the HTTP/2 server's `setSecureContext` (new connections get the new files,
 * existing ones keep theirs). Its own FileWatcherCertificateProvider polls on a timer and, when a
 * file is unreadable, withdraws the credentials — the listener then drops every new connection.
 * So this provider pushes only what reload read *and* Node accepted as a secure context: files
 * that fail keep the certificates in use, and the error goes back to whoever asked for the reload.
 */
import type { X509Certificate } from 'node:crypto';
import { createSecureContext } from 'node:tls';
import { experimental, type ServerCredentials } from '@grpc/grpc-js';
import { StatevisorError } from '../../errors.js';
import { TlsFileError, checkKeyPair, oneLineName, parseCertificate, readPem } from '../../tls-files.js';
import type { Logger } from '../../manager/logger.js';

type CertificateProvider = experimental.CertificateProvider;
type CaListener = experimental.CaCertificateUpdateListener;
type IdentityListener = experimental.IdentityCertificateUpdateListener;

/** The files, as given on the command line (resolved). */
export interface TlsFiles {
  readonly cert: string;
  readonly key: string;
  /** Clients must present a certificate signed by this CA (mTLS). */
  readonly clientCa?: string;
}

/** What was read from the files, checked. */
export interface CertificateSet {
  readonly cert: Buffer;
  readonly key: Buffer;
  readonly clientCa: Buffer | undefined;
  /** The server certificate, for the log: subject, serial, expiry. */
  readonly served: X509Certificate;
  /** The client CA's subject, for the log. */
  readonly clientCaSubject: string | undefined;
}

/** Reads and checks the files: each error names the flag whose file is wrong, and the file. */
export function readCertificates(files: TlsFiles): CertificateSet {
  const certFile = { label: '--tls-cert', file: files.cert };
  const caFile = files.clientCa === undefined ? undefined : { label: '--tls-client-ca', file: files.clientCa };
  try {
    const cert = readPem(certFile);
    const key = readPem({ label: '--tls-key', file: files.key });
    const clientCa = caFile === undefined ? undefined : readPem(caFile);
    const served = checkKeyPair(certFile, cert, { label: '--tls-key', file: files.key }, key);
    const ca = caFile === undefined ? undefined : parseCertificate(caFile, clientCa!);
    try {
      // What the listener's setSecureContext will do with them: whatever it refuses is refused here, first.
      createSecureContext({ cert, key, ...(clientCa !== undefined && { ca: clientCa }) });
    } catch (error) {
      throw new TlsFileError(`--tls-cert: the TLS context refused ${files.cert} with ${files.key}: ${(error as Error).message}`, { cause: error });
    }
    return { cert, key, clientCa, served, clientCaSubject: ca === undefined ? undefined : oneLineName(ca.subject) };
  } catch (error) {
    if (!(error instanceof TlsFileError)) throw error;
    throw new StatevisorError('E_INVALID_ARGUMENT', error.message, { cause: error });
  }
}

/**
 * Why clients will refuse the served certificate today, if they will: it is still served (the
 * daemon keeps supervising either way), but the log says so at start and at each reload.
 */
export function outOfDate(set: CertificateSet, now: Date = new Date()): string | undefined {
  const from = new Date(set.served.validFrom);
  const to = new Date(set.served.validTo);
  if (now > to) return `the certificate in --tls-cert expired on ${to.toISOString()}: clients will refuse it`;
  if (now < from) return `the certificate in --tls-cert is not valid before ${from.toISOString()}: clients will refuse it until then`;
  return undefined;
}

/** "CN=localhost, serial 02, valid until …" */
export function describeServed(set: CertificateSet): string {
  return `${oneLineName(set.served.subject)}, serial ${set.served.serialNumber}, valid until ${new Date(set.served.validTo).toISOString()}`;
}

/**
 * The certificates the listener serves, as a grpc-js certificate provider (identity and, with a
 * client CA, the CA too). `reload` swaps them only when every file checks out.
 */
export class ReloadableCertificates implements CertificateProvider {
  private current: CertificateSet;
  private readonly caListeners = new Set<CaListener>();
  private readonly identityListeners = new Set<IdentityListener>();

  constructor(readonly files: TlsFiles) {
    this.current = readCertificates(files);
  }

  get certificates(): CertificateSet {
    return this.current;
  }

  /** Server credentials that follow this provider; with a client CA, a client certificate is required. */
  credentials(): ServerCredentials {
    const mutual = this.files.clientCa !== undefined;
    // grpc-js 1.14 names this function's first parameter the CA provider but hands it to the
    // credentials as the identity provider (and the second as the CA one). This object is both;
    // without a client CA the second is null either way, and the identity is this object.
    return experimental.createCertificateProviderServerCredentials(this, mutual ? this : null, mutual);
  }

  /** Re-reads the files; on any error the certificates in use stay, and the error is thrown. */
  reload(): CertificateSet {
    this.current = readCertificates(this.files);
    for (const listener of this.identityListeners) listener(this.identity());
    const ca = this.ca();
    if (ca !== null) for (const listener of this.caListeners) listener(ca);
    return this.current;
  }

  private identity() {
    return { certificate: this.current.cert, privateKey: this.current.key };
  }

  private ca() {
    return this.current.clientCa === undefined ? null : { caCertificate: this.current.clientCa };
  }

  // A new listener hears the current files on the next tick, as grpc-js's own provider does: the
  // server registers its watcher just after subscribing, and would miss an update sent at once.
  addCaCertificateListener(listener: CaListener): void {
    this.caListeners.add(listener);
    process.nextTick(() => this.caListeners.has(listener) && listener(this.ca()));
  }

  removeCaCertificateListener(listener: CaListener): void {
    this.caListeners.delete(listener);
  }

  addIdentityCertificateListener(listener: IdentityListener): void {
    this.identityListeners.add(listener);
    process.nextTick(() => this.identityListeners.has(listener) && listener(this.identity()));
  }

  removeIdentityCertificateListener(listener: IdentityListener): void {
    this.identityListeners.delete(listener);
  }
}

/**
 * `statevisor reload`'s part for the TCP listener: the files re-read and served to new
 * connections, or, when one fails, the line that says why (for ReloadConfig's errors).
 */
export function reloadCertificates(certificates: ReloadableCertificates, logger: Logger): string | undefined {
  try {
    const set = certificates.reload();
    logger.info({ serving: describeServed(set) }, 'TLS certificates reloaded');
    warnIfOutOfDate(set, logger);
    return undefined;
  } catch (error) {
    const reason = `${(error as Error).message}; the TCP listener keeps the certificates it had (${describeServed(certificates.certificates)})`;
    logger.error({ reason }, 'TLS certificates not reloaded');
    return reason;
  }
}

export function warnIfOutOfDate(set: CertificateSet, logger: Logger): void {
  const problem = outOfDate(set);
  if (problem !== undefined) logger.warn({ serving: describeServed(set) }, problem);
}
