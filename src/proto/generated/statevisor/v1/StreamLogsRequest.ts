// Original file: proto/statevisor/v1/process_manager.proto


export interface StreamLogsRequest {
  'name_or_id'?: (string);
  'stream'?: (string);
  'tail_lines'?: (number);
  'follow'?: (boolean);
}

export interface StreamLogsRequest__Output {
  'name_or_id': (string);
  'stream': (string);
  'tail_lines': (number);
  'follow': (boolean);
}
