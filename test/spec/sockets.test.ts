import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { Command } from 'commander';
import { validateSpec } from '../../src/spec/index.js';
import { specFromWire, specToWire } from '../../src/proto/spec-wire.js';
import { addSpecFlags, specFromFlags } from '../../src/cli/spec-flags.js';
import { minimal, violationOf, violationsOf } from './support.js';

const withSockets = (sockets: unknown, extra: Record<string, unknown> = {}) => ({ ...minimal, sockets, ...extra });

test('a socket listens on HOST:PORT with an IP literal (IPv6 in brackets) or an absolute path; its name defaults to the process', () => {
  const spec = validateSpec(withSockets([{ listen: '127.0.0.1:8080', name: 'http' }, { listen: '[::1]:8443' }, { listen: '/run/web.sock', name: 'admin.v1' }]));
  assert.deepEqual(spec.sockets, [
    { listen: '127.0.0.1:8080', name: 'http' },
    { listen: '[::1]:8443', name: 'web' },
    { listen: '/run/web.sock', name: 'admin.v1' },
  ]);
  assert.equal(spec.startOn, 'start');
  assert.deepEqual(validateSpec(minimal).sockets, []);
});

test('a listen address that is not one is refused, naming the socket and what is expected', () => {
  for (const listen of ['localhost:80', '127.0.0.1', '127.0.0.1:0', '127.0.0.1:65536', '::1:80', '[127.0.0.1]:80', 'run/web.sock', '/run/', `/${'a'.repeat(107)}`, 8080]) {
    const violation = violationOf(() => validateSpec(withSockets([{ listen }])));
    assert.equal(violation.field, 'sockets[0].listen', String(listen));
    assert.match(violation.expected, /HOST:PORT.*IP address.*1 to 65535.*absolute path/);
  }
  assert.equal(violationOf(() => validateSpec(withSockets([{ name: 'http' }]))).field, 'sockets[0].listen', 'listen is required');
});

test('socket names are LISTEN_FDNAMES entries, unique in the process; addresses unique too', () => {
  assert.equal(violationOf(() => validateSpec(withSockets([{ listen: '/run/a.sock', name: 'a:b' }]))).field, 'sockets[0].name');
  const unnamed = violationOf(() => validateSpec(withSockets([{ listen: '/run/a.sock' }, { listen: '/run/b.sock' }])));
  assert.equal(unnamed.field, 'sockets[1].name');
  assert.match(unnamed.expected, /sockets\[0\] has it.*without a name takes the process's name/);
  const twice = violationOf(() => validateSpec(withSockets([{ listen: '127.0.0.1:80', name: 'a' }, { listen: '127.0.0.1:80', name: 'b' }])));
  assert.deepEqual([twice.field, twice.expected], ['sockets[1].listen', 'an address no other socket listens on (sockets[0] does)']);
});

test('start_on is start or connection, and connection needs a socket to wait on', () => {
  assert.equal(validateSpec(withSockets([{ listen: '/run/a.sock' }], { start_on: 'connection' })).startOn, 'connection');
  const alone = violationOf(() => validateSpec({ ...minimal, start_on: 'connection' }));
  assert.deepEqual([alone.field, alone.expected], ['start_on', 'start (connection needs at least one socket in sockets to wait on)']);
  assert.equal(violationsOf(() => validateSpec({ ...minimal, start_on: 'socket' }))[0]?.field, 'start_on');
});

test('sockets travel the wire as SocketSpec messages and come back as they went', () => {
  const spec = validateSpec(withSockets([{ listen: '127.0.0.1:8080', name: 'http' }, { listen: '/run/web.sock' }], { start_on: 'connection' }));
  const wire = specToWire(spec);
  assert.deepEqual(wire.sockets, [{ listen: '127.0.0.1:8080', name: 'http' }, { listen: '/run/web.sock', name: 'web' }]);
  assert.equal(wire.start_on, 'connection');
  assert.deepEqual(validateSpec(specFromWire(wire)), spec);
});

function parse(...args: string[]) {
  const command = addSpecFlags(new Command('create').exitOverride().configureOutput({ outputError: () => {} }));
  command.parse(args, { from: 'user' });
  return specFromFlags(command.opts());
}

test('--listen [name=]ADDRESS is repeatable, a relative path is the caller\'s; --start-on sets start_on', () => {
  const { patch, fields } = parse('--listen', 'http=127.0.0.1:8080', '--listen', '/run/a=b.sock', '--listen', './app.sock', '--start-on', 'connection');
  assert.deepEqual(patch.sockets, [
    { name: 'http', listen: '127.0.0.1:8080' },
    { listen: '/run/a=b.sock' },
    { listen: path.resolve('app.sock') },
  ]);
  assert.equal(patch.startOn, 'connection');
  assert.deepEqual(fields, ['sockets', 'startOn']);
  assert.throws(() => parse('--listen', 'http=localhost:80'), /expected \[NAME=\]ADDRESS/);
  assert.throws(() => parse('--start-on', 'socket'), /Allowed choices are start, connection/);
});
