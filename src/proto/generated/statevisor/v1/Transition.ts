// Original file: proto/statevisor/v1/process_manager.proto

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp.js';

export interface Transition {
  'at'?: (_google_protobuf_Timestamp | null);
  'from'?: (string);
  'to'?: (string);
  'reason'?: (string);
}

export interface Transition__Output {
  'at': (_google_protobuf_Timestamp__Output | null);
  'from': (string);
  'to': (string);
  'reason': (string);
}
