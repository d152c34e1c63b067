/**
 * A command without a fleet form of its own runs as the single-daemon command, once per host:
 * the host's connection flags are set on the program (so the command's own withClient reaches
 * that host) and its output is tagged with the host. Hosts take turns, in the fleet's order, as a
 * rolling change would: a host that answers with a failure stops the round there (the hosts after
 * it are left as they were, and listed as skipped), while a host that does not answer is reported
 * and passed over. With --json: one array of `{ host, ok, value | error }` at the end.
 */
import type { Command } from 'commander';
import { ExitCode } from '../errors.js';
import { printJson, printingTo } from '../output.js';
import { exitInterrupted } from '../start-report.js';
import type { Fleet, HostFlags } from './hosts.js';
import { didNotAnswer, failureText, finish, hostColumn, jsonError, type HostOutcome } from './report.js';

function rootOf(command: Command): Command {
  let root = command;
  while (root.parent) root = root.parent;
  return root;
}

/** Points the global connection flags at `host`, for the command's own withClient. */
export function useHost(command: Command, host: HostFlags): void {
  const root = rootOf(command);
  root.setOptionValue('addr', host.address);
  for (const flag of ['tokenFile', 'tlsCa', 'tlsCert', 'tlsKey'] as const) root.setOptionValue(flag, host[flag]);
}

/** A command that failed on a host after saying why (its `statevisor: …` lines), e.g. a start that did not start. */
function reportedFailure(code: number, messages: readonly string[]): Error {
  return new Error(messages.length > 0 ? messages.join('; ') : `exit code ${code}`);
}

interface Ran extends HostOutcome {
  value?: unknown;
  skipped?: boolean;
}

export async function runPerHost(command: Command, fleet: Fleet, run: () => Promise<void>, json: boolean): Promise<void> {
  const row = hostColumn(fleet.hosts.map((h) => h.name));
  const outcomes: Ran[] = [];
  let failedOn: string | undefined;
  for (const host of fleet.hosts) {
    if (failedOn !== undefined) {
      outcomes.push({ host: host.name, ok: false, skipped: true, error: new Error(`skipped: ${failedOn} failed before it`) });
      if (!json) process.stdout.write(`${row(host.name, `skipped: ${failedOn} failed before it`)}\n`);
      continue;
    }
    useHost(command, host);
    const messages: string[] = [];
    let value: unknown;
    const sink = {
      line: (text: string) => {
        process.stdout.write(`${text.split('\n').map((line) => row(host.name, line)).join('\n')}\n`);
      },
      json: (printed: unknown) => {
        value = printed;
      },
      error: (message: string) => {
        messages.push(message);
        process.stderr.write(`statevisor: ${host.name}: ${message}\n`);
      },
    };
    try {
      await printingTo(sink, run);
      outcomes.push({ host: host.name, ok: true, value });
    } catch (caught) {
      if (caught instanceof ExitCode && caught.code === exitInterrupted) throw caught;
      const error = caught instanceof ExitCode ? reportedFailure(caught.code, messages) : caught;
      outcomes.push({ host: host.name, ok: false, error, ...(value !== undefined && { value }) });
      // A failure already told on stderr (ExitCode) gets no second line.
      if (!json && !(caught instanceof ExitCode)) process.stdout.write(`${row(host.name, failureText(error, fleet.hostTimeoutMs))}\n`);
      if (!didNotAnswer(error)) failedOn = host.name;
    }
  }
  if (json) printJson(outcomes.map((o) => (o.ok ? { host: o.host, ok: true, value: o.value } : { ...o, error: jsonError(o.error) })));
  finish(outcomes, { ...(failedOn !== undefined && { skipped: { after: failedOn, hosts: outcomes.filter((o) => o.skipped).map((o) => o.host) } }) });
}
