/**
 * Which cgroup mechanism each resource controller can use on this machine, found once at start.
 *
 * Linux offers three shapes: every controller on the unified (v2) hierarchy; each controller on
 * its own v1 mount (/sys/fs/cgroup/memory, …, often cpu and cpuacct co-mounted as "cpu,cpuacct");
 * or a hybrid where v1 mounts hold the controllers and an (often controller-less) cgroup2 sits at
 * /sys/fs/cgroup/unified. A controller is bound to at most one hierarchy, so for each one the
 * answer is unambiguous: its v1 mount if it has one, else the v2 hierarchy if it offers it there.
 *
 * Groups are only ever created below the daemon's OWN cgroup of that hierarchy (from
 * /proc/self/cgroup): that is what a service manager or container runtime delegated to it, and
 * creating groups elsewhere would escape the limits the daemon itself runs under.
 *
 * Under v2 a controller is only usable by child groups once it is in the parent's
 * cgroup.subtree_control, and a non-root group with member processes cannot enable it there (the
 * "no internal processes" rule). So v2 counts only if the controller is already delegated, or
 * the daemon sits in the root group or an empty one where it may enable it itself.
 */
import { access, constants, readFile, realpath } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { exists, readControl } from './control-files.js';

/** The controllers that enforce a limit. */
export const limitControllers = ['cpu', 'memory', 'pids'] as const;
export type LimitController = (typeof limitControllers)[number];
/** cpuacct: CPU accounting, a separate controller under v1 (v2 accounts CPU in every group). */
export type CgroupController = LimitController | 'cpuacct';
export const cgroupControllers: readonly CgroupController[] = [...limitControllers, 'cpuacct'];

export type ControllerSupport =
  | {
      readonly mechanism: 'v1' | 'v2';
      /** The hierarchy's mount point (realpath, so co-mounted controllers compare equal). */
      readonly mount: string;
      /** The daemon's own group in that hierarchy: new groups go below it. */
      readonly daemonCgroup: string;
    }
  | { readonly mechanism: 'none'; readonly reason: string };

export interface CgroupLayout {
  readonly root: string;
  readonly controllers: Readonly<Record<CgroupController, ControllerSupport>>;
}

export interface DetectOptions {
  /** Where cgroup hierarchies are mounted; tests point it at a fake tree or an empty dir. */
  readonly root?: string;
  /** The text of /proc/self/cgroup; read from there when absent. */
  readonly procSelfCgroup?: string;
}

interface Membership {
  /** v1: controller name → [controllers field as written, path]. */
  readonly v1: Map<string, { field: string; path: string }>;
  /** v2: the path of the `0::` line. */
  readonly v2?: string;
}

function parseMembership(text: string): Membership {
  const v1 = new Map<string, { field: string; path: string }>();
  let v2: string | undefined;
  for (const line of text.split('\n')) {
    // hierarchy-id:controller-list:path — the path may itself hold ':'.
    const first = line.indexOf(':');
    const second = line.indexOf(':', first + 1);
    if (first < 0 || second < 0) continue;
    const field = line.slice(first + 1, second);
    const path = line.slice(second + 1);
    if (line.slice(0, first) === '0' && field === '') v2 = path;
    else for (const name of field.split(',')) if (name !== '') v1.set(name, { field, path });
  }
  return v2 === undefined ? { v1 } : { v1, v2 };
}

