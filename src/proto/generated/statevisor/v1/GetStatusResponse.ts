// Original file: proto/statevisor/v1/process_manager.proto

import type { Listener as _statevisor_v1_Listener, Listener__Output as _statevisor_v1_Listener__Output } from '../../statevisor/v1/Listener.js';
import type { Long } from '@grpc/proto-loader';

export interface GetStatusResponse {
  'version'?: (string);
  'pid'?: (number);
  'uptime_ms'?: (number | string | Long);
  'counts_by_state'?: ({[key: string]: number});
  'work_queue_depth'?: (number);
  'listeners'?: (_statevisor_v1_Listener)[];
  'state_dir'?: (string);
  'config_path'?: (string);
  'unimplemented_rpcs'?: (string)[];
  'process_count'?: (number);
  'event_loop_lag_p50_ms'?: (number | string);
  'event_loop_lag_p99_ms'?: (number | string);
  'event_loop_lag_max_ms'?: (number | string);
  'rss_bytes'?: (number | string | Long);
  'log_rotations'?: (number | string | Long);
  'log_bytes_lost'?: (number | string | Long);
  'log_bytes_dropped'?: (number | string | Long);
  'uncaught_errors'?: (number | string | Long);
  'restart_rate_limit'?: (number | string);
  'restarts_delayed'?: (number | string | Long);
  'restarts_waiting'?: (number);
}

export interface GetStatusResponse__Output {
  'version': (string);
  'pid': (number);
  'uptime_ms': (number);
  'counts_by_state': ({[key: string]: number});
  'work_queue_depth': (number);
  'listeners': (_statevisor_v1_Listener__Output)[];
  'state_dir': (string);
  'config_path': (string);
  'unimplemented_rpcs': (string)[];
  'process_count': (number);
  'event_loop_lag_p50_ms': (number);
  'event_loop_lag_p99_ms': (number);
  'event_loop_lag_max_ms': (number);
  'rss_bytes': (number);
  'log_rotations': (number);
  'log_bytes_lost': (number);
  'log_bytes_dropped': (number);
  'uncaught_errors': (number);
  'restart_rate_limit': (number);
  'restarts_delayed': (number);
  'restarts_waiting': (number);
}
