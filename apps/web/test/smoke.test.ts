import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from './support/database.ts';
import { type TestRuntime, testRuntime } from './support/runtime.ts';
import { signInAsGuest, signUp } from './support/users.ts';

describe.each(databaseKinds)('smoke on %s', (kind) => {
  let runtime: TestRuntime;
  beforeAll(async () => {
    runtime = await testRuntime(kind);
  });
  afterAll(async () => runtime?.dispose());

  it('signs up, creates a space, posts', async () => {
    const ada = await signUp(runtime, 'Ada');
    const me = await ada.api.being.me();
    expect(me?.type).toBe('guest');
    const space = await ada.api.being.create({ name: 'Ada Lab', type: 'space' });
    expect(space.id).toBe('@ada-lab');
    const post = await ada.api.intention.createUtterance({ spaceId: space.id, content: 'hello' });
    const list = await ada.api.intention.list({ spaceId: space.id });
    expect(list.items.map((i) => i.id)).toEqual([post.id]);
    const guest = await signInAsGuest(runtime, 'Bea');
    expect((await guest.api.being.me())?.name).toBe('Bea');
  });
});
