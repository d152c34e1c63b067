// Original file: proto/statevisor/v1/process_manager.proto


export interface DeleteProcessResponse {
  'kept_logs'?: (string);
}

export interface DeleteProcessResponse__Output {
  'kept_logs': (string);
}
