/**
 * Redaction: what of a process's data may leave the daemon in a definition, an inspection event
 * or the Stately bridge. A chart's context holds the process's spec, and a spec holds whatever its
 * author put there; so every value under an `env` key is replaced (a variable's name is kept, its
 * value never shown), and so is anything that looks like a secret wherever it is: a value under a
 * key named like one (`password`, `token`, `apiKey`, `secret`, …), a `--password=…` argument or the
 * argument after `--token`, a URL's password, and strings shaped like well-known credentials (a
 * PEM private key, a JWT, GitHub/Slack/AWS/Google/OpenAI-style keys).
 *
 * The copy is also made JSON-safe: an object's own toJSON is honoured (an XState snapshot's leaves
 * the machine out), Maps become objects, Sets arrays, actor references their ids (an actor
 * reference holds the whole system), functions and symbols disappear, bigints become strings, and
 * a cycle becomes "[circular]".
 */

export const redactedMark = '[redacted]';

/** Keys whose value is a secret, in any case and with any separator (`api_key`, `apiKey`, `API-KEY`). */
const secretKey = /pass(word|wd|phrase)?$|secret|token|api.?key|private.?key|credential|auth(orization)?$|cookie|session.?key|^pwd$/i;

/** Strings that are credentials whatever key holds them. */
const secretValues: readonly RegExp[] = [
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
  /^eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*$/, // a JWT
  /\b(ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{20,}/, // GitHub
  /\bgithub_pat_[A-Za-z0-9_]{20,}/,
  /\bxox[abprs]-[A-Za-z0-9-]{10,}/, // Slack
  /\bAKIA[0-9A-Z]{16}\b/, // AWS access key id
  /\bAIza[0-9A-Za-z_-]{30,}/, // Google API key
  /\bsk-[A-Za-z0-9_-]{20,}/, // OpenAI-style secret key
];

/** A URL with a password in it: the password goes, the rest stays readable. */
const urlPassword = /^([a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:)([^@/\s]+)(@)/i;

/** `--password=hunter2`, `-token=…`: a flag named like a secret with its value attached. */
const secretFlagWithValue = /^(--?[A-Za-z0-9_.-]+=)(.*)$/;

export function isSecretKey(key: string): boolean {
  return secretKey.test(key);
}

/** A deep, JSON-safe copy of `value` with env values and secret-looking values replaced. */
export function redacted(value: unknown): unknown {
  return copy(value, undefined, new WeakSet());
}

function copy(value: unknown, key: string | undefined, seen: WeakSet<object>): unknown {
  if (key !== undefined && isSecretKey(key) && value !== undefined && value !== null && value !== '') return redactedMark;
  if (typeof value === 'string') return redactedString(value);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'function' || typeof value === 'symbol') return undefined;
  if (typeof value !== 'object' || value === null) return value;
  if (isActorRef(value)) return { actor: value.id };
  // As JSON.stringify would: an XState snapshot's toJSON leaves its machine and nodes out.
  if (!(value instanceof Date) && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return copy((value as { toJSON(): unknown }).toJSON(), key, seen);
  }
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  try {
    if (value instanceof Date) return value.toISOString();
    if (value instanceof Error) return { name: value.name, message: redactedString(value.message) };
    if (value instanceof Set) return copyList([...value], seen);
    if (Array.isArray(value)) return copyList(value, seen);
    const entries = value instanceof Map ? [...value.entries()].map(([k, v]) => [String(k), v] as const) : Object.entries(value);
    const out: Record<string, unknown> = {};
    for (const [k, v] of entries) {
      const copied = k === 'env' ? redactedEnv(v) : copy(v, k, seen);
      if (copied !== undefined) out[k] = copied;
    }
    return out;
  } finally {
    seen.delete(value);
  }
}

/** An argument list: a secret flag's attached value, and the argument after a bare secret flag. */
function copyList(list: readonly unknown[], seen: WeakSet<object>): unknown[] {
  const out: unknown[] = [];
  let hideNext = false;
  for (const item of list) {
    if (hideNext && typeof item === 'string' && !item.startsWith('-')) {
      out.push(redactedMark);
      hideNext = false;
      continue;
    }
    hideNext = typeof item === 'string' && /^--?[A-Za-z]/.test(item) && !item.includes('=') && isSecretKey(item.replace(/^--?/, ''));
    const copied = copy(item, undefined, seen);
    out.push(copied === undefined ? null : copied);
  }
  return out;
}

/** Every value of an env map (an object, or a list of `NAME=value`) is replaced; names stay. */
function redactedEnv(env: unknown): unknown {
  if (Array.isArray(env)) return env.map((item) => (typeof item === 'string' && item.includes('=') ? `${item.slice(0, item.indexOf('='))}=${redactedMark}` : redactedMark));
  if (typeof env === 'object' && env !== null) {
    const entries = env instanceof Map ? [...env.keys()].map(String) : Object.keys(env);
    return Object.fromEntries(entries.map((name) => [name, redactedMark]));
  }
  return env === undefined ? undefined : redactedMark;
}

function redactedString(text: string): string {
  if (secretValues.some((pattern) => pattern.test(text))) return redactedMark;
  const flag = secretFlagWithValue.exec(text);
  if (flag !== null && isSecretKey(flag[1]!.replace(/^--?|=$/g, ''))) return `${flag[1]}${redactedMark}`;
  return text.replace(urlPassword, `$1${redactedMark}$3`);
}

function isActorRef(value: object): value is { id: string } {
  return 'sessionId' in value && 'send' in value && typeof (value as { id?: unknown }).id === 'string';
}
