/**
 * `statevisor inspect`, run as a user runs it against a real daemon with real processes: the
 * chart in its three formats, the readable follow (one crash-loop restart in at most 10 lines),
 * and the Stately steps.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { XMLValidator } from 'fast-xml-parser';
import { startTestDaemon } from '../helpers/daemon-harness.js';
import { waitUntil } from '../helpers/leaks.js';
import { parseMermaid } from '../helpers/mermaid-parser.js';
import { binary, runCli, testEnv } from './run.js';

/** Runs `statevisor ARGS…` until `enough(lines)`, then interrupts it; returns the lines it printed. */
async function followLines(args: string[], enough: (lines: string[]) => boolean, timeoutMs = 60_000): Promise<string[]> {
  const child = spawn(process.execPath, [binary, ...args], { env: testEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out; read ${lines.length} lines: ${lines.join('\n')}; stderr: ${stderr}`)), timeoutMs);
      createInterface({ input: child.stdout }).on('line', (line) => {
        lines.push(line);
        if (enough(lines)) {
          clearTimeout(timer);
          resolve();
        }
      });
      void exited.then((code) => reject(new Error(`exited ${code} early: ${stderr}`)));
    });
  } finally {
    child.kill('SIGINT');
    await exited;
  }
  return lines;
}

test('inspect NAME --follow prints one crash-loop restart in at most 10 readable lines', async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  await h.client.createProcess(
    {
      name: 'flaky',
      command: 'sh',
      args: ['-c', 'exit 3', h.marker],
      restart: { policy: 'always', delayMs: 100, maxDelayMs: 300, startLimitBurst: 0, minUptimeMs: 0 },
    },
    { start: true },
  );
  const restarts = (lines: string[]) => lines.filter((line) => line.includes('→ terminating.stopHook'));
  const lines = await followLines(['--socket', h.socket, 'inspect', 'flaky', '--follow'], (read) => restarts(read).length >= 3);
  await h.client.stopProcess('flaky');
  const first = lines.findIndex((line) => line.includes('→ terminating.stopHook'));
  const second = lines.findIndex((line, i) => i > first && line.includes('→ terminating.stopHook'));
  const restart = lines.slice(first, second);
  t.diagnostic(`one restart:\n${restart.join('\n')}`);
  assert.ok(restart.length <= 10, `${restart.length} lines for one restart:\n${restart.join('\n')}`);
  assert.match(restart[0]!, /^\d\d:\d\d:\d\d\.\d{3} {2}flaky {2}workload\.exited code=3 {2}syncing\.\{sync\.awaitingUpdate, health\.off\} → terminating\.stopHook {2}\(exited with code 3\)$/);
  assert.ok(restart.some((line) => /cleanupHook done .* → terminated\.restartDelay {2}\(exited with code 3.*restarting in \d+ ms\)$/.test(line)), 'the restart decision, with its reason');
  assert.ok(restart.some((line) => / → syncing\./.test(line)), 'and the next run');
  assert.ok(lines.every((line) => !line.includes('xstate.') && line.length < 200), 'no internals, no contexts');
  assert.match(lines[0]!, /flaky {2}is in /, 'first, where flaky is now');
});

test('inspect NAME --definition in each format: JSON with its redacted context, Mermaid with its states lit, SCXML', async (t) => {
  const h = await startTestDaemon();
  t.after(() => h.close());
  await h.client.createProcess({ name: 'web', command: 'sleep', args: h.sleepArgs(), env: { API_KEY: 'k-93jd02' } }, { start: true });
  await waitUntil('web runs', async () => (await h.client.describeProcess('web')).process.state === 'RUNNING');
  const cli = (...args: string[]) => runCli(['--socket', h.socket, 'inspect', ...args]);

  const json = await cli('web', '--definition');
  assert.equal(json.code, 0, json.stderr);
  const chart = JSON.parse(json.stdout) as { initial: string; context: { config: { env: Record<string, string> } } };
  assert.equal(chart.initial, 'starting');
  assert.deepEqual(chart.context.config.env, { API_KEY: '[redacted]' });
  assert.ok(!json.stdout.includes('k-93jd02'));

  const mermaid = await cli('web', '--definition', '--format', 'mermaid');
  assert.equal(mermaid.code, 0, mermaid.stderr);
  const parsed = await parseMermaid(mermaid.stdout);
  const lit = parsed.nodes.filter((node) => (node.cssClasses ?? '').includes('active')).map((node) => node.id);
  assert.deepEqual(lit.sort(), ['syncing_health_off', 'syncing_sync_awaitingUpdate']);

  const scxml = await cli('--definition', '--kind', 'supervisor', '--format', 'scxml');
  assert.equal(scxml.code, 0, scxml.stderr);
  assert.equal(XMLValidator.validate(scxml.stdout), true);
  assert.match(scxml.stdout, /<final id="supervisor\.stopped">/);
});

test('inspect --stately prints how to attach the Stately inspector, with the relay of the installed package', async () => {
  const result = await runCli(['inspect', '--stately']);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /createInspectorServer\(\{ port: 8080, autoOpen: false \}\)/);
  assert.match(result.stdout, /file:\/\/\S+@statelyai\/inspect\/dist\/server\.mjs/);
  assert.match(result.stdout, /statevisor daemon --inspect-ws ws:\/\/127\.0\.0\.1:8080/);
});
