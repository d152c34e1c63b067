// Original file: proto/statevisor/v1/process_manager.proto

import type { Long } from '@grpc/proto-loader';

export interface LogsSpec {
  'stdout'?: (string);
  'stderr'?: (string);
  'max_bytes'?: (number | string | Long);
  'max_files'?: (number | string | Long);
  '_stdout'?: "stdout";
  '_stderr'?: "stderr";
  '_max_bytes'?: "max_bytes";
  '_max_files'?: "max_files";
}

export interface LogsSpec__Output {
  'stdout'?: (string);
  'stderr'?: (string);
  'max_bytes'?: (number);
  'max_files'?: (number);
  '_stdout'?: "stdout";
  '_stderr'?: "stderr";
  '_max_bytes'?: "max_bytes";
  '_max_files'?: "max_files";
}
