// Original file: proto/statevisor/v1/process_manager.proto


export interface StartProcessRequest {
  'name_or_id'?: (string);
}

export interface StartProcessRequest__Output {
  'name_or_id': (string);
}
