/**
 * Writing a unit file for `statevisor startup systemd --install`. A unit already there with other
 * text is someone's configuration (an earlier install with other flags, or edits by hand): it is
 * replaced only with --force. The same text again is left as it is. The file is written beside
 * its final name and renamed, so systemd never reads half a unit.
 */
import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { StatevisorError } from '../../errors.js';

export const defaultUnitFile = '/etc/systemd/system/statevisor.service';

export type InstallOutcome = 'written' | 'unchanged';

/** The unit's name, as systemctl takes it: the file's name, which must end in .service. */
export function unitName(file: string): string {
  const name = path.basename(file);
  if (!name.endsWith('.service') || name === '.service') {
    throw new StatevisorError('E_INVALID_ARGUMENT', `--unit-file: a service unit's file name ends in .service, got "${name}"`);
  }
  return name;
}

export function installUnit(file: string, text: string, force: boolean): InstallOutcome {
  unitName(file);
  const dir = path.dirname(file);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new StatevisorError('E_INVALID_ARGUMENT', `--unit-file: ${dir} is not a directory (is systemd installed?)`);
  }
  if (existsSync(file)) {
    if (readFileSync(file, 'utf8') === text) return 'unchanged';
    if (!force) {
      throw new StatevisorError(
        'E_ALREADY_EXISTS',
        `${file} exists with other settings; to replace it: statevisor startup systemd --install --force (with the same flags)`,
      );
    }
  }
  const temporary = path.join(dir, `.${path.basename(file)}.${process.pid}.tmp`);
  writeFileSync(temporary, text, { mode: 0o644 });
  renameSync(temporary, file);
  return 'written';
}
