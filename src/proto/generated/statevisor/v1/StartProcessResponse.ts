// Original file: proto/statevisor/v1/process_manager.proto

import type { Process as _statevisor_v1_Process, Process__Output as _statevisor_v1_Process__Output } from '../../statevisor/v1/Process.js';

export interface StartProcessResponse {
  'process'?: (_statevisor_v1_Process | null);
}

export interface StartProcessResponse__Output {
  'process': (_statevisor_v1_Process__Output | null);
}
