// Original file: proto/statevisor/v1/process_manager.proto


export interface GetMachineDefinitionRequest {
  'kind'?: (string);
  'name_or_id'?: (string);
  'format'?: (string);
}

export interface GetMachineDefinitionRequest__Output {
  'kind': (string);
  'name_or_id': (string);
  'format': (string);
}
