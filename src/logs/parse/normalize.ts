import { guessLevel, normalizeLevel } from '../level.js';
import type { Level } from '../types.js';
import type { RawParse } from './format.js';
import { plainHeaderTime, splitPlainHeader } from './plain-header.js';
import { parseTimestamp } from './timestamp.js';

/** The fields every parsed line may carry, under one name whatever the source called them. */
export const CANONICAL_FIELDS = ['service', 'request_id', 'trace_id', 'user_id', 'client_ip'] as const;
export type CanonicalField = (typeof CANONICAL_FIELDS)[number];

// Source names tried in order for each well-known field (compared case-insensitively).
const ALIASES: Readonly<Record<CanonicalField | 'timestamp' | 'level' | 'message', readonly string[]>> = {
  timestamp: ['timestamp', 'time', 'ts', '@timestamp', 't', 'datetime', 'date', 'eventtime'],
  level: ['level', 'lvl', 'severity', 'loglevel', 'log.level', 'levelname', 'severity_text', 'priority'],
  message: ['message', 'msg', 'log', 'text', 'event', 'body'],
  service: ['service', 'service.name', 'service_name', 'app', 'application', 'app_name', 'component', 'logger'],
  request_id: ['request_id', 'requestid', 'req_id', 'reqid', 'x-request-id', 'x_request_id', 'http.request_id', 'correlation_id'],
  trace_id: ['trace_id', 'traceid', 'trace.id', 'dd.trace_id', 'x-b3-traceid', 'otel.trace_id'],
  user_id: ['user_id', 'userid', 'uid', 'user.id', 'usr.id', 'user'],
  client_ip: ['client_ip', 'clientip', 'remote_addr', 'remote_ip', 'ip', 'client.ip', 'source.ip', 'x-forwarded-for'],
};

export interface ParsedLog {
  /** The format that parsed the line: a built-in name, 'pattern', 'regex' or 'plain'. */
  format: string;
  timestamp?: number;
  level?: Level;
  message: string;
  service?: string;
  requestId?: string;
  traceId?: string;
  userId?: string;
  clientIp?: string;
  /** Every extracted field plus the canonical names above (`level`, `request_id`, …) when found. */
  fields: Record<string, string>;
}

type AliasTarget = keyof typeof ALIASES;

// Lower-cased source name → the well-known fields it is an alias of, with its rank in that alias list.
const ALIAS_INDEX = new Map<string, Array<{ target: AliasTarget; rank: number }>>();
for (const [target, names] of Object.entries(ALIASES) as Array<[AliasTarget, readonly string[]]>) {
  names.forEach((n, rank) => {
    let list = ALIAS_INDEX.get(n);
    if (!list) ALIAS_INDEX.set(n, (list = []));
    list.push({ target, rank });
  });
}

/**
 * For each well-known field, the value of its first alias (in ALIASES order) that the line
 * has with a non-empty value; a source name matches case-insensitively, and among keys that
 * differ only in case the first one counts. One pass over the line's keys.
 */
function resolveAliases(fields: Record<string, string>): Partial<Record<AliasTarget, string>> {
  const seen = new Set<string>();
  const best: Partial<Record<AliasTarget, { rank: number; value: string }>> = {};
  for (const k in fields) {
    const lk = k.toLowerCase();
    const targets = ALIAS_INDEX.get(lk);
    if (targets === undefined || seen.has(lk)) continue;
    seen.add(lk);
    const value = fields[k]!;
    if (value === '') continue;
    for (const { target, rank } of targets) {
      const b = best[target];
      if (b === undefined || rank < b.rank) best[target] = { rank, value };
    }
  }
  const out: Partial<Record<AliasTarget, string>> = {};
  for (const t in best) out[t as AliasTarget] = best[t as AliasTarget]!.value;
  return out;
}

/**
 * A parse whose timestamp is read from its text on first use only: the ingest path never
 * asks, and parsing a date costs. A prototype getter keeps every instance's shape the same
 * (defining an accessor per object would not).
 */
class LazyTimeParse implements ParsedLog {
  level?: Level;
  service?: string;
  requestId?: string;
  traceId?: string;
  userId?: string;
  clientIp?: string;
  private ts: number | undefined | null = null;
  constructor(
    readonly format: string,
    readonly message: string,
    readonly fields: Record<string, string>,
    private readonly rawTimestamp: string,
    private readonly read: (raw: string, now: number) => number | undefined,
    private readonly now: number,
  ) {}
  get timestamp(): number | undefined {
    if (this.ts === null) this.ts = this.read(this.rawTimestamp, this.now);
    return this.ts;
  }
}

