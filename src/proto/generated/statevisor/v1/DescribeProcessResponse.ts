// Original file: proto/statevisor/v1/process_manager.proto

import type { Process as _statevisor_v1_Process, Process__Output as _statevisor_v1_Process__Output } from '../../statevisor/v1/Process.js';
import type { ProcessSpec as _statevisor_v1_ProcessSpec, ProcessSpec__Output as _statevisor_v1_ProcessSpec__Output } from '../../statevisor/v1/ProcessSpec.js';
import type { Counters as _statevisor_v1_Counters, Counters__Output as _statevisor_v1_Counters__Output } from '../../statevisor/v1/Counters.js';
import type { Enforcement as _statevisor_v1_Enforcement, Enforcement__Output as _statevisor_v1_Enforcement__Output } from '../../statevisor/v1/Enforcement.js';
import type { Transition as _statevisor_v1_Transition, Transition__Output as _statevisor_v1_Transition__Output } from '../../statevisor/v1/Transition.js';

export interface DescribeProcessResponse {
  'process'?: (_statevisor_v1_Process | null);
  'spec'?: (_statevisor_v1_ProcessSpec | null);
  'counters'?: (_statevisor_v1_Counters | null);
  'enforcement'?: (_statevisor_v1_Enforcement)[];
  'recent_transitions'?: (_statevisor_v1_Transition)[];
  'recovery'?: (string);
  'restart_pending_fields'?: (string)[];
}

export interface DescribeProcessResponse__Output {
  'process': (_statevisor_v1_Process__Output | null);
  'spec': (_statevisor_v1_ProcessSpec__Output | null);
  'counters': (_statevisor_v1_Counters__Output | null);
  'enforcement': (_statevisor_v1_Enforcement__Output)[];
  'recent_transitions': (_statevisor_v1_Transition__Output)[];
  'recovery': (string);
  'restart_pending_fields': (string)[];
}
