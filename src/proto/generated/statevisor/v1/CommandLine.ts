// Original file: proto/statevisor/v1/process_manager.proto


export interface CommandLine {
  'argv'?: (string)[];
}

export interface CommandLine__Output {
  'argv': (string)[];
}
