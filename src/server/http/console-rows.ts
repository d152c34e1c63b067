/**
 * What the console shows of a process, built from the daemon's read side: a table row from a
 * view, and a page's detail from a Describe. Uptime is sent as the moment the run came up
 * (`upSince`), which does not change while it runs, so that an unchanged process is an
 * unchanged row (the table feed sends only rows that differ).
 */
import { stringify } from 'yaml';
import { specToSnakeCase } from '../../proto/spec-wire.js';
import type { Description } from '../process-reads.js';
import type { ProcessView } from '../process-view.js';
import type { ProcessDetail, ProcessRow } from './console-wire.js';
import { redacted } from '../../charts/redact.js';

export function rowOf(view: ProcessView): ProcessRow {
  const up = view.state === 'RUNNING' || view.state === 'STOPPING' || view.state === 'STARTING';
  return {
    id: view.id,
    name: view.name,
    state: view.state,
    phase: view.phase ?? '',
    pid: view.pid,
    health: view.health,
    // Tenths of a percent: finer would make every sample a changed row.
    cpuPercent: view.pid > 0 ? Math.round(view.cpuPercent * 10) / 10 : 0,
    memoryBytes: view.pid > 0 ? view.memoryBytes : 0,
    restartCount: view.restartCount,
    runCount: view.runCount,
    upSince: up && view.startedAt !== undefined ? view.startedAt : null,
    exitCode: view.exitCode ?? null,
    signal: view.signal ?? null,
    lastError: view.lastError,
    labels: view.labels,
  };
}

export function detailOf(description: Description, at: number): ProcessDetail {
  const { process, spec } = description;
  return {
    at,
    process: rowOf(process),
    command: redacted(process.command) as string,
    args: redacted(process.args) as string[],
    // Env values and anything that looks like a secret: a loopback console is open to every local user.
    specYaml: stringify(redacted(specToSnakeCase(spec))),
    restartPending: description.restartPending,
    enforcement: description.enforcement.map(({ field, enforced, detail }) => ({ field, enforced, detail })),
    transitions: description.transitions.map(({ at: when, from, to, reason }) => ({ at: when, from, to, reason })),
    recovery: description.recovery,
  };
}
