/**
 * The daemon's --config as the source of truth for the processes it defines: at start and on
 * ReloadConfig, each process of the files is added, modified (restarted only when a field that
 * needs a restart changed), left unchanged, or — gone from the files — stopped and removed.
 * Processes created through the API are never touched; a file that fails validation is reported
 * and its process kept as it is.
 */
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { Logger } from '../manager/logger.js';
import { isIdle } from '../machines/process-state.js';
import { batchStartOrder, describeCycle } from '../spec/dependency-graph.js';
import type { ProcessVerbs } from './process-verbs.js';
import type { ProcessReads } from './process-reads.js';

export interface ReloadResult {
  readonly added: string[];
  readonly removed: string[];
  readonly modified: string[];
  readonly unchanged: string[];
  /** One line per file or process skipped: file, field and reason. */
  readonly errors: string[];
}

export async function syncConfig(
  { verbs, reads }: { verbs: ProcessVerbs; reads: ProcessReads },
  configPath: string,
  logger: Logger,
): Promise<ReloadResult> {
  const result: ReloadResult = { added: [], removed: [], modified: [], unchanged: [], errors: [] };
  // Loaded here, not at the daemon's start: YAML parsing costs a daemon without --config ~2.5 MB.
  const { loadSpecs } = await import('../spec/load.js');
  const { specs, errors } = await loadSpecs(configPath);
  // A process whose file is broken is kept as it is, not removed.
  const keep = new Set<string>();
  for (const error of errors) {
    const line = `${error.file}${error.field ? `: ${error.field}` : ''}: ${error.message}`;
    result.errors.push(line);
    logger.error({ file: error.file, field: error.field, reason: error.message }, 'config file skipped');
    keep.add(path.basename(error.file).replace(/\.(ya?ml|json)$/, ''));
  }
  const wanted = new Set(specs.map((s) => s.name));
  // Dependencies first; the members of a dependency cycle are refused, the cycle named.
  const others = reads.list().map((view) => reads.entry(view.id).spec);
  const { ordered, cycle } = batchStartOrder(specs, others);
  const inBatch = new Set(specs.map((s) => s.name));
  for (const name of new Set(cycle?.filter((n) => inBatch.has(n)))) result.errors.push(`${name}: dependency cycle: ${describeCycle(cycle!)}`);
  for (const spec of ordered) {
    const existing = reads.has(spec.name) ? reads.entry(spec.name) : undefined;
    try {
      if (!existing) {
        await verbs.create(spec, { source: 'config' });
        result.added.push(spec.name);
      } else if (existing.source !== 'config') {
        result.errors.push(`${spec.name}: a process of that name was created through the API; the config's is ignored`);
      } else if (isDeepStrictEqual(existing.spec, spec)) {
        result.unchanged.push(spec.name);
      } else {
        const wasAutoStart = existing.spec.autoStart;
        // The file's spec whole, validated by the loader: a field it leaves out is back to its default.
        await verbs.update(existing.id, spec, { restartProcess: true });
        // Turning auto_start on asks for it to run, as supervisord's update does: start it if idle.
        if (spec.autoStart && !wasAutoStart && isIdle(reads.view(existing).state)) {
          await verbs.start(existing.id);
        }
        result.modified.push(spec.name);
      }
    } catch (error) {
      result.errors.push(`${spec.name}: ${(error as Error).message}`);
    }
  }
  for (const view of reads.list()) {
    const entry = reads.entry(view.id);
    if (entry.source !== 'config' || wanted.has(entry.spec.name) || keep.has(entry.spec.name)) continue;
    await verbs.delete(entry.id, { force: true });
    result.removed.push(entry.spec.name);
  }
  logger.info({ config: configPath, ...result, errors: result.errors.length }, 'config applied');
  return result;
}
