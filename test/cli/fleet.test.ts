import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { startTestDaemon, tcpAddress, type DaemonHarness } from '../helpers/daemon-harness.js';
import { stepReader } from '../helpers/streams.js';
import { needsOpenssl, pkiForSuite } from '../helpers/certificates.js';
import { binary, runCli, testEnv, type CliResult } from './run.js';

const token = 'fleet-cli-token';

function lines(text: string): string[] {
  return text.split('\n').filter((line) => line !== '');
}

// Over mTLS and a token (the daemon's stricter rule: both must pass); with the token alone where
// there is no openssl to make certificates with.
const suite = needsOpenssl ? `fleet mode over three daemons on TCP with a token (not mTLS: ${needsOpenssl})` : 'fleet mode over three daemons on TCP with mTLS and a token';

describe(suite, () => {
  const pki = pkiForSuite();
  const daemons: DaemonHarness[] = [];
  /** --tls-* for every host, when over mTLS. */
  let tlsFlags: string[] = [];
  let config: string;
  let tokenFile: string;
  let addresses: string[];
  /** `statevisor --fleet prod ARGS…`, fleet.yaml in $XDG_CONFIG_HOME. */
  const fleet = (...args: string[]): Promise<CliResult> => runCli(['--fleet', 'prod', ...args], { env: { XDG_CONFIG_HOME: config } });

  before(async () => {
    const tls = needsOpenssl ? undefined : { cert: pki.server.cert, key: pki.server.key, clientCa: pki.ca };
    for (let i = 0; i < 3; i += 1) daemons.push(await startTestDaemon({ tcp: '127.0.0.1:0', token, ...(tls && { tls }) }));
    addresses = daemons.map(tcpAddress);
    config = mkdtempSync(path.join(os.tmpdir(), 'statevisor-fleet-config-'));
    mkdirSync(path.join(config, 'statevisor'));
    tokenFile = path.join(config, 'statevisor', 'prod.token');
    writeFileSync(tokenFile, `${token}\n`, { mode: 0o600 });
    // token_file once for the fleet, relative to the file; the TLS files once for the fleet too.
    const hosts = addresses.map((address, i) => `      - { name: h${i + 1}, address: "${address}" }`).join('\n');
    const tlsFiles = tls ? `    tls_ca: ${pki.ca}\n    tls_cert: ${pki.client.cert}\n    tls_key: ${pki.client.key}\n` : '';
    writeFileSync(path.join(config, 'statevisor', 'fleet.yaml'), `fleets:\n  prod:\n    token_file: prod.token\n${tlsFiles}    hosts:\n${hosts}\n`);
    if (tls) tlsFlags = ['--tls-ca', pki.ca, '--tls-cert', pki.client.cert, '--tls-key', pki.client.key];
    await daemons[0]!.client.createProcess({ name: 'p1', command: 'sleep', args: daemons[0]!.sleepArgs() });
    await daemons[1]!.client.createProcess({ name: 'p2', command: 'sleep', args: daemons[1]!.sleepArgs() });
  });

  after(async () => {
    await Promise.all(daemons.map((h) => h.close()));
    rmSync(config, { recursive: true, force: true });
  });

  test('ls: one table with a HOST column; a host with no processes says so', async () => {
    const ls = await fleet('ls');
    assert.equal(ls.code, 0, ls.stderr);
    const out = lines(ls.stdout);
    assert.match(out[0]!, /^HOST\s+NAME\s+ID\s+STATE/);
    assert.match(out[1]!, /^h1\s+p1\s+\w{8}\s+CREATED/);
    assert.match(out[2]!, /^h2\s+p2\s+\w{8}\s+CREATED/);
    assert.equal(out[3], 'h3    no processes');
    assert.equal(out.length, 4);
    assert.equal(ls.stderr, '');
  });

  test('--addr with a comma list (or STATEVISOR_ADDR) is fleet mode too, hosts named by address; --json is an array of per-host results', async () => {
    const byFlag = await runCli(['--addr', addresses.join(','), '--token-file', tokenFile, ...tlsFlags, '--json', 'ls']);
    const byEnv = await runCli(['--token-file', tokenFile, ...tlsFlags, '--json', 'ls'], { env: { STATEVISOR_ADDR: addresses.join(',') } });
    for (const ls of [byFlag, byEnv]) {
      assert.equal(ls.code, 0, ls.stderr);
      const results = JSON.parse(ls.stdout) as { host: string; ok: boolean; value: { name: string }[] }[];
      assert.deepEqual(
        results.map((r) => [r.host, r.ok, r.value.map((p) => p.name)]),
        [
          [addresses[0], true, ['p1']],
          [addresses[1], true, ['p2']],
          [addresses[2], true, []],
        ],
      );
    }
  });

  test('describe, status and health answer per host, every line after its host; a host that answers with an error has its row, exit 1', async () => {
    const health = await fleet('health');
    assert.equal(health.code, 0, health.stderr);
    assert.deepEqual(lines(health.stdout), ['h1    SERVING', 'h2    SERVING', 'h3    SERVING']);

    const status = await fleet('status');
    assert.equal(status.code, 0, status.stderr);
    for (const host of ['h1', 'h2', 'h3']) assert.ok(lines(status.stdout).includes(`${host}    statevisor 0.1.0`), status.stdout);

    const describe = await fleet('describe', 'p1');
    assert.equal(describe.code, 1);
    const out = lines(describe.stdout);
    assert.ok(out.some((line) => /^h1\s+name\s+p1$/.test(line)), describe.stdout);
    assert.match(out.find((line) => line.startsWith('h2'))!, /^h2 {4}error: .*p1/);
    assert.match(out.find((line) => line.startsWith('h3'))!, /^h3 {4}error: .*p1/);
    assert.equal(describe.stderr, 'statevisor: 2 of 3 hosts failed: h2, h3\n');

    const json = await fleet('--json', 'describe', 'p1');
    const results = JSON.parse(json.stdout) as { host: string; ok: boolean; error?: { code: string } }[];
    assert.deepEqual(
      results.map((r) => [r.host, r.ok, r.error?.code]),
      [
        ['h1', true, undefined],
        ['h2', false, 'E_NOT_FOUND'],
        ['h3', false, 'E_NOT_FOUND'],
      ],
    );
  });

  test('a command that changes state needs --all-hosts or --host: refused without (exit 2, nothing sent)', async () => {
    for (const args of [['stop', 'p1'], ['restart', 'p1'], ['update', 'p1', '--restart', 'always'], ['delete', 'p1'], ['logs', 'p1']]) {
      const refused = await fleet(...args);
      assert.equal(refused.code, 2, `${args.join(' ')}: ${refused.stderr}`);
      assert.match(refused.stderr, /^statevisor: (stop|restart|update|delete) changes state: in a fleet, give --all-hosts or --host NAME\[,NAME\] \(hosts: h1, h2, h3\)\n$|^statevisor: logs follows one daemon/);
    }
    assert.equal((await daemons[0]!.client.describeProcess('p1')).spec?.restart?.policy, 'on-failure', 'nothing was changed');
    const unknown = await fleet('--host', 'h9', 'stop', 'p1');
    assert.equal(unknown.code, 2);
    assert.equal(unknown.stderr, 'statevisor: --host: no host named "h9" in the fleet (hosts: h1, h2, h3)\n');
  });

  test('--host runs on the hosts named; --all-hosts host by host, stopping at the first host that fails', async () => {
    const one = await fleet('--host', 'h2', 'update', 'p2', '--restart', 'always');
    assert.equal(one.code, 0, one.stderr);
    assert.deepEqual(lines(one.stdout), ['h2    updated p2: restart.policy']);
    assert.equal((await daemons[1]!.client.describeProcess('p2')).spec?.restart?.policy, 'always');

    // p1 is on h1 only: h2 has none, and the round stops there, h3 left alone.
    const round = await fleet('--all-hosts', 'signal', 'p1', 'HUP');
    assert.equal(round.code, 1);
    const out = lines(round.stdout);
    assert.equal(out[0]!.slice(0, 6), 'h1    ');
    assert.match(out[0]!, /error: .*(not running|RUNNING|state)/i);
    assert.deepEqual(out.slice(1), ['h2    skipped: h1 failed before it', 'h3    skipped: h1 failed before it']);

    const started = await fleet('--host', 'h1,h2', '--json', 'start', 'p1', 'p2', '--no-wait');
    assert.equal(started.code, 1, started.stderr);
    const results = JSON.parse(started.stdout) as { host: string; ok: boolean; skipped?: boolean }[];
    assert.deepEqual(
      results.map((r) => [r.host, r.ok]),
      [
        ['h1', false],
        ['h2', false],
      ],
      'neither host has both processes: h1 fails and h2 is skipped',
    );
    assert.equal(results[1]!.skipped, true);
  });

  test('fleet.yaml: a problem names the file and the field', async () => {
    const file = path.join(config, 'statevisor', 'fleet.yaml');
    const bad = await runCli(['--fleet', 'staging', 'ls'], { env: { XDG_CONFIG_HOME: config } });
    assert.equal(bad.code, 2);
    assert.equal(bad.stderr, `statevisor: --fleet: ${file}: fleets: no fleet named "staging" (there are: prod)\n`);

    const other = mkdtempSync(path.join(os.tmpdir(), 'statevisor-fleet-bad-'));
    try {
      mkdirSync(path.join(other, 'statevisor'));
      const otherFile = path.join(other, 'statevisor', 'fleet.yaml');
      writeFileSync(otherFile, 'fleets:\n  prod:\n    hosts:\n      - { name: a, address: "127.0.0.1:1" }\n      - { name: b, adress: "127.0.0.1:2" }\n');
      const typo = await runCli(['--fleet', 'prod', 'ls'], { env: { XDG_CONFIG_HOME: other } });
      assert.equal(typo.code, 2);
      assert.equal(typo.stderr, `statevisor: --fleet: ${otherFile}: fleets.prod.hosts[1].adress: unknown field; expected one of name, address, token_file, tls_ca, tls_cert, tls_key\n`);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  test('commands that talk to no daemon (completion, startup systemd, schema) run as they are in a fleet, with no --all-hosts', async () => {
    for (const args of [['completion', 'bash'], ['startup', 'systemd'], ['schema']]) {
      const result = await runCli(['--fleet', 'prod', ...args], { env: { XDG_CONFIG_HOME: config } });
      assert.equal(result.code, 0, `${args.join(' ')}: ${result.stderr}`);
      assert.ok(result.stdout.length > 0, `${args.join(' ')} printed its text`);
      assert.doesNotMatch(result.stdout, /^h[123] /m, 'no host column: it ran once, locally');
    }
  });

  // Last: it stops the third daemon.
  test("events: every host's stream in one, each line after its host; a daemon that stops is reported once, then ls lists it as unreachable, exit 3", async (t) => {
    const child = spawn(process.execPath, [binary, '--fleet', 'prod', 'events'], { env: { ...testEnv(), XDG_CONFIG_HOME: config } });
    t.after(() => child.kill('SIGKILL'));
    const step = stepReader(createInterface({ input: child.stdout })[Symbol.asyncIterator]());
    const read: string[] = [];
    const until = (what: string, done: (line: string) => boolean) =>
      step(
        (items) => {
          read.push(items.at(-1)!);
          return done(items.at(-1)!);
        },
        { what },
      );
    await until('both snapshots', () => read.filter((line) => / snapshot /.test(line)).length === 2);
    assert.ok(read.some((line) => /^h1\s+\S+\s+p1\s+snapshot/.test(line)), read.join('\n'));
    assert.ok(read.some((line) => /^h2\s+\S+\s+p2\s+snapshot/.test(line)), read.join('\n'));

    const h3 = daemons.pop()!;
    await h3.close();
    await until('h3 reported', (line) => line.startsWith('h3'));
    assert.match(read.at(-1)!, /^h3 {4}unreachable: /);
    await daemons[0]!.client.createProcess({ name: 'later', command: 'sleep', args: daemons[0]!.sleepArgs() });
    await until("h1's new process", (line) => /^h1\s+\S+\s+later\s+created/.test(line));
    assert.equal(read.filter((line) => line.startsWith('h3')).length, 1, 'h3 is reported once');
    child.kill('SIGTERM');

    const ls = await fleet('ls');
    assert.equal(ls.code, 3, ls.stderr);
    const rows = lines(ls.stdout);
    assert.match(rows.at(-1)!, /^h3 {4}unreachable: connect ECONNREFUSED/);
    assert.ok(rows.some((line) => /^h1\s+later\s/.test(line)), ls.stdout);
    assert.equal(ls.stderr, 'statevisor: 1 of 3 hosts did not answer: h3\n');
  });
});
