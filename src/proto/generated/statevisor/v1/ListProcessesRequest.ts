// Original file: proto/statevisor/v1/process_manager.proto


export interface ListProcessesRequest {
  'label_selector'?: (string);
}

export interface ListProcessesRequest__Output {
  'label_selector': (string);
}
