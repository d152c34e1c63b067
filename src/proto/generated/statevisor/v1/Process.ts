// Original file: proto/statevisor/v1/process_manager.proto

import type { ProcessState as _statevisor_v1_ProcessState, ProcessState__Output as _statevisor_v1_ProcessState__Output } from '../../statevisor/v1/ProcessState.js';
import type { Phase as _statevisor_v1_Phase, Phase__Output as _statevisor_v1_Phase__Output } from '../../statevisor/v1/Phase.js';
import type { HealthStatus as _statevisor_v1_HealthStatus, HealthStatus__Output as _statevisor_v1_HealthStatus__Output } from '../../statevisor/v1/HealthStatus.js';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp.js';
import type { Long } from '@grpc/proto-loader';

export interface Process {
  'id'?: (string);
  'name'?: (string);
  'state'?: (_statevisor_v1_ProcessState);
  'phase'?: (_statevisor_v1_Phase);
  'pid'?: (number);
  'run_count'?: (number);
  'restart_count'?: (number);
  'exit_code'?: (number);
  'signal'?: (string);
  'health'?: (_statevisor_v1_HealthStatus);
  'created_at'?: (_google_protobuf_Timestamp | null);
  'started_at'?: (_google_protobuf_Timestamp | null);
  'ended_at'?: (_google_protobuf_Timestamp | null);
  'uptime_ms'?: (number | string | Long);
  'last_error'?: (string);
  'command'?: (string);
  'args'?: (string)[];
  'labels'?: ({[key: string]: string});
  'health_failures'?: (number);
  'health_message'?: (string);
  'cpu_percent'?: (number | string);
  'memory_bytes'?: (number | string | Long);
  'waiting_for'?: (string);
  '_exit_code'?: "exit_code";
  '_signal'?: "signal";
}

export interface Process__Output {
  'id': (string);
  'name': (string);
  'state': (_statevisor_v1_ProcessState__Output);
  'phase': (_statevisor_v1_Phase__Output);
  'pid': (number);
  'run_count': (number);
  'restart_count': (number);
  'exit_code'?: (number);
  'signal'?: (string);
  'health': (_statevisor_v1_HealthStatus__Output);
  'created_at': (_google_protobuf_Timestamp__Output | null);
  'started_at': (_google_protobuf_Timestamp__Output | null);
  'ended_at': (_google_protobuf_Timestamp__Output | null);
  'uptime_ms': (number);
  'last_error': (string);
  'command': (string);
  'args': (string)[];
  'labels': ({[key: string]: string});
  'health_failures': (number);
  'health_message': (string);
  'cpu_percent': (number);
  'memory_bytes': (number);
  'waiting_for': (string);
  '_exit_code'?: "exit_code";
  '_signal'?: "signal";
}
