/**
 * The field kinds whose values name things of the operating system: signals, paths (absolute,
 * relative, a log target), a URL, a umask, a user or group. Each is a string (or a number)
 * that must pass a rule of its own, told to editors as a pattern.
 */
import { fromParsed, pathMax, text, type Field, type WireForm } from './fields.js';
import { readSignal } from './signal.js';

const string: WireForm = { type: 'string' };

/** Literal text in a JSON Schema pattern. */
function escapeText(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

export const signal: Field<string> = {
  read: fromParsed(readSignal),
  wire: string,
  jsonSchema: () => ({
    // Names are resolved on the daemon's platform, so the schema lists examples rather than a set.
    anyOf: [
      { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9+]{0,15}$|^\\d{1,3}$', examples: ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGQUIT', 'SIGUSR1'] },
      { type: 'integer', minimum: 1, maximum: 999 },
    ],
    description: 'a signal name such as "SIGTERM", "TERM" or "term", or a signal number',
  }),
};

/** A string that must also pass `accept`, described to editors by `pattern`. */
function textWhere(like: string, max: number, pattern: string, accept: (raw: string) => boolean): Field<string> {
  const base = text({ max, like });
  return {
    read(value, at, found) {
      const raw = base.read(value, at, found);
      if (raw === undefined) return undefined;
      return accept(raw) ? raw : found.reject(at, value, like);
    },
    wire: string,
    jsonSchema: () => ({ type: 'string', minLength: 1, maxLength: max, pattern, description: like }),
  };
}

/** One path segment that is neither empty, `.` nor `..` (as a pattern), and that test. */
const plainSegment = '(?!\\.\\.?(/|$))[^/]+';
const isPlainSegment = (segment: string): boolean => segment !== '..' && segment !== '.' && segment !== '';

export function absolutePath({ prefix = '' } = {}): Field<string> {
  const like = prefix ? `an absolute path, optionally preceded by "${prefix}"` : 'an absolute path';
  return textWhere(like, pathMax, prefix ? `^${escapeText(prefix)}?/` : '^/', (raw) =>
    (prefix && raw.startsWith(prefix) ? raw.slice(prefix.length) : raw).startsWith('/'),
  );
}

/** Relative, without `..`: it is resolved under a directory the daemon owns and must stay there. */
export const relativePath = textWhere(
  'a relative path without ".." segments',
  255,
  `^${plainSegment}(/${plainSegment})*$`,
  (raw) => !raw.startsWith('/') && raw.split('/').every(isPlainSegment),
);

const logSinkNames = ['capture', 'null', 'inherit'];

/**
 * A log path is written by the daemon, as root if it runs as root: never into the kernel's or
 * the devices' files (`null` discards output), and spelled plainly (no `.`/`..` segments), so
 * that a prefix check cannot be walked around. The daemon also refuses its own state dir and
 * resolves symlinks at each start (server/log-files.ts): the spec alone cannot know those.
 */
export const logTarget = textWhere(
  'capture, null, inherit or an absolute path outside /proc, /sys and /dev, without "." or ".." segments',
  pathMax,
  `^(capture|null|inherit|(?!/(proc|sys|dev)(/|$))(/${plainSegment})+)$`,
  (raw) =>
    logSinkNames.includes(raw) ||
    (raw.startsWith('/') &&
      raw.length > 1 &&
      !raw.endsWith('/') &&
      raw.split('/').slice(1).every(isPlainSegment) &&
      !/^\/(proc|sys|dev)(\/|$)/.test(raw)),
);

export const httpUrl = textWhere(
  'an http:// or https:// URL',
  pathMax,
  '^https?://',
  (raw) => URL.canParse(raw) && /^https?:$/.test(new URL(raw).protocol),
);

/** Permission bits as an octal string ("022", "0o022") or the number itself (18), at most 0o777. */
function octalBits(example: string): Field<number> {
  const like = `an octal string such as "${example}", or a number from 0 to 511 (0o777)`;
  return {
    read(value, at, found) {
      const number =
        typeof value === 'string' && /^(0o)?[0-7]{1,4}$/.test(value) ? parseInt(value.replace(/^0o/, ''), 8) : value;
      if (typeof number !== 'number' || !Number.isInteger(number) || number < 0 || number > 0o777) {
        return found.reject(at, value, like);
      }
      return number;
    },
    // The wire spells it as people do: octal text.
    wire: { type: 'string', fromNumber: (value) => value.toString(8).padStart(example.length, '0') },
    jsonSchema: () => ({
      anyOf: [
        { type: 'string', pattern: '^(0o)?[0-7]{1,4}$' },
        { type: 'integer', minimum: 0, maximum: 0o777 },
      ],
      description: like,
    }),
  };
}

export const umask = octalBits('022');
/** A directory's mode (runtime_directory_mode). */
export const directoryMode = octalBits('0755');

/**
 * A path condition, as systemd spells them: an absolute path, optionally preceded by "|" (one of
 * an OR group) and then "!" (must not exist). "!|/x" is refused: systemd reads "|" first.
 */
export const conditionPath = textWhere(
  'an absolute path, optionally preceded by "!" (must not exist), "|" (one of an OR group) or "|!"',
  pathMax,
  '^\\|?!?/',
  (raw) => /^\|?!?\//.test(raw),
);

/** A user or group: a name, or a numeric id. */
const accountLike = 'a user or group name, or a numeric id';
const accountPattern = /^[A-Za-z_][A-Za-z0-9_.-]*\$?$/;
const accountName = text({ max: 32, pattern: accountPattern, like: accountLike });
// 2^32 - 1 is (uid_t)-1, "no change" to the kernel.
const maxId = 2 ** 32 - 2;
export const account: Field<string | number> = {
  read(value, at, found) {
    const id = typeof value === 'string' && /^\d{1,10}$/.test(value) ? Number(value) : value;
    if (typeof id !== 'number') return accountName.read(value, at, found);
    if (Number.isInteger(id) && id >= 0 && id <= maxId) return id;
    return found.reject(at, value, accountLike);
  },
  wire: { type: 'string', fromNumber: String },
  jsonSchema: () => ({
    anyOf: [
      { type: 'string', maxLength: 32, pattern: `${accountPattern.source}|^\\d{1,10}$` },
      { type: 'integer', minimum: 0, maximum: maxId },
    ],
    description: accountLike,
  }),
};
