/**
 * `npm run stress`: the reliability suite. Each stage drives a real daemon (the `statevisor
 * daemon` binary, as a child process, so that a crash is seen) with something hostile and
 * prints its figures as JSON lines on stdout, each with its threshold and whether it was met
 * (progress on stderr). The exit code is non-zero when any figure missed its threshold or any
 * stage failed.
 *
 * A stage is one line in `stages` below: `{ name, about, run(options, run) }` (stage.ts).
 * `--short` is the CI version (.ci/run); `--only` picks stages; `--seed` repeats a run.
 */
import os from 'node:os';
import { killMarked } from '../bench/marker.js';
import { emitLine } from '../bench/report.js';
import { fuzzStage } from './fuzz/stage.js';
import { parseOptions, usage, type StressOptions } from './options.js';
import { StressRun, type StressStage } from './stage.js';

const stages: readonly StressStage[] = [
  fuzzStage,
  // Next: the kill -9 loop, the escape test, the log flood, the crash-loop load — one line each.
];

async function main(): Promise<number> {
  const names = stages.map((stage) => stage.name);
  let options: StressOptions | 'help';
  try {
    options = parseOptions(process.argv.slice(2), names);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${usage(names)}\n`);
    return 2;
  }
  if (options === 'help') {
    process.stdout.write(`${usage(names)}\n${stages.map((s) => `  ${s.name}: ${s.about}`).join('\n')}\n`);
    return 0;
  }
  const run = new StressRun();
  const interrupt = (signal: NodeJS.Signals) => {
    run.progress('run', `${signal}: killing what the run started`);
    for (const helper of run.helpers) helper.kill();
    killMarked(run.marker);
    run.close();
    process.exit(130);
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  emitLine({ stress: 'env', node: process.version, cpus: os.cpus().length, kernel: os.release(), seed: options.seed, short: options.short });
  try {
    for (const stage of stages) {
      if (options.only !== undefined && !options.only.includes(stage.name)) continue;
      const startedAt = Date.now();
      try {
        await stage.run(options, run);
      } catch (error) {
        run.failed += 1;
        emitLine({ stress: stage.name, figure: 'failed', error: (error as Error).stack ?? String(error), met: false });
      }
      run.progress(stage.name, `done in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
    }
  } finally {
    const killed = killMarked(run.marker);
    run.close();
    emitLine({ stress: 'summary', missed: run.missed, failed_stages: run.failed, killed_at_end: killed.length, met: run.missed === 0 && run.failed === 0 });
  }
  return run.missed === 0 && run.failed === 0 ? 0 : 1;
}

process.exitCode = await main();
