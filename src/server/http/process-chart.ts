/**
 * The process chart as the console draws it: Mermaid text (charts/mermaid.ts), and for a
 * process's active leaf states the Mermaid ids to light. Every process has the same chart, so the
 * text is made once and sent unlit (the page draws it once, then only moves the light); the ids
 * are read from the `class <id> active` lines of the lit text, so that which node stands for
 * which state stays charts/mermaid.ts's to say. A chart has few leaf states, so few lit
 * variants: each is kept (the cache is bounded anyway), and a crash loop's page costs a map
 * lookup per move, not a drawing.
 */
import { chartOfKind } from '../../charts/machine-charts.js';
import type { ChartDefinition } from '../../charts/config-form.js';
import { activeClass, chartToMermaid } from '../../charts/mermaid.js';

export interface ProcessChart {
  /** The chart, unlit. */
  readonly mermaid: string;
  /** Mermaid ids of the states to light. */
  readonly lit: readonly string[];
}

const variantsKept = 256;
let definition: ChartDefinition | undefined;
let unlit: string | undefined;
const litIds = new Map<string, readonly string[]>();
const classLine = new RegExp(`^\\s*class (\\S+) ${activeClass}$`, 'gm');

export function processChart(active: readonly string[]): ProcessChart {
  definition ??= chartOfKind('process');
  unlit ??= chartToMermaid(definition);
  const key = active.join(' ');
  let lit = litIds.get(key);
  if (lit === undefined) {
    try {
      lit = [...chartToMermaid(definition, { active }).matchAll(classLine)].map((match) => match[1]!);
    } catch {
      // A state the chart does not know (a snapshot from another version): drawn unlit, not failed.
      lit = [];
    }
    if (litIds.size >= variantsKept) litIds.clear();
    litIds.set(key, lit);
  }
  return { mermaid: unlit, lit };
}
