/**
 * The one wire mapping (src/proto/spec-wire.ts): the schema table agrees with the .proto field for
 * field, and a spec survives the trip to the wire and back — through real protobuf bytes —
 * unchanged, every field of it.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { StatevisorError } from '../../src/errors.js';
import { packageDefinition, wire } from '../../src/proto/load.js';
import type { AnyShape, WireForm } from '../../src/spec/fields.js';
import { specShape } from '../../src/spec/schema.js';
import { snakeCase } from '../../src/spec/section.js';
import { validateSpec, validateSpecPatch } from '../../src/spec/index.js';
import { specFromWire, specToSnakeCase, specToWire, updateMaskOf } from '../../src/proto/spec-wire.js';
import type { CreateProcessRequest__Output } from '../../src/proto/generated/statevisor/v1/CreateProcessRequest.js';
import { full, variants } from '../spec/support.js';

interface FieldDescriptor {
  name: string;
  type: string;
  label: string;
  typeName: string;
}
interface MessageDescriptor {
  field: FieldDescriptor[];
  nestedType: { name: string; options?: { mapEntry?: boolean } | null }[];
}

function descriptorOf(fullName: string): MessageDescriptor {
  const definition = packageDefinition[fullName];
  assert.ok(definition && 'type' in definition, `${fullName} is a message of the proto`);
  return definition.type as MessageDescriptor;
}

/** The proto type a wire form stands for: what the message's field must be. */
function protoTypeOf(form: WireForm): string {
  switch (form.type) {
    case 'string':
      return 'TYPE_STRING';
    case 'int':
      return 'TYPE_INT64';
    case 'bool':
      return 'TYPE_BOOL';
    case 'map':
    case 'message':
      return 'TYPE_MESSAGE';
    case 'list':
      return form.message === undefined ? protoTypeOf(form.item) : 'TYPE_MESSAGE';
  }
}

function sameFields(shape: AnyShape, message: string): void {
  const descriptor = descriptorOf(message);
  assert.deepEqual(
    Object.keys(shape).map(snakeCase),
    descriptor.field.map((f) => f.name),
    `${message}: the schema's fields are the proto's, in its order`,
  );
  for (const field of descriptor.field) {
    const [key, entry] = Object.entries(shape).find(([k]) => snakeCase(k) === field.name)!;
    const where = `${message}.${field.name}`;
    assert.equal(field.type, protoTypeOf(entry.wire), `${where}: type`);
    assert.equal(field.label === 'LABEL_REPEATED', entry.wire.type === 'list' || entry.wire.type === 'map', `${where}: repeated`);
    const mapEntry = descriptor.nestedType.find((n) => n.name === field.typeName)?.options?.mapEntry === true;
    assert.equal(mapEntry, entry.wire.type === 'map', `${where}: a map`);
    if (entry.shape) sameFields(entry.shape, `statevisor.v1.${field.typeName.replace(/^.*\./, '')}`);
    const item = entry.wire.type === 'list' ? entry.wire.item : undefined;
    if (item?.type === 'list' && item.message !== undefined) {
      const inner = descriptorOf(`statevisor.v1.${field.typeName.replace(/^.*\./, '')}`);
      assert.deepEqual(inner.field.map((f) => [f.name, f.type, f.label]), [[item.message, 'TYPE_STRING', 'LABEL_REPEATED']], `${where}: ${key}'s message`);
    }
  }
}

test('the schema table and the proto have the same fields, in the same order, of the same types', () => {
  sameFields(specShape as AnyShape, 'statevisor.v1.ProcessSpec');
});

const requests = wire.statevisor.v1.ProcessManager.service.CreateProcess;

/** Through the bytes a client sends and the object the daemon's proto-loader reads from them. */
function overTheWire(spec: object): CreateProcessRequest__Output {
  return requests.requestDeserialize(requests.requestSerialize({ spec: specToWire(spec), start: false }));
}

