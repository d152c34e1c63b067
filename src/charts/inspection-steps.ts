/**
 * XState's inspection events, read as a person reads a chart: one step per state change of a
 * chart, with the event that caused it (`workload.exited code=3`), where it went from and to (leaf
 * paths) and why (the reason the chart itself computed, from the fact the process told its
 * supervisor in the same macrostep). Everything else XState reports — the internal events
 * (`xstate.init`, `xstate.raise`, `xstate.cancel`, a delay passing or a hook ending when it moves
 * nothing a person watches), microsteps, actions, the hooks' own actors, and events that changed
 * no state — is a step too, marked `internal`, for those who ask for everything.
 *
 * A change is worth a line when it moves the chart to another phase (top state), or when the chart
 * gave a reason for it, or when it answers an event from outside (not `xstate.*`). So a crash-loop
 * restart is five lines (exited → terminating, stop hook done → terminated, the restart decided
 * with its delay, the delay over → starting, the sync done → syncing), and a health probe that
 * changes nothing is none.
 *
 * The reader keeps, per live actor, its last leaf paths (what `from` is) and the reasons waiting
 * for its next snapshot: XState reports the fact sent to the supervisor before the snapshot of the
 * actor that sent it (both in one macrostep). `seed()` starts it from the actors as they are.
 */
import type { InspectionEvent } from 'xstate';
import { redacted } from './redact.js';
import { leafPaths } from './state-paths.js';

export type StepKind =
  /** A live actor as it is now, sent first to a late watcher. */
  | 'state'
  /** An actor's first snapshot. */
  | 'created'
  | 'transition'
  /** An actor stopped, finished or failed. */
  | 'stopped'
  | 'received'
  | 'microstep'
  | 'action'
  | 'actor'
  /** The watcher fell behind and `count` events were not sent to it; the current state follows. */
  | 'missed';

export interface InspectionStep {
  readonly kind: StepKind;
  readonly at: number;
  readonly actorId: string;
  /** The actor's name for a person (a process's name, `supervisor`): the daemon fills it in. */
  readonly name?: string;
  /** Not worth a line unless everything is asked for. */
  readonly internal: boolean;
  /** The event, named for a person (`workload.exited`, `stopHook done`, `after restartDelay`). */
  readonly event?: string;
  /** A short form of the event's payload (`code=3`). */
  readonly payload?: string;
  readonly from?: readonly string[];
  readonly to?: readonly string[];
  readonly reason?: string;
  readonly status?: string;
  readonly action?: string;
  readonly count?: number;
  readonly replay?: boolean;
}

/** What of an actor the reader looks at (an ActorRef has it). */
export interface InspectedActor {
  readonly id: string;
  readonly sessionId: string;
  getSnapshot(): unknown;
}

interface Seen {
  paths: string[];
  status: string;
}

type AnyInspection = InspectionEvent & {
  actorRef: InspectedActor & { logic?: { config?: unknown } };
  sourceRef?: { id: string; logic?: { config?: unknown } };
  event?: Record<string, unknown> & { type: string };
  snapshot?: { value?: unknown; status?: string };
  action?: { type?: unknown; params?: unknown };
};

/** The facts a process tells its supervisor, and the words of each that say why. */
const factReasons: Record<string, (fact: Record<string, unknown>) => string | undefined> = {
  'phase.changed': (fact) => text(fact.reason),
  'process.restarting': (fact) => text(fact.reason),
  'run.ended': (fact) => text(fact.reason),
  'queue.retried': (fact) => (text(fact.error) === undefined ? undefined : `retrying: ${text(fact.error)}`),
  'health.changed': (fact) => `health ${text(fact.previous)} → ${text(fact.health)}${text(fact.message) ? `: ${text(fact.message)}` : ''}`,
};

export class InspectionReader {
  readonly #seen = new Map<string, Seen>();
  readonly #reasons = new Map<string, string[]>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Start from the actors as they are (a watcher arrived): what each is in, and a step saying so. */
  seed(actors: Iterable<InspectedActor>): InspectionStep[] {
    this.#seen.clear();
    this.#reasons.clear();
    const steps: InspectionStep[] = [];
    for (const actor of actors) {
      const snapshot = actor.getSnapshot() as { value?: unknown; status?: string } | undefined;
      const seen = { paths: leafPaths(snapshot?.value), status: snapshot?.status ?? 'active' };
      this.#seen.set(actor.sessionId, seen);
      steps.push({ kind: 'state', at: this.now(), actorId: actor.id, internal: !isMachineActor(actor), to: seen.paths, status: seen.status, replay: true });
    }
    return steps;
  }

  read(inspection: InspectionEvent): InspectionStep {
    const event = inspection as AnyInspection;
    const at = this.now();
    const actorId = event.actorRef.id;
    switch (event.type) {
      case '@xstate.event': {
        const received = event.event ?? { type: '' };
        this.#noteReason(received, event.sourceRef);
        return { kind: 'received', at, actorId, internal: true, ...eventPhrase(received) };
      }
      case '@xstate.snapshot':
        return this.#snapshot(event, at);
      case '@xstate.microstep':
        return { kind: 'microstep', at, actorId, internal: true, ...eventPhrase(event.event ?? { type: '' }), to: leafPaths(event.snapshot?.value) };
      case '@xstate.action':
        return { kind: 'action', at, actorId, internal: true, action: String(event.action?.type ?? '') };
      case '@xstate.actor':
        return { kind: 'actor', at, actorId, internal: true };
      default:
        return { kind: 'received', at, actorId, internal: true, event: String((event as { type: string }).type) };
    }
  }

