/**
 * The structured logger every module may take (pino's Logger satisfies it). Modules log
 * through it instead of importing the app's logger.
 */
export interface Log {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}
