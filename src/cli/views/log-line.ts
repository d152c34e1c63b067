/** A line of `statevisor logs`: as written, or with both streams shown, after its stream's label ("stderr | …"). */
import type { LogLine } from '../../client/index.js';
import { paint, type Colour } from '../style.js';

const labelColours: Readonly<Record<string, Colour>> = { stdout: 'green', stderr: 'red' };

export function logLine(line: LogLine, options: { labelled: boolean; colour: boolean }): string {
  if (!options.labelled) return line.line;
  return `${paint(`${line.stream} |`, labelColours[line.stream], options.colour)} ${line.line}`;
}
