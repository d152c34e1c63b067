/**
 * The variables the daemon sets on every child it spawns, so that a later daemon recognises the
 * survivors of an earlier one (src/runtime/exec/survivors.ts). A spec may not set them: recovery
 * trusts them, so a forged one could make the daemon adopt or stop a workload that is not it.
 */
export const processIdEnv = 'STATEVISOR_PROCESS_ID';
export const stateDirEnv = 'STATEVISOR_STATE_DIR';

export const markerEnv: readonly string[] = [processIdEnv, stateDirEnv];
