// Original file: proto/statevisor/v1/process_manager.proto


export interface InspectRequest {
  'name_or_id'?: (string);
  'all'?: (boolean);
  'steps'?: (boolean);
}

export interface InspectRequest__Output {
  'name_or_id': (string);
  'all': (boolean);
  'steps': (boolean);
}