describe('a spec to the wire and back', () => {
  test('every field of the schema is set in the full spec, and every section field too', () => {
    for (const [key, field] of Object.entries(specShape as AnyShape)) {
      const value = (full as unknown as Record<string, unknown>)[key];
      assert.notEqual(value, undefined, key);
      if (field.shape && key !== 'healthCheck' && key !== 'runtime') {
        assert.deepEqual(Object.keys(value as object).sort(), Object.keys(field.shape).sort(), key);
      }
    }
  });

  test('the daemon reads back the very spec the client sent, for every variant', () => {
    for (const spec of variants) {
      const request = overTheWire(spec);
      assert.deepEqual(validateSpec(specFromWire(request.spec, { setOnly: true })), spec, spec.name);
    }
  });

  test('an unset kill_mode travels unset and stays unset', () => {
    const bare = variants.at(-1)!;
    assert.equal('killMode' in bare.stop, false);
    const request = overTheWire(bare);
    assert.equal(request.spec?.stop?.kill_mode, undefined);
    assert.equal('killMode' in validateSpec(specFromWire(request.spec, { setOnly: true })).stop, false);
  });

  test('durations, sizes, maps and command lines keep their values; umask and ids travel as text', () => {
    const sent = specToWire(full);
    assert.equal(sent.umask, '027');
    assert.equal(sent.runtime_directory_mode, '0750');
    assert.equal(sent.group, '33');
    assert.deepEqual(sent.exec_stop_post, [{ argv: ['/bin/rm', '-f', '/run/api/lock'] }, { argv: ['/bin/true'] }]);
    const received = overTheWire(full).spec!;
    assert.equal(received.stop?.grace_period_ms, 2 ** 31 - 1);
    assert.equal(received.logs?.max_bytes, 2 ** 40);
    assert.deepEqual(received.env, full.env);
    assert.deepEqual(received.labels, full.labels);
  });

  test("the client reads the daemon's spec whole, in camelCase, the text fields as the wire has them", () => {
    const read = specFromWire(overTheWire(full).spec);
    // proto3 fills a repeated field that was not sent: the http check's args.
    assert.deepEqual(read, { ...full, user: 'www-data', group: '33', umask: '027', runtimeDirectoryMode: '0750', healthCheck: { ...full.healthCheck, args: [] } });
    assert.ok(!Object.keys(read).some((key) => key.startsWith('_')), 'no virtual oneof keys');
  });

  test('the daemon takes only what was set: empty lists, maps and strings are not sent values', () => {
    const request = overTheWire({ name: 'web', command: '/bin/true', args: [], env: {}, description: '', restart: { delayMs: 0 } });
    assert.deepEqual(specFromWire(request.spec, { setOnly: true }), { name: 'web', command: '/bin/true', restart: { delayMs: 0 } });
    assert.deepEqual(specFromWire(overTheWire({ name: '', command: '' }).spec, { setOnly: true }), { name: '', command: '' });
  });

  test('a mask derived from the wire spec replaces the whole spec on update, as apply does', () => {
    const other = validateSpec({ name: 'api', command: '/bin/sleep', args: ['1'] });
    const request = overTheWire(full);
    const mask = updateMaskOf(specToWire(full) as Record<string, unknown>);
    assert.deepEqual(validateSpecPatch(specFromWire(request.spec, { setOnly: true }), other, mask), full);
    assert.deepEqual(validateSpecPatch(specFromWire(request.spec, { setOnly: true }), other, ['*']), full);
  });

  test('the file form reads back as the same spec, for every variant', () => {
    for (const spec of variants) assert.deepEqual(validateSpec(specToSnakeCase(spec)), spec, spec.name);
    assert.equal(specToSnakeCase(full).umask, 0o027, 'the file form keeps the number');
  });
});

