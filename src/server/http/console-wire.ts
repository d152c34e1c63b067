/**
 * What the console's endpoints send the browser, as types: the daemon's side (src/server/http)
 * builds these, the page (console/) reads them. This file imports nothing, so the page's own
 * compilation (console/tsconfig.json, DOM types) can include it; it holds no code.
 */

/** One row of the process table. */
export interface ProcessRow {
  readonly id: string;
  readonly name: string;
  readonly state: string;
  readonly phase: string;
  readonly pid: number;
  readonly health: string;
  readonly cpuPercent: number;
  readonly memoryBytes: number;
  readonly restartCount: number;
  readonly runCount: number;
  /** When the running workload started (ms since the epoch); null when none runs: uptime is the browser's to count. */
  readonly upSince: number | null;
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly lastError: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** `snapshot` event of /api/feed: every process. `at` is the daemon's clock (uptime is counted from it). */
export interface TableSnapshot {
  readonly at: number;
  readonly rows: readonly ProcessRow[];
}

/** `rows` event of /api/feed: the rows that changed since the last message, and the processes gone. */
export interface TableDelta {
  readonly at: number;
  readonly rows: readonly ProcessRow[];
  readonly gone: readonly string[];
}

export interface TransitionRow {
  readonly at: number;
  readonly from: string | null;
  readonly to: string;
  readonly reason: string;
}

export interface EnforcementRow {
  readonly field: string;
  readonly enforced: boolean;
  readonly detail: string;
}

/** `process` event of a process page's feed (and GET /api/processes/NAME). */
export interface ProcessDetail {
  readonly at: number;
  readonly process: ProcessRow;
  readonly command: string;
  readonly args: readonly string[];
  /** The spec as YAML, in the file form, with env values and secrets redacted. */
  readonly specYaml: string;
  readonly restartPending: readonly string[];
  readonly enforcement: readonly EnforcementRow[];
  /** Recent phase transitions, oldest first. */
  readonly transitions: readonly TransitionRow[];
  readonly recovery: string;
}

/** One move of the chart's leaf states, seen while the page was open. */
export interface ChartMove {
  readonly at: number;
  /** The event that moved it (`workload.exited`, `xstate.after.…`). */
  readonly event: string;
  readonly from: readonly string[];
  readonly to: readonly string[];
}

/** `chart` event of a process page's feed: the chart with its current state lit. */
export interface ChartState {
  readonly at: number;
  /**
   * The chart as Mermaid stateDiagram-v2 text, unlit: the same text every time, so that the page
   * draws it once and only moves the light.
   */
  readonly mermaid: string;
  /** The Mermaid ids of the states to light (what `class … active` marks in the lit text). */
  readonly lit: readonly string[];
  /** The active leaf states, as dotted paths (`syncing.running`). */
  readonly active: readonly string[];
  /** The last move, when one was seen since the page opened. */
  readonly last: ChartMove | null;
  /** Recent moves, oldest first. */
  readonly moves: readonly ChartMove[];
}

/** `log` event of a process page's feed: one line of one stream (a stream's lines arrive in order). */
export interface LogLine {
  readonly stream: 'stdout' | 'stderr';
  readonly line: string;
}

/** `notice` event: something the page should show (a stream that is not captured, a tail cut short). */
export interface Notice {
  readonly text: string;
}

/** GET /api/session: what this browser may do here. */
export interface SessionInfo {
  readonly version: string;
  readonly loopback: boolean;
  readonly canRead: boolean;
  /** Whether actions are allowed (given the same-origin guard, which the page always sends). */
  readonly canAct: boolean;
  readonly loginPossible: boolean;
  readonly reason: string;
}

/** An error answer of the console's API. */
export interface ApiError {
  readonly error: string;
  readonly code: string;
}
