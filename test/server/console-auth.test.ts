/**
 * The console's authority, rule by rule: what loopback is, which requests carry the same-origin
 * guard, which Host a loopback console answers, and what a session is.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type http from 'node:http';
import { ConsoleAuthority, isLoopbackHost } from '../../src/server/http/console-auth.js';

function request(headers: Record<string, string>): http.IncomingMessage {
  return { headers } as unknown as http.IncomingMessage;
}

test('loopback is 127.0.0.0/8, ::1 and localhost; every-interface binds and other addresses are not', () => {
  for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', 'LOCALHOST', '::1', '[::1]', '::ffff:127.0.0.1']) assert.equal(isLoopbackHost(host), true, host);
  for (const host of ['0.0.0.0', '::', '[::]', '10.0.0.1', '192.168.1.2', '128.0.0.1', 'example.com', 'localhost.example.com', '']) {
    assert.equal(isLoopbackHost(host), false, host);
  }
});

test('on loopback, an action needs the guard header, an Origin naming this console and no cross-site fetch', () => {
  const authority = new ConsoleAuthority({ address: '127.0.0.1:9090', token: undefined });
  const host = '127.0.0.1:9090';
  const guard = { host, origin: `http://${host}`, 'x-statevisor-csrf': '1' };
  assert.equal(authority.actRefusal(request(guard)), undefined);
  assert.equal(authority.actRefusal(request({ ...guard, 'sec-fetch-site': 'same-origin' })), undefined);
  const refused: Record<string, Record<string, string>> = {
    'no guard header': { host, origin: `http://${host}` },
    'a guard header of another value': { ...guard, 'x-statevisor-csrf': 'yes' },
    'no Origin': { host, 'x-statevisor-csrf': '1' },
    'another Origin': { ...guard, origin: 'http://127.0.0.1:9091' },
    'an Origin that is no URL': { ...guard, origin: 'null' },
    'a cross-site fetch': { ...guard, 'sec-fetch-site': 'cross-site' },
    'a same-site fetch from another port': { ...guard, 'sec-fetch-site': 'same-site' },
    'a rebinding name': { ...guard, host: 'evil.example:9090', origin: 'http://evil.example:9090' },
    'another port': { ...guard, host: '127.0.0.1:80', origin: 'http://127.0.0.1:80' },
    'no Host': { origin: `http://${host}`, 'x-statevisor-csrf': '1' },
  };
  for (const [why, headers] of Object.entries(refused)) assert.equal(authority.actRefusal(request(headers))?.code, 403, why);
  // Reads need no guard; the Host check holds for them too.
  assert.equal(authority.readRefusal(request({ host: 'localhost:9090' })), undefined);
  assert.equal(authority.readRefusal(request({ host: '[::1]:9090' })), undefined);
  assert.equal(authority.readRefusal(request({ host: 'evil.example:9090' }))?.code, 403);
});

test('off loopback, the token buys a session cookie (HttpOnly, SameSite=Strict), which is not the token and opens reads and actions', () => {
  const token = 's3cret-token';
  const authority = new ConsoleAuthority({ address: '0.0.0.0:9090', token });
  const host = '192.0.2.10:9090';
  const guard = { host, origin: `http://${host}`, 'x-statevisor-csrf': '1' };
  assert.equal(authority.loopback, false);
  assert.equal(authority.readRefusal(request({ host }))?.code, 401);
  assert.equal(authority.actRefusal(request(guard))?.code, 401);
  assert.equal(authority.login('wrong'), undefined);
  assert.equal(authority.login(`${token} `), undefined);
  const cookie = authority.login(token)!;
  assert.match(cookie, /^statevisor_session=[A-Za-z0-9_-]{43}; HttpOnly; SameSite=Strict; Path=\/; Max-Age=\d+$/);
  assert.ok(!cookie.includes(token));
  const session = cookie.slice(0, cookie.indexOf(';'));
  assert.equal(authority.readRefusal(request({ host, cookie: `theme=dark; ${session}` })), undefined);
  assert.equal(authority.actRefusal(request({ ...guard, cookie: session })), undefined);
  assert.equal(authority.actRefusal(request({ host, cookie: session }))?.code, 403, 'a session still needs the guard');
  assert.equal(authority.readRefusal(request({ host, cookie: `${session.slice(0, -2)}AA` }))?.code, 401, 'a forged session');
  const other = new ConsoleAuthority({ address: '0.0.0.0:9090', token });
  assert.equal(other.readRefusal(request({ host, cookie: session }))?.code, 401, "another daemon run's session");
});

test('off loopback without a token, no session can be had', () => {
  const authority = new ConsoleAuthority({ address: '0.0.0.0:9090', token: undefined });
  assert.equal(authority.loginPossible, false);
  assert.equal(authority.login(''), undefined);
  assert.match(authority.readRefusal(request({ host: 'x:9090' }))!.reason, /--token-file/);
});
