import { and, eq, ne } from 'drizzle-orm';
import type { Database, Transaction } from '../db/database.ts';
import { beings, intentions, spaceMembers, users } from '../db/schema/index.ts';
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
      scope.audit('signed up', { user: userId, being: created.id, guest: user.isAnonymous ?? false });
      return created.id;
    });
  }

  return {
    ensureBeing,

    /**
     * A guest who signs up (or in) keeps who they were: the new account takes over the guest's being, and
     * the being made for the account a moment ago is dropped, unless that account already has a history
     * (an existing account signing in), which then wins.
     */
    async adoptGuestBeing(guestUserId: string, accountUserId: string): Promise<string | null> {
      return write(async ({ tx }) => {
        const [guest] = await tx.select().from(users).where(eq(users.id, guestUserId)).for('update');
        const [account] = await tx.select().from(users).where(eq(users.id, accountUserId)).for('update');
        if (!guest?.beingId || !account || guest.id === account.id) return account?.beingId ?? null;
        const fresh = account.beingId;
        if (fresh && !(await isUntouched(tx, fresh))) return fresh;
        await tx.update(users).set({ beingId: null }).where(eq(users.id, guest.id));
        await tx.update(users).set({ beingId: guest.beingId }).where(eq(users.id, account.id));
        if (fresh) await tx.delete(beings).where(eq(beings.id, fresh));
        return guest.beingId;
      });
    },

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

/** A being nobody has seen act: no posts, no memberships, owns nothing but itself, in no space. */
async function isUntouched(tx: Transaction, beingId: string): Promise<boolean> {
  const [being] = await tx.select().from(beings).where(eq(beings.id, beingId)).limit(1);
  if (!being || being.locationId) return false;
  const [post] = await tx
    .select({ id: intentions.id })
    .from(intentions)
    .where(eq(intentions.ownerId, beingId))
    .limit(1);
  const [owned] = await tx
    .select({ id: beings.id })
    .from(beings)
    .where(and(eq(beings.ownerId, beingId), ne(beings.id, beingId)))
    .limit(1);
  const [membership] = await tx
    .select({ spaceId: spaceMembers.spaceId })
    .from(spaceMembers)
    .where(eq(spaceMembers.beingId, beingId))
    .limit(1);
  return !post && !owned && !membership;
}
