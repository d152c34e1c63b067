/**
 * The files outside the state dir that the daemon created (a `logs.stdout: /path` target, and
 * its rotated copies): only these may it rotate, rename over or delete. A file is known by its
 * identity (device, inode, birth time), not its name, so a rename keeps it ours and a file
 * someone else puts at the same name is not. The ledger is saved beside the captured logs,
 * lazily: losing the newest entries to a crash only makes the daemon leave a file of its own
 * alone, the safe direction.
 */
import { closeSync, constants, lstatSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import type { Ownership } from './rotating-file.js';

function identityOf(path: string): string | undefined {
  try {
    const stat = lstatSync(path, { bigint: true });
    if (!stat.isFile()) return undefined;
    return `${stat.dev}:${stat.ino}:${stat.birthtimeNs}`;
  } catch {
    return undefined;
  }
}

export class OwnedFiles implements Ownership {
  readonly #identities: Set<string>;
  #dirty = false;

  constructor(private readonly ledger: string) {
    this.#identities = new Set(readLedger(ledger));
  }

  owns(path: string): boolean {
    const identity = identityOf(path);
    return identity !== undefined && this.#identities.has(identity);
  }

  created(path: string): void {
    const identity = identityOf(path);
    if (identity === undefined) return;
    this.#identities.add(identity);
    this.#dirty = true;
  }

  removing(path: string): void {
    const identity = identityOf(path);
    if (identity !== undefined && this.#identities.delete(identity)) this.#dirty = true;
  }

  get size(): number {
    return this.#identities.size;
  }

  /** Writes the ledger if it changed: a temp file renamed over it, never a half-written one. */
  save(): void {
    if (!this.#dirty) return;
    const temp = `${this.ledger}.${process.pid}.tmp`;
    const fd = openSync(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW, 0o600);
    try {
      writeSync(fd, JSON.stringify({ version: 1, files: [...this.#identities] }));
    } finally {
      closeSync(fd);
    }
    renameSync(temp, this.ledger);
    this.#dirty = false;
  }
}

function readLedger(ledger: string): string[] {
  let text: string;
  try {
    const fd = openSync(ledger, constants.O_RDONLY | constants.O_NOFOLLOW);
    try {
      text = readFileSync(fd, 'utf8');
    } finally {
      closeSync(fd);
    }
  } catch {
    return [];
  }
  try {
    const parsed = JSON.parse(text) as { files?: unknown };
    return Array.isArray(parsed.files) ? parsed.files.filter((f): f is string => typeof f === 'string') : [];
  } catch {
    // A damaged ledger forgets what the daemon made: it will leave those files alone.
    return [];
  }
}
