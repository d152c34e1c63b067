// Original file: proto/statevisor/v1/process_manager.proto

export const HealthStatus = {
  HEALTH_STATUS_UNKNOWN: 'HEALTH_STATUS_UNKNOWN',
  HEALTH_STATUS_STARTING: 'HEALTH_STATUS_STARTING',
  HEALTH_STATUS_HEALTHY: 'HEALTH_STATUS_HEALTHY',
  HEALTH_STATUS_UNHEALTHY: 'HEALTH_STATUS_UNHEALTHY',
} as const;

export type HealthStatus =
  | 'HEALTH_STATUS_UNKNOWN'
  | 0
  | 'HEALTH_STATUS_STARTING'
  | 1
  | 'HEALTH_STATUS_HEALTHY'
  | 2
  | 'HEALTH_STATUS_UNHEALTHY'
  | 3

export type HealthStatus__Output = typeof HealthStatus[keyof typeof HealthStatus]
