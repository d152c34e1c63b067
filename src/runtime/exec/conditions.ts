/**
 * `condition_path_exists`, with systemd's semantics (ConditionPathExists=): `/p` holds when the
 * path exists, `!/p` when it does not; a `|` before either makes it a triggering condition. A start
 * goes ahead when every plain condition holds and, if there are triggering ones, at least one of
 * them does. Otherwise the run is skipped (the chart ends it EXITED, not FAILED, and no restart).
 *
 * A path is looked up by the daemon, following symlinks (a dangling symlink does not exist), as
 * systemd's manager does: not as the process's user.
 */
import { access } from 'node:fs/promises';

export interface ConditionVerdict {
  readonly met: boolean;
  /** Why it is not met: which condition failed. */
  readonly reason?: string;
}

interface PathCondition {
  readonly text: string;
  readonly path: string;
  readonly negated: boolean;
  readonly triggering: boolean;
}

/** One written condition, read as systemd reads it: `|` first, then `!`. */
export function parseCondition(text: string): PathCondition {
  const triggering = text.startsWith('|');
  const rest = triggering ? text.slice(1) : text;
  const negated = rest.startsWith('!');
  return { text, path: negated ? rest.slice(1) : rest, negated, triggering };
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

function describe(condition: PathCondition): string {
  return condition.negated ? `${condition.path} exists` : `${condition.path} does not exist`;
}

/** Whether a start may go ahead, and if not, the condition that stopped it. */
export async function checkPathConditions(conditions: readonly string[]): Promise<ConditionVerdict> {
  const parsed = conditions.map(parseCondition);
  const holds = await Promise.all(parsed.map(async (c) => (await exists(c.path)) !== c.negated));
  const failedPlain = parsed.find((c, i) => !c.triggering && !holds[i]);
  if (failedPlain !== undefined) return { met: false, reason: `condition_path_exists ${failedPlain.text}: ${describe(failedPlain)}` };
  const triggering = parsed.filter((c) => c.triggering);
  if (triggering.length > 0 && !parsed.some((c, i) => c.triggering && holds[i])) {
    return { met: false, reason: `condition_path_exists: none of ${triggering.map((c) => c.text).join(', ')} holds` };
  }
  return { met: true };
}
