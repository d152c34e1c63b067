/**
 * The `--http` status page: every process with its state, pid, uptime, restarts, cpu, memory
 * and health, as supervisord's little web page shows them, read-only and refreshed every few
 * seconds by the browser itself (no script).
 */
import type { ProcessView } from '../process-view.js';

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => escapes[c]!);
}

function duration(ms: number): string {
  if (ms <= 0) return '-';
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${s % 60}s`;
  return `${Math.floor(s / 3600)}h${Math.floor((s % 3600) / 60)}m`;
}

function megabytes(bytes: number): string {
  return bytes > 0 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : '-';
}

export function statusPage(processes: readonly ProcessView[], title: string): string {
  const rows = processes
    .map((p) => {
      const cells = [
        p.name,
        p.state,
        p.pid > 0 ? String(p.pid) : '-',
        duration(p.uptimeMs),
        String(p.restartCount),
        p.pid > 0 && p.memoryBytes > 0 ? `${p.cpuPercent.toFixed(1)}%` : '-',
        megabytes(p.memoryBytes),
        p.health === 'unknown' ? '-' : p.health,
        p.lastError,
      ];
      return `<tr class="${escape(p.state.toLowerCase())}">${cells.map((c) => `<td>${escape(c)}</td>`).join('')}</tr>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="5">
<title>${escape(title)}</title>
<style>
body{font:14px system-ui,sans-serif;margin:2em}table{border-collapse:collapse}
td,th{padding:.3em .8em;border-bottom:1px solid #ddd;text-align:left}
.running td:nth-child(2){color:#080}.failed td:nth-child(2),.backoff td:nth-child(2){color:#b00}
</style></head><body>
<h1>${escape(title)}</h1>
<p>${processes.length} processes · refreshed every 5 s · <a href="/metrics">/metrics</a> · <a href="/healthz">/healthz</a></p>
<table><thead><tr><th>name</th><th>state</th><th>pid</th><th>uptime</th><th>restarts</th><th>cpu</th><th>memory</th><th>health</th><th>last error</th></tr></thead>
<tbody>
${rows}
</tbody></table></body></html>
`;
}
