// Original file: proto/statevisor/v1/process_manager.proto

import type { Enforcement as _statevisor_v1_Enforcement, Enforcement__Output as _statevisor_v1_Enforcement__Output } from '../../statevisor/v1/Enforcement.js';
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
  'cgroup_memory_bytes'?: (number | string | Long);
  'cpu_limit_millis'?: (number | string | Long);
  'pids_limit'?: (number | string | Long);
  'limits'?: (_statevisor_v1_Enforcement)[];
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
  'cgroup_memory_bytes': (number);
  'cpu_limit_millis': (number);
  'pids_limit': (number);
  'limits': (_statevisor_v1_Enforcement__Output)[];
}
