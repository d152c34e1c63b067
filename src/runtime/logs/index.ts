/** Captured log files: rotation while the child holds the descriptor, the last lines, following. */
export { LogRotator, checkPolicy, rotateIfNeeded, rotatedPath } from './rotation.js';
export type { LogRotatorOptions, LogRotatorStats, RotationPolicy, WatchedLogs } from './rotation.js';
export { readLastLines } from './tail.js';
export type { TailOptions } from './tail.js';
export { followLines, newFollowProbe } from './follow.js';
export type { FollowOptions, FollowProbe } from './follow.js';