async function writable(path: string): Promise<boolean> {
  try {
    // W_OK also answers EROFS for a read-only mount, which is how containers usually expose cgroups.
    await access(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The daemon's group inside a hierarchy mounted at `mount`. Without a cgroup namespace a
 * container sees its host path in /proc/self/cgroup while the mount shows only its own subtree
 * at the mount's root; then the mount root is the daemon's group.
 */
async function daemonGroup(mount: string, path: string): Promise<string | undefined> {
  const full = resolve(mount, `.${path}`);
  // Seen from inside a cgroup namespace, a group outside it reads "/../…": never leave the mount.
  const inside = full === mount || full.startsWith(`${mount}/`);
  if (inside && (await exists(join(full, 'cgroup.procs')))) return full;
  if (await exists(join(mount, 'cgroup.procs'))) return mount;
  return undefined;
}

async function detectV1(root: string, controller: CgroupController, membership: Membership) {
  const entry = membership.v1.get(controller);
  if (entry === undefined) {
    return { found: false as const, why: `no cgroup v1 ${controller} hierarchy in /proc/self/cgroup` };
  }
  for (const name of new Set([controller, entry.field])) {
    const candidate = join(root, name);
    if (!(await exists(join(candidate, 'cgroup.procs')))) continue;
    const mount = await realpath(candidate);
    const daemonCgroup = await daemonGroup(mount, entry.path);
    if (daemonCgroup === undefined) {
      return { found: false as const, why: `the daemon's cgroup ${entry.path} is not under ${candidate}` };
    }
    if (!(await writable(daemonCgroup))) {
      return { found: false as const, why: `the daemon's cgroup ${daemonCgroup} is not writable` };
    }
    return { found: true as const, support: { mechanism: 'v1' as const, mount, daemonCgroup } };
  }
  return { found: false as const, why: `no cgroup v1 ${controller} hierarchy mounted under ${root}` };
}

/** Detection reports what it cannot read as "not usable" rather than failing the daemon's start. */
async function readQuietly(path: string): Promise<string | undefined> {
  return readControl(path).catch(() => undefined);
}

interface UnifiedHierarchy {
  readonly mount: string;
  readonly daemonCgroup: string;
  readonly offered: ReadonlySet<string>;
  readonly delegated: ReadonlySet<string>;
  /** True where the daemon may enable a controller in subtree_control itself. */
  readonly canEnable: boolean;
  readonly writable: boolean;
}

async function findUnified(root: string, membership: Membership): Promise<UnifiedHierarchy | string> {
  let mount: string | undefined;
  for (const candidate of [root, join(root, 'unified')]) {
    if (await exists(join(candidate, 'cgroup.controllers'))) {
      mount = await realpath(candidate);
      break;
    }
  }
  if (mount === undefined) return `no cgroup v2 hierarchy mounted at ${root} or ${join(root, 'unified')}`;
  if (membership.v2 === undefined) return `no cgroup v2 entry (0::) in /proc/self/cgroup`;
  const daemonCgroup = await daemonGroup(mount, membership.v2);
  if (daemonCgroup === undefined) return `the daemon's cgroup ${membership.v2} is not under ${mount}`;
  const words = async (file: string) =>
    new Set(((await readQuietly(join(daemonCgroup, file))) ?? '').split(/\s+/).filter((word) => word !== ''));
  const procs = (await readQuietly(join(daemonCgroup, 'cgroup.procs'))) ?? '';
  return {
    mount,
    daemonCgroup,
    offered: await words('cgroup.controllers'),
    delegated: await words('cgroup.subtree_control'),
    canEnable: daemonCgroup === mount || procs.trim() === '',
    writable: await writable(daemonCgroup),
  };
}

function detectV2(controller: CgroupController, unified: UnifiedHierarchy | string) {
  if (typeof unified === 'string') return { found: false as const, why: unified };
  // v2 has no cpuacct: every group accounts CPU in cpu.stat, so it goes wherever the limits go.
  const needed = controller === 'cpuacct' ? 'cpu' : controller;
  const { mount, daemonCgroup } = unified;
  if (!unified.offered.has(needed)) {
    const offered = [...unified.offered].join(' ') || 'none';
    const why = `cgroup v2 at ${mount} does not offer ${needed} (cgroup.controllers: ${offered})`;
    return { found: false as const, why };
  }
  if (!unified.delegated.has(needed) && !unified.canEnable) {
    return {
      found: false as const,
      why:
        `cgroup v2 ${needed} is not delegated: not in ${daemonCgroup}/cgroup.subtree_control, and the ` +
        `daemon's cgroup holds processes, so it cannot enable it (no internal processes rule)`,
    };
  }
  if (!unified.writable) return { found: false as const, why: `the daemon's cgroup ${daemonCgroup} is not writable` };
  return { found: true as const, support: { mechanism: 'v2' as const, mount, daemonCgroup } };
}

/** Reads the layout; never throws for a missing or odd hierarchy, it reports it as a reason. */
export async function detectCgroups(options: DetectOptions = {}): Promise<CgroupLayout> {
  const root = options.root ?? '/sys/fs/cgroup';
  const text = options.procSelfCgroup ?? (await readFile('/proc/self/cgroup', 'utf8').catch(() => ''));
  const membership = parseMembership(text);
  const unified = await findUnified(root, membership);
  const controllers = {} as Record<CgroupController, ControllerSupport>;
  for (const controller of cgroupControllers) {
    const v1 = await detectV1(root, controller, membership);
    if (v1.found) {
      controllers[controller] = v1.support;
      continue;
    }
    const v2 = detectV2(controller, unified);
    controllers[controller] = v2.found ? v2.support : { mechanism: 'none', reason: `${v1.why}; ${v2.why}` };
  }
  return { root, controllers };
}
