// Original file: proto/statevisor/v1/process_manager.proto

import type { Long } from '@grpc/proto-loader';

export interface RestartSpec {
  'policy'?: (string);
  'delay_ms'?: (number | string | Long);
  'max_delay_ms'?: (number | string | Long);
  'start_limit_burst'?: (number | string | Long);
  'start_limit_interval_ms'?: (number | string | Long);
  'success_exit_codes'?: (number | string | Long)[];
  'min_uptime_ms'?: (number | string | Long);
  '_policy'?: "policy";
  '_delay_ms'?: "delay_ms";
  '_max_delay_ms'?: "max_delay_ms";
  '_start_limit_burst'?: "start_limit_burst";
  '_start_limit_interval_ms'?: "start_limit_interval_ms";
  '_min_uptime_ms'?: "min_uptime_ms";
}

export interface RestartSpec__Output {
  'policy'?: (string);
  'delay_ms'?: (number);
  'max_delay_ms'?: (number);
  'start_limit_burst'?: (number);
  'start_limit_interval_ms'?: (number);
  'success_exit_codes': (number)[];
  'min_uptime_ms'?: (number);
  '_policy'?: "policy";
  '_delay_ms'?: "delay_ms";
  '_max_delay_ms'?: "max_delay_ms";
  '_start_limit_burst'?: "start_limit_burst";
  '_start_limit_interval_ms'?: "start_limit_interval_ms";
  '_min_uptime_ms'?: "min_uptime_ms";
}
