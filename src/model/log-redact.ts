/**
 * Secrets inside URLs that end up in Vigil's own log lines: query parameters named like a
 * credential (`?access_token=`, `api_key=`, `password=`, `X-Amz-Signature=`, `…_secret=` …)
 * the password of `scheme://user:password@host`, and the signed token of an acknowledge link
 * (`/ack/{token}`: whoever holds it can acknowledge or resolve a page). Applied to each whole line as it is
 * written, so no caller (request logging, probe and scrape errors, messages) can forget it.
 */
const QUERY_SECRET = /([?&;][\w.-]*?(?:token|secret|password|passwd|pwd|api[_-]?key|apikey|signature|sig|auth|authorization|credential|session|sessionid|key)=)[^&#\s"\\]+/gi;
const USERINFO = /(\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@"\\]*:)[^@/\s"\\]+@/gi;
const ACK_PATH = /(\/ack\/)[^\s"'?#\\<>]+/g;
const QUICK = /[=@]|\/ack\//;

export const REDACTED = '[REDACTED]';

export function redactLogLine(line: string): string {
  if (!QUICK.test(line)) return line;
  return line.replace(QUERY_SECRET, `$1${REDACTED}`).replace(USERINFO, `$1${REDACTED}@`).replace(ACK_PATH, `$1${REDACTED}`);
}
