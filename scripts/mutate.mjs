// Mutation testing of the modules where a silent bug costs most (StrykerJS 9, the last line that
// runs on Node 20). Each group below mutates one module (the spec's with its wire mapping) and
// runs only the compiled test files that cover it, so a mutant of the store never waits for the
// daemon's kill -9 tests.
//
//   npm run mutate                     every group, then the score per module
//   npm run mutate -- spec store       only these groups
//   npm run mutate -- --incremental    reuse the results of unchanged code and tests (faster re-runs)
//   npm run mutate -- --concurrency 1  (default 2: the machine has 2 cores and is shared)
//
// How a mutant is tested: Stryker copies the project into .stryker-tmp/, writes every mutant of
// the group into the sources at once (each behind a switch), compiles them once with `tsc
// --noCheck`, and runs the test files with the tap runner: `node --test-reporter=tap FILE` per
// file, the switch set in the environment so that only one mutant is live (node:test has no
// Stryker runner of its own). A mutant that does not type-check never reaches a test: the
// TypeScript checker reports it as a compile error, outside the score. A mutant runs only the
// files whose process executed it (`perTest` coverage; the tap runner always reports coverage, so
// `coverageAnalysis: 'off'` would change nothing). Code a test reaches only in a child process
// (a daemon started by test/helpers/daemon-binary.ts) is therefore never counted as covered: the
// recovery group runs test/server/recovery.test.ts, which drives recover() in-process against
// real marked processes, and not the daemon-level kill -9 tests (npm test runs those).
//
// Score = detected / (detected + survived + no coverage), detected = killed or timed out, per
// source file and per group. Reports: reports/mutation/<group>.html, .json, .survivors.txt.
import { readFileSync, readdirSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Stryker } from '@stryker-mutator/core';

const reports = 'reports/mutation';

/**
 * The test files of a group, in the order of its patterns (a pattern's `*` stands for any part
 * of a file name). Stryker gets the files themselves: where every mutant runs every file (no
 * coverage analysis), the fast files come first and a killed mutant never waits for the slow.
 */
function testFiles(patterns) {
  const files = [];
  for (const pattern of patterns) {
    const dir = path.dirname(pattern);
    const name = new RegExp(`^${path.basename(pattern).replace(/[.]/g, '\\.').replace(/\*/g, '.*')}$`);
    let entries = [];
    try {
      entries = readdirSync(dir).sort();
    } catch {
      // no such directory: nothing of this pattern
    }
    for (const entry of entries) if (name.test(entry) && !files.includes(`${dir}/${entry}`)) files.push(`${dir}/${entry}`);
  }
  return files;
}

/** The lines of the TCP listener's bearer-token check: tokenMatches and the interceptor. */
function tcpAuthLines() {
  const file = 'src/server/grpc/listeners.ts';
  const lines = readFileSync(file, 'utf8').split('\n');
  const first = lines.findIndex((l) => l.startsWith('function tokenMatches'));
  const end = lines.findIndex((l, i) => i > first && l.startsWith('export async function listenTcp'));
  if (first < 0 || end < 0) throw new Error(`${file}: tokenMatches … listenTcp not found; update scripts/mutate.mjs`);
  return `${file}:${first + 1}-${end}`;
}

const groups = [
  {
    name: 'machines',
    mutate: ['src/machines/**/*.ts'],
    tests: ['dist/test/machines/*.test.js', 'dist/test/manager/*.test.js'],
  },
  {
    name: 'spec',
    // The spec and its one wire mapping (proto/spec-wire.ts), which lives beside the .proto loader
    // so that spec never imports proto; the client's spec conversions are tested through it too.
    mutate: ['src/spec/**/*.ts', 'src/proto/spec-wire.ts'],
    tests: ['dist/test/spec/*.test.js', 'dist/test/proto/*.test.js', 'dist/test/client/spec.test.js'],
  },
  {
    name: 'store',
    mutate: ['src/store/**/*.ts'],
    tests: ['dist/test/store/*.test.js'],
  },
  {
    name: 'recovery',
    mutate: ['src/server/recovery.ts'],
    // In-process only: test/daemon/recovery.test.ts runs recovery in a child daemon, which Stryker
    // sees as covering nothing, so it never ran a mutant (and cost a 40 s dry run).
    tests: ['dist/test/server/recovery*.test.js'],
  },
  {
    name: 'tcp-auth',
    mutate: () => [tcpAuthLines()],
    tests: ['dist/test/daemon/listeners.test.js', 'dist/test/daemon/tcp-auth.test.js', 'dist/test/cli/tcp.test.js'],
  },
];

function parseArgs(argv) {
  const options = { names: [], incremental: false, concurrency: 2 };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--incremental') options.incremental = true;
    else if (arg === '--concurrency') options.concurrency = Number(argv[++i]);
    else if (arg.startsWith('-')) throw new Error(`unknown option ${arg}`);
    else options.names.push(arg);
  }
  const unknown = options.names.filter((n) => !groups.some((g) => g.name === n));
  if (unknown.length > 0) throw new Error(`unknown group ${unknown.join(', ')}; groups: ${groups.map((g) => g.name).join(', ')}`);
  if (!(options.concurrency >= 1)) throw new Error('--concurrency needs a number ≥ 1');
  return options;
}

