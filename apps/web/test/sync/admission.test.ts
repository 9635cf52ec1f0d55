import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DisconnectReason, type Room, RoomEvent } from '@livekit/rtc-node';
import type { SfuServer } from '@rhizom/sfu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../support/database.ts';
import type { TestRuntime } from '../support/runtime.ts';
import { type SyncStack, startSyncStack } from '../support/sync-stack.ts';
import { anonymousApi, signInAsGuest, signUp, type TestUser } from '../support/users.ts';

/**
 * LiveKit never revokes a token, so the app re-checks every connection when it joins (the
 * `participant_joined` webhook) and at each reconciliation: whoever lost sight of a space and comes back
 * with the token they held is removed again. Real SFU, real signed webhooks, @livekit/rtc-node clients.
 */
/** The app's webhook route in miniature: the signed body goes to the runtime; `lose` drops webhooks. */
function webhookForwarder(runtime: () => TestRuntime) {
  const handled: { event: string; room: string }[] = [];
  let losing = false;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const body = Buffer.concat(chunks).toString();
      if (!losing) {
        try {
          await runtime().sync.receiveWebhook(body, req.headers.authorization);
        } catch {
          res.writeHead(401).end();
          return;
        }
        const parsed = JSON.parse(body) as { event: string; room?: { name?: string } };
        handled.push({ event: parsed.event, room: parsed.room?.name ?? '' });
      }
      res.writeHead(200).end();
    });
  });
  return {
    server,
    handled,
    lose(value: boolean) {
      losing = value;
    },
  };
}

/** Resolves with the reason the room was left, or rejects after `ms` if it was not. */
function disconnection(room: Room, ms: number): Promise<DisconnectReason | undefined> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`still connected after ${ms} ms`)), ms);
    room.once(RoomEvent.Disconnected, (reason) => {
      clearTimeout(timer);
      resolve(reason);
    });
  });
}

describe.each(databaseKinds)('admission re-checked on join, on %s', (kind) => {
  let stack: SyncStack;
  let sfu: SfuServer;
  let runtime: TestRuntime;
  let hooks: ReturnType<typeof webhookForwarder>;
  let ada: TestUser;
  let bob: TestUser;
  const connect = (url: string, token: string) => stack.connect(url, token);
  /**
   * Joins with `join`, narrows (the write that should evict), and expects the connection removed; then
   * replays the same token, which LiveKit still accepts, and expects the join's webhook to remove it too.
   */
  async function evictedAndRemovedOnReplay(
    { url, token }: { url: string; token: string },
    narrow: () => Promise<unknown>,
  ): Promise<void> {
    const first = await connect(url, token);
    const evicted = disconnection(first, 15_000);
    await narrow();
    await expect(evicted).resolves.toBe(DisconnectReason.PARTICIPANT_REMOVED);
    const replay = await connect(url, token);
    await expect(disconnection(replay, 15_000)).resolves.toBe(DisconnectReason.PARTICIPANT_REMOVED);
  }

  beforeAll(async () => {
    hooks = webhookForwarder(() => runtime);
    await new Promise<void>((resolve) => hooks.server.listen(0, '127.0.0.1', resolve));
    const hookUrl = `http://127.0.0.1:${(hooks.server.address() as AddressInfo).port}/`;
    stack = await startSyncStack(kind, { webhookUrl: hookUrl });
    ({ sfu, runtime } = stack);
    ada = await signUp(runtime, 'Ada');
    bob = await signInAsGuest(runtime, 'Bob');
  });
  afterAll(async () => {
    await stack?.close();
    await new Promise((resolve) => hooks?.server.close(resolve));
  });

  it('a removed member who re-joins with the token they held is removed again within one webhook', async () => {
    const space = (await ada.api.being.create({ name: 'Kept', type: 'space', visibility: 'private' })).id;
    await ada.api.space.addMember({ spaceId: space, beingId: bob.actor.beingId });
    await evictedAndRemovedOnReplay(await bob.api.livekit.getJoinToken({ spaceId: space }), () =>
      ada.api.space.removeMember({ spaceId: space, beingId: bob.actor.beingId }),
    );
    expect((await runtime.sync.presence.list(space)).map((entry) => entry.beingId)).not.toContain(
      bob.actor.beingId,
    );
  });

  it('a visitor of a space that went private is removed when they come back with their token', async () => {
    const space = (await ada.api.being.create({ name: 'Was open', type: 'space' })).id;
    const visitor = await anonymousApi(runtime);
    await evictedAndRemovedOnReplay(await visitor.livekit.getJoinToken({ spaceId: space }), () =>
      ada.api.being.update({ id: space, visibility: 'private' }),
    );
  });

  it('a public space inside a private one: a removed member is evicted from it and removed again on replay', async () => {
    const outer = (await ada.api.being.create({ name: 'Walled', type: 'space', visibility: 'private' })).id;
    const inner = (await ada.api.being.create({ name: 'Courtyard', type: 'space', locationId: outer })).id;
    await ada.api.space.addMember({ spaceId: outer, beingId: bob.actor.beingId });
    await evictedAndRemovedOnReplay(await bob.api.livekit.getJoinToken({ spaceId: inner }), () =>
      ada.api.space.removeMember({ spaceId: outer, beingId: bob.actor.beingId }),
    );
    const visitor = await anonymousApi(runtime);
    await expect(visitor.livekit.getJoinToken({ spaceId: inner })).rejects.toThrow();
  });

  it('a connection whose join webhook was lost is removed by the next reconciliation', async () => {
    const space = (await ada.api.being.create({ name: 'Quiet', type: 'space', visibility: 'private' })).id;
    await ada.api.space.addMember({ spaceId: space, beingId: bob.actor.beingId });
    const { url, token } = await bob.api.livekit.getJoinToken({ spaceId: space });
    await ada.api.space.removeMember({ spaceId: space, beingId: bob.actor.beingId });

    hooks.lose(true);
    try {
      const replay = await connect(url, token);
      const removed = disconnection(replay, 15_000);
      const identities = (sfu.rooms.listParticipants(space) ?? []).map((participant) => participant.identity);
      // Nobody heard of the join: the connection is in the room until the reconciliation looks.
      expect(identities).toContain(replay.localParticipant?.identity);
      await runtime.sync.reconcilePresence();
      await expect(removed).resolves.toBe(DisconnectReason.PARTICIPANT_REMOVED);
    } finally {
      hooks.lose(false);
    }
  });

  it('counts a hidden visitor nowhere in presence; members who may stay are left alone', async () => {
    const space = (await ada.api.being.create({ name: 'Lobby', type: 'space' })).id;
    const visitor = await anonymousApi(runtime);
    const joinsBefore = hooks.handled.filter((hook) => hook.room === space).length;
    const watcher = await visitor.livekit.getJoinToken({ spaceId: space });
    const visitorRoom = await connect(watcher.url, watcher.token);
    const own = await bob.api.livekit.getJoinToken({ spaceId: space });
    const bobRoom = await connect(own.url, own.token);
    const joined = () =>
      hooks.handled.filter((hook) => hook.room === space && hook.event === 'participant_joined').length;
    await expect.poll(joined, { timeout: 15_000 }).toBeGreaterThanOrEqual(joinsBefore + 2);

    expect(await runtime.sync.presence.list(space)).toEqual([
      expect.objectContaining({ beingId: bob.actor.beingId, connections: 1 }),
    ]);
    await runtime.sync.reconcilePresence();
    expect(visitorRoom.isConnected).toBe(true);
    expect(bobRoom.isConnected).toBe(true);
  });
});
