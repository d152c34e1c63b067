/**
 * A chart in XState's *config* form: what `createMachine` takes and Stately's editor imports.
 * XState's own `machine.toJSON()` is the normalised node tree (an `initial` that is an object, ids
 * and event names it generated, every transition twice), which neither loads back into
 * `createMachine` nor into the editor; so this walks the config the chart was written as.
 *
 * What code holds and JSON cannot is named or left out, never invented: guards, actions, delays
 * and actors become their names (`guard: 'isTerminal'`); parameters computed from the context
 * are dropped (`{ type: 'enterPhase', params: fn }` → `'enterPhase'`), static ones kept; an
 * invoke's computed `input` is dropped. An inline implementation (an `assign(...)` written in the
 * chart instead of named in `setup()`) has no name to give: it is refused, so that the charts keep
 * every implementation named (a test walks both).
 *
 * Context is the one thing that carries a process's own data; it is written only through
 * `redacted()` (env values and secret-looking values out).
 */
import type { AnyStateMachine } from 'xstate';
import { redacted } from './redact.js';

/** A transition in config form: a target, or an object; several are tried in order. */
export type ChartTransitionConfig = string | ChartTransitionObject;
export interface ChartTransitionObject {
  target?: string | string[];
  guard?: ChartImplementation;
  actions?: ChartImplementation | ChartImplementation[];
  reenter?: boolean;
  description?: string;
}
export type ChartTransitions = ChartTransitionConfig | ChartTransitionConfig[];

/** A named implementation (guard, action), with static parameters when it has some. */
export type ChartImplementation = string | { type: string; params?: unknown };

export interface ChartInvoke {
  src: string;
  id?: string;
  systemId?: string;
  input?: unknown;
  onDone?: ChartTransitions;
  onError?: ChartTransitions;
  onSnapshot?: ChartTransitions;
}

export interface ChartNode {
  id?: string;
  type?: 'atomic' | 'compound' | 'parallel' | 'final' | 'history';
  description?: string;
  initial?: string;
  history?: 'shallow' | 'deep';
  target?: string;
  tags?: string[];
  entry?: ChartImplementation[];
  exit?: ChartImplementation[];
  on?: Record<string, ChartTransitions>;
  after?: Record<string, ChartTransitions>;
  always?: ChartTransitions;
  invoke?: ChartInvoke[];
  states?: Record<string, ChartNode>;
  meta?: unknown;
}

/** A whole chart: the root node, its id and (sanitised) context. */
export interface ChartDefinition extends ChartNode {
  id: string;
  context?: unknown;
}

export interface ChartDefinitionOptions {
  /**
   * The context to write (a process's live context, or a representative one). Redacted here.
   * Without it, a chart whose context is a plain object keeps that; a computed one is left out.
   */
  readonly context?: unknown;
}

/** The chart of `machine` in config form, as JSON-safe data (`JSON.stringify` it to serve it). */
export function chartDefinition(machine: AnyStateMachine, options: ChartDefinitionOptions = {}): ChartDefinition {
  const config = machine.config as Record<string, unknown>;
  const id = typeof config.id === 'string' ? config.id : machine.id;
  const root = nodeOf(config, id);
  const context = options.context !== undefined ? options.context : typeof config.context === 'function' ? undefined : config.context;
  const definition: ChartDefinition = { ...root, id };
  if (context !== undefined) definition.context = redacted(context);
  return definition;
}

type Config = Record<string, unknown>;