describe('specToWire: what it refuses, named by path, and what it leaves out', () => {
  const refused = (spec: unknown) => {
    try {
      specToWire(spec as object);
    } catch (error) {
      assert.ok(error instanceof StatevisorError, String(error));
      assert.equal(error.code, 'E_INVALID_ARGUMENT');
      return error.message;
    }
    return assert.fail('nothing was refused');
  };

  test('each wrong value is named with what its field takes', () => {
    const cases: [unknown, string][] = [
      [null, 'spec: expected an object, got null'],
      [{ stop: 'SIGINT' }, 'spec.stop: expected an object, got "SIGINT"'],
      [{ env: 'A=1' }, 'spec.env: expected an object of strings, got "A=1"'],
      [{ logs: { maxFiles: '5' } }, 'spec.logs.maxFiles: expected an integer, got "5"'],
      [{ restart: { delayMs: 1.5 } }, 'spec.restart.delayMs: expected an integer number of milliseconds, got 1.5'],
      [{ execStartPre: ['/bin/true'] }, 'spec.execStartPre[0]: expected an object, got "/bin/true"'],
      [{ execStartPre: [{ argv: ['/bin/true'], args: ['-x'] }] }, 'spec.execStartPre[0].args: unknown field; expected one of argv'],
      [{ stop: { gracePeriod: 5 } }, 'spec.stop.gracePeriod: unknown field; expected one of signal, gracePeriodMs, killMode'],
    ];
    for (const [spec, message] of cases) assert.equal(refused(spec), message, message);
  });

  test('a long value is quoted up to 60 characters, then cut', () => {
    // JSON.stringify adds the quotes: 58 x are 60 characters quoted.
    assert.equal(refused({ autoStart: 'x'.repeat(58) }), `spec.autoStart: expected true or false, got "${'x'.repeat(58)}"`);
    assert.equal(refused({ autoStart: 'x'.repeat(59) }), `spec.autoStart: expected true or false, got "${'x'.repeat(56)}...`);
  });

  test("the file form names a bad field as the wire form does", () => {
    assert.throws(() => specToSnakeCase({ ...full, bogus: 1 } as never), { message: /^spec\.bogus: unknown field; expected one of name, description, / });
  });

  test('null, undefined and proto-loader\'s virtual oneof keys are not set values, in command lines too', () => {
    const wire = specToWire({
      name: 'web',
      command: '/bin/true',
      workingDir: null,
      description: undefined,
      _restart: 'restart',
      execStartPre: [{ argv: ['/bin/true'], _argv: 'argv' }, { argv: null }, { argv: undefined }],
    });
    assert.deepEqual(wire, { name: 'web', command: '/bin/true', exec_start_pre: [{ argv: ['/bin/true'] }, {}, {}] });
  });

  test('a spec the daemon sent can be sent back as it is', () => {
    const received = overTheWire(full).spec!;
    assert.ok(Object.keys(received).some((key) => key.startsWith('_')), 'proto-loader marks the optional fields it filled');
    const sent = specToWire(full);
    assert.deepEqual(specToWire(received), { ...sent, health_check: { ...sent.health_check, args: [] } });
  });
});

describe('specFromWire: what a message without values reads as', () => {
  test('no message at all is an empty spec', () => {
    assert.deepEqual(specFromWire(undefined), {});
    assert.deepEqual(specFromWire(null), {});
  });

  test('null fields and sections are not set', () => {
    assert.deepEqual(specFromWire({ name: 'web', command: '/bin/true', stop: null, working_dir: null } as never), { name: 'web', command: '/bin/true' });
  });

  test('only the top name and command stay when empty: a section\'s empty command is not a value', () => {
    const read = specFromWire({ name: '', command: '', health_check: { type: 'tcp', port: 5432, command: '' } }, { setOnly: true });
    assert.deepEqual(read, { name: '', command: '', healthCheck: { type: 'tcp', port: 5432 } });
  });

  test('a command line message without argv is an empty command line', () => {
    assert.deepEqual(specFromWire({ name: 'web', command: '/bin/true', exec_start_pre: [{}] }).execStartPre, [[]]);
  });

  test('the spec read shares no map or list with the message', () => {
    const wire = { name: 'web', command: '/bin/true', env: { A: '1' }, exec_stop_post: [{ argv: ['/bin/true'] }] };
    const read = specFromWire(wire);
    assert.deepEqual(read.env, { A: '1' });
    assert.notEqual(read.env, wire.env);
    assert.notEqual((read.execStopPost as string[][])[0], wire.exec_stop_post[0]!.argv);
  });
});
