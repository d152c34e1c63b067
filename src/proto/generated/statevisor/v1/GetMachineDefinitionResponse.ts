// Original file: proto/statevisor/v1/process_manager.proto


export interface GetMachineDefinitionResponse {
  'definition_json'?: (string);
  'text'?: (string);
  'active_states'?: (string)[];
}

export interface GetMachineDefinitionResponse__Output {
  'definition_json': (string);
  'text': (string);
  'active_states': (string)[];
}
