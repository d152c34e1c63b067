// Original file: proto/statevisor/v1/process_manager.proto


export interface RestartProcessRequest {
  'name_or_id'?: (string);
}

export interface RestartProcessRequest__Output {
  'name_or_id': (string);
}
