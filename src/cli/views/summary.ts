/** The one-line outcome of a verb: "started web (STARTING)", "restarted web (RUNNING, pid 4242)". */
import type { Process } from '../../client/index.js';

export function outcome(verb: string, process: Process): string {
  return `${verb} ${process.name} (${process.state}${process.pid > 0 ? `, pid ${process.pid}` : ''})`;
}
