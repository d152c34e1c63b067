// Original file: proto/statevisor/v1/process_manager.proto

import type { ProcessEvent as _statevisor_v1_ProcessEvent, ProcessEvent__Output as _statevisor_v1_ProcessEvent__Output } from '../../statevisor/v1/ProcessEvent.js';

export interface WatchEventsResponse {
  'event'?: (_statevisor_v1_ProcessEvent | null);
}

export interface WatchEventsResponse__Output {
  'event': (_statevisor_v1_ProcessEvent__Output | null);
}
