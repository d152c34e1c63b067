// Original file: proto/statevisor/v1/process_manager.proto


export interface InspectResponse {
  'event_json'?: (string);
}

export interface InspectResponse__Output {
  'event_json': (string);
}
