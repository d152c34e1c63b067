/**
 * What some tests need from the machine, as skip reasons for node:test's `skip` option:
 * `test(name, { skip: needsRoot }, fn)`. Each is false where the need is met, and otherwise the
 * reason, which the run prints beside the test (`# SKIP needs root: …`). A test that cannot run
 * here is skipped visibly, with why; it never returns early and passes having checked nothing.
 *
 * The project's own machines (and CI) are root with cgroup v1 cpu, cpuacct, memory and pids
 * writable and a cgroup2 mount without controllers: there everything runs except the cgroup v2
 * tests. README § Tests lists what each kind of machine leaves out.
 */
import { accessSync, constants } from 'node:fs';
import { detectCgroups, type CgroupController } from '../../src/runtime/resources/index.js';

const layout = await detectCgroups();
const uid = process.getuid?.();

/** Spawning as another user, chown, making cgroups: root only. */
export const needsRoot: string | false = uid === 0 ? false : `needs root (this run is uid ${uid})`;

/** Why `controller` is not usable as `mechanism`: the part of the detector's reason that is about it. */
function whyNot(controller: CgroupController, mechanism: 'v1' | 'v2' | 'v1 or v2'): string {
  const support = layout.controllers[controller];
  if (support.mechanism !== 'none') return `cgroup ${support.mechanism} here`;
  // The reason says why not v1, then why not v2.
  const parts = support.reason.split('; ');
  return mechanism === 'v2' ? parts.at(-1)! : mechanism === 'v1' ? parts[0]! : support.reason;
}

function needsMechanism(mechanism: 'v1' | 'v2' | 'v1 or v2', controllers: readonly CgroupController[]): string | false {
  const usable = (support: (typeof layout.controllers)[CgroupController]) =>
    mechanism === 'v1 or v2' ? support.mechanism !== 'none' : support.mechanism === mechanism;
  const missing = controllers.filter((controller) => !usable(layout.controllers[controller]));
  if (missing.length > 0) {
    const why = missing.map((controller) => `${controller}: ${whyNot(controller, mechanism)}`);
    return `needs cgroup ${mechanism} ${missing.join(', ')} (${why.join('; ')})`;
  }
  return needsRoot && `${needsRoot}, to make cgroups`;
}

/** Real cgroups of these controllers, v1 or v2 (what is read works on both). */
export function needsCgroup(...controllers: CgroupController[]): string | false {
  return needsMechanism('v1 or v2', controllers);
}

/** Real cgroup v1 groups of these controllers (their v1 control files are read or written). */
export function needsCgroupV1(...controllers: CgroupController[]): string | false {
  return needsMechanism('v1', controllers);
}

/** Real cgroup v2 groups with these controllers delegated to the test's own group. */
export function needsCgroupV2(...controllers: CgroupController[]): string | false {
  return needsMechanism('v2', controllers);
}

/**
 * Some cgroup the daemon can make, whichever controller and version: what a process group
 * cannot do (a stop reaching what left the group and session) needs one.
 */
export const needsSomeCgroup: string | false = Object.values(layout.controllers).some((support) => support.mechanism !== 'none')
  ? needsRoot && `${needsRoot}, to make cgroups`
  : `needs a usable cgroup controller (none here; memory: ${whyNot('memory', 'v1 or v2')})`;

/** The command that installs the browser the console's tests drive (Debian's Chromium). */
export const browserInstallCommand = 'apt-get install -y chromium';

/** The Chromium the console's browser tests drive: $CHROMIUM_PATH, else Debian's /usr/bin/chromium. */
export const chromiumPath: string = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Is there a program at `file` this process may run? */
export function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** A browser to drive: the console's end-to-end tests run in a real one. */
export const needsBrowser: string | false = executable(chromiumPath)
  ? false
  : `needs Chromium (none at ${chromiumPath}${process.env.CHROMIUM_PATH ? ', from $CHROMIUM_PATH' : '; or set $CHROMIUM_PATH'}): ${browserInstallCommand}`;
