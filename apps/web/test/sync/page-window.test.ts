import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readStreamSnapshot } from '../../src/server/stream-snapshot.ts';
import {
  forPage,
  LOG_WINDOW,
  PAGE_SCOPE,
  SNAPSHOT_INTENTIONS,
  snapshotHasEarlier,
} from '../../src/sync/limits.ts';
import { databaseKinds } from '../support/database.ts';
import { type TestRuntime, testRuntime } from '../support/runtime.ts';
import { signInAsGuest, type TestUser } from '../support/users.ts';

const snapshot = (count: number, intentionsCut?: boolean) => ({
  space: '@a-space',
  intentions: Array.from({ length: count }, (_, i) => ({ id: `m${i}` })),
  ...(intentionsCut === undefined ? {} : { intentionsCut }),
});

describe("a space's page carries the log's window of its snapshot", () => {
  it('keeps a snapshot that fits the window as it is, with nothing left to page in', () => {
    const fits = snapshot(LOG_WINDOW);
    expect(forPage(fits)).toBe(fits);
    expect(snapshotHasEarlier({ intentionsCut: false, ...forPage(fits) })).toBe(false);
  });

  it('keeps the newest of a longer one and says older ones are left out', () => {
    const page = forPage(snapshot(LOG_WINDOW + 1));
    expect(page.intentions).toHaveLength(LOG_WINDOW);
    expect(page.intentions[0]).toEqual({ id: 'm1' });
    expect(page.intentions.at(-1)).toEqual({ id: `m${LOG_WINDOW}` });
    expect(page.intentionsCut).toBe(true);
    expect(page.space).toBe('@a-space');
    expect(snapshotHasEarlier({ intentionsCut: false, ...page })).toBe(true);
  });

  it('keeps the cut a byte budget already made', () => {
    expect(forPage(snapshot(3, true)).intentionsCut).toBe(true);
  });
});

describe.each(databaseKinds)("a page's snapshot reads only what the page keeps, on %s", (kind) => {
  let runtime: TestRuntime;
  let ada: TestUser;
  let space: string;
  const post = (i: number) => ada.api.intention.createUtterance({ spaceId: space, content: `Line ${i}` });
  const contents = (snapshot: { intentions: { content: string }[] }) =>
    snapshot.intentions.map((i) => i.content);

  beforeAll(async () => {
    runtime = await testRuntime(kind);
    ada = await signInAsGuest(runtime, 'Ada');
    space = (await ada.api.being.create({ name: 'Window room', type: 'space' })).id;
    for (let i = 0; i < LOG_WINDOW; i++) await post(i);
  });
  afterAll(async () => runtime?.dispose());

  it('reads one intention past the window, so a page of exactly the window has nothing left out', async () => {
    const read = await readStreamSnapshot(runtime, ada.actor, space, PAGE_SCOPE);
    expect(read.intentions).toHaveLength(LOG_WINDOW);
    const page = forPage(read);
    expect(page.intentionsCut ?? false).toBe(false);
    expect(snapshotHasEarlier({ intentionsCut: false, ...page })).toBe(false);
  });

  it('keeps the newest once there are more, and sync’s own snapshot still reads its whole window', async () => {
    await post(LOG_WINDOW);
    await post(LOG_WINDOW + 1);
    const read = await readStreamSnapshot(runtime, ada.actor, space, PAGE_SCOPE);
    expect(read.intentions).toHaveLength(PAGE_SCOPE.intentions);
    const page = forPage(read);
    expect(page.intentionsCut).toBe(true);
    expect(contents(page)).toEqual(Array.from({ length: LOG_WINDOW }, (_, i) => `Line ${i + 2}`));
    const whole = await readStreamSnapshot(runtime, ada.actor, space);
    expect(whole.intentions).toHaveLength(Math.min(SNAPSHOT_INTENTIONS, LOG_WINDOW + 2));
    expect(contents(whole)[0]).toBe('Line 0');
  });
});
