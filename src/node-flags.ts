/**
 * The Node flags the daemon runs with: the `statevisor` executable's first line carries them
 * (`#!/usr/bin/env -S node …`, checked by test/build/daemon-flags.test.ts), and whatever starts
 * the daemon's module itself with `node` (the benchmark, a unit file that names node) passes them.
 *
 * --max-semi-space-size=1: V8's young generation grows to 16 MB semi-spaces while the daemon
 * loads its modules and starts processes, and keeps them. At 1 MB an idle daemon measured ~7 MB
 * less RSS, and one running 1,000 `sleep`s ~40 MB less (171–176 against 211–223 MB; heap per
 * process unchanged), for more frequent, shorter scavenges.
 */
export const daemonNodeFlags = ['--max-semi-space-size=1'] as const;