  #snapshot(event: AnyInspection, at: number): InspectionStep {
    const actor = event.actorRef;
    const actorId = actor.id;
    const paths = leafPaths(event.snapshot?.value);
    const status = event.snapshot?.status ?? 'active';
    const previous = this.#seen.get(actor.sessionId);
    if (status === 'active') this.#seen.set(actor.sessionId, { paths, status });
    else this.#seen.delete(actor.sessionId);
    const reasons = this.#reasons.get(actorId);
    this.#reasons.delete(actorId);
    const reason = reasons?.join('; ');
    const phrase = eventPhrase(event.event ?? { type: '' });
    const machine = isMachineActor(actor);
    const base = { at, actorId, ...phrase, to: paths, status, ...(reason === undefined ? {} : { reason }) };
    if (previous === undefined) return { kind: 'created', ...base, internal: !machine };
    const changed = !samePaths(previous.paths, paths);
    if (status !== previous.status) return { kind: 'stopped', ...base, from: previous.paths, internal: !machine };
    if (!changed) return { kind: 'received', ...base, internal: true };
    const phaseChanged = !samePaths(previous.paths.map(top), paths.map(top));
    const external = !(event.event?.type ?? '').startsWith('xstate.');
    return { kind: 'transition', ...base, from: previous.paths, internal: !machine || !(phaseChanged || reason !== undefined || external) };
  }

  /** A fact from a process to its supervisor: its reason waits for the process's next snapshot. */
  #noteReason(received: Record<string, unknown>, source: AnyInspection['sourceRef']): void {
    const reasonOf = factReasons[String(received.type)];
    if (reasonOf === undefined || source === undefined || received.id !== source.id) return;
    const reason = reasonOf(received);
    if (reason === undefined || reason === '') return;
    const list = this.#reasons.get(source.id) ?? [];
    if (!list.includes(reason)) list.push(reason);
    this.#reasons.set(source.id, list);
  }
}

/**
 * A machine's actor (a chart), as opposed to a hook's promise or callback actor: a machine's
 * logic carries its config object; a promise's or callback's, the function it runs.
 */
export function isMachineActor(actor: object): boolean {
  const logic = (actor as { logic?: { config?: unknown } }).logic;
  return typeof logic === 'object' && logic !== null && typeof logic.config === 'object' && logic.config !== null;
}

function top(path: string): string {
  const dot = path.indexOf('.');
  return dot === -1 ? path : path.slice(0, dot);
}

function samePaths(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((path, i) => path === b[i]);
}

const maxPayload = 80;

/** An event named for a person, with a short payload. */
export function eventPhrase(event: Record<string, unknown> & { type: string }): { event: string; payload?: string } {
  const type = event.type;
  const done = /^xstate\.(done|error)\.actor\.(.*)$/.exec(type);
  if (done !== null) {
    const hook = done[2]!.split('.').at(-1)!;
    if (done[1] === 'done') return { event: `${hook} done` };
    return withPayload(`${hook} failed`, errorText(event.error));
  }
  const after = /^xstate\.after\.([^.]+)\./.exec(type);
  if (after !== null) return { event: `after ${after[1]}` };
  if (type === 'xstate.init') return { event: 'init' };
  if (type === 'workload.exited') {
    const parts = [
      event.exitCode !== null && event.exitCode !== undefined ? `code=${String(event.exitCode)}` : undefined,
      typeof event.signal === 'string' ? `signal=${event.signal}` : undefined,
      typeof event.error === 'string' ? `error=${event.error}` : undefined,
      typeof event.cause === 'string' ? `cause=${event.cause}` : undefined,
    ].filter((part) => part !== undefined);
    return withPayload(type, parts.join(' '));
  }
  const safe = redacted(event) as Record<string, unknown>;
  const parts: string[] = [];
  for (const [key, value] of Object.entries(safe)) {
    if (key === 'type' || key === 'at' || key === 'id') continue;
    if (typeof value === 'string') parts.push(`${key}=${value.length > 40 ? `${value.slice(0, 39)}…` : value}`);
    else if (typeof value === 'number' || typeof value === 'boolean') parts.push(`${key}=${String(value)}`);
  }
  return withPayload(type, parts.join(' '));
}

function withPayload(event: string, payload: string | undefined): { event: string; payload?: string } {
  if (payload === undefined || payload === '') return { event };
  return { event, payload: payload.length > maxPayload ? `${payload.slice(0, maxPayload - 1)}…` : payload };
}

function errorText(error: unknown): string | undefined {
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string') {
    return (error as { message: string }).message;
  }
  return error === undefined ? undefined : String(error);
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : value === undefined || value === null ? undefined : String(value);
}
