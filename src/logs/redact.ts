import { RE2JS } from 're2js';
import { literalPrefilter } from './literal-prefilter.js';

/**
 * Redaction of secrets before a line is stored. Built-in rules are our own regexes
 * (linear on any input: no nested quantifiers); user rules run on RE2. Redaction is
 * idempotent: redacting a redacted line changes nothing.
 */
export const REDACTED = '[REDACTED]';

export interface RedactionRule {
  name: string;
  /** RE2 syntax; unanchored; every match is replaced. */
  regex: string;
  /** `$1`, `$<name>` refer to groups; default `[REDACTED]`. */
  replacement?: string;
}

export interface RedactorOptions {
  /** Built-in rules on (default true). */
  builtins?: boolean;
  rules?: readonly RedactionRule[];
  /** Field names whose whole value is secret, matched case-insensitively as substrings. */
  secretFieldNames?: readonly string[];
}

export class RedactionRuleError extends Error {
  override name = 'RedactionRuleError';
}

type Replacer = (text: string) => string;

const SECRET_KEYS = 'password|passwd|pwd|passphrase|secret|client_secret|api[_-]?key|apikey|access[_-]?token|refresh[_-]?token|auth[_-]?token|private[_-]?key|x-api-key';

const PRIVATE_KEY = /-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY-----(?:[\s\S]*?-----END (?:[A-Z0-9]+ )*PRIVATE KEY-----|[\s\S]*$)/g;
// "password": "…" in JSON (value with escapes), then key=value / key: value in text, URLs, headers.
const JSON_SECRET = new RegExp(`("(?:[\\w.-]*(?:${SECRET_KEYS})[\\w.-]*)"\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"`, 'gi');
const KV_SECRET = new RegExp(`(\\b(?:[\\w.-]*(?:${SECRET_KEYS})[\\w.-]*)\\s*[=:]\\s*)(?!\\[REDACTED)("(?:[^"\\\\]|\\\\.)*"|'[^']*'|[^\\s&,;"']+)`, 'gi');
const BEARER = /\b(Bearer|Basic|Token)\s+(?!\[REDACTED)[A-Za-z0-9\-._~+/]+=*/g;
const API_KEYS = new RegExp(
  [
    '\\b(?:sk|rk|pk)_(?:live|test)_[0-9A-Za-z]{10,}',
    '\\bsk-(?:proj-)?[A-Za-z0-9_-]{20,}',
    '\\b(?:AKIA|ASIA)[0-9A-Z]{16}\\b',
    '\\bgh[pousr]_[A-Za-z0-9]{36,}',
    '\\bgithub_pat_[A-Za-z0-9_]{22,}',
    '\\bxox[abposr]-[A-Za-z0-9-]{10,}',
    '\\bglpat-[A-Za-z0-9_-]{20,}',
    '\\bAIza[0-9A-Za-z_-]{35}',
  ].join('|'),
  'g',
);
// 13–19 digits, optionally grouped by single spaces or dashes; confirmed by IIN prefix and Luhn.
const CARD = /(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])/g;
const CARD_PREFIX = /^(?:4|5[1-5]|2[2-7]|3[47]|3[068]|6(?:011|5|4[4-9]|2)|35|5[06-9])/;

export function luhnValid(digits: string): boolean {
  let sum = 0;
  let dbl = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (dbl) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    dbl = !dbl;
  }
  return sum % 10 === 0;
}

function quoteAware(prefix: string, value: string): string {
  const q = value[0] === '"' || value[0] === "'" ? value[0] : '';
  return `${prefix}${q}${REDACTED}${q}`;
}

/**
 * Cheap necessary conditions, one per built-in rule: a line failing the prefilter cannot
 * match the rule's regex, so the (much slower) regex and replace are skipped. Each is a
 * literal test or a linear scan; none can backtrack.
 */
// Every SECRET_KEYS alternative contains one of these words (same /i semantics as the rules).
const SECRET_WORD = /pass|pwd|secret|key|token/i;
const BEARER_WORD = /Bearer|Basic|Token/;
// Each API_KEYS alternative contains one of these literals.
const API_KEY_WORD = /_live_|_test_|sk-|AKIA|ASIA|gh[pousr]_|github_pat_|xox[abposr]-|glpat-|AIza/;

