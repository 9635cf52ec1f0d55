import { eq } from 'drizzle-orm';
import type { Database } from '../db/database.ts';
import { beings, users } from '../db/schema/index.ts';
import type { Actor } from './actor.ts';
import { insertBeing } from './beings.ts';
import { DomainError } from './errors.ts';
import type { Write } from './write.ts';

/**
 * The link between auth users and beings: every signed-in user has exactly one being, a `guest` that
 * owns itself. It is created right after sign-up, and again on demand should that step ever have failed.
 */
export function createUserService(deps: { db: Database; write: Write }) {
  const { db, write } = deps;

  async function ensureBeing(userId: string): Promise<string> {
    return write(async (scope) => {
      // The row lock makes concurrent first requests of one user create one being, not two.
      const [user] = await scope.tx.select().from(users).where(eq(users.id, userId)).for('update');
      if (!user) throw new DomainError('UNAUTHORIZED', 'Your session has no user any more; sign in again.');
      if (user.beingId) return user.beingId;
      const created = await insertBeing(scope, {
        name: user.name.trim() || 'Guest',
        type: 'guest',
        ownerId: null,
        locationId: null,
        content: '',
        properties: {},
        visibility: null,
      });
      await scope.tx.update(beings).set({ ownerId: created.id }).where(eq(beings.id, created.id));
      await scope.tx.update(users).set({ beingId: created.id }).where(eq(users.id, userId));
      return created.id;
    });
  }

  return {
    ensureBeing,

    /** The acting identity of a signed-in user, read from the stored user row (superuser included). */
    async actorFor(userId: string): Promise<Actor> {
      const [user] = await db
        .select({ beingId: users.beingId, superuser: users.superuser })
        .from(users)
        .where(eq(users.id, userId))
        .limit(1);
      if (!user) throw new DomainError('UNAUTHORIZED', 'Your session has no user any more; sign in again.');
      const beingId = user.beingId ?? (await ensureBeing(userId));
      return { beingId, superuser: user.superuser };
    },
  };
}

export type UserService = ReturnType<typeof createUserService>;
