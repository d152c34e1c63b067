/**
 * Resource limits and usage: which cgroup mechanism each limit can use here, a cgroup per
 * managed process, the report of what is and is not enforced, the spawn wrapper that starts a
 * program inside its group, and whole-tree usage sampling for the fleet.
 */
export {
  cgroupControllers,
  detectCgroups,
  limitControllers,
  type CgroupController,
  type CgroupLayout,
  type ControllerSupport,
  type DetectOptions,
  type LimitController,
} from './cgroup-layout.js';
export {
  ProcessCgroup,
  cfsPeriodUs,
  cfsQuotaUs,
  removeCgroupSubtree,
  subtreeMembers,
  type GroupDir,
  type ProcessCgroupOptions,
  type RemoveOptions,
  type RemoveReport,
} from './process-cgroup.js';
export {
  planLimits,
  wrapperRlimits,
  type LimitField,
  type LimitMechanism,
  type LimitReport,
  type WrapperRlimits,
} from './limit-plan.js';
export {
  joinFailureExitCode,
  rlimitFailureExitCode,
  shellQuote,
  wrapCommand,
  type WrapOptions,
  type WrappedCommand,
} from './join-wrapper.js';
export { sampleAll, sampleUsage, type ResourceUsage, type SampleOptions, type UsageGroup, type UsageTarget } from './usage.js';
export { UsageSampler, cpuPercent, type SampleAll, type UsageSample } from './usage-sampler.js';
export { UsageThread, type UsageThreadOptions } from './usage-thread.js';
