/**
 * Signal names and numbers as this platform defines them (os.constants.signals), so a spec's
 * `stopSignal: SIGQUIT` and a child's exit by signal 3 describe the same thing.
 */
import { constants } from 'node:os';
import { StatevisorError } from '../../errors.js';

const numbers: Readonly<Record<string, number>> = constants.signals;

// Several names share a number (SIGIOT = SIGABRT, SIGPOLL = SIGIO). The table lists the
// canonical name first, so the first name seen for a number is the one reported back.
const names = new Map<number, NodeJS.Signals>();
for (const [name, number] of Object.entries(numbers)) {
  if (!names.has(number)) names.set(number, name as NodeJS.Signals);
}

/** True for a signal name this platform knows, spelt as it spells it: 'SIGTERM', not 'term'. */
export function isSignalName(name: string): name is NodeJS.Signals {
  return Object.hasOwn(numbers, name);
}

/** The number of signal `name` ('SIGKILL' → 9). Unknown names are rejected, never guessed. */
export function signalNumber(name: string): number {
  if (!isSignalName(name)) {
    throw new StatevisorError('E_INVALID_ARGUMENT', `unknown signal '${name}'`);
  }
  return numbers[name] as number;
}

/** The canonical name of signal `number` (9 → 'SIGKILL'; 6 → 'SIGABRT', not 'SIGIOT'). */
export function signalName(number: number): NodeJS.Signals {
  const name = names.get(number);
  if (name === undefined) {
    throw new StatevisorError('E_INVALID_ARGUMENT', `unknown signal number '${number}'`);
  }
  return name;
}

/** A signal for people to read: 'SIGKILL' or 9 → 'SIGKILL (9)'. */
export function describeSignal(signal: string | number): string {
  return typeof signal === 'number'
    ? `${signalName(signal)} (${signal})`
    : `${signal} (${signalNumber(signal)})`;
}
