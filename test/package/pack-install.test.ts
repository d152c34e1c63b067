/**
 * The package as a user gets it: `npm pack` of this repository, installed with `npm i -g` into a
 * temporary prefix (dependencies' tarballs from the npm cache that `npm ci` filled: --prefer-offline,
 * not --offline, since `npm ci` caches no registry metadata and an install from a tarball resolves
 * its dependencies' versions with it; on a clean CI machine that is a few small requests), then the README's
 * quick start with the installed `statevisor`, and the two entry points imported from the
 * installed package by a program beside it. Packed with --ignore-scripts from the dist/ that
 * `npm test` has just built (checked fresh first), so that the build is not run twice;
 * package-contents.test.ts checks that prepack builds.
 *
 * The temp dir's name carries the marker, and so do the installed daemon's command line and the
 * quick start's process: `after` kills whatever a failure left behind.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { killMarked, newMarker, pidsWithMarker, procState, waitUntil } from '../helpers/leaks.js';
import { npm, npmEnv, packageRoot } from './npm.js';

/** Sources (src/**, console/*.ts) whose compiled .js is missing or older than they are. */
function staleOutputs(): string[] {
  const stale: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(path.join(packageRoot, dir), { withFileTypes: true })) {
      const relative = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(relative);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) {
        const output = path.join(packageRoot, 'dist', relative.replace(/\.ts$/, '.js'));
        if (!existsSync(output) || statSync(output).mtimeMs < statSync(path.join(packageRoot, relative)).mtimeMs) stale.push(relative);
      }
    }
  };
  walk('src');
  walk('console');
  return stale;
}

interface Run {
  stdout: string;
  stderr: string;
  code: number;
}

function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv, cwd: string): Promise<Run> {
  return new Promise((resolve, reject) =>
    execFile(command, args, { env, cwd, timeout: 120_000 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') return reject(error);
      resolve({ stdout, stderr, code: error ? (error.code as number) : 0 });
    }),
  );
}

test('npm pack, npm i -g from the tarball, then the quick start with the installed statevisor, and its imports', { timeout: 600_000 }, async (t) => {
  const stale = staleOutputs();
  assert.deepEqual(stale, [], 'dist/ is older than these sources: run npm run build (npm test does)');

  const marker = newMarker();
  const dir = mkdtempSync(path.join(os.tmpdir(), `statevisor-package-${marker}-`));
  const prefix = path.join(dir, 'prefix');
  const env = npmEnv({
    PATH: `${path.join(prefix, 'bin')}:${process.env.PATH ?? ''}`,
    STATEVISOR_SOCKET: path.join(dir, 'statevisor.sock'),
    STATEVISOR_STATE_DIR: path.join(dir, 'state'),
  });
  t.after(async () => {
    if (existsSync(path.join(prefix, 'bin', 'statevisor'))) await run('statevisor', ['daemon', '--stop'], env, dir).catch(() => undefined);
    killMarked(marker);
    rmSync(dir, { recursive: true, force: true });
  });

  const [packed] = JSON.parse(await npm(['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: packageRoot })) as { filename: string; size: number }[];
  const tarball = path.join(dir, packed!.filename);
  await npm(['install', '--global', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', tarball], { cwd: dir, timeoutMs: 480_000 });
  const installed = path.join(prefix, 'lib', 'node_modules', 'statevisor');
  const installBytes = Number(execFileSync('du', ['-sb', installed], { encoding: 'utf8' }).split('\t')[0]);
  t.diagnostic(`package ${packed!.size} bytes packed; installed with its dependencies: ${installBytes} bytes`);

  // The README's quick start, as typed (the process's $0 carries the marker).
  const statevisor = (...args: string[]) => run('statevisor', args, env, dir);
  const up = await statevisor('daemon', '--detach');
  assert.equal(up.code, 0, up.stderr);
  assert.match(up.stdout, /daemon started in the background/);
  assert.match(up.stdout, new RegExp(`log: +${path.join(dir, 'state', 'daemon.log')}`));
  const created = await statevisor('create', 'hello', '--start', '--', 'sh', '-c', 'while :; do echo hello; sleep 1; done', `quickstart-${marker}`);
  assert.equal(created.code, 0, created.stderr);
  const ls = await statevisor('ls');
  assert.equal(ls.code, 0, ls.stderr);
  assert.match(ls.stdout, /hello\s.*RUNNING/);
  let logs: Run | undefined;
  await waitUntil('logs shows what hello printed', async () => {
    logs = await statevisor('logs', 'hello');
    return logs.code === 0 && logs.stdout.includes('stdout | hello');
  }, { timeoutMs: 30_000, intervalMs: 200 });

  // The embedding API and the client, imported by name from the installed package.
  const program = path.join(prefix, 'lib', 'imports.mjs');
  writeFileSync(
    program,
    `import { createProcessManager } from 'statevisor';
import { createClient } from 'statevisor/client';
const client = createClient({ socket: process.env.STATEVISOR_SOCKET });
const names = (await client.listProcesses()).map((p) => p.name);
client.close();
let synced;
const done = new Promise((resolve) => (synced = resolve));
const manager = createProcessManager({ syncer: {
  async syncProcess() { synced(); return { terminal: false }; },
  async syncTerminatingProcess() {},
  async syncTerminatedProcess() {},
} });
manager.updateProcess({ id: 'db', type: 'create', config: {} });
await done;
const total = manager.health().total;
await manager.shutdown({ timeoutMs: 10000 });
console.log(JSON.stringify({ names, total }));
`,
  );
  const imported = await run(process.execPath, [program], env, dir);
  assert.equal(imported.code, 0, imported.stderr);
  assert.deepEqual(JSON.parse(imported.stdout), { names: ['hello'], total: 1 });

  const stopped = await statevisor('stop', 'hello');
  assert.equal(stopped.code, 0, stopped.stderr);
  const down = await statevisor('daemon', '--stop');
  assert.equal(down.code, 0, down.stderr);
  assert.match(down.stdout, /daemon stopped/);
  assert.deepEqual(pidsWithMarker(marker).filter((pid) => procState(pid) !== 'Z'), [], 'the daemon and its process are gone');
});
