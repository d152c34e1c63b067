// The test runner behind `npm test`: runs the compiled test files, and only those
// (dist/test/**/*.test.js; helper modules beside them are not tests), with a timeout on every
// test, so that a missing event is a red line instead of a stuck suite.
//
// Node 20's `--test` takes no glob and, given a directory, also runs every helper module as a
// test file. Its `--test-timeout` bounds each test FILE (the child process), not each test: the
// children start with no default timeout. So the per-test bound is set in every child by
// scripts/test-timeout.mjs (loaded with --import, which the children inherit), and
// `--test-timeout` stays as the bound of a whole file, which also fails a file that leaves a
// handle open after its tests are done (a leaked timer or socket) instead of waiting forever.
//
// Usage: node scripts/run-tests.mjs [node --test options…] [files or dirs…]
//   STATEVISOR_TEST_TIMEOUT_MS  a test that sets no timeout of its own fails after this (60000)
//   STATEVISOR_FILE_TIMEOUT_MS  a whole file fails after this (600000)
// Arguments starting with "-" go to `node --test` (e.g. --test-name-pattern=rule, or
// --test-reporter=spec); others name test files or directories to run instead of dist/test.
// The exit code is node's.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const testTimeoutMs = Number(process.env.STATEVISOR_TEST_TIMEOUT_MS ?? 60_000);
const fileTimeoutMs = Number(process.env.STATEVISOR_FILE_TIMEOUT_MS ?? 600_000);

/** Every *.test.js below `dir`, sorted, so that runs are in the same order everywhere. */
export function testFiles(dir) {
  const found = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...testFiles(full));
    else if (entry.isFile() && entry.name.endsWith('.test.js')) found.push(full);
  }
  return found.sort();
}

function main(argv) {
  const options = argv.filter((arg) => arg.startsWith('-'));
  const named = argv.filter((arg) => !arg.startsWith('-'));
  const targets = named.length > 0 ? named : [path.join(root, 'dist', 'test')];
  const files = targets.flatMap((target) => {
    if (!existsSync(target)) throw new Error(`no such test file or directory: ${target}`);
    return statSync(target).isDirectory() ? testFiles(target) : [target];
  });
  if (files.length === 0) throw new Error(`no *.test.js under ${targets.join(', ')}: run \`npm run build\` first`);
  for (const [name, value] of [['STATEVISOR_TEST_TIMEOUT_MS', testTimeoutMs], ['STATEVISOR_FILE_TIMEOUT_MS', fileTimeoutMs]]) {
    if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer of milliseconds`);
  }
  const args = [
    '--import',
    path.join(root, 'scripts', 'test-timeout.mjs'),
    '--test',
    `--test-timeout=${fileTimeoutMs}`,
    ...options,
    ...files,
  ];
  const child = spawn(process.execPath, args, {
    stdio: 'inherit',
    env: { ...process.env, STATEVISOR_TEST_TIMEOUT_MS: String(testTimeoutMs) },
  });
  // Ctrl-C reaches the child through the terminal's process group; only keep this one alive
  // until the child has printed its summary.
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? 128 + (os.constants.signals[signal] ?? 0)));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    main(process.argv.slice(2));
  } catch (error) {
    console.error(`run-tests: ${error.message}`);
    process.exit(2);
  }
}
