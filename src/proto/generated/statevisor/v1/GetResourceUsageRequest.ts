// Original file: proto/statevisor/v1/process_manager.proto


export interface GetResourceUsageRequest {
  'name_or_id'?: (string);
}

export interface GetResourceUsageRequest__Output {
  'name_or_id': (string);
}
