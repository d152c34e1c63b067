/**
 * Whether a command can be executed, looked up as execvp would (PATH for a bare name, the working
 * directory for a relative path). Needed where the program is exec'd by a wrapper shell: a missing
 * binary would otherwise surface as the shell's exit 127 rather than as a start failure naming it.
 */
import { access, constants, stat } from 'node:fs/promises';
import path from 'node:path';

/** Resolves to the path that would run, or undefined. */
export async function findExecutable(command: string, env: NodeJS.ProcessEnv, cwd: string): Promise<string | undefined> {
  const candidates = command.includes('/')
    ? [path.resolve(cwd, command)]
    : (env.PATH ?? '/usr/local/bin:/usr/bin:/bin').split(':').map((dir) => path.resolve(cwd, dir || '.', command));
  for (const candidate of candidates) {
    try {
      await access(candidate, constants.X_OK);
      if ((await stat(candidate)).isFile()) return candidate;
    } catch {
      // Not here: try the next directory.
    }
  }
  return undefined;
}
