/**
 * Domain errors every module throws and api/errors.ts maps to HTTP in one place:
 * NotFound → 404, Conflict → 409, Invalid → 400.
 */
export class DomainError extends Error {
  constructor(
    readonly kind: 'not_found' | 'conflict' | 'invalid',
    message: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (what: string): DomainError => new DomainError('not_found', `${what} not found`);
export const conflict = (message: string): DomainError => new DomainError('conflict', message);
export const invalid = (message: string): DomainError => new DomainError('invalid', message);
