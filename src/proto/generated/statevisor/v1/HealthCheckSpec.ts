// Original file: proto/statevisor/v1/process_manager.proto

import type { Long } from '@grpc/proto-loader';

export interface HealthCheckSpec {
  'type'?: (string);
  'url'?: (string);
  'method'?: (string);
  'expected_status'?: (number | string | Long);
  'host'?: (string);
  'port'?: (number | string | Long);
  'command'?: (string);
  'args'?: (string)[];
  'service'?: (string);
  'interval_ms'?: (number | string | Long);
  'timeout_ms'?: (number | string | Long);
  'failure_threshold'?: (number | string | Long);
  'success_threshold'?: (number | string | Long);
  'start_period_ms'?: (number | string | Long);
  'restart_after'?: (number | string | Long);
  '_url'?: "url";
  '_method'?: "method";
  '_expected_status'?: "expected_status";
  '_host'?: "host";
  '_port'?: "port";
  '_command'?: "command";
  '_service'?: "service";
  '_interval_ms'?: "interval_ms";
  '_timeout_ms'?: "timeout_ms";
  '_failure_threshold'?: "failure_threshold";
  '_success_threshold'?: "success_threshold";
  '_start_period_ms'?: "start_period_ms";
  '_restart_after'?: "restart_after";
}

export interface HealthCheckSpec__Output {
  'type': (string);
  'url'?: (string);
  'method'?: (string);
  'expected_status'?: (number);
  'host'?: (string);
  'port'?: (number);
  'command'?: (string);
  'args': (string)[];
  'service'?: (string);
  'interval_ms'?: (number);
  'timeout_ms'?: (number);
  'failure_threshold'?: (number);
  'success_threshold'?: (number);
  'start_period_ms'?: (number);
  'restart_after'?: (number);
  '_url'?: "url";
  '_method'?: "method";
  '_expected_status'?: "expected_status";
  '_host'?: "host";
  '_port'?: "port";
  '_command'?: "command";
  '_service'?: "service";
  '_interval_ms'?: "interval_ms";
  '_timeout_ms'?: "timeout_ms";
  '_failure_threshold'?: "failure_threshold";
  '_success_threshold'?: "success_threshold";
  '_start_period_ms'?: "start_period_ms";
  '_restart_after'?: "restart_after";
}
