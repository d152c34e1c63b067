// Original file: proto/statevisor/v1/process_manager.proto

import type { Long } from '@grpc/proto-loader';

export interface GetResourceUsageResponse {
  'cpu_user_us'?: (number | string | Long);
  'cpu_system_us'?: (number | string | Long);
  'cpu_percent'?: (number | string);
  'rss_bytes'?: (number | string | Long);
  'memory_limit_bytes'?: (number | string | Long);
  'pids'?: (number);
  'fds'?: (number);
  'io_read_bytes'?: (number | string | Long);
  'io_write_bytes'?: (number | string | Long);
  'source'?: (string);
}

export interface GetResourceUsageResponse__Output {
  'cpu_user_us': (number);
  'cpu_system_us': (number);
  'cpu_percent': (number);
  'rss_bytes': (number);
  'memory_limit_bytes': (number);
  'pids': (number);
  'fds': (number);
  'io_read_bytes': (number);
  'io_write_bytes': (number);
  'source': (string);
}
