/** Error kinds the domain raises; the API maps each to the tRPC code of the same name. */
export type DomainErrorCode = 'BAD_REQUEST' | 'UNAUTHORIZED' | 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT';

const domainErrorBrand = Symbol.for('rhizom.DomainError');

export class DomainError extends Error {
  // Next.js bundles instrumentation.ts apart from the route handlers, so a process holds two copies of this
  // class and errors thrown by the runtime cross between them: instanceof checks a brand, not the copy.
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && domainErrorBrand in value;
  }
  readonly [domainErrorBrand] = true;
  override readonly name = 'DomainError';
  constructor(
    readonly code: DomainErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export const notFound = (what: string) =>
  new DomainError('NOT_FOUND', `${what} was not found, or you are not allowed to see it.`);

export const signInRequired = () =>
  new DomainError('UNAUTHORIZED', 'Sign in (or continue as a guest) first.');
