/**
 * `npm run stress`: the reliability suite. Each stage drives a real daemon in a process of its
 * own (so that a crash is seen) with something hostile and prints its figures as JSON lines on
 * stdout, each with its bound and whether it was met (progress on stderr).
 *
 * Two kinds of figure (stage.ts): a threshold ("kind":"hard") is a reliability fact — no crash,
 * nothing lost or left running — and the exit code is 1 when any is missed or any stage failed;
 * a target ("kind":"target") is a performance figure of this machine (a p99, RSS recovery),
 * printed with `met` but never failing the run. Interrupted (Ctrl-C, SIGTERM), the run kills
 * every daemon and process it started before it exits.
 *
 * A stage is one line in `stages` below: `{ name, about, run(options, run) }` (stage.ts).
 * `--short` is the CI version (.ci/run); `--only` picks stages; `--seed` repeats a run.
 */
import os from 'node:os';
import { killMarked } from '../bench/marker.js';
import { emitLine } from '../bench/report.js';
import { crashLoadStage } from './crash-load.js';
import { escapeStage } from './escape.js';
import { fuzzStage } from './fuzz/stage.js';
import { kill9Stage } from './kill9.js';
import { logFloodStage } from './log-flood.js';
import { parseOptions, usage, type StressOptions } from './options.js';
import { StressRun, type StressStage } from './stage.js';

const stages: readonly StressStage[] = [
  fuzzStage,
  kill9Stage,
  escapeStage,
  logFloodStage,
  crashLoadStage,
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
    // Exits even if a kill hangs; a second Ctrl-C ends the run at once (the handlers are once).
    setTimeout(() => process.exit(130), 15_000).unref();
    void run.killAll().finally(() => {
      killMarked(run.marker);
      run.close();
      process.exit(130);
    });
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  const runStartedAt = Date.now();
  emitLine({ stress: 'env', marker: run.marker, dir: run.root, node: process.version, cpus: os.cpus().length, kernel: os.release(), seed: options.seed, short: options.short });
  try {
    for (const stage of stages) {
      if (options.only !== undefined && !options.only.includes(stage.name)) continue;
      const startedAt = Date.now();
      let completed = false;
      try {
        await stage.run(options, run);
        completed = true;
      } catch (error) {
        run.failed += 1;
        emitLine({ stress: stage.name, figure: 'failed', error: (error as Error).stack ?? String(error), met: false });
      } finally {
        await run.settle(stage.name, completed);
      }
      run.progress(stage.name, `done in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
    }
  } finally {
    const killed = killMarked(run.marker);
    run.close();
    emitLine({
      stress: 'summary',
      missed: run.missed,
      failed_stages: run.failed,
      targets_missed: run.targetsMissed,
      killed_at_end: killed.length,
      seconds: (Date.now() - runStartedAt) / 1000,
      met: run.missed === 0 && run.failed === 0,
    });
  }
  return run.missed === 0 && run.failed === 0 ? 0 : 1;
}

process.exitCode = await main();
