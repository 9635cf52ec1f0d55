import type { SyncEvent } from '@rhizom/sync';
import type { Logger } from 'pino';
import type { Database, Transaction } from '../db/database.ts';
import { takeTurns } from '../lib/in-turn.ts';
import { botsLeaveUnseen } from './bot-departure.ts';
import { appendSyncEvents, type PendingSyncEvent } from './outbox.ts';
import { withSpacesInside } from './spaces-inside.ts';

/**
 * Called after a write commits, with the spaces whose streams got events and those events (e.g. to flush
 * a broadcaster, which then need not read them back).
 */
export type OnCommitted = (spaceIds: string[], events: readonly SyncEvent[]) => void;

/**
 * Called after a write commits, with the spaces fewer beings may see now (went private, left, deleted,
 * moved into a space fewer may see) and every space inside them.
 */
export type OnAccessNarrowed = (spaceIds: string[]) => void;

export interface WriteScope {
  tx: Transaction;
  /** Queue sync events; they are appended to the outbox in this transaction, after `fn` returns. */
  emit(...events: PendingSyncEvent[]): void;
  /**
   * Say that after this write fewer beings may see `spaceId`, and so every space inside it, at any depth
   * (`canViewWithin`): in this transaction, their sealing keys are replaced (later packets are unreadable
   * to whoever lost sight) and bots whose owners lost sight leave (`botsLeaveUnseen`); after the commit,
   * connections that lost sight get removed.
   */
  narrowAccess(spaceId: string): void;
  /** An audit line (sign-up, space created, membership, deletion), logged only once the write commits. */
  audit(action: AuditAction, fields: Record<string, unknown>): void;
}

export type AuditAction =
  | 'space created'
  | 'member joined'
  | 'member left'
  | 'member added'
  | 'member removed'
  | 'being deleted'
  | 'signed up';

export type Write = <T>(fn: (scope: WriteScope) => Promise<T>) => Promise<T>;

/**
 * Runs each domain write as one transaction together with its sync events and the key rotations of the
 * spaces it narrowed. A rollback drops the events and rotations with the write; `onCommitted` only hears
 * about committed ones.
 */
export function createWrite(options: {
  db: Database;
  onCommitted?: OnCommitted;
  onAccessNarrowed?: OnAccessNarrowed;
  logger?: Logger;
  /**
   * Writes wait for each other here, one at the database at a time (PGlite: it runs one statement at a time,
   * first come first served). Reads then wait for at most the running write, not for every write queued
   * before them: under bench:web's burst a page's HTML came 10 s late, after all the posts ahead of it.
   */
  oneAtATime?: boolean;
}): Write {
  const line = takeTurns();
  const inTurn = <T>(run: () => Promise<T>): Promise<T> => (options.oneAtATime ? line(run) : run());
  const notify = (
    what: string,
    listener: ((spaces: string[], events: readonly SyncEvent[]) => void) | undefined,
    spaces: string[],
    events: readonly SyncEvent[] = [],
  ) => {
    if (spaces.length === 0 || !listener) return;
    try {
      listener(spaces, events);
    } catch (error) {
      // The write is committed; a listener failing must not turn it into an error for the user.
      options.logger?.error({ err: error, spaces }, `${what} listener failed`);
    }
  };
  return async (fn) => {
    let spaces: string[] = [];
    let appended: SyncEvent[] = [];
    const narrowed = new Set<string>();
    const audits: [AuditAction, Record<string, unknown>][] = [];
    const result = await inTurn(() =>
      options.db.transaction(async (tx) => {
        const pending: PendingSyncEvent[] = [];
        const scope: WriteScope = {
          tx,
          emit: (...events) => pending.push(...events),
          narrowAccess: (spaceId) => narrowed.add(spaceId),
          audit: (action, fields) => audits.push([action, fields]),
        };
        const value = await fn(scope);
        if (narrowed.size > 0) {
          for (const space of await withSpacesInside(tx, [...narrowed])) narrowed.add(space);
          for (const space of narrowed) await botsLeaveUnseen(scope, space);
        }
        if (pending.length > 0 || narrowed.size > 0) {
          appended = await appendSyncEvents(tx, pending, new Date(), { rotateKeys: [...narrowed] });
          spaces = [...new Set(pending.map((event) => event.space))];
        }
        return value;
      }),
    );
    for (const [action, fields] of audits)
      options.logger?.info({ component: 'audit', action, ...fields }, action);
    notify('onCommitted', options.onCommitted, spaces, appended);
    notify('onAccessNarrowed', options.onAccessNarrowed, [...narrowed]);
    return result;
  };
}
