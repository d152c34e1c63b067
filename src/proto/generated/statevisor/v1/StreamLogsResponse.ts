// Original file: proto/statevisor/v1/process_manager.proto


export interface StreamLogsResponse {
  'stream'?: (string);
  'line'?: (string);
}

export interface StreamLogsResponse__Output {
  'stream': (string);
  'line': (string);
}