function pick(fields: Record<string, string>, aliased: Partial<Record<AliasTarget, string>>, fieldMap: Readonly<Record<string, string>>, name: AliasTarget): string | undefined {
  const mapped = fieldMap[name];
  return mapped !== undefined ? fields[mapped] : aliased[name];
}

function isEmpty(o: object): boolean {
  for (const _ in o) return false;
  return true;
}

/** Fields never taken for the message: when, how severe, who, which request. */
const NOT_MESSAGE = new Set<string>([...ALIASES.timestamp, ...ALIASES.level, ...CANONICAL_FIELDS.flatMap((c) => ALIASES[c]), 'span_id', 'spanid']);

/**
 * The message of a structured line that names none under a known alias: its free text — the
 * string field with the most words (at least three) — or, when no field reads as text, its
 * fields as `key=value` pairs in their order (what identifies the event is then which keys
 * it has), leaving out the time, level and request/trace/user ids.
 */
export function messageOf(fields: Readonly<Record<string, string>>): string | undefined {
  let best: string | undefined;
  let bestWords = 2;
  let pairs = '';
  for (const k in fields) {
    if (NOT_MESSAGE.has(k.toLowerCase())) continue;
    const v = fields[k]!;
    const words = wordCount(v);
    if (words > bestWords) {
      best = v;
      bestWords = words;
    }
    pairs += `${pairs ? ' ' : ''}${k}=${/\s/.test(v) ? JSON.stringify(v) : v}`;
  }
  return best ?? (pairs || undefined);
}

/** Whitespace-separated words holding a letter. */
function wordCount(v: string): number {
  let n = 0;
  for (const w of v.split(/\s+/)) if (/\p{L}/u.test(w)) n++;
  return n;
}

/**
 * Applies aliases and the user's `fieldMap` (target name → source field) to a raw parse.
 * A mapping wins over the aliases; mapped names outside the canonical set are copied as is.
 * `raw.fields` becomes the result's `fields` (extended in place, not copied).
 */
export function normalizeParse(
  format: string,
  line: string,
  raw: RawParse | null,
  now: number,
  fieldMap: Readonly<Record<string, string>> = {},
): ParsedLog {
  if (raw === null && isEmpty(fieldMap)) {
    // Plain text: no fields to look up; a timestamp/level header if it has one, else a level to guess.
    const header = splitPlainHeader(line);
    const plain: ParsedLog = header ? new LazyTimeParse(format, header.message, {}, header.rawTimestamp, plainHeaderTime, now) : { format, message: line, fields: {} };
    const guessed = header?.level ?? guessLevel(line);
    if (guessed !== undefined) {
      plain.level = guessed;
      plain.fields.level = guessed;
    }
    return plain;
  }
  // Format parsers return a fresh fields object per line, so it is extended in place.
  const fields: Record<string, string> = raw?.fields ?? {};
  // Resolved before anything below adds canonical names to `fields`.
  const aliased = resolveAliases(fields);

  const tsRaw = raw?.timestamp === undefined ? pick(fields, aliased, fieldMap, 'timestamp') : undefined;
  const message = raw?.message ?? pick(fields, aliased, fieldMap, 'message') ?? (raw ? messageOf(fields) : undefined) ?? line;
  const level = raw?.level ?? normalizeLevel(pick(fields, aliased, fieldMap, 'level')) ?? guessLevel(raw ? message : line);
  // A timestamp the format parser found is kept; one in a field is read when asked.
  const out: ParsedLog = tsRaw !== undefined ? new LazyTimeParse(format, message, fields, tsRaw, parseTimestamp, now) : { format, message, fields };
  if (raw?.timestamp !== undefined) out.timestamp = raw.timestamp;
  if (level !== undefined) {
    out.level = level;
    fields.level = level;
  }
  for (const c of CANONICAL_FIELDS) {
    const v = pick(fields, aliased, fieldMap, c);
    if (v !== undefined) fields[c] = v;
  }
  for (const [target, source] of Object.entries(fieldMap)) {
    if (target in ALIASES) continue;
    const v = fields[source];
    if (v !== undefined) fields[target] = v;
  }
  if (fields.service !== undefined) out.service = fields.service;
  if (fields.request_id !== undefined) out.requestId = fields.request_id;
  if (fields.trace_id !== undefined) out.traceId = fields.trace_id;
  if (fields.user_id !== undefined) out.userId = fields.user_id;
  if (fields.client_ip !== undefined) out.clientIp = fields.client_ip;
  return out;
}
