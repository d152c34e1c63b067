/**
 * Reading PEM certificates and keys for TLS, for the daemon's `--tls-*` flags and the CLI's
 * alike. Each error starts with the label of the setting that named the file (a flag, or the
 * environment variable it came from) and names the file, so that a person knows which to fix;
 * a key that is not the certificate's is caught here rather than as a failed handshake later.
 */
import { readFileSync } from 'node:fs';
import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';

/** The file cannot serve; the message starts with the setting's label. */
export class TlsFileError extends Error {
  override readonly name = 'TlsFileError';
}

/** A file as some setting named it: `{ label: '--tls-cert', file: 'server.pem' }`. */
export interface NamedFile {
  readonly label: string;
  readonly file: string;
}

export function readPem({ label, file }: NamedFile): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new TlsFileError(`${label}: cannot read ${file}: ${(error as Error).message}`, { cause: error });
  }
}

/** The first certificate of a PEM file (a chain starts with its leaf). */
export function parseCertificate({ label, file }: NamedFile, pem: Buffer): X509Certificate {
  try {
    return new X509Certificate(pem);
  } catch (error) {
    throw new TlsFileError(`${label}: ${file} holds no PEM certificate (${(error as Error).message})`, { cause: error });
  }
}

function parseKey({ label, file }: NamedFile, pem: Buffer): KeyObject {
  try {
    return createPrivateKey(pem);
  } catch (error) {
    throw new TlsFileError(`${label}: ${file} holds no usable private key (${(error as Error).message})`, { cause: error });
  }
}

/** Checks that `key` holds the private key of the certificate in `cert`. */
export function checkKeyPair(cert: NamedFile, certPem: Buffer, key: NamedFile, keyPem: Buffer): X509Certificate {
  const certificate = parseCertificate(cert, certPem);
  if (!certificate.checkPrivateKey(parseKey(key, keyPem))) {
    throw new TlsFileError(`${key.label}: ${key.file} is not the private key of the certificate in ${cert.file} (${cert.label})`);
  }
  return certificate;
}

/** "CN=test CA, O=…" on one line: X509Certificate gives one attribute per line. */
export function oneLineName(name: string): string {
  return name.split('\n').join(', ');
}
