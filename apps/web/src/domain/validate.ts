import type { z } from 'zod';
import { DomainError } from './errors.ts';

/** Parses service input with the shared schema; problems become one BAD_REQUEST naming each field. */
export function parseInput<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const path = issue.path.join('.');
    return path ? `${path}: ${issue.message}` : issue.message;
  });
  throw new DomainError('BAD_REQUEST', problems.join('; '));
}
