// Original file: proto/statevisor/v1/process_manager.proto


export interface Listener {
  'kind'?: (string);
  'address'?: (string);
}

export interface Listener__Output {
  'kind': (string);
  'address': (string);
}
