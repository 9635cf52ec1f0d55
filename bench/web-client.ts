import type { BrowserContext } from 'playwright-core';

/** A signed-in person as the benches' HTTP clients see them: the session cookie. */
export interface Session {
  cookie: string;
}

/** Sign-ins are rate limited per address: `attempt` is repeated, waiting as each refusal says, until admitted. */
async function admitted<R>(
  attempt: () => Promise<{ status: number; retryAfter?: string | null; result: R }>,
) {
  for (;;) {
    const { status, retryAfter, result } = await attempt();
    if (status !== 429) return { status, result };
    await new Promise((resolve) => setTimeout(resolve, Number(retryAfter ?? 10) * 1000));
  }
}

const signInPath = '/api/auth/sign-in/anonymous';

export async function guest(baseUrl: string, name: string): Promise<Session> {
  const { status, result: response } = await admitted(async () => {
    const response = await fetch(`${baseUrl}${signInPath}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: baseUrl },
      body: JSON.stringify({ name }),
    });
    const retryAfter = response.headers.get('x-retry-after') ?? response.headers.get('retry-after');
    return { status: response.status, retryAfter, result: response };
  });
  if (status >= 400) throw new Error(`guest sign-in failed: ${status} ${await response.text()}`);
  const cookie = response.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  return { cookie };
}

/** Signs a guest in through the browser context's own requests, so the browser keeps its cookies as set. */
export async function browserGuest(context: BrowserContext, baseUrl: string, name: string): Promise<void> {
  const { status, result } = await admitted(async () => {
    const response = await context.request.post(`${baseUrl}${signInPath}`, {
      data: { name },
      headers: { origin: baseUrl },
    });
    const headers = response.headers();
    return {
      status: response.status(),
      retryAfter: headers['x-retry-after'] ?? headers['retry-after'],
      result: response,
    };
  });
  if (status >= 400) throw new Error(`guest sign-in failed: ${status} ${await result.text()}`);
}

/** Writes the server refused for the writer's rate and a bench sent again once told it may. */
export const refusals = { rateLimited: 0 };

export async function mutate(
  baseUrl: string,
  session: Session,
  path: string,
  input: unknown,
): Promise<unknown> {
  let response: Response;
  for (;;) {
    response = await fetch(`${baseUrl}/api/trpc/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: session.cookie, origin: baseUrl },
      body: JSON.stringify({ json: input }),
    });
    if (response.status !== 429) break;
    refusals.rateLimited++;
    // A writer over its rate waits as told and tries again.
    const retryAfter = Number(response.headers.get('retry-after') ?? 1);
    await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000));
  }
  return trpcData(response, path);
}

export async function query(
  baseUrl: string,
  session: Session,
  path: string,
  input: unknown,
): Promise<unknown> {
  const response = await fetch(
    `${baseUrl}/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`,
    { headers: { cookie: session.cookie, origin: baseUrl } },
  );
  return trpcData(response, path);
}

/** A tRPC answer's data, or an error naming the procedure and what the server said. */
async function trpcData(response: Response, path: string): Promise<unknown> {
  const body = (await response.json()) as { result?: { data: { json: unknown } }; error?: unknown };
  if (!response.ok || !body.result) throw new Error(`${path} failed: ${JSON.stringify(body.error)}`);
  return body.result.data.json;
}

/** Runs `count` calls of `fn` with at most `parallel` in flight. */
export async function pool(
  count: number,
  parallel: number,
  fn: (i: number) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < count) await fn(next++);
    }),
  );
}

/**
 * Posts `rate` messages a second for `seconds` to `spaceId`, each on time whatever the answers before it
 * (as independent people would), round-robin over `writers`. Resolves when every post is answered.
 */
export async function burst(
  baseUrl: string,
  writers: Session[],
  spaceId: string,
  rate: number,
  seconds: number,
): Promise<{ sent: number; answeredMs: number; latenciesMs: number[]; answeredAt: Map<number, number> }> {
  const started = Date.now();
  const total = rate * seconds;
  const pending: Promise<unknown>[] = [];
  const latenciesMs: number[] = [];
  /** When each message's post was answered (epoch ms), by its number. */
  const answeredAt = new Map<number, number>();
  let sent = 0;
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const posted = Date.now();
    pending.push(
      mutate(baseUrl, writers[i % writers.length] as Session, 'intention.createUtterance', {
        spaceId,
        content: `Burst message ${i}`,
      }).then(() => {
        sent++;
        answeredAt.set(i, Date.now());
        latenciesMs.push(Date.now() - posted);
      }),
    );
  }
  await Promise.all(pending);
  return { sent, answeredMs: Date.now() - started, latenciesMs, answeredAt };
}
