import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { beings, users } from '../../src/db/schema/index.ts';
import { LIMITS } from '../../src/domain/limits.ts';
import { SEED_BOT_ID, SEED_SPACE_ID } from '../../src/domain/seed.ts';
import { databaseKinds } from '../support/database.ts';
import { allEventCount } from '../support/events.ts';
import { type TestRuntime, testRuntime } from '../support/runtime.ts';
import { anonymousApi, makeSuperuser, signUp, type TestUser } from '../support/users.ts';

describe.each(databaseKinds)('being API on %s', (kind) => {
  let runtime: TestRuntime;
  let ada: TestUser;
  let bob: TestUser;

  beforeAll(async () => {
    runtime = await testRuntime(kind);
    ada = await signUp(runtime, 'Ada');
    bob = await signUp(runtime, 'Bob');
  });
  afterAll(async () => runtime?.dispose());

  async function countBeings() {
    return (await runtime.db.select({ id: beings.id }).from(beings)).length;
  }

  describe('create', () => {
    it('derives a unique id from the name, and makes the creator owner and member', async () => {
      const first = await ada.api.being.create({ name: 'Garden Party!', type: 'space' });
      const second = await bob.api.being.create({ name: 'Garden Party!', type: 'space' });
      expect(first).toMatchObject({ id: '@garden-party', ownerId: ada.actor.beingId, visibility: 'public' });
      expect(second.id).toMatch(/^@garden-party-[0-9a-f]{6}$/);
      expect((await ada.api.space.members({ spaceId: first.id })).map((b) => b.id)).toEqual([
        ada.actor.beingId,
      ]);
    });

    it('takes a chosen id, and refuses one that is taken with CONFLICT', async () => {
      const space = await ada.api.being.create({ id: '@ada-chosen', name: 'Chosen', type: 'space' });
      expect(space.id).toBe('@ada-chosen');
      await expect(
        bob.api.being.create({ id: '@ada-chosen', name: 'Mine', type: 'space' }),
      ).rejects.toMatchObject({
        code: 'CONFLICT',
        message: expect.stringContaining('@ada-chosen is taken'),
      });
    });

    it('rejects invalid ids with a message that says what an id looks like, creating nothing', async () => {
      const before = await countBeings();
      for (const id of ['no-at', '@A', '@x', '@-dash', '@under_score', `@${'a'.repeat(64)}`, '@space here']) {
        await expect(ada.api.being.create({ id, name: 'Bad', type: 'space' })).rejects.toMatchObject({
          code: 'BAD_REQUEST',
          message: expect.stringContaining('Being ids look like @my-space'),
        });
      }
      expect(await countBeings()).toBe(before);
    });

    it('refuses guests and unknown types, oversize names and content, and visibility on non-spaces', async () => {
      const before = await countBeings();
      await expect(ada.api.being.create({ name: 'X', type: 'guest' as 'space' })).rejects.toMatchObject({
        code: 'BAD_REQUEST',
      });
      await expect(
        ada.api.being.create({ name: 'n'.repeat(LIMITS.nameMax + 1), type: 'space' }),
      ).rejects.toMatchObject({
        code: 'BAD_REQUEST',
        message: expect.stringContaining(`at most ${LIMITS.nameMax} characters`),
      });
      await expect(
        ada.api.being.create({
          name: 'Big',
          type: 'document',
          content: 'c'.repeat(LIMITS.beingContentMax + 1),
        }),
      ).rejects.toMatchObject({
        message: expect.stringContaining(`at most ${LIMITS.beingContentMax} characters`),
      });
      await expect(
        ada.api.being.create({ name: 'Doc', type: 'document', visibility: 'private' }),
      ).rejects.toMatchObject({
        code: 'BAD_REQUEST',
        message: expect.stringContaining('Only spaces have a visibility'),
      });
      await expect(
        ada.api.being.create({
          name: 'Props',
          type: 'document',
          properties: { blob: 'p'.repeat(LIMITS.propertiesMaxBytes) },
        }),
      ).rejects.toMatchObject({ message: expect.stringContaining(`${LIMITS.propertiesMaxBytes} bytes`) });
      expect(await countBeings()).toBe(before);
    });

    it('refuses unknown locations, non-space locations and private spaces of others as NOT_FOUND or BAD_REQUEST', async () => {
      const before = await countBeings();
      await expect(
        ada.api.being.create({ name: 'Lost', type: 'document', locationId: '@nowhere' }),
      ).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('@nowhere') });
      const doc = await ada.api.being.create({ name: 'Container Doc', type: 'document' });
      await expect(
        ada.api.being.create({ name: 'Nested', type: 'document', locationId: doc.id }),
      ).rejects.toMatchObject({
        code: 'BAD_REQUEST',
        message: expect.stringContaining('only be placed in spaces'),
      });
      const hidden = await bob.api.being.create({
        name: 'Bob Hideout',
        type: 'space',
        visibility: 'private',
      });
      await expect(
        ada.api.being.create({ name: 'Spy', type: 'bot', locationId: hidden.id }),
      ).rejects.toMatchObject({ code: 'NOT_FOUND' });
      expect(await countBeings()).toBe(before + 2);
    });

    it('refuses writes without a session with UNAUTHORIZED', async () => {
      const visitor = await anonymousApi(runtime);
      const before = await countBeings();
      await expect(visitor.being.create({ name: 'Anon', type: 'space' })).rejects.toMatchObject({
        code: 'UNAUTHORIZED',
        message: expect.stringContaining('Sign in'),
      });
      await expect(visitor.being.update({ id: SEED_SPACE_ID, name: 'x' })).rejects.toMatchObject({
        code: 'UNAUTHORIZED',
      });
      await expect(visitor.being.delete({ id: SEED_BOT_ID })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
      await expect(visitor.being.move({ id: SEED_BOT_ID, locationId: null })).rejects.toMatchObject({
        code: 'UNAUTHORIZED',
      });
      expect(await countBeings()).toBe(before);
      expect(await visitor.being.me()).toBeNull();
    });
  });

  describe('update and the attacks rhiz.om suffered', () => {
    it('lets the owner edit name, content, properties and visibility', async () => {
      const space = await ada.api.being.create({ name: 'Editable', type: 'space' });
      const updated = await ada.api.being.update({
        id: space.id,
        name: 'Edited',
        content: '# Hello',
        properties: { theme: 'moss' },
        visibility: 'private',
      });
      expect(updated).toMatchObject({
        name: 'Edited',
        content: '# Hello',
        properties: { theme: 'moss' },
        visibility: 'private',
      });
      expect(Date.parse(updated.modifiedAt)).toBeGreaterThanOrEqual(Date.parse(space.modifiedAt));
    });

    it('refuses claiming another owner in an update, changing nothing', async () => {
      const space = await ada.api.being.create({ name: 'Owned by Ada', type: 'space' });
      await expect(
        bob.api.being.update({ id: space.id, ownerId: bob.actor.beingId } as never),
      ).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('ownerId') });
      await expect(
        ada.api.being.update({ id: space.id, ownerId: bob.actor.beingId } as never),
      ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
      await expect(bob.api.being.update({ id: space.id, name: 'Bob took it' })).rejects.toMatchObject({
        code: 'FORBIDDEN',
        message: expect.stringContaining(`Only the owner of ${space.id}`),
      });
      expect(await ada.api.being.get({ id: space.id })).toMatchObject({
        ownerId: ada.actor.beingId,
        name: 'Owned by Ada',
      });
    });

    it("refuses editing, moving or deleting someone else's being, including the seeded ones", async () => {
      await expect(bob.api.being.update({ id: ada.actor.beingId, name: 'Not Ada' })).rejects.toMatchObject({
        code: 'FORBIDDEN',
      });
      await expect(bob.api.being.move({ id: SEED_BOT_ID, locationId: null })).rejects.toMatchObject({
        code: 'FORBIDDEN',
      });
      await expect(bob.api.being.delete({ id: SEED_SPACE_ID })).rejects.toMatchObject({ code: 'FORBIDDEN' });
      expect((await bob.api.being.get({ id: SEED_BOT_ID })).locationId).toBe(SEED_SPACE_ID);
    });

    it('has no way to become superuser: not sign-up, not update-user, not being properties', async () => {
      const mallory = await signUp(runtime, 'Mallory');
      await runtime.auth.handler(
        new Request('http://localhost:3000/api/auth/update-user', {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            origin: 'http://localhost:3000',
            cookie: mallory.headers.get('cookie') ?? '',
          },
          body: JSON.stringify({ superuser: true, name: 'Mallory' }),
        }),
      );
      await mallory.api.being.update({
        id: mallory.actor.beingId,
        properties: { superuser: true, role: 'admin' },
      });
      await expect(
        mallory.api.being.update({ id: mallory.actor.beingId, superuser: true } as never),
      ).rejects.toMatchObject({ code: 'BAD_REQUEST' });
      const signUpResponse = await runtime.auth.handler(
        new Request('http://localhost:3000/api/auth/sign-up/email', {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin: 'http://localhost:3000' },
          body: JSON.stringify({
            name: 'Eve',
            email: 'eve@example.test',
            password: 'correct horse battery',
            superuser: true,
          }),
        }),
      );
      const flags = await runtime.db.select({ email: users.email, superuser: users.superuser }).from(users);
      expect(flags.filter((row) => row.superuser)).toEqual([]);
      expect(signUpResponse.status).toBeGreaterThanOrEqual(200);
      await expect(mallory.api.being.update({ id: SEED_SPACE_ID, name: 'pwned' })).rejects.toMatchObject({
        code: 'FORBIDDEN',
      });
    });

    it('lets a superuser (granted in SQL) edit any being', async () => {
      const root = await makeSuperuser(runtime, await signUp(runtime, 'Root'));
      const renamed = await root.api.being.update({
        id: SEED_SPACE_ID,
        content: 'Welcome, by the operators.',
      });
      expect(renamed.content).toBe('Welcome, by the operators.');
      const hidden = await bob.api.being.create({ name: 'Bob Vault', type: 'space', visibility: 'private' });
      expect((await root.api.being.get({ id: hidden.id })).id).toBe(hidden.id);
      expect((await root.api.being.search({ query: 'Bob Vault' })).items.map((b) => b.id)).toEqual([
        hidden.id,
      ]);
      expect((await root.api.intention.list({ spaceId: hidden.id })).items).toEqual([]);
    });
  });

  describe('private spaces', () => {
    it('are invisible to others: NOT_FOUND on get, absent from search and lists', async () => {
      const secret = await ada.api.being.create({
        name: 'Secret Garden',
        type: 'space',
        visibility: 'private',
      });
      const note = await ada.api.being.create({
        name: 'Secret Note',
        type: 'document',
        locationId: secret.id,
      });
      const visitor = await anonymousApi(runtime);
      for (const api of [bob.api, visitor]) {
        await expect(api.being.get({ id: secret.id })).rejects.toMatchObject({
          code: 'NOT_FOUND',
          message: `Being ${secret.id} was not found, or you are not allowed to see it.`,
        });
        await expect(api.being.get({ id: note.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
        await expect(api.being.listInLocation({ locationId: secret.id })).rejects.toMatchObject({
          code: 'NOT_FOUND',
        });
        await expect(api.intention.list({ spaceId: secret.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
        await expect(api.space.members({ spaceId: secret.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
        const found = await api.being.search({ query: 'Secret' });
        expect(found.items.map((b) => b.id)).toEqual([]);
      }
      // The error for a private space is the same as for one that does not exist.
      await expect(bob.api.being.get({ id: '@no-such-space' })).rejects.toMatchObject({
        code: 'NOT_FOUND',
        message: 'Being @no-such-space was not found, or you are not allowed to see it.',
      });
      expect((await ada.api.being.search({ query: 'Secret' })).items.map((b) => b.id).sort()).toEqual(
        [secret.id, note.id].sort(),
      );
    });

    it('become visible to a member the owner adds, and a stranger cannot join by themselves', async () => {
      const club = await ada.api.being.create({ name: 'Club', type: 'space', visibility: 'private' });
      await expect(bob.api.space.join({ spaceId: club.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(
        bob.api.space.addMember({ spaceId: club.id, beingId: bob.actor.beingId }),
      ).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
      await ada.api.space.addMember({ spaceId: club.id, beingId: bob.actor.beingId });
      expect((await bob.api.being.get({ id: club.id })).id).toBe(club.id);
      await bob.api.intention.createUtterance({ spaceId: club.id, content: 'thanks for having me' });
      await expect(
        bob.api.space.addMember({ spaceId: club.id, beingId: bob.actor.beingId }),
      ).rejects.toMatchObject({
        code: 'FORBIDDEN',
      });
      await bob.api.space.leave({ spaceId: club.id });
      await expect(bob.api.being.get({ id: club.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });
  });

  describe('listing and search', () => {
    it('lists the beings in a space, paginated, and searches by name or id', async () => {
      const hall = await ada.api.being.create({ name: 'Hall', type: 'space' });
      for (const name of ['Alpha Doc', 'Beta Doc', 'Gamma Doc']) {
        await ada.api.being.create({ name, type: 'document', locationId: hall.id });
      }
      const first = await bob.api.being.listInLocation({ locationId: hall.id, limit: 2 });
      expect(first.items.map((b) => b.id)).toEqual(['@alpha-doc', '@beta-doc']);
      const second = await bob.api.being.listInLocation({
        locationId: hall.id,
        limit: 2,
        cursor: first.nextCursor,
      });
      expect(second).toEqual({ items: [expect.objectContaining({ id: '@gamma-doc' })], nextCursor: null });
      const docs = await bob.api.being.search({ query: 'a doc', type: 'document' });
      expect(docs.items.map((b) => b.name)).toEqual(['Alpha Doc', 'Beta Doc', 'Gamma Doc']);
      const wildcard = await bob.api.being.search({ query: '%' });
      expect(wildcard.items).toEqual([]);
      const seeded = await (await anonymousApi(runtime)).being.listInLocation({ locationId: SEED_SPACE_ID });
      expect(seeded.items.map((b) => b.id)).toContain(SEED_BOT_ID);
    });

    it('pages through search results without repeats', async () => {
      const seen: string[] = [];
      let cursor: string | null | undefined;
      do {
        const page = await bob.api.being.search({ limit: 3, cursor });
        seen.push(...page.items.map((b) => b.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen).toContain(SEED_SPACE_ID);
    });
  });

  describe('move and delete', () => {
    it('moves a being between spaces it may enter, never into itself', async () => {
      const a = await ada.api.being.create({ name: 'Room A', type: 'space' });
      const b = await ada.api.being.create({ name: 'Room B', type: 'space', locationId: a.id });
      const moved = await ada.api.being.move({ id: SEED_BOT_ID, locationId: a.id }).catch((e) => e);
      expect(moved).toMatchObject({ code: 'FORBIDDEN' });
      await expect(ada.api.being.move({ id: a.id, locationId: b.id })).rejects.toMatchObject({
        code: 'BAD_REQUEST',
        message: expect.stringContaining('into itself'),
      });
      await expect(ada.api.being.move({ id: a.id, locationId: a.id })).rejects.toMatchObject({
        code: 'BAD_REQUEST',
      });
      const out = await ada.api.being.move({ id: b.id, locationId: null });
      expect(out.locationId).toBeNull();
    });

    it("deletes what one owns, never a person's own being", async () => {
      const doc = await ada.api.being.create({ name: 'Scratch', type: 'document' });
      await expect(ada.api.being.delete({ id: doc.id })).resolves.toEqual({ id: doc.id });
      await expect(ada.api.being.get({ id: doc.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
      const events = await allEventCount(runtime.db);
      await expect(ada.api.being.delete({ id: ada.actor.beingId })).rejects.toMatchObject({
        code: 'BAD_REQUEST',
        message: expect.stringContaining("person's own being"),
      });
      expect(await allEventCount(runtime.db)).toBe(events);
      const [row] = await runtime.db.select().from(beings).where(eq(beings.id, ada.actor.beingId));
      expect(row?.type).toBe('guest');
    });
  });
});