/** A chain of 13 digits, each pair at most one space or dash apart: what every CARD match starts with. */
function hasCardDigits(s: string): boolean {
  let run = 0;
  let sep = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (++run >= 13) return true;
      sep = false;
    } else if ((c === 32 || c === 45) && run > 0 && !sep) sep = true;
    else {
      run = 0;
      sep = false;
    }
  }
  return false;
}

const BUILTIN: ReadonlyArray<readonly [string, Replacer]> = [
  ['private_key', (s) => (s.includes('PRIVATE KEY-----') ? s.replace(PRIVATE_KEY, `[REDACTED PRIVATE KEY]`) : s)],
  ['json_secret', (s) => (s.includes('"') && SECRET_WORD.test(s) ? s.replace(JSON_SECRET, `$1"${REDACTED}"`) : s)],
  ['bearer', (s) => (BEARER_WORD.test(s) ? s.replace(BEARER, `$1 ${REDACTED}`) : s)],
  ['kv_secret', (s) => (SECRET_WORD.test(s) ? s.replace(KV_SECRET, (_m, p: string, v: string) => quoteAware(p, v)) : s)],
  ['api_key', (s) => (API_KEY_WORD.test(s) ? s.replace(API_KEYS, REDACTED) : s)],
  [
    'card',
    (s) =>
      hasCardDigits(s)
        ? s.replace(CARD, (m) => {
            const digits = m.replace(/[ -]/g, '');
            return CARD_PREFIX.test(digits) && luhnValid(digits) ? '[REDACTED CARD]' : m;
          })
        : s,
  ],
];

export const BUILTIN_RULE_NAMES: readonly string[] = BUILTIN.map(([n]) => n);

// A word every built-in rule but `card` needs (the union of their prefilters, case-insensitive):
// most lines have none, and one scan then replaces five.
const ANY_BUILTIN_WORD = /pass|pwd|secret|key|token|bearer|basic|_live_|_test_|sk-|akia|asia|gh[pousr]_|github_pat_|xox[abposr]-|glpat-|aiza/i;
const BUILTIN_STEPS: readonly Replacer[] = BUILTIN.map(([, f]) => f);

function builtins(s: string): string {
  if (!ANY_BUILTIN_WORD.test(s) && !hasCardDigits(s)) return s;
  let out = s;
  for (const step of BUILTIN_STEPS) out = step(out);
  return out;
}

export class Redactor {
  private readonly steps: Replacer[] = [];
  private readonly secretField: RegExp;
  /** What this redactor was built from: a worker thread rebuilds the same redactor from it. */
  readonly options: RedactorOptions;

  /** Throws RedactionRuleError for an invalid user rule (fail fast at load). */
  constructor(opts: RedactorOptions = {}) {
    this.options = structuredClone(opts);
    if (opts.builtins !== false) this.steps.push(builtins);
    for (const r of opts.rules ?? []) {
      let re: RE2JS;
      try {
        re = RE2JS.compile(r.regex);
      } catch (e) {
        throw new RedactionRuleError(`redaction rule ${JSON.stringify(r.name)}: invalid regular expression ${JSON.stringify(r.regex)}: ${(e as Error).message}`);
      }
      const repl = r.replacement ?? REDACTED;
      const maybe = literalPrefilter(r.regex);
      this.steps.push((s) => ((!maybe || maybe(s)) && re.test(s) ? re.matcher(s).replaceAll(repl) : s));
    }
    const names = opts.secretFieldNames ?? (opts.builtins === false ? [] : [SECRET_KEYS, 'authorization', 'cookie']);
    this.secretField = names.length ? new RegExp(`(?:${names.join('|')})`, 'i') : /(?!)/;
  }

  redact(text: string): string {
    let out = text;
    for (const step of this.steps) out = step(out);
    return out;
  }

  /** Field values are redacted as text; a field whose name says secret is blanked whole. */
  redactFields(fields: Readonly<Record<string, string>>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(fields)) {
      out[k] = this.secretField.test(k) && v !== '' ? REDACTED : this.redact(v);
    }
    return out;
  }
}

/** A redactor with only the built-in rules. */
export const defaultRedactor = new Redactor();
