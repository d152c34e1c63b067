/**
 * An inspection step as one line of text: time, actor, what happened, from → to, and why.
 *
 *   14:02:11.250  flaky  workload.exited code=3  syncing.{sync.awaitingUpdate, health.off} → terminating.stopHook  (exited with code 3)
 */
import type { InspectionStep } from './inspection-steps.js';
import { pathsPhrase } from './state-paths.js';

export function stepLine(step: InspectionStep): string {
  const who = step.name ?? step.actorId;
  const head = `${clockTime(step.at)}  ${who}  `;
  const event = step.event === undefined ? '' : `${step.event}${step.payload === undefined ? '' : ` ${step.payload}`}`;
  const why = step.reason === undefined ? '' : `  (${step.reason})`;
  switch (step.kind) {
    case 'state':
      return `${head}is in ${pathsPhrase(step.to ?? [])}${step.status !== undefined && step.status !== 'active' ? ` (${step.status})` : ''}`;
    case 'created':
      return `${head}created in ${pathsPhrase(step.to ?? [])}${why}`;
    case 'transition':
      return `${head}${event}  ${pathsPhrase(step.from ?? [])} → ${pathsPhrase(step.to ?? [])}${why}`;
    case 'stopped':
      return `${head}${event}  ${pathsPhrase(step.from ?? [])} → ${step.status ?? 'stopped'}${why}`;
    case 'received':
      return `${head}received ${event}${why}`;
    case 'microstep':
      return `${head}microstep ${event} → ${pathsPhrase(step.to ?? [])}`;
    case 'action':
      return `${head}action ${step.action ?? ''}`;
    case 'actor':
      return `${head}actor started`;
    case 'missed':
      return `${clockTime(step.at)}  missed ${step.count ?? 0} inspection events (this watcher fell behind); the current state follows`;
  }
}

/** HH:MM:SS.mmm in local time. */
function clockTime(at: number): string {
  const date = new Date(at);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}.${String(date.getMilliseconds()).padStart(3, '0')}`;
}