function strykerOptions(group, { incremental, concurrency }) {
  return {
    mutate: typeof group.mutate === 'function' ? group.mutate() : group.mutate,
    testRunner: 'tap',
    tap: {
      testFiles: testFiles(group.tests),
      nodeArgs: ['--test-reporter=tap', '--test-timeout=120000', '-r', '{{hookFile}}', '{{testFile}}'],
    },
    coverageAnalysis: group.coverageAnalysis ?? 'perTest',
    checkers: ['typescript'],
    tsconfigFile: 'tsconfig.json',
    // Type errors are the checker's business; the sandbox build only has to emit JavaScript.
    buildCommand: 'tsc -p tsconfig.json --noCheck',
    // dist/ is copied (the tests' compiled files are known to the report), then rebuilt mutated.
    ignorePatterns: ['/reports'],
    concurrency,
    // The machine is shared: a slow run is not an infinite loop.
    timeoutMS: 20_000,
    dryRunTimeoutMinutes: 15,
    incremental,
    incrementalFile: `${reports}/${group.name}.incremental.json`,
    reporters: ['progress', 'html', 'json'],
    htmlReporter: { fileName: `${reports}/${group.name}.html` },
    jsonReporter: { fileName: `${reports}/${group.name}.json` },
    tempDirName: '.stryker-tmp',
    cleanTempDir: 'always',
    logLevel: 'warn',
  };
}

const detected = new Set(['Killed', 'Timeout']);
const undetected = new Set(['Survived', 'NoCoverage']);

function tally(results) {
  const byFile = new Map();
  for (const r of results) {
    const file = path.relative(process.cwd(), r.fileName);
    const t = byFile.get(file) ?? { detected: 0, valid: 0, compileErrors: 0 };
    if (detected.has(r.status)) t.detected += 1;
    if (detected.has(r.status) || undetected.has(r.status)) t.valid += 1;
    if (r.status === 'CompileError') t.compileErrors += 1;
    byFile.set(file, t);
  }
  return byFile;
}

function percent(t) {
  return t.valid === 0 ? 'n/a' : `${((100 * t.detected) / t.valid).toFixed(1)} %`;
}

function survivorLines(results) {
  return results
    .filter((r) => undetected.has(r.status))
    .map((r) => {
      const file = path.relative(process.cwd(), r.fileName);
      // Lines and columns of a mutant's location are both 1-based already (the report's schema).
      const at = `${file}:${r.location.start.line}:${r.location.start.column}`;
      return `${at}  ${r.status}  ${r.mutatorName}  → ${JSON.stringify(r.replacement ?? '')}`;
    })
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

/**
 * Every process carrying this run's id in its environment (a test's child the run's timeout
 * cut short): they are this run's own, so they are killed by pid.
 */
function killLeftovers(runId) {
  const killed = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    let environ;
    try {
      environ = readFileSync(`/proc/${pid}/environ`, 'latin1');
    } catch {
      continue;
    }
    if (!environ.split('\0').includes(`MUTATE_RUN_ID=${runId}`)) continue;
    try {
      process.kill(pid, 'SIGKILL');
      killed.push(pid);
    } catch {
      // already gone
    }
  }
  return killed;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const selected = options.names.length === 0 ? groups : groups.filter((g) => options.names.includes(g.name));
  mkdirSync(reports, { recursive: true });
  const runId = randomUUID();
  process.env.MUTATE_RUN_ID = runId;
  const summary = [];
  const started = Date.now();
  for (const group of selected) {
    const groupStarted = Date.now();
    process.stdout.write(`\n== mutate ${group.name}: ${JSON.stringify(strykerOptions(group, options).mutate)}\n`);
    const results = await new Stryker(strykerOptions(group, options)).runMutationTest();
    const minutes = (Date.now() - groupStarted) / 60_000;
    const leftovers = killLeftovers(runId);
    if (leftovers.length > 0) process.stdout.write(`killed ${leftovers.length} leftover processes of this run: ${leftovers.join(' ')}\n`);
    const survivors = survivorLines(results);
    writeFileSync(`${reports}/${group.name}.survivors.txt`, survivors.join('\n') + '\n');
    summary.push({ group, byFile: tally(results), minutes, survivors: survivors.length });
  }

  const rows = [];
  for (const { group, byFile, minutes } of summary) {
    const total = { detected: 0, valid: 0, compileErrors: 0 };
    for (const [file, t] of [...byFile].sort()) {
      total.detected += t.detected;
      total.valid += t.valid;
      total.compileErrors += t.compileErrors;
      rows.push([`  ${file}`, `${t.detected} / ${t.valid}`, percent(t), '']);
    }
    rows.splice(rows.length - byFile.size, 0, [group.name, `${total.detected} / ${total.valid}`, percent(total), `${minutes.toFixed(1)} min`]);
    group.total = total;
  }
  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i].length), 8));
  const line = (r) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  process.stdout.write(`\nMutation score (killed or timed out / valid mutants; target ≥ 80 % per module)\n`);
  process.stdout.write(`${line(['module', 'killed', 'score', 'time'])}\n`);
  for (const r of rows) process.stdout.write(`${line(r)}\n`);
  process.stdout.write(`\ntotal time ${((Date.now() - started) / 60_000).toFixed(1)} min; survivors listed in ${reports}/<group>.survivors.txt\n`);
  const below = summary.filter(({ group }) => group.total.valid > 0 && group.total.detected / group.total.valid < 0.8);
  if (below.length > 0) process.stdout.write(`below 80 %: ${below.map(({ group }) => group.name).join(', ')}\n`);
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