function nodeOf(config: Config, where: string): ChartNode {
  const node: ChartNode = {};
  if (typeof config.id === 'string') node.id = config.id;
  if (typeof config.type === 'string') node.type = config.type as ChartNode['type'];
  if (typeof config.description === 'string') node.description = config.description;
  if (typeof config.initial === 'string') node.initial = config.initial;
  else if (config.initial !== undefined) node.initial = initialTargetOf(config.initial, where);
  if (config.history === 'shallow' || config.history === 'deep') node.history = config.history;
  if (typeof config.target === 'string') node.target = config.target;
  if (config.tags !== undefined) node.tags = listOf(config.tags).map(String);
  if (config.entry !== undefined) node.entry = listOf(config.entry).map((action, i) => implementationOf(action, `${where}.entry[${i}]`));
  if (config.exit !== undefined) node.exit = listOf(config.exit).map((action, i) => implementationOf(action, `${where}.exit[${i}]`));
  if (config.on !== undefined) node.on = transitionMapOf(config.on as Config, `${where}.on`);
  if (config.after !== undefined) node.after = transitionMapOf(config.after as Config, `${where}.after`);
  if (config.always !== undefined) node.always = transitionsOf(config.always, `${where}.always`);
  if (config.invoke !== undefined) node.invoke = listOf(config.invoke).map((invoke, i) => invokeOf(invoke as Config, `${where}.invoke[${i}]`));
  if (config.meta !== undefined) node.meta = redacted(config.meta);
  if (config.states !== undefined) {
    node.states = {};
    for (const [key, child] of Object.entries(config.states as Record<string, Config>)) {
      node.states[key] = nodeOf(child, `${where}.${key}`);
    }
  }
  return node;
}

function initialTargetOf(initial: unknown, where: string): string {
  const target = (initial as { target?: unknown }).target;
  if (typeof target === 'string') return target;
  throw new Error(`${where}.initial: expected a state key, got ${typeof initial}`);
}

function transitionMapOf(map: Config, where: string): Record<string, ChartTransitions> {
  const out: Record<string, ChartTransitions> = {};
  for (const [key, value] of Object.entries(map)) out[key] = transitionsOf(value, `${where}.${key}`);
  return out;
}

function transitionsOf(value: unknown, where: string): ChartTransitions {
  if (Array.isArray(value)) return value.map((one, i) => transitionOf(one, `${where}[${i}]`));
  return transitionOf(value, where);
}

function transitionOf(value: unknown, where: string): ChartTransitionConfig {
  if (typeof value === 'string') return value;
  if (typeof value !== 'object' || value === null) throw new Error(`${where}: expected a target or a transition object, got ${typeof value}`);
  const config = value as Config;
  const transition: ChartTransitionObject = {};
  if (config.target !== undefined) transition.target = Array.isArray(config.target) ? config.target.map(String) : String(config.target);
  if (config.guard !== undefined) transition.guard = implementationOf(config.guard, `${where}.guard`);
  if (config.actions !== undefined) {
    const actions = listOf(config.actions).map((action, i) => implementationOf(action, `${where}.actions[${i}]`));
    transition.actions = actions.length === 1 ? actions[0] : actions;
  }
  if (config.reenter === true) transition.reenter = true;
  if (typeof config.description === 'string') transition.description = config.description;
  return transition;
}

function invokeOf(config: Config, where: string): ChartInvoke {
  if (typeof config.src !== 'string') throw new Error(`${where}.src: an inline actor has no name; name it in setup({ actors })`);
  const invoke: ChartInvoke = { src: config.src };
  if (typeof config.id === 'string') invoke.id = config.id;
  if (typeof config.systemId === 'string') invoke.systemId = config.systemId;
  if (config.input !== undefined && typeof config.input !== 'function') invoke.input = redacted(config.input);
  if (config.onDone !== undefined) invoke.onDone = transitionsOf(config.onDone, `${where}.onDone`);
  if (config.onError !== undefined) invoke.onError = transitionsOf(config.onError, `${where}.onError`);
  if (config.onSnapshot !== undefined) invoke.onSnapshot = transitionsOf(config.onSnapshot, `${where}.onSnapshot`);
  return invoke;
}

/** A named guard or action: its name, with its parameters when they are data. */
function implementationOf(value: unknown, where: string): ChartImplementation {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null && typeof (value as Config).type === 'string') {
    const { type, params } = value as { type: string; params?: unknown };
    if (params === undefined || typeof params === 'function') return type;
    return { type, params: redacted(params) };
  }
  const builtIn = typeof value === 'function' ? (value as { type?: unknown }).type : undefined;
  throw new Error(
    `${where}: an inline ${typeof builtIn === 'string' ? builtIn : 'function'} has no name in config form; name it in setup()`,
  );
}

function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value];
}
