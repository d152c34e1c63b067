// Original file: proto/statevisor/v1/process_manager.proto

import type { ProcessSpec as _statevisor_v1_ProcessSpec, ProcessSpec__Output as _statevisor_v1_ProcessSpec__Output } from '../../statevisor/v1/ProcessSpec.js';

export interface CreateProcessRequest {
  'spec'?: (_statevisor_v1_ProcessSpec | null);
  'start'?: (boolean);
}

export interface CreateProcessRequest__Output {
  'spec': (_statevisor_v1_ProcessSpec__Output | null);
  'start': (boolean);
}
