/**
 * What the console shows of a spec: everything but the values of secrets. Anyone who can open a
 * loopback console can read it, which is more people than can read the daemon's socket (mode
 * 0600), so env values (the usual home of passwords and API keys) are never shown, nor a value
 * whose key names a secret, nor the password of a URL.
 */
const secretKey = /pass(word|wd)?|secret|token|api[_-]?key|private[_-]?key|credential|auth/i;

export const redacted = '(redacted)';

export function redactSpec(spec: Record<string, unknown>): Record<string, unknown> {
  return redactObject(spec, false) as Record<string, unknown>;
}

function redactObject(value: unknown, allValues: boolean): unknown {
  if (Array.isArray(value)) return value.map((item) => redactObject(item, allValues));
  if (typeof value === 'string') return allValues ? redacted : redactText(value);
  if (typeof value !== 'object' || value === null) return allValues ? redacted : value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    out[key] = redactObject(inner, allValues || key === 'env' || secretKey.test(key));
  }
  return out;
}

/**
 * A command line's secrets: `scheme://user:password@host` keeps the user, `--api-token=VALUE`
 * (a flag naming a secret, with its value after `=`) keeps the flag.
 */
export function redactText(text: string): string {
  return text
    .replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@]*:)[^\s/@]*@/gi, `$1${redacted}@`)
    .replace(/(^|\s)(-{1,2}[\w.-]+=)(\S+)/g, (whole, space: string, flag: string) => (secretKey.test(flag) ? `${space}${flag}${redacted}` : whole));
}
