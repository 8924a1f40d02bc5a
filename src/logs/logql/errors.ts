import { DomainError } from '../../model/errors.js';

/**
 * A LogQL syntax or semantic error, worded as Loki words it:
 * `parse error at line 1, col 14: syntax error: unexpected IDENTIFIER, expecting STRING`.
 * It is a DomainError of kind 'invalid' so the HTTP layer maps it to 400.
 */
export class LogQLParseError extends DomainError {
  constructor(
    readonly line: number,
    readonly col: number,
    readonly detail: string,
  ) {
    super('invalid', `parse error at line ${line}, col ${col}: ${detail}`);
    this.name = 'LogQLParseError';
  }
}
