import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { createFleetClient, type FleetHost, type HostResult, type ProcessEvent } from '../../src/client/index.js';
import { startTestDaemon, tcpAddress, type DaemonHarness } from '../helpers/daemon-harness.js';
import { stepReader } from '../helpers/streams.js';

const token = 'fleet-token';

describe('createFleetClient over three daemons on TCP with a token', () => {
  const daemons: DaemonHarness[] = [];
  let hosts: FleetHost[];

  before(async () => {
    for (let i = 0; i < 3; i += 1) daemons.push(await startTestDaemon({ tcp: '127.0.0.1:0', token }));
    hosts = daemons.map((h, i) => ({ name: `h${i + 1}`, address: tcpAddress(h), token }));
    // One process per daemon, named after its host, so that each answer shows whose it is.
    await Promise.all(daemons.map((h, i) => h.client.createProcess({ name: `p${i + 1}`, command: 'sleep', args: h.sleepArgs() })));
  });

  after(() => Promise.all(daemons.map((h) => h.close())));

  test('a call goes to every host and answers per host, in the order given', async (t) => {
    const fleet = createFleetClient(hosts);
    t.after(() => fleet.close());
    assert.deepEqual(fleet.hosts, ['h1', 'h2', 'h3']);
    const lists = await fleet.listProcesses();
    assert.deepEqual(
      lists.map((r) => (r.ok ? [r.host, r.value.map((p) => p.name)] : [r.host, r.error.code])),
      [
        ['h1', ['p1']],
        ['h2', ['p2']],
        ['h3', ['p3']],
      ],
    );
    const described = await fleet.describeProcess('p2');
    assert.deepEqual(
      described.map((r) => [r.host, r.ok ? r.value.process.name : r.error.code]),
      [
        ['h1', 'E_NOT_FOUND'],
        ['h2', 'p2'],
        ['h3', 'E_NOT_FOUND'],
      ],
      "a host's own error is its entry; the others' answers stand",
    );
  });

  test('a host without the token is refused on its own entry', async (t) => {
    const fleet = createFleetClient([hosts[0]!, { ...hosts[1]!, token: 'wrong' }]);
    t.after(() => fleet.close());
    const health = await fleet.health();
    assert.deepEqual(
      health.map((r) => [r.host, r.ok ? r.value : r.error.code]),
      [
        ['h1', 'SERVING'],
        ['h2', 'E_UNAUTHENTICATED'],
      ],
    );
  });

  test('a host that accepts the connection but never answers is E_DEADLINE_EXCEEDED after hostTimeoutMs, the others answer', async (t) => {
    // A TCP listener that completes no HTTP/2 handshake: the call can only end at its deadline.
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    t.after(() => {
      for (const socket of sockets) socket.destroy();
      silent.close();
    });
    const port = (silent.address() as net.AddressInfo).port;
    const fleet = createFleetClient([hosts[0]!, { name: 'silent', address: `127.0.0.1:${port}` }], { hostTimeoutMs: 300 });
    t.after(() => fleet.close());
    const statuses = await fleet.getStatus();
    assert.deepEqual(
      statuses.map((r) => [r.host, r.ok ? r.value.pid : r.error.code]),
      [
        ['h1', process.pid],
        ['silent', 'E_DEADLINE_EXCEEDED'],
      ],
    );
  });

  test('hosts are checked when the client is made: each problem names the entry', () => {
    assert.throws(() => createFleetClient([]), /hosts: expected at least one/);
    assert.throws(() => createFleetClient([hosts[0]!, { ...hosts[1]!, name: 'h1' }]), /hosts\[1\]\.name: "h1" names two hosts/);
    assert.throws(() => createFleetClient([hosts[0]!, { name: 'bad', address: 'nowhere' }]), /hosts\[1\] \(bad\): address must be "host:port"/);
    assert.throws(() => createFleetClient(hosts, { hostTimeoutMs: 0 }), /hostTimeoutMs: expected a positive number/);
  });

  // Last: it stops the third daemon.
  test('the merged event stream tags each event by host; a daemon that stops is reported once, and the others go on', async (t) => {
    const fleet = createFleetClient(hosts);
    t.after(() => fleet.close());
    const events = fleet.watchEvents();
    // Not awaited: after a failed read its next() may still be pending, and return() queues behind it.
    t.after(() => void events.return(undefined));
    type Item = HostResult<ProcessEvent>;
    const seen: Item[] = [];
    const step = stepReader(events as AsyncIterator<Item>);
    const read = (what: string, until: (items: Item[]) => boolean) =>
      step(
        (items) => {
          seen.push(items.at(-1)!);
          return until(items);
        },
        { what },
      );
    const snapshots = await read('a snapshot from each host', () => new Set(seen.filter((i) => i.ok && i.value.snapshot).map((i) => i.host)).size === 3);
    assert.deepEqual(
      snapshots
        .filter((i): i is Extract<Item, { ok: true }> => i.ok)
        .map((i) => `${i.host}:${i.value.process?.name}`)
        .sort(),
      ['h1:p1', 'h2:p2', 'h3:p3'],
    );

    await daemons[2]!.close();
    daemons.pop();
    const dropped = await read('h3 reported as gone', (items) => items.some((i) => !i.ok));
    const failure = dropped.find((i) => !i.ok)!;
    assert.equal(failure.host, 'h3');
    assert.equal(!failure.ok && failure.error.code, 'E_UNAVAILABLE');

    await daemons[0]!.client.createProcess({ name: 'later', command: 'sleep', args: daemons[0]!.sleepArgs() });
    const later = await read("h1's new process", (items) => items.some((i) => i.ok && i.value.type === 'created'));
    const created = later.find((i) => i.ok && i.value.type === 'created')!;
    assert.equal(created.host, 'h1');
    assert.equal(seen.filter((i) => !i.ok).length, 1, 'h3 is reported once');

    const down = await fleet.listProcesses();
    assert.deepEqual(
      down.map((r) => [r.host, r.ok ? 'ok' : r.error.code]),
      [
        ['h1', 'ok'],
        ['h2', 'ok'],
        ['h3', 'E_UNAVAILABLE'],
      ],
      'a stopped daemon is an entry of its own, never the whole answer',
    );
  });
});
