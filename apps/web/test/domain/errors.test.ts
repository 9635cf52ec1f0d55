import { describe, expect, it, vi } from 'vitest';

describe('DomainError across module copies', () => {
  // Next.js loads the runtime through instrumentation.ts and the API through route handlers, two bundles
  // with their own copy of this module; the API must still map a runtime's NOT_FOUND to NOT_FOUND.
  it('is recognised by instanceof in another copy of its module, and nothing else is', async () => {
    const first = await import('../../src/domain/errors.ts');
    vi.resetModules();
    const second = await import('../../src/domain/errors.ts');
    expect(second.DomainError).not.toBe(first.DomainError);

    const error = first.notFound('Being @x');
    expect(error).toBeInstanceOf(second.DomainError);
    expect(error.code).toBe('NOT_FOUND');
    expect(new Error('plain')).not.toBeInstanceOf(second.DomainError);
    expect(
      Object.assign(new Error('look-alike'), { name: 'DomainError', code: 'NOT_FOUND' }),
    ).not.toBeInstanceOf(second.DomainError);
    expect(null).not.toBeInstanceOf(second.DomainError);
  });
});
