/**
 * Secrets inside URLs that end up in Vigil's own log lines: query parameters named like a
 * credential (`?access_token=`, `api_key=`, `password=`, `X-Amz-Signature=`, `…_secret=` …)
 * and the password of `scheme://user:password@host`. Applied to each whole line as it is
 * written, so no caller (request logging, probe and scrape errors, messages) can forget it.
 */
const QUERY_SECRET = /([?&;][\w.-]*?(?:token|secret|password|passwd|pwd|api[_-]?key|apikey|signature|sig|auth|authorization|credential|session|sessionid|key)=)[^&#\s"\\]+/gi;
const USERINFO = /(\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@"\\]*:)[^@/\s"\\]+@/gi;
const QUICK = /[=@]/;

export const REDACTED = '[REDACTED]';

export function redactLogLine(line: string): string {
  if (!QUICK.test(line)) return line;
  return line.replace(QUERY_SECRET, `$1${REDACTED}`).replace(USERINFO, `$1${REDACTED}@`);
}
