import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type DatabaseHandle } from '../../src/db/database.ts';
import { users } from '../../src/db/schema/index.ts';
import { type Actor, createDomain, type Domain } from '../../src/domain/index.ts';
import { seed } from '../../src/domain/seed.ts';

/**
 * Writes that shrink who may see a space report it after commit (the runtime then removes live
 * connections that lost sight), and `mayView` answers for a being id or a visitor from stored rows.
 */
let handle: DatabaseHandle;
let domain: Domain;
const narrowed: string[][] = [];

async function person(name: string, superuser = false): Promise<Actor> {
  const id = randomUUID();
  await handle.db.insert(users).values({ id, name, email: `${id}@example.test`, superuser });
  await domain.users.ensureBeing(id);
  return domain.users.actorFor(id);
}

beforeAll(async () => {
  handle = await createDatabase({ dataDir: 'memory://' });
  domain = createDomain({ db: handle.db, onAccessNarrowed: (spaces) => narrowed.push(spaces) });
  await seed(domain.write);
});
afterAll(() => handle.close());

describe('narrowed access', () => {
  it('is reported when a space goes private, a member leaves a private space, or a space is deleted', async () => {
    const owner = await person('Owner');
    const member = await person('Member');
    const space = await domain.beings.create(owner, { name: 'Shrinking', type: 'space' });

    narrowed.length = 0;
    await domain.beings.update(owner, { id: space.id, content: 'still public' });
    await domain.beings.update(owner, { id: space.id, visibility: 'public' });
    await domain.spaces.join(member, { spaceId: space.id });
    await domain.spaces.leave(member, { spaceId: space.id });
    expect(narrowed).toEqual([]);

    await domain.beings.update(owner, { id: space.id, visibility: 'private' });
    expect(narrowed).toEqual([[space.id]]);
    await domain.spaces.addMember(owner, { spaceId: space.id, beingId: member.beingId });
    await domain.spaces.leave(member, { spaceId: space.id });
    expect(narrowed).toEqual([[space.id], [space.id]]);
    await domain.beings.delete(owner, space.id);
    expect(narrowed).toEqual([[space.id], [space.id], [space.id]]);
  });

  it('is reported when the owner removes a member of a private space; only the owner may remove', async () => {
    const owner = await person('Curator');
    const member = await person('Guest Reader');
    const stranger = await person('Outsider');
    const space = await domain.beings.create(owner, {
      name: 'Archive',
      type: 'space',
      visibility: 'private',
    });
    await domain.spaces.addMember(owner, { spaceId: space.id, beingId: member.beingId });
    expect(await domain.spaces.mayView(member.beingId, space.id)).toBe(true);
    narrowed.length = 0;

    await expect(
      domain.spaces.removeMember(stranger, { spaceId: space.id, beingId: member.beingId }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await domain.spaces.addMember(owner, { spaceId: space.id, beingId: stranger.beingId });
    await expect(
      domain.spaces.removeMember(stranger, { spaceId: space.id, beingId: member.beingId }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(narrowed).toEqual([]);

    await domain.spaces.removeMember(owner, { spaceId: space.id, beingId: member.beingId });
    expect(narrowed).toEqual([[space.id]]);
    expect(await domain.spaces.mayView(member.beingId, space.id)).toBe(false);
    await expect(
      domain.spaces.removeMember(owner, { spaceId: space.id, beingId: member.beingId }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('is not reported for a write that fails', async () => {
    const owner = await person('Owner Two');
    const stranger = await person('Stranger');
    const space = await domain.beings.create(owner, { name: 'Kept', type: 'space' });
    narrowed.length = 0;
    await expect(domain.beings.update(stranger, { id: space.id, visibility: 'private' })).rejects.toThrow();
    expect(narrowed).toEqual([]);
  });

  it('mayView follows the stored rows: public for all, private for owner, members and superusers', async () => {
    const owner = await person('Keeper');
    const member = await person('Friend');
    const other = await person('Other');
    const admin = await person('Admin', true);
    const space = await domain.beings.create(owner, { name: 'Vault', type: 'space', visibility: 'private' });
    await domain.spaces.addMember(owner, { spaceId: space.id, beingId: member.beingId });

    const verdicts = async () =>
      Promise.all(
        [owner.beingId, member.beingId, other.beingId, admin.beingId, null].map((id) =>
          domain.spaces.mayView(id, space.id),
        ),
      );
    expect(await verdicts()).toEqual([true, true, false, true, false]);
    await domain.beings.update(owner, { id: space.id, visibility: 'public' });
    expect(await verdicts()).toEqual([true, true, true, true, true]);
    expect(await domain.spaces.mayView(owner.beingId, '@no-such-space')).toBe(false);
  });
});
