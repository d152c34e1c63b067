/**
 * The part of pino's logger interface statevisor uses, so an embedding can pass its own pino
 * logger (or anything shaped like it). The default logs nothing.
 */
export interface LogFn {
  (obj: object, msg?: string): void;
  (msg: string): void;
}

export interface Logger {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  child(bindings: Record<string, unknown>): Logger;
}

const ignore: LogFn = () => {};

export const silentLogger: Logger = {
  debug: ignore,
  info: ignore,
  warn: ignore,
  error: ignore,
  child: () => silentLogger,
};

/**
 * One child logger per process, with `{ process: label }` bound once, so that every line about a
 * process names it the same way. `forget` drops a process's logger when the process goes.
 */
export function processLoggers(logger: Logger, label: (id: string) => string): { of(id: string): Logger; forget(id: string): void } {
  const children = new Map<string, Logger>();
  return {
    of(id) {
      let child = children.get(id);
      if (child === undefined) children.set(id, (child = logger.child({ process: label(id) })));
      return child;
    },
    forget(id) {
      children.delete(id);
    },
  };
}
