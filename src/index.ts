/**
 * statevisor as a library: the process manager to embed in a Node program, the statecharts it
 * runs on, and the contracts (syncer, metrics, logger, clock) an embedding implements.
 */
export {
  createProcessManager,
  createSupervisorMachine,
  type ProcessManager,
  type ProcessManagerOptions,
  type ShutdownOptions,
} from './manager/process-manager.js';
export type {
  ProcessSyncer,
  ProcessUpdate,
  ProcessStatus,
  SyncProcessContext,
  SyncResult,
  TerminatingContext,
  CleanupContext,
  HealthCheckContext,
  HealthCheckResult,
  StageContext,
  StopPostContext,
  ConditionResult,
  DependenciesContext,
  TerminateOptions,
  TerminationResult,
  StatusReporter,
} from './manager/syncer.js';
export type { HealthReport } from './manager/health.js';
export { noopMetrics, phaseLabel, type MetricsCollector } from './manager/metrics.js';
export { createPrometheusMetrics, type PrometheusMetrics, type PrometheusMetricsOptions } from './manager/prometheus-metrics.js';
export { silentLogger, type Logger } from './manager/logger.js';
export { systemClock, type Clock } from './manager/clock.js';
export { StatevisorError, ShutdownDeadlineError, hasCode, type ErrorCode } from './errors.js';
export { processMachine } from './machines/process.machine.js';
export { supervisorMachine, type SupervisorEvent, type ShutdownReport } from './machines/supervisor.machine.js';
export { decideRestart, defaultRestartPolicy, restartPolicyNames, type RestartPolicy, type RestartDecision } from './machines/restart-policy.js';
export { backoffDelay, backoffCeiling, type BackoffOptions } from './machines/backoff.js';
export type {
  Phase,
  UpdateType,
  ProcessEvent,
  ProcessFact,
  ProcessSettings,
  TerminationReason,
  HealthSettings,
  HealthStatus,
  RunStages,
} from './machines/process-types.js';
export { WorkerSyncer, type WorkerRuntimeOptions } from './runtime/worker/worker-syncer.js';
export type { WorkerTaskContext } from './runtime/worker/worker-host.js';
export { RuntimeDispatch, type Runtimes } from './runtime/runtime-dispatch.js';
export { validateSpec } from './spec/validate.js';
export type { ProcessSpec } from './spec/types.js';
