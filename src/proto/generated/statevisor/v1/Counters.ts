// Original file: proto/statevisor/v1/process_manager.proto


export interface Counters {
  'run_count'?: (number);
  'restart_count'?: (number);
  'error_count'?: (number);
  'failure_streak'?: (number);
}

export interface Counters__Output {
  'run_count': (number);
  'restart_count': (number);
  'error_count': (number);
  'failure_streak': (number);
}
