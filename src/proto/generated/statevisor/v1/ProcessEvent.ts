// Original file: proto/statevisor/v1/process_manager.proto

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp.js';
import type { Process as _statevisor_v1_Process, Process__Output as _statevisor_v1_Process__Output } from '../../statevisor/v1/Process.js';

export interface ProcessEvent {
  'type'?: (string);
  'snapshot'?: (boolean);
  'at'?: (_google_protobuf_Timestamp | null);
  'process'?: (_statevisor_v1_Process | null);
  'from'?: (string);
  'to'?: (string);
  'reason'?: (string);
}

export interface ProcessEvent__Output {
  'type': (string);
  'snapshot': (boolean);
  'at': (_google_protobuf_Timestamp__Output | null);
  'process': (_statevisor_v1_Process__Output | null);
  'from': (string);
  'to': (string);
  'reason': (string);
}
