/**
 * Who may read and who may act through the console. Actions change state, so they need the same
 * authority as the gRPC API:
 *
 * - Bound to loopback, the console is as open as the machine's loopback is: anyone who can reach
 *   the port may read, and may act when the request carries the same-origin guard (below). What
 *   loopback does not stop is another web site in the user's own browser: a cross-site form post
 *   (CSRF) cannot carry the guard, and a site whose name resolves to 127.0.0.1 (DNS rebinding)
 *   is refused by the Host check.
 * - Bound anywhere else, every read and action of the console needs a session, which only the
 *   daemon's token (--token-file) buys, through the login form: the answer sets a cookie marked
 *   HttpOnly (no script reads it) and SameSite=Strict (no other site's request carries it). The
 *   cookie holds an HMAC under a key made at start, never the token: it opens the console of this
 *   daemon run and nothing else. Without a token the console cannot be opened off loopback.
 * - The same-origin guard, required on every state-changing request (and the login): a custom
 *   header (`x-statevisor-csrf: 1`, which a cross-origin page cannot send without a CORS preflight
 *   that is never granted), an Origin naming this console, and a Sec-Fetch-Site of same-origin
 *   where the browser sends one.
 *
 * /healthz and /metrics are not the console's: they stay open as before, for probes and scrapers.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type http from 'node:http';
import { isIP } from 'node:net';
import { splitHostPort } from './http-endpoint.js';

export const sessionCookie = 'statevisor_session';
export const csrfHeader = 'x-statevisor-csrf';
/** A session lasts half a day, or until the daemon restarts. */
const sessionMaxAgeS = 12 * 60 * 60;

/** 127.0.0.0/8, ::1 (and ::ffff:127.x), localhost. 0.0.0.0 and :: are every interface: not loopback. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (bare === 'localhost') return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (isIP(bare) === 6) return bare === '::1' || /^::ffff:127\./.test(bare);
  return false;
}

export type Refusal = { readonly code: 401 | 403; readonly reason: string };

export class ConsoleAuthority {
  readonly loopback: boolean;
  readonly #port: number;
  readonly #token: string | undefined;
  readonly #session: Buffer;

  constructor(options: { readonly address: string; readonly token: string | undefined }) {
    const { host, port } = splitHostPort(options.address);
    this.loopback = isLoopbackHost(host);
    this.#port = port;
    this.#token = options.token === '' ? undefined : options.token;
    this.#session = createHmac('sha256', randomBytes(32)).update('statevisor console session').digest();
  }

  /** Whether a session can be had at all: off loopback, only with a token. */
  get loginPossible(): boolean {
    return this.#token !== undefined;
  }

  /**
   * The Host a request names must be this loopback console (or any, off loopback: the token
   * guards there): a rebinding site's own name is refused.
   */
  hostRefusal(request: http.IncomingMessage): Refusal | undefined {
    if (!this.loopback) return undefined;
    const host = request.headers.host;
    if (host === undefined) return { code: 403, reason: 'a Host header is required' };
    const { host: name, port } = splitHostPort(host.includes(':') && !host.endsWith(']') ? host : `${host}:80`);
    if (isLoopbackHost(name) && port === this.#port) return undefined;
    return { code: 403, reason: `Host ${JSON.stringify(host)} is not this console: open it as http://127.0.0.1:${this.#port}/` };
  }

  hasSession(request: http.IncomingMessage): boolean {
    const value = cookieOf(request, sessionCookie);
    if (value === undefined) return false;
    const given = Buffer.from(value, 'base64url');
    return given.length === this.#session.length && timingSafeEqual(given, this.#session);
  }

  /** Why this request may not read the console (undefined: it may). */
  readRefusal(request: http.IncomingMessage): Refusal | undefined {
    const host = this.hostRefusal(request);
    if (host !== undefined) return host;
    if (this.loopback || this.hasSession(request)) return undefined;
    return { code: 401, reason: this.loginPossible ? 'log in with the daemon token' : noTokenReason };
  }

  /** Why the request does not carry the same-origin guard (undefined: it does). */
  guardRefusal(request: http.IncomingMessage): Refusal | undefined {
    if (request.headers[csrfHeader] !== '1') return { code: 403, reason: `missing the same-origin guard (${csrfHeader}: 1)` };
    const origin = request.headers.origin;
    let originHost: string | undefined;
    try {
      originHost = origin === undefined ? undefined : new URL(origin).host;
    } catch {
      originHost = undefined;
    }
    if (originHost === undefined || originHost !== request.headers.host) {
      return { code: 403, reason: `cross-origin request refused (Origin ${JSON.stringify(origin ?? null)})` };
    }
    const site = request.headers['sec-fetch-site'];
    if (site !== undefined && site !== 'same-origin') return { code: 403, reason: `cross-site request refused (Sec-Fetch-Site: ${site})` };
    return undefined;
  }

  /** Why this request may not change state (undefined: it may). */
  actRefusal(request: http.IncomingMessage): Refusal | undefined {
    return this.hostRefusal(request) ?? this.guardRefusal(request) ?? this.readRefusal(request);
  }

  /** The session cookie the token buys, or undefined for a wrong token. */
  login(token: string): string | undefined {
    if (this.#token === undefined || !sameSecret(token, this.#token)) return undefined;
    return `${sessionCookie}=${this.#session.toString('base64url')}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${sessionMaxAgeS}`;
  }

  logoutCookie(): string {
    return `${sessionCookie}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0`;
  }
}

const noTokenReason = 'this console is not on loopback and the daemon has no token: start it with --token-file to log in';

/** Constant-time, whatever the lengths. */
function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

function cookieOf(request: http.IncomingMessage, name: string): string | undefined {
  const header = request.headers.cookie;
  if (header === undefined) return undefined;
  for (const pair of header.split(';')) {
    const at = pair.indexOf('=');
    if (at > 0 && pair.slice(0, at).trim() === name) return pair.slice(at + 1).trim();
  }
  return undefined;
}
