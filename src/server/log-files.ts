/**
 * Which files hold a process's output, and the pipes that feed them. Captured streams live in
 * the state dir's logs/ (named after the process: names are validated, so a name cannot leave
 * it); a path target is a file of the user's choosing, appended to, and rotated only if the
 * daemon created it. `null` and `inherit` have no file.
 *
 * Nothing is opened before a run starts: `prepare` makes the process's pipes (pipes/<id>.<stream>)
 * and points the log pump at the files when a run is about to spawn. A daemon that restarts finds
 * the pipes of the runs it adopts and drains them again (`restore`).
 */
import { mkdir, readdir, rename, unlink } from 'node:fs/promises';
import { existsSync, mkdirSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { StatevisorError } from '../errors.js';
import { ensureFifo } from '../runtime/logs/fifo.js';
import { LogPump, type LogPumpStats } from '../runtime/logs/log-pump.js';
import type { PumpTarget } from '../runtime/logs/log-pump-protocol.js';
import type { RunPipes } from '../runtime/exec/log-targets.js';
import type { ProcessSpec } from '../spec/types.js';
import { Violations, SpecValidationError } from '../spec/violations.js';

export type LogStream = 'stdout' | 'stderr';
const streams = ['stdout', 'stderr'] as const;

/** The file a captured stream is written to. Names are validated, so they cannot leave logsDir. */
export function capturePath(logsDir: string, name: string, stream: LogStream): string {
  return path.join(logsDir, `${name}.${stream}.log`);
}

export function logFile(logsDir: string, spec: ProcessSpec, stream: LogStream): string | undefined {
  const target = spec.logs[stream];
  if (target === 'null' || target === 'inherit') return undefined;
  return target === 'capture' ? capturePath(logsDir, spec.name, stream) : target;
}

/** The file to read for StreamLogs, or a clear error when that stream is not written anywhere. */
export function readableLogFile(logsDir: string, spec: ProcessSpec, stream: LogStream): string {
  const file = logFile(logsDir, spec, stream);
  if (file === undefined) {
    throw new StatevisorError(
      'E_INVALID_STATE',
      `${spec.name}'s ${stream} is not written to a file (logs.${stream}: ${spec.logs[stream]})`,
    );
  }
  return file;
}

/** `NAME.stdout.log`, `NAME.stderr.log` and their rotated copies `.1`, `.2`, … */
function isCaptureOf(file: string, name: string): boolean {
  return streams.some((stream) => {
    const base = path.basename(capturePath('', name, stream));
    return file === base || (file.startsWith(`${base}.`) && /^\d+$/.test(file.slice(base.length + 1)));
  });
}

/**
 * Every stream of a process that is written to a file, stdout first, for StreamLogs of both
 * streams; a clear error when neither is.
 */
export function readableLogFiles(logsDir: string, spec: ProcessSpec): { stream: LogStream; file: string }[] {
  const sources = streams.flatMap((stream) => {
    const file = logFile(logsDir, spec, stream);
    return file === undefined ? [] : [{ stream, file }];
  });
  if (sources.length === 0) {
    throw new StatevisorError(
      'E_INVALID_STATE',
      `${spec.name} writes neither stream to a file (logs.stdout: ${spec.logs.stdout}, logs.stderr: ${spec.logs.stderr})`,
    );
  }
  return sources;
}

/** Directories no log path may lie in, beside the state dir: the kernel's and the devices'. */
const systemRoots = ['/proc', '/sys', '/dev'];

function inside(file: string, dir: string): boolean {
  const relative = path.relative(dir, file);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/** The directory a path really lies in, symlinks resolved as far as the path exists. */
function realDirectory(file: string): string {
  let dir = path.dirname(file);
  const missing: string[] = [];
  while (!existsSync(dir) && path.dirname(dir) !== dir) {
    missing.unshift(path.basename(dir));
    dir = path.dirname(dir);
  }
  try {
    return path.join(realpathSync(dir), ...missing);
  } catch {
    return path.dirname(file);
  }
}

/**
 * Why a log path must not be written, or undefined: it lies (after resolving the symlinks of its
 * directory) in the daemon's state dir, whose journal and logs a child must never write, or in
 * /proc, /sys or /dev.
 */
export function forbiddenLogPath(file: string, stateDir: string): string | undefined {
  const real = path.join(realDirectory(file), path.basename(file));
  const states = [stateDir, realDirectory(path.join(stateDir, 'x'))];
  for (const candidate of [file, real]) {
    if (states.some((dir) => inside(candidate, dir))) return `a path outside the state dir ${stateDir} (use capture)`;
    const root = systemRoots.find((dir) => inside(candidate, dir));
    if (root !== undefined) return `a path outside ${root} (use null to discard output)`;
  }
  return undefined;
}

/** Refuses a spec whose log paths the daemon must not write, naming the field. */
export function checkLogPaths(spec: ProcessSpec, stateDir: string): void {
  const found = new Violations();
  for (const stream of streams) {
    const target = spec.logs[stream];
    if (target === 'capture' || target === 'null' || target === 'inherit') continue;
    const why = forbiddenLogPath(target, stateDir);
    if (why !== undefined) found.add(`logs.${stream}`, target, why);
  }
  if (!found.empty) throw new SpecValidationError(found, { name: spec.name });
}

export interface LogFilesOptions {
  readonly logsDir: string;
  /** Where the FIFOs that carry children's output live. */
  readonly pipesDir: string;
  readonly stateDir: string;
  readonly onWarning?: (id: string, message: string) => void;
}

export class LogFiles {
  readonly #pump: LogPump;

  constructor(private readonly options: LogFilesOptions) {
    mkdirSync(options.logsDir, { recursive: true, mode: 0o700 });
    mkdirSync(options.pipesDir, { recursive: true, mode: 0o700 });
    this.#pump = new LogPump({
      ledger: path.join(options.logsDir, '.created-files.json'),
      onWarning: (key, message) => options.onWarning?.(key.split('.')[0] ?? key, message),
    });
    this.#pump.start();
  }

  #fifo(id: string, stream: LogStream): string {
    return path.join(this.options.pipesDir, `${id}.${stream}`);
  }

  #target(spec: ProcessSpec, stream: LogStream): PumpTarget | undefined {
    const file = logFile(this.options.logsDir, spec, stream);
    if (file === undefined) return undefined;
    return {
      file,
      maxBytes: spec.logs.maxBytes,
      maxFiles: spec.logs.maxFiles,
      ownership: spec.logs[stream] === 'capture' ? 'state-dir' : 'ledger',
    };
  }

  /** The exec runtime, before a spawn: the pipe each written stream is to be opened on. */
  async prepare(id: string, spec: ProcessSpec): Promise<RunPipes> {
    const pipes: { stdout?: string; stderr?: string } = {};
    for (const stream of streams) {
      const target = this.#target(spec, stream);
      if (target === undefined) {
        await this.#pump.detach(`${id}.${stream}`);
        continue;
      }
      // Checked again at each start: a directory on the way may have become a symlink since.
      const why = target.ownership === 'ledger' ? forbiddenLogPath(target.file, this.options.stateDir) : undefined;
      if (why !== undefined) throw new StatevisorError('E_INVALID_ARGUMENT', `logs.${stream}: ${target.file}: expected ${why}`);
      if (target.ownership === 'ledger') await mkdir(path.dirname(target.file), { recursive: true, mode: 0o750 });
      const fifo = this.#fifo(id, stream);
      await ensureFifo(fifo);
      try {
        await this.#pump.attach(`${id}.${stream}`, fifo, target);
      } catch (error) {
        throw new StatevisorError('E_INVALID_ARGUMENT', `logs.${stream}: ${(error as Error).message}`, { cause: error });
      }
      pipes[stream] = fifo;
    }
    return pipes;
  }

  /** A restored process: drain the pipes a run of the previous daemon may still write to. */
  async restore(id: string, spec: ProcessSpec): Promise<void> {
    for (const stream of streams) {
      const target = this.#target(spec, stream);
      const fifo = this.#fifo(id, stream);
      if (target === undefined || !existsSync(fifo)) continue;
      await this.#pump.attach(`${id}.${stream}`, fifo, target).catch((error: Error) =>
        this.options.onWarning?.(id, `logs.${stream}: ${error.message}`),
      );
    }
  }

  /** A new rotation policy applies at once to the files being written; new targets wait for the next run. */
  async update(id: string, spec: ProcessSpec): Promise<void> {
    for (const stream of streams) {
      const key = `${id}.${stream}`;
      const target = this.#target(spec, stream);
      if (target === undefined || !this.#pump.has(key)) continue;
      await this.#pump.attach(key, this.#fifo(id, stream), target).catch((error: Error) =>
        this.options.onWarning?.(id, `logs.${stream}: ${error.message}`),
      );
    }
  }

  /** What a run wrote so far is in its files (bounded wait). */
  flush(id: string): Promise<void> {
    return this.#pump.flush([`${id}.stdout`, `${id}.stderr`]);
  }

  /**
   * A deleted process: its pipes are drained and removed, and so are its captured logs (a new
   * process of the same name must not show the old one's output), or with `keep` they are moved
   * to logs/deleted/<name>-<UTC time>/, which is returned. Path targets are the user's: left alone.
   */
  async remove(id: string, spec: ProcessSpec, options: { keep: boolean; at: number }): Promise<string | undefined> {
    for (const stream of streams) {
      await this.#pump.detach(`${id}.${stream}`);
      await unlink(this.#fifo(id, stream)).catch(() => undefined);
    }
    const captured = (await readdir(this.options.logsDir)).filter((name) => isCaptureOf(name, spec.name));
    if (captured.length === 0) return undefined;
    if (!options.keep) {
      await Promise.all(captured.map((name) => unlink(path.join(this.options.logsDir, name)).catch(() => undefined)));
      return undefined;
    }
    const stamp = new Date(options.at).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
    const aside = path.join(this.options.logsDir, 'deleted', `${spec.name}-${stamp}`);
    await mkdir(aside, { recursive: true, mode: 0o700 });
    for (const name of captured) {
      // Gone meanwhile (a delete of the same process racing this one): nothing to keep.
      await rename(path.join(this.options.logsDir, name), path.join(aside, name)).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
      });
    }
    return aside;
  }

  get stats(): LogPumpStats {
    return this.#pump.stats;
  }

  close(): Promise<void> {
    return this.#pump.close();
  }
}
