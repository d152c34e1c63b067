/**
 * What `statevisor daemon --repair-journal` says it did: which lines of the journal were
 * dropped (number, bytes, why), which entries are absent, and where the damaged file was kept.
 * The same lines go to stderr and, as one structured warning, to the log.
 */
import type { JournalRepair } from '../store/index.js';

export function describeJournalRepair(repair: JournalRepair): string[] {
  const lost = repair.damaged.reduce((sum, line) => sum + line.bytes, 0);
  const lines = [
    `--repair-journal: ${repair.journal} was damaged: kept ${repair.kept} entries, dropped ${repair.damaged.length} lines (${lost} bytes)`,
    ...repair.damaged.map((line) => `  lost line ${line.line} (${line.bytes} bytes): ${line.reason}`),
    ...repair.missing.map(({ from, to }) => `  lost entries: seq ${from === to ? from : `${from} to ${to}`} absent from the journal`),
    `  the damaged journal is kept as ${repair.keptAs}`,
  ];
  return lines;
}
