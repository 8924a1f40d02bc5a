import type { z } from 'zod';
import type { SecretReader } from './common/secrets.js';
import type { TemplateEngine } from './common/templates.js';
import type { GlobalConfig } from './global.js';
import type { Notifier } from './notifier.js';

/** Warnings a notifier may log (a truncated text, a dropped field). Never given a secret. */
export interface NotifierLogger {
  warn(message: string, fields?: Readonly<Record<string, unknown>>): void;
}

/** What notifiers may need from the app. */
export interface NotifierDeps {
  /** Vigil's external URL: the payload's externalURL and the default links. */
  readonly externalURL: string;
  /** Where the log receiver writes its lines. */
  readonly logLine: (line: string) => void;
  readonly userAgent?: string;
  readonly templates: TemplateEngine;
  readonly secrets: SecretReader;
  readonly logger?: NotifierLogger;
  /** The clock (ms), for Date headers and the like. */
  readonly now?: () => number;
  /** This host's name, for SMTP HELO defaults and Message-Ids. */
  readonly hostname?: string;
}

export interface ConfigProblem {
  /** Relative to the config entry: ['smarthost']. */
  readonly path: ReadonlyArray<string | number>;
  readonly message: string;
}

/**
 * One integration type: its config schema (one entry of `<type>_configs`), how to build it,
 * and what the rest of Vigil needs to know about it. A notifier folder exports one spec; the
 * registry lists them, one line each.
 */
export interface NotifierSpec<S extends z.ZodType = z.ZodType> {
  /** `slack` for `slack_configs`. */
  readonly type: string;
  readonly schema: S;
  /**
   * Dotted paths of secret fields in one entry (`api_key`, `http_config.bearer_token`); their
   * inline values are redacted from API output. `_file`/`_env` siblings name a file or a
   * variable and are shown.
   */
  readonly secrets: readonly string[];
  /** Fills keys left unset from `global:`, as Alertmanager does, and reports what is still missing. */
  readonly applyGlobal?: (config: z.output<S>, global: GlobalConfig) => { config: z.output<S>; problems: ConfigProblem[] };
  readonly create: (config: z.output<S>, deps: NotifierDeps) => Notifier;
  /**
   * Reaching one person: the channels (`email`, `sms`, `voice`, `slack`, …) this integration
   * serves and the config entry that sends to one address over it (completed by applyGlobal).
   */
  readonly contact?: {
    readonly channels: readonly string[];
    readonly config: (channel: string, address: string) => z.input<S>;
  };
}

export function sendResolvedOf(config: unknown): boolean {
  return (config as { send_resolved?: boolean }).send_resolved ?? true;
}
