import type { DetectorEntry } from './types.js';

/** A login attempt recognised in a line: sshd, PAM, or structured fields. */
export interface AuthEvent {
  outcome: 'failure' | 'success';
  user?: string;
  ip?: string;
}

const SSHD_FAILED = /Failed (?:password|publickey|keyboard-interactive(?:\/pam)?|none) for (?:invalid user )?(\S+) from (\S+)/;
const SSHD_ACCEPTED = /Accepted (?:password|publickey|keyboard-interactive(?:\/pam)?|gssapi-with-mic|hostbased) for (\S+) from (\S+)/;
// PAM: "pam_unix(login:auth): authentication failure; logname= uid=0 euid=0 tty=… ruser= rhost=1.2.3.4  user=bob".
const PAM_FAILURE = /\((\w[\w-]*):auth\): authentication failure;.*?\brhost=(\S*).*?(?:\buser=(\S+))?\s*$/;

const FAIL_EVENTS = new Set(['login_failed', 'login_failure', 'failed_login', 'auth_failed', 'authentication_failed', 'authentication_failure', 'logon_failed', 'signin_failed']);
const OK_EVENTS = new Set(['login_success', 'login_succeeded', 'logged_in', 'login_ok', 'authentication_succeeded', 'authentication_success', 'signin_success']);
/** The first non-empty value among `names` (no arrays made: this runs for every accepted line). */
function field(f: Readonly<Record<string, string>>, names: readonly string[]): string | undefined {
  for (let i = 0; i < names.length; i++) {
    const v = f[names[i]!];
    if (v !== undefined && v !== '') return v;
  }
  return undefined;
}
const KIND_FIELDS = ['event', 'event.action', 'action', 'event_type'];
const OUTCOME_FIELDS = ['outcome', 'event.outcome', 'status', 'result'];
const USER_FIELDS = ['user', 'username', 'user_name', 'user.name', 'user_id', 'login'];
const IP_FIELDS = ['ip', 'client_ip', 'source_ip', 'src_ip', 'remote_addr', 'source.ip', 'rhost'];

// brute_force and new_login_ip both ask about the same entry; the last answer is kept.
let lastEntry: DetectorEntry | undefined;
let lastEvent: AuthEvent | undefined;

/** The login attempt in an entry, if any. Do not mutate the result: it may be shared between callers. */
export function authEvent(e: DetectorEntry): AuthEvent | undefined {
  if (e === lastEntry) return lastEvent;
  const ev = findAuthEvent(e);
  lastEntry = e;
  lastEvent = ev;
  return ev;
}

function findAuthEvent(e: DetectorEntry): AuthEvent | undefined {
  const line = e.line;
  // Literal prefilters: each regex needs its word, and most lines have none of them.
  let m = line.includes('Failed ') ? SSHD_FAILED.exec(line) : null;
  if (m) return { outcome: 'failure', user: m[1], ip: m[2] };
  m = line.includes('Accepted ') ? SSHD_ACCEPTED.exec(line) : null;
  if (m) return { outcome: 'success', user: m[1], ip: m[2] };
  m = line.includes(':auth): authentication failure;') ? PAM_FAILURE.exec(line) : null;
  // sshd logs its own "Failed password" line for the same attempt; counting both would double it.
  if (m && m[1] !== 'sshd') {
    const ev: AuthEvent = { outcome: 'failure' };
    if (m[2]) ev.ip = m[2];
    if (m[3]) ev.user = m[3];
    return ev;
  }
  const f = e.fields;
  const kind = field(f, KIND_FIELDS)?.toLowerCase();
  if (kind === undefined) return undefined;
  const outcome = field(f, OUTCOME_FIELDS)?.toLowerCase();
  let result: AuthEvent['outcome'] | undefined;
  if (FAIL_EVENTS.has(kind) || (kind === 'login' && (outcome === 'failure' || outcome === 'failed'))) result = 'failure';
  else if (OK_EVENTS.has(kind) || (kind === 'login' && (outcome === 'success' || outcome === 'succeeded'))) result = 'success';
  if (!result) return undefined;
  const ev: AuthEvent = { outcome: result };
  const user = field(f, USER_FIELDS);
  const ip = field(f, IP_FIELDS);
  if (user) ev.user = user;
  if (ip) ev.ip = ip;
  return ev;
}
