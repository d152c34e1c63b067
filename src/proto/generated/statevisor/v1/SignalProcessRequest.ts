// Original file: proto/statevisor/v1/process_manager.proto


export interface SignalProcessRequest {
  'name_or_id'?: (string);
  'signal'?: (string);
  'group'?: (boolean);
}

export interface SignalProcessRequest__Output {
  'name_or_id': (string);
  'signal': (string);
  'group': (boolean);
}
