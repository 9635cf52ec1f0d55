import type { BeingView } from '@rhizom/sync';
import { headers } from 'next/headers';
import { notFound } from 'next/navigation';
import { DomainError } from '../domain/errors.ts';
import { getRuntime } from './runtime.ts';
import { createContext } from './trpc.ts';

/**
 * For pages: answer 404 (the not-found page) unless the caller may see being `id`. A private being and a
 * missing one get the same answer, as in the API, so the status says nothing about what exists.
 * Resolves with the being as this caller sees it and whether the caller is signed in, so the page renders
 * at once what this caller will see (a visitor's sign-in prompt, not a composer) before its scripts ask.
 */
export async function requireVisibleBeing(id: string): Promise<{ being: BeingView; signedIn: boolean }> {
  const runtime = await getRuntime();
  const { actor } = await createContext(runtime, await headers());
  try {
    return { being: await runtime.domain.beings.get(actor, id), signedIn: actor !== null };
  } catch (error) {
    if (error instanceof DomainError && (error.code === 'NOT_FOUND' || error.code === 'BAD_REQUEST'))
      notFound();
    throw error;
  }
}
