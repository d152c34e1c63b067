/** Captured output: the log pump that writes and rotates files, the last lines, following. */
export { LogPump } from './log-pump.js';
export type { LogPumpOptions, LogPumpStats } from './log-pump.js';
export { RotatingFile, rotatedPath, ownsEverything } from './rotating-file.js';
export type { Ownership, RotationPolicy, WriteResult } from './rotating-file.js';
export { OwnedFiles } from './owned-files.js';
export { ensureFifo } from './fifo.js';
export { readLastLines, readTail } from './tail.js';
export type { Tail, TailOptions } from './tail.js';
export { followLines, newFollowProbe } from './follow.js';
export type { FollowOptions, FollowProbe } from './follow.js';
