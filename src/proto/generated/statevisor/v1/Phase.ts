// Original file: proto/statevisor/v1/process_manager.proto

export const Phase = {
  PHASE_UNSPECIFIED: 'PHASE_UNSPECIFIED',
  PHASE_STARTING: 'PHASE_STARTING',
  PHASE_SYNCING: 'PHASE_SYNCING',
  PHASE_TERMINATING: 'PHASE_TERMINATING',
  PHASE_TERMINATED: 'PHASE_TERMINATED',
  PHASE_FINISHED: 'PHASE_FINISHED',
} as const;

export type Phase =
  | 'PHASE_UNSPECIFIED'
  | 0
  | 'PHASE_STARTING'
  | 1
  | 'PHASE_SYNCING'
  | 2
  | 'PHASE_TERMINATING'
  | 3
  | 'PHASE_TERMINATED'
  | 4
  | 'PHASE_FINISHED'
  | 5

export type Phase__Output = typeof Phase[keyof typeof Phase]
