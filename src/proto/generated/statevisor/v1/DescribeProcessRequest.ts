// Original file: proto/statevisor/v1/process_manager.proto


export interface DescribeProcessRequest {
  'name_or_id'?: (string);
}

export interface DescribeProcessRequest__Output {
  'name_or_id': (string);
}
