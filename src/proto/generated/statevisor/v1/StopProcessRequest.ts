// Original file: proto/statevisor/v1/process_manager.proto

import type { Long } from '@grpc/proto-loader';

export interface StopProcessRequest {
  'name_or_id'?: (string);
  'grace_period_ms'?: (number | string | Long);
  'no_wait'?: (boolean);
  '_grace_period_ms'?: "grace_period_ms";
}

export interface StopProcessRequest__Output {
  'name_or_id': (string);
  'grace_period_ms'?: (number);
  'no_wait': (boolean);
  '_grace_period_ms'?: "grace_period_ms";
}
