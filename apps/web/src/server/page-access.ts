import type { BeingView } from '@rhizom/sync';
import { headers } from 'next/headers';
import { notFound } from 'next/navigation';
import type { Viewer } from '../domain/actor.ts';
import { DomainError } from '../domain/errors.ts';
import { forPage, PAGE_SCOPE } from '../sync/limits.ts';
import type { PageSnapshot } from '../sync/sync-client.ts';
import { getRuntime, type Runtime } from './runtime.ts';
import { readStreamSnapshot } from './stream-snapshot.ts';
import { createContext } from './trpc.ts';

/**
 * For pages: answer 404 (the not-found page) unless the caller may see being `id`. A private being and a
 * missing one get the same answer, as in the API, so the status says nothing about what exists.
 * Resolves with the being as this caller sees it and whether the caller is signed in, so the page renders
 * at once what this caller will see (a visitor's sign-in prompt, not a composer) before its scripts ask;
 * for a space, also its first messages (`pageSnapshot`), still on their way.
 */
export async function requireVisibleBeing(
  id: string,
): Promise<{ being: BeingView; signedIn: boolean; firstMessages?: Promise<PageSnapshot | null> }> {
  const runtime = await getRuntime();
  const { actor } = await createContext(runtime, await headers());
  try {
    const being = await runtime.domain.beings.get(actor, id);
    return {
      being,
      signedIn: actor !== null,
      firstMessages: being.type === 'space' ? pageSnapshot(runtime, actor, id) : undefined,
    };
  } catch (error) {
    if (error instanceof DomainError && (error.code === 'NOT_FOUND' || error.code === 'BAD_REQUEST'))
      notFound();
    throw error;
  }
}

/**
 * A space's snapshot for its page, started and not awaited: the page's shell (header, composer) streams at
 * once, and the newest messages follow in the same response when the snapshot answers, with no request
 * from the page's scripts (which, at 4× CPU throttling, asked seconds later). Read by the same rule as
 * `sync.snapshot`, and cut to the log's window (`forPage`). Its keys stay out: a page's HTML can be saved,
 * printed or read by an extension, so the keys that open the space's packets still come from the API alone
 * (`sync.keys`). null when it fails: the page then asks for the snapshot itself, as it would have.
 */
async function pageSnapshot(runtime: Runtime, viewer: Viewer, spaceId: string): Promise<PageSnapshot | null> {
  try {
    const { keys: _keys, ...snapshot } = await readStreamSnapshot(runtime, viewer, spaceId, PAGE_SCOPE);
    return { ...forPage(snapshot), takenAt: Date.now() };
  } catch (error) {
    runtime.logger.warn({ err: error, spaceId }, 'a space page was rendered without its messages');
    return null;
  }
}
