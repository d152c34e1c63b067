// Original file: proto/statevisor/v1/process_manager.proto


export interface ReloadConfigResponse {
  'added'?: (string)[];
  'removed'?: (string)[];
  'modified'?: (string)[];
  'unchanged'?: (string)[];
  'errors'?: (string)[];
}

export interface ReloadConfigResponse__Output {
  'added': (string)[];
  'removed': (string)[];
  'modified': (string)[];
  'unchanged': (string)[];
  'errors': (string)[];
}
