// Original file: proto/statevisor/v1/process_manager.proto


export interface WatchEventsRequest {
  'name_or_id'?: (string);
}

export interface WatchEventsRequest__Output {
  'name_or_id': (string);
}
