// Original file: proto/statevisor/v1/process_manager.proto


export interface Enforcement {
  'field'?: (string);
  'enforced'?: (boolean);
  'detail'?: (string);
}

export interface Enforcement__Output {
  'field': (string);
  'enforced': (boolean);
  'detail': (string);
}
