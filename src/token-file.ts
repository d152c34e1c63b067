/**
 * Reading a bearer token from `--token-file`, for the daemon and the CLI alike. As ssh does with
 * private keys, a token file that others can read (or change) is refused rather than used: the
 * token is the whole of the TCP listener's protection, and a world-readable one is no secret.
 * The checks are made on the opened descriptor, so the file checked is the file read.
 */
import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs';

/** The file cannot serve as a token file; the message names it and says how to fix it. */
export class TokenFileError extends Error {
  override readonly name = 'TokenFileError';
}

/** The file's contents, as written (callers trim), once it is shown to be the reader's alone. */
export function readTokenFile(file: string, uid: number | undefined = process.getuid?.()): string {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    throw new TokenFileError(`cannot read ${file}: ${(error as Error).message}`);
  }
  try {
    const stats = fstatSync(fd);
    if (uid !== undefined && stats.uid !== uid) {
      throw new TokenFileError(`'${file}' is owned by uid ${stats.uid}, not by uid ${uid} that reads it, who could change it; fix: chown ${uid} ${file}`);
    }
    if ((stats.mode & 0o077) !== 0) {
      const mode = `0${(stats.mode & 0o777).toString(8)}`;
      throw new TokenFileError(`permissions ${mode} for '${file}' are too open: a token must be readable by its owner only; fix: chmod 600 ${file}`);
    }
    return readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
}
