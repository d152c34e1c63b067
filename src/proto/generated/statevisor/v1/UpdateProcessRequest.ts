// Original file: proto/statevisor/v1/process_manager.proto

import type { ProcessSpec as _statevisor_v1_ProcessSpec, ProcessSpec__Output as _statevisor_v1_ProcessSpec__Output } from '../../statevisor/v1/ProcessSpec.js';
import type { FieldMask as _google_protobuf_FieldMask, FieldMask__Output as _google_protobuf_FieldMask__Output } from '../../google/protobuf/FieldMask.js';

export interface UpdateProcessRequest {
  'name_or_id'?: (string);
  'spec'?: (_statevisor_v1_ProcessSpec | null);
  'update_mask'?: (_google_protobuf_FieldMask | null);
  'restart_process'?: (boolean);
  'dry_run'?: (boolean);
}

export interface UpdateProcessRequest__Output {
  'name_or_id': (string);
  'spec': (_statevisor_v1_ProcessSpec__Output | null);
  'update_mask': (_google_protobuf_FieldMask__Output | null);
  'restart_process': (boolean);
  'dry_run': (boolean);
}
