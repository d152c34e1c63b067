/**
 * The process spec as client callers write it: camelCase, durations as `…Ms` integers, command
 * lines as string arrays. Only `name` and `command` are required; whatever is left out is not
 * sent, so the daemon's defaults apply. DescribeProcess returns the same shape, filled in.
 *
 * Derived from the spec's own types (src/spec/types.ts), never copied: a field added there is
 * here at once. What differs is what the wire carries: a policy's synonym (`never`), umask as
 * octal text ("022") and numeric ids as text, besides the numbers the daemon reads too.
 */
import type { ProcessSpec as WireSpec } from '../proto/generated/statevisor/v1/ProcessSpec.js';
import type {
  HealthCheckSpec,
  LogsSpec,
  ProcessSpec,
  ResourcesSpec,
  RestartPolicyInput,
  RestartSpec,
  RuntimeSpec,
  SocketSpec,
  StopSpec,
} from '../spec/types.js';

export type { LogTarget } from '../spec/types.js';

export type RestartSpecInput = Partial<Omit<RestartSpec, 'policy'>> & {
  /** `never` is a synonym of `no`: the daemon stores and shows `no`. */
  policy?: RestartPolicyInput;
};
export type StopSpecInput = Partial<StopSpec>;
export type LogsSpecInput = Partial<LogsSpec>;
export type HealthCheckSpecInput = Partial<HealthCheckSpec> & Pick<HealthCheckSpec, 'type'>;
export type ResourcesSpecInput = ResourcesSpec;
export type RuntimeSpecInput = Partial<RuntimeSpec>;
/** The name defaults to the process's. */
export type SocketSpecInput = Pick<SocketSpec, 'listen'> & Partial<SocketSpec>;

type Sections = 'restart' | 'stop' | 'logs' | 'healthCheck' | 'resources' | 'runtime' | 'sockets';
/** What the wire spells as text: octal, or a name or number. */
type TextOnWire = 'umask' | 'user' | 'group' | 'runtimeDirectoryMode';

/** A worker runs a module: its command is optional (shown as the module when absent). */
type CommandOrWorker = Pick<ProcessSpec, 'command'> | { command?: string; runtime: RuntimeSpecInput & { kind: 'worker'; module: string } };

export type ProcessSpecInput = Pick<ProcessSpec, 'name'> &
  CommandOrWorker &
  Partial<Omit<ProcessSpec, 'name' | 'command' | Sections | TextOnWire>> & {
    restart?: RestartSpecInput;
    stop?: StopSpecInput;
    logs?: LogsSpecInput;
    healthCheck?: HealthCheckSpecInput;
    resources?: ResourcesSpecInput;
    runtime?: RuntimeSpecInput;
    sockets?: SocketSpecInput[];
    /** A name, or a numeric id. */
    user?: string | number;
    group?: string | number;
    /** Octal text, e.g. "022", or the number itself. */
    umask?: string | number;
    /** Octal text, e.g. "0750", or the number itself. */
    runtimeDirectoryMode?: string | number;
  };

/** A spec already in the wire's snake_case (a config file read as is); sent unchanged. */
export type WireProcessSpecInput = WireSpec & { name: string; command: string };

/** For UpdateProcess: only the fields named by the update mask need be there. */
export type ProcessSpecPatch = Partial<ProcessSpecInput>;

type ListFields = 'labels' | 'args' | 'env' | 'envFiles' | 'after' | 'before' | 'requires' | 'wants' | 'bindsTo' | 'conflicts' | 'execStartPre' | 'execStartPost' | 'execStopPost';

/**
 * A spec as the daemon reports it: lists and maps always present, optional fields when set;
 * umask, user and group as the wire's text.
 */
export type ProcessSpecOutput = Omit<ProcessSpecInput, TextOnWire> &
  Required<Pick<ProcessSpecInput, ListFields>> & { user?: string; group?: string; umask?: string; runtimeDirectoryMode?: string };
