/** `statevisor ls`: one row per process, pm2-style. */
import type { Process } from '../../client/index.js';
import { formatBytes, formatDuration } from '../format.js';
import { stateColour } from '../style.js';
import { renderTable, type Column, type TableOptions } from '../table.js';

export const processColumns: readonly Column[] = [
  { header: 'NAME' },
  { header: 'ID' },
  { header: 'STATE', colour: stateColour },
  { header: 'PID', align: 'right' },
  { header: 'UPTIME', align: 'right' },
  { header: 'RESTARTS', align: 'right' },
  { header: 'CPU', align: 'right' },
  { header: 'MEM', align: 'right' },
  { header: 'HEALTH' },
];

/** One process's cells, in the order of processColumns. */
export function processRow(p: Process): string[] {
  return [
    p.name,
    p.id.slice(0, 8),
    p.state,
    p.pid > 0 ? String(p.pid) : '-',
    p.uptimeMs > 0 ? formatDuration(p.uptimeMs) : '-',
    String(p.restartCount),
    p.pid > 0 && p.memoryBytes > 0 ? `${p.cpuPercent.toFixed(1)}%` : '-', // no sample yet: no figure
    p.memoryBytes > 0 ? formatBytes(p.memoryBytes) : '-',
    p.health === 'UNKNOWN' ? '-' : p.health.toLowerCase(),
  ];
}

export function processTable(processes: readonly Process[], options: TableOptions): string {
  return renderTable(processColumns, processes.map(processRow), options);
}
