/**
 * The variables the daemon sets on every child it spawns, so that a later daemon recognises the
 * survivors of an earlier one (src/runtime/exec/survivors.ts). A spec may not set them: recovery
 * trusts them, so a forged one could make the daemon adopt or stop a workload that is not it.
 */
export const processIdEnv = 'STATEVISOR_PROCESS_ID';
/**
 * The state dir of the daemon that spawned the child. Not STATEVISOR_STATE_DIR: that one says
 * where a daemon keeps its state (paths.ts), and a child that starts a daemon of its own must not
 * inherit its parent's.
 */
export const stateDirEnv = 'STATEVISOR_MANAGED_BY';
/**
 * What daemons before 0.2 set instead of STATEVISOR_MANAGED_BY: their children are still
 * recognised. Not reserved: STATEVISOR_MANAGED_BY, always set, wins over it, and a child may well
 * be given STATEVISOR_STATE_DIR for a daemon of its own.
 */
export const legacyStateDirEnv = 'STATEVISOR_STATE_DIR';

export const markerEnv: readonly string[] = [processIdEnv, stateDirEnv];
