// Original file: proto/statevisor/v1/process_manager.proto

import type { Long } from '@grpc/proto-loader';

export interface ResourcesSpec {
  'cpu_millis'?: (number | string | Long);
  'memory_bytes'?: (number | string | Long);
  'pids'?: (number | string | Long);
  '_cpu_millis'?: "cpu_millis";
  '_memory_bytes'?: "memory_bytes";
  '_pids'?: "pids";
}

export interface ResourcesSpec__Output {
  'cpu_millis'?: (number);
  'memory_bytes'?: (number);
  'pids'?: (number);
  '_cpu_millis'?: "cpu_millis";
  '_memory_bytes'?: "memory_bytes";
  '_pids'?: "pids";
}
