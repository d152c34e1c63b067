/** Captured log files: rotation while the child holds the descriptor, the last lines, following. */
export { catchUpLimit, checkPolicy, cutIntoPieces, rotateFile, rotateIfNeeded, rotatedPath } from './rotation.js';
export type { Piece, RotationPolicy, RotationResult } from './rotation.js';
export { LogRotator } from './log-rotator.js';
export type { LogRotatorOptions, LogRotatorStats, WatchedLogs } from './log-rotator.js';
export { readLastLines, readTail } from './tail.js';
export type { Tail, TailOptions } from './tail.js';
export { followLines, newFollowProbe } from './follow.js';
export type { FollowOptions, FollowProbe } from './follow.js';
