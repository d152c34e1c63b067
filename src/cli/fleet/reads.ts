/**
 * The fleet forms of the commands that only read: `ls`, `describe`, `status`, `health` and
 * `events` ask every host at once through createFleetClient, each host within --host-timeout,
 * and print every line after its host — `ls` as one table with a HOST column. A host that failed
 * has its row where its output would be (report.ts); the others' answers stand.
 */
import { createFleetClient, type FleetClient, type HostResult } from '../../client/index.js';
import { printJson, printJsonLine, printLine } from '../output.js';
import { colourEnabled } from '../style.js';
import { renderTable, terminalWidth } from '../table.js';
import { describeView } from '../views/describe.js';
import { eventLine } from '../views/event.js';
import { processColumns, processRow } from '../views/process-table.js';
import { statusView } from '../views/status.js';
import { fleetHostOf, type Fleet } from './hosts.js';
import { failureText, finish, hostColumn, jsonResult, type HostOutcome } from './report.js';

async function withFleetClient<T>(fleet: Fleet, use: (client: FleetClient) => Promise<T>): Promise<T> {
  const client = createFleetClient(fleet.hosts.map(fleetHostOf), { hostTimeoutMs: fleet.hostTimeoutMs });
  try {
    return await use(client);
  } finally {
    client.close();
  }
}

/** Each host's answer as `view` draws it, every line after the host's name; JSON: the array of results. */
function printPerHost<T>(fleet: Fleet, results: readonly HostResult<T>[], json: boolean, view: (value: T) => string): void {
  if (json) return printJson(results.map(jsonResult));
  const row = hostColumn(fleet.hosts.map((h) => h.name));
  for (const r of results) {
    const text = r.ok ? view(r.value) : failureText(r.error, fleet.hostTimeoutMs);
    for (const line of text.split('\n')) printLine(row(r.host, line));
  }
}

export async function fleetList(fleet: Fleet, selector: string | undefined, json: boolean): Promise<void> {
  const results = await withFleetClient(fleet, (client) => client.listProcesses({ labelSelector: selector ?? '' }));
  if (json) printJson(results.map(jsonResult));
  else {
    const rows = results.flatMap((r) => (r.ok ? r.value.map((p) => [r.host, ...processRow(p)]) : []));
    if (rows.length > 0) printLine(renderTable([{ header: 'HOST', fixed: true }, ...processColumns], rows, { width: terminalWidth(), colour: colourEnabled() }));
    const row = hostColumn(fleet.hosts.map((h) => h.name));
    const none = selector ? `no processes match ${selector}` : 'no processes';
    for (const r of results) {
      if (!r.ok) printLine(row(r.host, failureText(r.error, fleet.hostTimeoutMs)));
      else if (r.value.length === 0) printLine(row(r.host, none));
    }
  }
  finish(results);
}

export async function fleetDescribe(fleet: Fleet, name: string, json: boolean): Promise<void> {
  const results = await withFleetClient(fleet, (client) => client.describeProcess(name));
  printPerHost(fleet, results, json, (d) => describeView(d, { colour: colourEnabled() }));
  finish(results);
}

export async function fleetStatus(fleet: Fleet, json: boolean): Promise<void> {
  const results = await withFleetClient(fleet, (client) => client.getStatus());
  printPerHost(fleet, results, json, statusView);
  finish(results);
}

/** Exit 0 only when every host is SERVING. */
export async function fleetHealth(fleet: Fleet, service: string | undefined, json: boolean): Promise<void> {
  const results = await withFleetClient(fleet, (client) => client.health(service ?? ''));
  printPerHost(fleet, results, json, (status) => status);
  finish(results, { failing: results.filter((r) => r.ok && r.value !== 'SERVING').map((r) => r.host) });
}

/**
 * Every host's events as they come, each line after its host; a host whose stream cannot start
 * or breaks off is reported once, on its own line, and the others go on. Ends when every host's
 * stream has ended (or on Ctrl-C), with the exit code of what was reported.
 */
export async function fleetEvents(fleet: Fleet, name: string | undefined, json: boolean): Promise<void> {
  const row = hostColumn(fleet.hosts.map((h) => h.name));
  const dropped = new Map<string, HostOutcome>();
  await withFleetClient(fleet, async (client) => {
    for await (const item of client.watchEvents(name)) {
      if (!item.ok) dropped.set(item.host, item);
      if (json) printJsonLine(jsonResult(item));
      else printLine(row(item.host, item.ok ? eventLine(item.value) : failureText(item.error, fleet.hostTimeoutMs)));
    }
  });
  finish(fleet.hosts.map((h) => dropped.get(h.name) ?? { host: h.name, ok: true }));
}
