import type { Browser, BrowserContext } from 'playwright-core';
import { expect } from 'vitest';

/** What a test does through the HTTP API instead of the UI: seeding, and fetching as a given person. */

/** A guest signed in through a new context's own requests (no page needed): its later requests carry the session. */
export async function apiGuest(browser: Browser, baseUrl: string, name: string): Promise<BrowserContext> {
  const context = await browser.newContext();
  const response = await context.request.post(`${baseUrl}/api/auth/sign-in/anonymous`, {
    data: { name },
    headers: { origin: baseUrl },
  });
  expect(response.ok()).toBe(true);
  return context;
}

/** A tRPC mutation with the context's session; throws with the procedure and the server's answer if refused. */
export async function apiMutate(
  context: BrowserContext,
  baseUrl: string,
  path: string,
  input: unknown,
): Promise<unknown> {
  const response = await context.request.post(`${baseUrl}/api/trpc/${path}`, {
    data: { json: input },
    headers: { origin: baseUrl },
  });
  const body = (await response.json()) as { result?: { data: { json: unknown } } };
  if (!body.result) throw new Error(`${path} failed: ${JSON.stringify(body)}`);
  return body.result.data.json;
}

/**
 * Posts `texts` in `spaceId` in order, the writers taking turns, so no one being's write rate limit (30 in
 * 10 s) slows the seeding of a long conversation.
 */
export async function apiPostInTurns(
  writers: BrowserContext[],
  baseUrl: string,
  spaceId: string,
  texts: string[],
): Promise<void> {
  for (const [i, content] of texts.entries()) {
    await apiMutate(writers[i % writers.length] as BrowserContext, baseUrl, 'intention.createUtterance', {
      spaceId,
      content,
    });
  }
}
