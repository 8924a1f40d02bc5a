import { readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * Secret fields. Every secret `x` of a notifier config can be given three ways: inline `x`,
 * `x_file` (a file whose trimmed content is the secret, read at every delivery so rotated
 * files take effect, as Alertmanager does) or `x_env` (an environment variable, read at every
 * delivery). At most one of the three may be set. Inline values are redacted from API output
 * and never appear in errors or logs.
 */
export type SecretShape<K extends string> = {
  [P in K | `${K}_file` | `${K}_env`]: z.ZodOptional<z.ZodType<string | undefined>>;
};

/**
 * An empty secret (`auth_password: ""`) is an unset one, as in Alertmanager, whose Secret type
 * is a string and whose configs test it against "" (an email config then takes
 * `global.smtp_auth_password`). Secrets that are URLs (`api_url`, `url`, `webhook_url`, …)
 * are parsed as URLs there, so an empty one stays an error.
 */
const emptyIsUnset = z.preprocess((v) => (v === '' ? undefined : v), z.string().optional()).optional();

export function secretShape<K extends string>(key: K): SecretShape<K> {
  const nonEmpty = z.string().min(1, 'must not be empty').optional();
  const value = key.endsWith('url') ? nonEmpty : emptyIsUnset;
  return { [key]: value, [`${key}_file`]: value, [`${key}_env`]: envName.optional() } as unknown as SecretShape<K>;
}

const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected an environment variable name like SLACK_WEBHOOK_URL');

/** Where a secret comes from; undefined when none of the three keys is set. */
export type SecretRef = { readonly value: string } | { readonly file: string } | { readonly env: string };

export function secretRef(config: object, key: string): SecretRef | undefined {
  const c = config as Record<string, unknown>;
  const value = c[key];
  const file = c[`${key}_file`];
  const env = c[`${key}_env`];
  if (typeof value === 'string') return { value };
  if (typeof file === 'string') return { file };
  if (typeof env === 'string') return { env };
  return undefined;
}

export function hasSecret(config: object, key: string): boolean {
  return secretRef(config, key) !== undefined;
}

/** The keys (with `_file`/`_env`) of a secret that are set, for "at most one" checks. */
function setKeys(config: object, key: string): string[] {
  const c = config as Record<string, unknown>;
  return [key, `${key}_file`, `${key}_env`].filter((k) => c[k] !== undefined);
}

/** Zod refinement: at most one of `x`, `x_file`, `x_env` for each named secret. */
export function atMostOneSource(...keys: string[]) {
  return (config: object, ctx: z.RefinementCtx): void => {
    for (const key of keys) {
      const set = setKeys(config, key);
      if (set.length > 1) {
        ctx.addIssue({ code: 'custom', path: [set[1] as string], message: `at most one of ${key}, ${key}_file & ${key}_env must be configured` });
      }
    }
  };
}

/** How secrets are read at delivery time; injected so tests need no real environment. */
export interface SecretReader {
  readonly env: Readonly<Record<string, string | undefined>>;
  readFile(path: string): string;
}

export const processSecrets: SecretReader = {
  env: process.env,
  readFile: (path) => readFileSync(path, 'utf8'),
};

export class SecretError extends Error {
  override readonly name = 'SecretError';
}

/** Reads a secret; throws SecretError naming the key (and the file or variable), never the value. */
export function readSecret(ref: SecretRef, key: string, reader: SecretReader): string {
  if ('value' in ref) return ref.value;
  if ('env' in ref) {
    const v = reader.env[ref.env];
    if (v === undefined || v === '') throw new SecretError(`${key}_env: environment variable ${ref.env} is not set`);
    return v.trim();
  }
  let text: string;
  try {
    text = reader.readFile(ref.file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new SecretError(`${key}_file: cannot read ${ref.file}${code ? ` (${code})` : ''}`);
  }
  const v = text.trim();
  if (v === '') throw new SecretError(`${key}_file: ${ref.file} is empty`);
  return v;
}

/** Reads an optional secret: undefined when none of its keys is set. */
export function readOptionalSecret(config: object, key: string, reader: SecretReader): string | undefined {
  const ref = secretRef(config, key);
  return ref ? readSecret(ref, key, reader) : undefined;
}

/**
 * Problems that would make a delivery fail (a variable not set, a file not readable), for
 * warnings at startup and in `vigil check-config`. Not errors: Alertmanager loads such a
 * config too, and the file may appear before the first notification.
 */
export function secretProblems(config: object, keys: readonly string[], reader: SecretReader): string[] {
  const out: string[] = [];
  for (const key of keys) {
    const ref = secretRef(config, key);
    if (!ref || 'value' in ref) continue;
    try {
      readSecret(ref, key, reader);
    } catch (err) {
      out.push((err as Error).message);
    }
  }
  return out;
}

export const REDACTED = '<secret>';

/** Removes every known secret value (and its URL-encoded form) from a text. */
export class Redactor {
  private readonly secrets = new Set<string>();

  add(...values: ReadonlyArray<string | undefined>): this {
    for (const v of values) {
      if (v === undefined || v.length < 4) continue;
      this.secrets.add(v);
      this.secrets.add(encodeURIComponent(v));
      this.secrets.add(JSON.stringify(v).slice(1, -1));
    }
    return this;
  }

  clean(text: string): string {
    let out = text;
    for (const s of [...this.secrets].sort((a, b) => b.length - a.length)) out = out.split(s).join(REDACTED);
    return out;
  }
}

/**
 * The parts of a URL that may be credentials (a webhook URL is a secret: its path or query
 * holds the token): the whole URL, userinfo, path, long path segments, query and its values.
 */
export function urlSecrets(url: string | undefined): string[] {
  if (!url) return [];
  try {
    const u = new URL(url);
    const segments = u.pathname.split('/').filter((s) => s.length >= 8);
    const values = [...u.searchParams.values()].filter((v) => v.length >= 8);
    return [url, u.username, u.password, decodeURIComponent(u.password), u.pathname.length > 1 ? u.pathname : '', ...segments, u.search.slice(1), ...values].filter((s) => s.length > 0);
  } catch {
    return [url];
  }
}
