/**
 * The one wire mapping (src/spec/wire.ts): the schema table agrees with the .proto field for
 * field, and a spec survives the trip to the wire and back — through real protobuf bytes —
 * unchanged, every field of it.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
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
    assert.deepEqual(read, { ...full, user: 'www-data', group: '33', umask: '027', healthCheck: { ...full.healthCheck, args: [] } });
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
