// Original file: proto/statevisor/v1/process_manager.proto


export interface RuntimeSpec {
  'kind'?: (string);
  'module'?: (string);
  'export'?: (string);
  '_kind'?: "kind";
  '_module'?: "module";
  '_export'?: "export";
}

export interface RuntimeSpec__Output {
  'kind'?: (string);
  'module'?: (string);
  'export'?: (string);
  '_kind'?: "kind";
  '_module'?: "module";
  '_export'?: "export";
}
