/**
 * What a socket's `listen` may say, read once: "HOST:PORT" with an IP literal (IPv6 in brackets,
 * as in a URL) and a port from 1 to 65535, or the absolute path of a unix socket. Host names are
 * not resolved: a name may stand for several addresses or change, and what is bound must be one
 * address, fixed when the process is created (systemd's ListenStream= takes literals too).
 */
import { isIPv4, isIPv6 } from 'node:net';
import type { Parsed } from './duration.js';

export type ListenAddress =
  | { readonly kind: 'tcp'; readonly host: string; readonly port: number; readonly family: 4 | 6 }
  | { readonly kind: 'unix'; readonly path: string };

/** sun_path holds 108 bytes with the terminating NUL. */
export const unixPathMax = 107;

export const listenExpected = `"HOST:PORT" with an IP address (IPv6 in brackets) and a port from 1 to 65535, or an absolute path of at most ${unixPathMax} bytes`;

export function parseListenAddress(value: unknown): Parsed<ListenAddress> {
  const fail = { ok: false as const, expected: listenExpected };
  if (typeof value !== 'string') return fail;
  if (value.startsWith('/')) {
    if (Buffer.byteLength(value) > unixPathMax || value.includes('\0') || value.endsWith('/')) return fail;
    return { ok: true, value: { kind: 'unix', path: value } };
  }
  const match = /^(\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(value);
  if (!match) return fail;
  const port = Number(match[4]);
  if (port < 1 || port > 65535) return { ok: false, expected: `${listenExpected} (the port is ${port})` };
  const v6 = match[2];
  if (v6 !== undefined) return isIPv6(v6) ? { ok: true, value: { kind: 'tcp', host: v6, port, family: 6 } } : fail;
  const v4 = match[3]!;
  return isIPv4(v4) ? { ok: true, value: { kind: 'tcp', host: v4, port, family: 4 } } : fail;
}

/** The address as one key: two sockets with the same key cannot both be bound. */
export function listenKey(address: ListenAddress): string {
  return address.kind === 'unix' ? address.path : address.family === 6 ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}
