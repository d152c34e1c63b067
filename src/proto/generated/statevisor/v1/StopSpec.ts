// Original file: proto/statevisor/v1/process_manager.proto

import type { Long } from '@grpc/proto-loader';

export interface StopSpec {
  'signal'?: (string);
  'grace_period_ms'?: (number | string | Long);
  'kill_mode'?: (string);
  '_signal'?: "signal";
  '_grace_period_ms'?: "grace_period_ms";
  '_kill_mode'?: "kill_mode";
}

export interface StopSpec__Output {
  'signal'?: (string);
  'grace_period_ms'?: (number);
  'kill_mode'?: (string);
  '_signal'?: "signal";
  '_grace_period_ms'?: "grace_period_ms";
  '_kill_mode'?: "kill_mode";
}
