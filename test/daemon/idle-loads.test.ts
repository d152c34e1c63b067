import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { startTestDaemon } from '../helpers/daemon-harness.js';
import { reflectionLoaded } from '../../src/server/grpc/lazy-reflection.js';

const require = createRequire(import.meta.url);

/** What grpcurl asks first: the services a server carries, over one reflection stream. */
async function listServices(socket: string, version: 'v1' | 'v1alpha'): Promise<string[]> {
  const protoFile = require.resolve(`@grpc/reflection/build/proto/grpc/reflection/${version}/reflection.proto`);
  const pkg = grpc.loadPackageDefinition(protoLoader.loadSync(protoFile, { keepCase: true, defaults: true, oneofs: true })) as any;
  const Client = pkg.grpc.reflection[version].ServerReflection as typeof grpc.Client;
  const client = new Client(`unix:${socket}`, grpc.credentials.createInsecure()) as any;
  try {
    return await new Promise<string[]>((resolve, reject) => {
      const call = client.ServerReflectionInfo({ deadline: Date.now() + 20_000 });
      call.on('data', (answer: any) => {
        resolve(answer.list_services_response.service.map((s: { name: string }) => s.name).sort());
        call.end();
      });
      call.on('error', reject);
      call.write({ list_services: '' });
    });
  } finally {
    client.close();
  }
}

const packageLoaded = (dir: string) => Object.keys(require.cache).some((file) => file.includes(dir));

test('an idle daemon without --config has not loaded YAML (loaded by the first config load)', async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  await h.client.listProcesses();
  assert.equal(packageLoaded('/node_modules/yaml/'), false);
});

test('server reflection is loaded at its first call, not by an idle daemon, and answers both versions', async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  await h.client.listProcesses();
  assert.equal(reflectionLoaded(), false, 'an idle daemon built no reflection descriptors');
  assert.equal(packageLoaded('/@grpc/reflection/build/src/'), false, 'an idle daemon did not load @grpc/reflection');

  // As before it was lazy: the services of statevisor's own package.
  const expected = ['statevisor.v1.ProcessManager'];
  assert.deepEqual(await listServices(h.socket, 'v1'), expected);
  assert.equal(reflectionLoaded(), true);
  assert.deepEqual(await listServices(h.socket, 'v1alpha'), expected);
});
