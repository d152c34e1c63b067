// Original file: proto/statevisor/v1/process_manager.proto

import type { Process as _statevisor_v1_Process, Process__Output as _statevisor_v1_Process__Output } from '../../statevisor/v1/Process.js';

export interface RestartProcessResponse {
  'process'?: (_statevisor_v1_Process | null);
}

export interface RestartProcessResponse__Output {
  'process': (_statevisor_v1_Process__Output | null);
}
