// Original file: proto/statevisor/v1/process_manager.proto


export interface DeleteProcessRequest {
  'name_or_id'?: (string);
  'force'?: (boolean);
  'keep_logs'?: (boolean);
}

export interface DeleteProcessRequest__Output {
  'name_or_id': (string);
  'force': (boolean);
  'keep_logs': (boolean);
}
