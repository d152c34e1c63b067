// Original file: proto/statevisor/v1/process_manager.proto


export interface SocketSpec {
  'listen'?: (string);
  'name'?: (string);
  '_listen'?: "listen";
  '_name'?: "name";
}

export interface SocketSpec__Output {
  'listen'?: (string);
  'name'?: (string);
  '_listen'?: "listen";
  '_name'?: "name";
}
