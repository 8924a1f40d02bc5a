/**
 * Secrets in check targets never reach messages, labels or logs. A URL's password is
 * replaced by `xxxxx` (as Go's url.URL.Redacted does); the user name stays for context.
 * Input that does not parse as a URL has any `user:pass@` part masked the same way.
 */
export function redactUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return url.replace(/\/\/([^/@:\s]*):[^/@\s]*@/, '//$1:xxxxx@');
  }
  if (u.password === '') return u.toString();
  u.password = 'xxxxx';
  return u.toString();
}

/** Removes every occurrence of the given secrets from a message. */
export function scrub(message: string, secrets: readonly string[]): string {
  let out = message;
  for (const s of secrets) if (s.length >= 3) out = out.split(s).join('xxxxx');
  return out;
}
