/**
 * Headers on every `--http` answer. The console's page loads scripts only from this daemon and
 * runs none inline, so even text that escaped escaping could not run; it may not be framed
 * (the action buttons cannot be clickjacked); nothing is sniffed into another type. Mermaid's
 * SVG carries its own <style>, hence style-src 'unsafe-inline' (styles, never scripts).
 */
export const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export const securityHeaders = {
  'content-security-policy': contentSecurityPolicy,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
} as const;
